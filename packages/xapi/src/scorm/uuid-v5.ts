import { XapiError } from '../errors.js';
import { isUuid } from '../formats.js';
import { sha1 } from './sha1.js';

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

/** `uuidV5(namespace, head + tail)` from `uuidV5Name(namespace, head)`. */
export function uuidV5Append(head: Uint8Array, tail: string): string {
  let input: Uint8Array;
  if (tail === '') input = head;
  else {
    const tailBytes = UTF8.encode(tail);
    input = new Uint8Array(head.length + tailBytes.length);
    input.set(head);
    input.set(tailBytes, head.length);
  }
  const h = sha1(input);
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  let s = '';
  for (let i = 0; i < 16; i++) {
    s += HEX[h[i] ?? 0];
    if (i === 3 || i === 5 || i === 7 || i === 9) s += '-';
  }
  return s;
}

/**
 * The name-based UUID (version 5, SHA-1) of `name` in the `namespace` UUID, lower case.
 * Throws {@link XapiError} `INVALID_ARGUMENT` when `namespace` is not a UUID.
 * @see https://www.rfc-editor.org/rfc/rfc4122#section-4.3
 */
export function uuidV5(namespace: string, name: string): string {
  return uuidV5Append(uuidV5Name(namespace, name), '');
}
