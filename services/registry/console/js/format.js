// Presentation of API values: dates, state badges, reading rates.
import { h } from './dom.js';

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/**
 * A <time> element with the local date and time, the exact UTC instant in its title.
 * @param {string | null | undefined} iso
 * @param {string} [none] text when there is no date
 */
export function time(iso, none = '—') {
  if (!iso) return h('span', { class: 'muted' }, none);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h('span', null, iso);
  return h('time', { datetime: iso, title: iso }, `${dateTime.format(date)} (${ago(date)})`);
}

/** "5 min ago", "2 h ago", "3 d ago": the order of magnitude an operator needs at a glance. */
export function ago(date, now = Date.now()) {
  const s = Math.round((now - date.getTime()) / 1000);
  if (s < 0) return 'in the future';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86_400)} d ago`;
}

/** Lifecycle states, in lifecycle order (the list filter offers them in this order). */
export const STATES = ['registered', 'provisioned', 'active', 'silent', 'suspended', 'decommissioned'];

/**
 * A state badge: colour AND text, so the state never depends on colour alone.
 * @param {string} state
 */
export function stateBadge(state) {
  const known = STATES.includes(state) ? state : 'unknown';
  return h('span', { class: `badge badge-${known}`, 'data-state': state }, state);
}

/**
 * "12 received, 12 expected per hour · 100 % of expected rate"; the ratio is absent while the
 * device has no history. The two counts and the ratio are said apart: a device first seen 10 min
 * ago has few readings in the last hour yet reports at its full rate (see the README).
 * @param {{ readingsLastHour: number, expectedPerHour: number, rateRatio: number | null } | undefined} health
 */
export function rate(health) {
  if (!health) return '—';
  const base = `${health.readingsLastHour} received, ${formatNumber(health.expectedPerHour)} expected per hour`;
  if (health.rateRatio === null || health.rateRatio === undefined) return base;
  return `${base} · ${Math.round(health.rateRatio * 100)} % of expected rate`;
}

/** @param {number} n */
export function formatNumber(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

/** Seconds as the interval an operator thinks in: "15 min", "1 h", "90 s". */
export function interval(seconds) {
  if (seconds % 3600 === 0) return `${seconds / 3600} h`;
  if (seconds % 60 === 0) return `${seconds / 60} min`;
  return `${seconds} s`;
}
