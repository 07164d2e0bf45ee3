import { Hono } from 'hono';
import { runBulk } from '../service/bulk';
import { readJson, scimJsonBody } from '../http/body';
import { scimContextOf } from '../http/composition-root';
import { scimJson } from '../http/respond';
import type { AppEnv } from '../env';

/** RFC 7644 §3.7: POST /Bulk. maxPayloadSize is enforced by scimJsonBody (413), maxOperations by the service. */
export const bulkRoutes = new Hono<AppEnv>();

bulkRoutes.post('/Bulk', scimJsonBody, async (c) => scimJson(c, await runBulk(scimContextOf(c), await readJson(c))));
