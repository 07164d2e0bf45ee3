import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { createMiddleware } from 'hono/factory';
import { invalidSyntax, payloadTooLarge, unsupportedMediaType } from '../scim/errors';
import { adminPayloadTooLarge } from '../service/admin-error';
import { limits } from '../config';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../util/json';
import type { AppEnv } from '../env';

const ACCEPTED_TYPES = ['application/scim+json', 'application/json'];

/**
 * Bodies capped at the advertised maxPayloadSize (MAX_PAYLOAD_BYTES) by Hono's body limit: a SCIM
 * body over it is 413 (RFC 7644 §3.7.4), an admin body too (what is stored from it must fit a D1
 * row). The limit is read per request because it comes from the environment. GET and HEAD carry no
 * content to read (RFC 9110 §9.3.1): they pass, whatever framing a client sends.
 */
function capBodies(tooLarge: (max: number) => Error) {
  return createMiddleware<AppEnv>((c, next) => {
    if (c.req.method === 'GET' || c.req.method === 'HEAD') return next();
    const maxSize = limits(c.env).maxPayloadBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw tooLarge(maxSize);
      },
    })(c, next);
  });
}

const capScimBody = capBodies((max) => payloadTooLarge(`The request body exceeds maxPayloadSize (${max} bytes).`));
export const adminBodyLimit = capBodies((max) => adminPayloadTooLarge(`body: larger than ${max} bytes.`));

/**
 * For routes that read a SCIM JSON body, after their path and query were checked: the media type
 * (RFC 7644 §3.1 accepts application/scim+json, and Okta and other clients send application/json;
 * 415 otherwise), then the size cap.
 */
export const scimJsonBody = createMiddleware<AppEnv>(async (c, next) => {
  const contentType = c.req.header('Content-Type');
  if (contentType) {
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED_TYPES.includes(mediaType)) {
      throw unsupportedMediaType(`Unsupported media type '${mediaType}'; send application/scim+json or application/json.`);
    }
  }
  return capScimBody(c, next);
});

/**
 * Reads the JSON body of a route behind scimJsonBody: syntax errors are 400 invalidSyntax (RFC 7644
 * §3.12), and so is nesting deeper than any reader walks.
 */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '') throw invalidSyntax('The request body is empty; a JSON object was expected.');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw invalidSyntax(`The request body is not valid JSON: ${(e as Error).message}`);
  }
  if (nestsDeeperThan(parsed, MAX_JSON_DEPTH)) throw invalidSyntax(`The request body nests deeper than ${MAX_JSON_DEPTH} levels.`);
  return parsed;
}
