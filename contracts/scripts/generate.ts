import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { diffArtifacts, generateArtifacts } from './artifacts.js';
import { GENERATED_DIR, readGeneratedDir } from './generated-files.js';

/**
 * Writes JSON Schemas, the AsyncAPI document and the catalogues into contracts/generated/.
 * `--check` writes nothing and exits 1 when the committed files are not what the contracts produce.
 */
function main(argv: readonly string[]): number {
  const expected = generateArtifacts();
  const { stale, unexpected } = diffArtifacts(expected, readGeneratedDir());
  if (argv.includes('--check')) {
    if (stale.length === 0 && unexpected.length === 0) {
      console.log(`contracts/generated is up to date (${expected.size} files)`);
      return 0;
    }
    for (const path of stale) console.error(`stale or missing: contracts/generated/${path}`);
    for (const path of unexpected) console.error(`no longer generated: contracts/generated/${path}`);
    console.error('Regenerate with `npm run generate -w @terrapulse/contracts` and commit the result.');
    return 1;
  }
  for (const path of stale) {
    const target = join(GENERATED_DIR, path);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, expected.get(path) ?? '');
  }
  for (const path of unexpected) rmSync(join(GENERATED_DIR, path));
  console.log(
    `contracts/generated: ${stale.length} written, ${unexpected.length} removed, ${expected.size} in total`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
