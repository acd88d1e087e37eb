import { z } from 'zod';

export const ErrorCode = z.enum([
  'unauthorized',
  'forbidden',
  'invalid_request',
  'not_found',
  'conflict',
  'payload_too_large',
  'unavailable',
  'internal',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorBody = z
  .object({
    error: ErrorCode,
    message: z.string(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .describe('Every error answer');
export type ErrorBody = z.infer<typeof ErrorBody>;

export const RoleSchema = z.enum(['admin', 'operator', 'viewer']);

export const Me = z.object({ name: z.string(), role: RoleSchema, tenant: z.string().nullable() });

export const TokenCreate = z
  .strictObject({
    name: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/)
      .describe('Who holds the token; unique'),
    role: RoleSchema,
    tenant: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/)
      .optional()
      .describe('Required for operator and viewer'),
  })
  .superRefine((t, ctx) => {
    if (t.role !== 'admin' && t.tenant === undefined)
      ctx.addIssue({ code: 'custom', path: ['tenant'], message: `a ${t.role} token needs a tenant` });
    if (t.role === 'admin' && t.tenant !== undefined)
      ctx.addIssue({ code: 'custom', path: ['tenant'], message: 'an admin token sees every tenant' });
  });

export const TokenCreated = z.object({
  token: z.string().describe('Shown once; only its sha256 is stored'),
  name: z.string(),
  role: RoleSchema,
  tenant: z.string().nullable(),
});

export const AuditQuerySchema = z.strictObject({
  deviceId: z.string().max(63).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const AuditList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      at: z.iso.datetime(),
      actor: z.object({ name: z.string(), role: z.string() }),
      action: z.string(),
      target: z.string(),
      before: z.record(z.string(), z.unknown()).nullable(),
      after: z.record(z.string(), z.unknown()).nullable(),
    }),
  ),
});
