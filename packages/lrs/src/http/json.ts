/** Outcome of {@link parseJson}. */
export type JsonParse = { ok: true; value: unknown } | { ok: false; message: string };

/** Keys an object may have before its duplicate check moves from a scan to a set. */
const SCAN_LIMIT = 12;

/**
 * Finds the first object key that occurs twice in the same object of a JSON text already known to
 * be valid. JSON.parse keeps the last duplicate silently; xAPI requires a rejection (XAPI-00021).
 * Strings are skipped with `indexOf` (most of a statement is string content); the keys of the open
 * objects are kept on one stack, each object's checked by a scan while it has few keys and by a set
 * once it has many.
 */
function duplicateKey(text: string): string | null {
  const keys: string[] = [];
  // Per open container: where its keys start on `keys` (-1 for an array), and its set once large.
  const starts: number[] = [];
  const sets: (Set<string> | null)[] = [];
  let expectKey = false;
  const n = text.length;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // The closing quote: the first one preceded by an even number of backslashes.
      let end = text.indexOf('"', i + 1);
      for (;;) {
        let b = end - 1;
        while (text.charCodeAt(b) === 0x5c /* \ */) b--;
        if ((end - 1 - b) % 2 === 0) break;
        end = text.indexOf('"', end + 1);
      }
      const start = starts.length > 0 ? starts[starts.length - 1]! : -1;
      if (expectKey && start >= 0) {
        const raw = text.slice(i + 1, end);
        const key = raw.indexOf('\\') === -1 ? raw : (JSON.parse(text.slice(i, end + 1)) as string);
        let set = sets[sets.length - 1]!;
        if (set === null && keys.length - start >= SCAN_LIMIT) {
          set = new Set(keys.slice(start));
          sets[sets.length - 1] = set;
        }
        if (set !== null) {
          if (set.has(key)) return key;
          set.add(key);
        } else {
          for (let k = start; k < keys.length; k++) if (keys[k] === key) return key;
        }
        keys.push(key);
        expectKey = false;
      }
      i = end;
    } else if (c === 0x7b /* { */) {
      starts.push(keys.length);
      sets.push(null);
      expectKey = true;
    } else if (c === 0x5b /* [ */) {
      starts.push(-1);
      sets.push(null);
      expectKey = false;
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      const start = starts.pop()!;
      sets.pop();
      if (start >= 0) keys.length = start;
      expectKey = false;
    } else if (c === 0x2c /* , */) {
      expectKey = starts.length > 0 && starts[starts.length - 1]! >= 0;
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
