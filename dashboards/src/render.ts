import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { buildDashboards } from './catalogue.js';

/**
 * The provisioning files: `<uid>.json` -> content. Keys are sorted at every level and the text
 * ends with a newline, so the same code always writes the same bytes and a diff shows only
 * real changes.
 */
export function renderDashboards(dashboards: readonly Dashboard[] = buildDashboards()): Map<string, string> {
  const files = new Map<string, string>();
  for (const dashboard of dashboards) {
    if (!dashboard.uid) throw new Error(`dashboard "${dashboard.title}" has no uid`);
    const name = `${dashboard.uid}.json`;
    if (files.has(name)) throw new Error(`two dashboards have the uid ${dashboard.uid}`);
    files.set(name, stableJson(dashboard));
  }
  return new Map([...files].sort(([a], [b]) => a.localeCompare(b)));
}

/** JSON with object keys sorted recursively, two-space indented, newline-terminated. */
export function stableJson(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined && typeof v !== 'function')
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, sortKeys(v)]));
  }
  return value;
}

/** Files whose committed content differs from `expected` (or is missing), and files no longer generated. */
export function diffGenerated(
  expected: ReadonlyMap<string, string>,
  actual: ReadonlyMap<string, string>,
): { stale: string[]; unexpected: string[] } {
  const stale = [...expected].filter(([path, content]) => actual.get(path) !== content).map(([path]) => path);
  const unexpected = [...actual.keys()].filter((path) => !expected.has(path));
  return { stale, unexpected };
}
