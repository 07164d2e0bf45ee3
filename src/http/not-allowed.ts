import type { Context } from 'hono';
import { ScimError, notFound } from '../scim/errors';
import type { AppEnv } from '../env';

/** RFC 9110 §15.5.6: 405 with an Allow header, for a known path asked with the wrong method. */
export function methodNotAllowed(allowed: string[], checkEndpoint = false) {
  return (c: Context<AppEnv>): Response => {
    if (checkEndpoint && !c.var.registry.byEndpoint(c.req.param('endpoint') ?? '')) {
      throw notFound(`No resource endpoint '/${c.req.param('endpoint')}'.`);
    }
    throw new ScimError(405, `Method ${c.req.method} is not allowed here; use ${allowed.join(', ')}.`, undefined, {
      Allow: allowed.join(', '),
    });
  };
}
