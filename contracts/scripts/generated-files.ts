import { type Dirent, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const GENERATED_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'generated');

/** Files under `dir`, path relative to it with `/` separators -> content; empty when `dir` is missing. */
export function readGeneratedDir(dir: string = GENERATED_DIR): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (current: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(current, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) walk(path);
      else files.set(relative(dir, path).split('\\').join('/'), readFileSync(path, 'utf8'));
    }
  };
  walk(dir);
  return files;
}
