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
 * Request bodies capped at the advertised maxPayloadSize (MAX_PAYLOAD_BYTES) by Hono's body limit:
 * a SCIM body over it is 413 (RFC 7644 §3.7.4), an admin body too (what is stored from it must fit a
 * D1 row). The limit is read per request because it comes from the environment.
 */
function capBodies(tooLarge: (max: number) => Error) {
  return createMiddleware<AppEnv>((c, next) => {
    const maxSize = limits(c.env).maxPayloadBytes;
    return bodyLimit({
      maxSize,
      onError: () => {
        throw tooLarge(maxSize);
      },
    })(c, next);
  });
}

export const scimBodyLimit = capBodies((max) => payloadTooLarge(`The request body exceeds maxPayloadSize (${max} bytes).`));
export const adminBodyLimit = capBodies((max) => adminPayloadTooLarge(`body: larger than ${max} bytes.`));

/**
 * Reads a JSON request body: media type checked (RFC 7644 §3.1 accepts application/scim+json, and
 * Okta and other clients send application/json), syntax errors reported as 400 invalidSyntax
 * (RFC 7644 §3.12). Its size was capped by scimBodyLimit.
 */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const contentType = c.req.header('Content-Type');
  if (contentType) {
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED_TYPES.includes(mediaType)) {
      throw unsupportedMediaType(`Unsupported media type '${mediaType}'; send application/scim+json or application/json.`);
    }
  }
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
