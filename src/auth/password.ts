import { hex } from '../util/encoding';

// A User's password is write-only (RFC 7643 §4.1.1) and kept only as a salted slow hash.
// PBKDF2-SHA-256 at 100,000 iterations, the most Workers' WebCrypto allows.

const ITERATIONS = 100_000;

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16));
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations: ITERATIONS }, key, 256);
  return `pbkdf2-sha256$${ITERATIONS}$${hex(salt)}$${hex(new Uint8Array(bits))}`;
}
