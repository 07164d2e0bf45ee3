import type { Context } from 'hono';
import { ScimError, invalidSyntax, payloadTooLarge } from '../scim/errors';
import { limits } from '../config';
import { MAX_JSON_DEPTH, nestsDeeperThan } from '../util/json';
import type { AppEnv } from '../env';

const ACCEPTED_TYPES = ['application/scim+json', 'application/json'];

/**
 * Reads a JSON request body: media type checked (RFC 7644 §3.1 accepts application/scim+json, and
 * Okta and other clients send application/json), size capped at the advertised maxPayloadSize
 * (RFC 7644 §3.7.4 → 413), syntax errors reported as 400 invalidSyntax (RFC 7644 §3.12).
 */
export async function readJson(c: Context<AppEnv>): Promise<unknown> {
  const contentType = c.req.header('Content-Type');
  if (contentType) {
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    if (!ACCEPTED_TYPES.includes(mediaType)) {
      throw new ScimError(415, `Unsupported media type '${mediaType}'; send application/scim+json or application/json.`);
    }
  }
  const max = limits(c.env).maxPayloadBytes;
  const declared = Number(c.req.header('Content-Length'));
  if (Number.isFinite(declared) && declared > max) throw tooLarge(max);
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > max) throw tooLarge(max);
  const text = new TextDecoder().decode(bytes);
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

function tooLarge(max: number): ScimError {
  return payloadTooLarge(`The request body exceeds maxPayloadSize (${max} bytes).`);
}
