import { z } from 'zod';
import { SCOPES } from '../auth/tokens';

// The admin API's request bodies (README "Admin API"), validated here for the JSON API and the
// console's forms alike: one definition of what a tenant or a token may be.

export const tenantId = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, - and _, at most 64');
export const newTenant = z.object({ id: tenantId, name: z.string().min(1).max(200).optional(), shard: z.string().min(1).max(100).optional() });
export const newToken = z.object({
  label: z.string().min(1).max(200),
  scopes: z.array(z.enum(SCOPES)).min(1).optional(),
  expiresInDays: z.number().positive().max(3650).optional(),
  subject: z.string().min(1).max(200).optional(),
});
/** `POST /admin/tenants/{t}/move`: a move to a shard, or the rollback of the one under way. */
export const tenantMove = z.union([z.object({ to: z.string().min(1).max(100) }).strict(), z.object({ rollback: z.literal(true) }).strict()]);
export const rotation = z.object({ graceSeconds: z.number().int().min(0).max(30 * 86_400).default(0) });
