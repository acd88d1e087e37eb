import type { z } from 'zod';
import type { ErrorBody, ErrorCode } from './schemas/common.js';

const STATUS: Record<ErrorCode, number> = {
  invalid_request: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unavailable: 503,
  internal: 500,
};

type Issue = { path: string; message: string };

/** An answer other than success; the server's error handler turns it into the error body. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly issues?: Issue[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = STATUS[code];
  }

  body(): ErrorBody {
    return { error: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) };
  }
}

/** zod issues as `{path: "a.b", message}`; the path is empty for the whole body. */
export function fieldIssues(error: z.ZodError): Issue[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message }));
}

/** Parses data from outside with a schema; a failure is a 400 naming each field. */
export function parseOr400<T extends z.ZodType>(schema: T, data: unknown, what: string): z.infer<T> {
  const parsed = schema.safeParse(data);
  if (!parsed.success) throw new ApiError('invalid_request', `invalid ${what}`, fieldIssues(parsed.error));
  return parsed.data;
}

export const notFound = (what: string): ApiError => new ApiError('not_found', `no ${what}`);
