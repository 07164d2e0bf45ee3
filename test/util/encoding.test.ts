import { describe, expect, it } from 'vitest';
import { base64url, fromBase64url, hex, sha256Hex } from '../../src/util/encoding';

describe('base64url, hex and sha256Hex', () => {
  it('round-trips bytes through base64url without padding or + and /', () => {
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf, 0x00, 0x01]);
    const text = base64url(bytes);
    expect(text).toBe('-_-_AAE');
    expect(fromBase64url(text)).toEqual(bytes);
  });

  it('writes hex two digits per byte and hashes text with SHA-256', async () => {
    expect(hex(Uint8Array.from([0, 15, 255]))).toBe('000fff');
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
