import { type Dirent, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { diffGenerated, renderDashboards } from '../src/render.js';

/** Where Grafana's file provider finds the dashboards (docker-compose mounts this folder). */
const GENERATED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated');

/** The committed `*.json` files of generated/ -> content; empty when the folder is missing. */
function readGenerated(): Map<string, string> {
  let entries: Dirent[];
  try {
    entries = readdirSync(GENERATED_DIR, { withFileTypes: true });
  } catch {
    return new Map();
  }
  return new Map(
    entries
      .filter((e) => e.isFile() && e.name.endsWith('.json'))
      .map((e) => [e.name, readFileSync(join(GENERATED_DIR, e.name), 'utf8')]),
  );
}

/**
 * Writes the dashboards' provisioning JSON into dashboards/generated/.
 * `--check` writes nothing and exits 1, naming each stale file, when the committed JSON is not
 * what the code produces.
 */
function main(argv: readonly string[]): number {
  const expected = renderDashboards();
  const { stale, unexpected } = diffGenerated(expected, readGenerated());
  if (argv.includes('--check')) {
    if (stale.length === 0 && unexpected.length === 0) {
      console.log(`dashboards/generated is up to date (${expected.size} dashboards)`);
      return 0;
    }
    for (const name of stale) console.error(`stale or missing: dashboards/generated/${name}`);
    for (const name of unexpected) console.error(`no longer generated: dashboards/generated/${name}`);
    console.error('Regenerate with `npm run generate -w @terrapulse/dashboards` and commit the result.');
    return 1;
  }
  mkdirSync(GENERATED_DIR, { recursive: true });
  for (const name of stale) writeFileSync(join(GENERATED_DIR, name), expected.get(name) ?? '');
  for (const name of unexpected) rmSync(join(GENERATED_DIR, name));
  console.log(
    `dashboards/generated: ${stale.length} written, ${unexpected.length} removed, ${expected.size} in total`,
  );
  return 0;
}

process.exitCode = main(process.argv.slice(2));
