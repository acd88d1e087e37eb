// The registry API client: bearer token from sessionStorage, JSON in and out, and one error type
// that carries the API's {error, message, issues} body so views can show it next to the fields.

const TOKEN_KEY = 'terrapulse.registry.token';

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

/** @param {string} token */
export function setToken(token) {
  sessionStorage.setItem(TOKEN_KEY, token);
}

export function clearToken() {
  sessionStorage.removeItem(TOKEN_KEY);
}

/** An answer of the API that is not a success, or a request that did not reach it. */
export class ApiError extends Error {
  /**
   * @param {number} status HTTP status, 0 when the request failed before an answer
   * @param {string} code the body's `error` code (`network_error` when there was no answer)
   * @param {string} message the body's human message
   * @param {Array<{ path: string, message: string }>} issues field errors of an invalid request
   */
  constructor(status, code, message, issues = []) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

/**
 * Calls the API. A 401 clears the token and tells the shell to show the sign-in form.
 * @param {string} method
 * @param {string} path e.g. /api/v1/devices
 * @param {{ json?: unknown, body?: BodyInit, contentType?: string, query?: Record<string, string | undefined> }} [opts]
 */
export async function api(method, path, opts = {}) {
  const url = new URL(path, window.location.origin);
  for (const [key, value] of Object.entries(opts.query ?? {})) {
    if (value !== undefined && value !== '') url.searchParams.set(key, value);
  }
  /** @type {Record<string, string>} */
  const headers = { accept: 'application/json' };
  const token = getToken();
  if (token) headers.authorization = `Bearer ${token}`;
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(opts.json);
  } else if (opts.contentType) {
    headers['content-type'] = opts.contentType;
  }
  let res;
  try {
    res = await fetch(url, { method, headers, body, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'network_error', 'The registry could not be reached. Check your connection.');
  }
  const data = await readJson(res);
  if (res.ok) return data;
  const err = new ApiError(
    res.status,
    typeof data?.error === 'string' ? data.error : `http_${res.status}`,
    typeof data?.message === 'string' ? data.message : `${res.status} ${res.statusText}`,
    Array.isArray(data?.issues) ? data.issues : [],
  );
  if (res.status === 401) {
    clearToken();
    window.dispatchEvent(new CustomEvent('console:unauthorized', { detail: err }));
  }
  throw err;
}

/** @param {Response} res */
async function readJson(res) {
  const text = await res.text();
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** The API paths, in one place. */
export const paths = {
  me: '/api/v1/me',
  devices: '/api/v1/devices',
  /** @param {string} id */
  device: (id) => `/api/v1/devices/${encodeURIComponent(id)}`,
  /** @param {string} id @param {string} action provision | suspend | resume | decommission | health | readings */
  deviceAction: (id, action) => `/api/v1/devices/${encodeURIComponent(id)}/${action}`,
  imports: '/api/v1/imports',
  /** @param {string} id */
  import: (id) => `/api/v1/imports/${encodeURIComponent(id)}`,
  audit: '/api/v1/audit',
  openapi: '/openapi.json',
};
