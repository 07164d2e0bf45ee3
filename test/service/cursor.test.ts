import { describe, expect, it } from 'vitest';
import { ScimError } from '../../src/scim/errors';
import { bindingOf, decodeCursor, encodeCursor } from '../../src/service/cursor';

// RFC 9865 cursors: signed, bound to their query, and expiring (time injected, never waited for).

const SECRET = 'cursor-test-secret';
const position = { key: 'bob', id: 'id-1', total: 7 };

async function refusal(promise: Promise<unknown>): Promise<ScimError> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(ScimError);
  return error as ScimError;
}

describe('paging cursors', () => {
  it('round-trips the position for the query that made it', async () => {
    const binding = await bindingOf(['t', 'User', null]);
    const cursor = await encodeCursor(SECRET, position, binding, 600, 1_000_000);
    expect(await decodeCursor(SECRET, cursor, binding, 1_000_000 + 599_000)).toEqual(position);
  });

  it('expires after its time to live: 400 expiredCursor', async () => {
    const binding = await bindingOf(['t', 'User', null]);
    const cursor = await encodeCursor(SECRET, position, binding, 600, 1_000_000);
    const error = await refusal(decodeCursor(SECRET, cursor, binding, 1_000_000 + 601_000));
    expect([error.status, error.scimType]).toEqual([400, 'expiredCursor']);
  });

  it('refuses another query, an altered cursor and a foreign one: 400 invalidCursor', async () => {
    const binding = await bindingOf(['t', 'User', null]);
    const cursor = await encodeCursor(SECRET, position, binding, 600);
    const [body, mac] = cursor.split('.');
    for (const attempt of [
      decodeCursor(SECRET, cursor, await bindingOf(['t', 'Group', null])),
      decodeCursor(SECRET, `${body}x.${mac}`, binding),
      decodeCursor('another-secret', cursor, binding),
      decodeCursor(SECRET, 'not-a-cursor', binding),
    ]) {
      const error = await refusal(attempt);
      expect([error.status, error.scimType]).toEqual([400, 'invalidCursor']);
    }
  });
});
