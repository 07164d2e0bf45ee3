import { Hono } from 'hono';
import { feedAuth } from '../http/auth';
import { feedDepsOf } from '../http/composition-root';
import { readFeed } from '../service/feed';
import type { AppEnv } from '../env';

/**
 * GET /events: the change feed of the token's own tenant (README "Change feed"), for the app behind
 * the directory, with a token that holds `events:read` (no admin secret needed).
 */
export const eventRoutes = new Hono<AppEnv>();

eventRoutes.get('/', feedAuth, async (c) => c.json(await readFeed(feedDepsOf(c, c.get('token').tenantId), c.req.query())));
