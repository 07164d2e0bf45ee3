import { Hono, type Context } from 'hono';
import { notImplemented } from '../scim/errors';
import { meResourceType } from '../scim/schema/builtins';
import { validated } from '../http/validate';
import { deleteOne, getOne, patchOne, putOne, selectionQuery } from './resources';
import type { AppEnv } from '../env';

/**
 * RFC 7644 §3.11 /Me: an alias for the User the token is bound to (its `subject`), served by the
 * very handlers of `/Users/{id}` (preconditions included). Tokens without one get 501, which the RFC
 * allows for servers that cannot map the caller to a resource.
 */
export const meRoutes = new Hono<AppEnv>();

function meId(c: Context<AppEnv>): string {
  const subject = c.var.token.subject;
  if (!subject) throw notImplemented('/Me needs a token bound to a User (mint one with "subject").');
  return subject;
}

const me = (c: Context<AppEnv>) => meResourceType(c.var.registry);

meRoutes.get('/Me', validated('query', selectionQuery), (c) => getOne(c, me(c), meId(c), c.req.valid('query')));
meRoutes.put('/Me', validated('query', selectionQuery), (c) => putOne(c, me(c), meId(c), c.req.valid('query')));
meRoutes.patch('/Me', validated('query', selectionQuery), (c) => patchOne(c, me(c), meId(c), c.req.valid('query')));
meRoutes.delete('/Me', (c) => deleteOne(c, me(c), meId(c)));
