/** Outcome of {@link parseJson}. */
export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/**
 * Finds the first object key that occurs twice in the same object of a JSON text already known to
 * be valid. JSON.parse keeps the last duplicate silently; xAPI requires a rejection (XAPI-00021).
 */
function duplicateKey(text: string): string | null {
  // One frame per open container: the keys of an object, or null for an array.
  const stack: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length) {
        const d = text.charCodeAt(j);
        if (d === 0x5c /* \ */) {
          escaped = true;
          j += 2;
          continue;
        }
        if (d === 0x22) break;
        j++;
      }
      const frame = stack[stack.length - 1];
      if (expectKey && frame) {
        const raw = text.slice(i + 1, j);
        const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : raw;
        if (frame.has(key)) return key;
        frame.add(key);
        expectKey = false;
      }
      i = j;
    } else if (c === 0x7b /* { */) {
      stack.push(new Set());
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      stack.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop();
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = stack[stack.length - 1] instanceof Set;
    }
  }
  return null;
}

/**
 * Parses JSON text, rejecting what JSON.parse would accept but xAPI forbids: a key twice in one
 * object.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#24-statement-properties
 */
export function parseJson(text: string): JsonParse {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `the body is not valid JSON: ${(error as Error).message}` };
  }
  const duplicate = duplicateKey(text);
  if (duplicate !== null)
    return { ok: false, message: `the JSON has the key "${duplicate}" twice in one object` };
  return { ok: true, value };
}

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Decodes UTF-8 bytes strictly; null when they are not UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}
