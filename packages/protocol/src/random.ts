/** Cryptographic random bytes in Node and in browsers, with no Node import (protocol code runs in both). */
export function randomBytes(length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  globalThis.crypto.getRandomValues(bytes);
  return bytes;
}
