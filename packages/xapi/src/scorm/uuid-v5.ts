import { XapiError } from '../errors.js';
import { isUuid } from '../formats.js';
import { sha1Words } from './sha1.js';

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));
const UTF8 = new TextEncoder();

function uuidBytes(uuid: string): Uint8Array {
  const hex = uuid.replace(/-/g, '');
  const out = new Uint8Array(16);
  for (let i = 0; i < 16; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The hash input's head of name-based UUIDs whose names all start with `head`: the namespace's
 * 16 bytes, then `head` in UTF-8. Throws {@link XapiError} `INVALID_ARGUMENT` when `namespace` is
 * not a UUID.
 */
export function uuidV5Name(namespace: string, head: string): Uint8Array {
  if (!isUuid(namespace)) {
    throw new XapiError('INVALID_ARGUMENT', `uuidV5: the namespace must be a UUID, got "${namespace}"`);
  }
  const nameBytes = UTF8.encode(head);
  const input = new Uint8Array(16 + nameBytes.length);
  input.set(uuidBytes(namespace));
  input.set(nameBytes, 16);
  return input;
}

// The hash input of `uuidV5Append` (head, then tail), reused: the function is synchronous.
let scratch = new Uint8Array(256);
const digest = new Uint32Array(5);

/** `uuidV5(namespace, head + tail)` from `uuidV5Name(namespace, head)`. */
export function uuidV5Append(head: Uint8Array, tail: string): string {
  let length = head.length + tail.length;
  let ascii = true;
  for (let i = 0; i < tail.length; i++) {
    if (tail.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  const tailBytes = ascii ? null : UTF8.encode(tail);
  if (tailBytes) length = head.length + tailBytes.length;
  if (scratch.length < length && length <= 4096) scratch = new Uint8Array(length * 2);
  const input = scratch.length >= length ? scratch : new Uint8Array(length);
  input.set(head);
  if (tailBytes) input.set(tailBytes, head.length);
  else for (let i = 0; i < tail.length; i++) input[head.length + i] = tail.charCodeAt(i);
  sha1Words(input, length, digest);
  // Version 5 in the high nibble of byte 6, the RFC 4122 variant in the two high bits of byte 8.
  const w1 = ((digest[1] as number) & 0xffff0fff) | 0x00005000;
  const w2 = (((digest[2] as number) & 0x3fffffff) | 0x80000000) >>> 0;
  const w0 = digest[0] as number;
  const w3 = digest[3] as number;
  return `${hex16(w0 >>> 16)}${hex16(w0)}-${hex16(w1 >>> 16)}-${hex16(w1)}-${hex16(w2 >>> 16)}-${hex16(w2)}${hex16(w3 >>> 16)}${hex16(w3)}`;
}

/** The low 16 bits of `w` as 4 lower-case hex digits. */
function hex16(w: number): string {
  return HEX[(w >>> 8) & 0xff]! + HEX[w & 0xff]!;
}

/**
 * The name-based UUID (version 5, SHA-1) of `name` in the `namespace` UUID, lower case.
 * Throws {@link XapiError} `INVALID_ARGUMENT` when `namespace` is not a UUID.
 * @see https://www.rfc-editor.org/rfc/rfc4122#section-4.3
 */
export function uuidV5(namespace: string, name: string): string {
  return uuidV5Append(uuidV5Name(namespace, name), '');
}
