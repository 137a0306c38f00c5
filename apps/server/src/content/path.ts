import { checkKey } from '@scormflow/storage';

/** The file path inside a course version that a request names, or why it names none. */
export type ContentPathResult =
  | { ok: true; value: string }
  | { ok: false; error: { code: 'invalid' | 'folder'; message: string } };

// C0 and C1 controls, NUL included.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * The package path named by the raw (still percent-encoded) URL path after `/content/<token>/`.
 * Each segment is decoded on its own; a segment that decodes to `.` or `..`, or that contains `/`,
 * `\`, NUL or another control character is refused, so no encoding (`%2e%2e`, `%2f`, `%5c`,
 * `%00`) can reach outside the course folder. An empty path or one ending in `/` names a folder
 * (there is no listing and no index page guessing). The query string is not part of `raw`.
 */
export function contentPath(raw: string): ContentPathResult {
  if (raw === '' || raw.endsWith('/')) {
    return { ok: false, error: { code: 'folder', message: 'A folder has no content of its own.' } };
  }
  const segments: string[] = [];
  for (const encoded of raw.split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(encoded);
    } catch {
      return { ok: false, error: { code: 'invalid', message: 'The path has a broken percent-encoding.' } };
    }
    if (
      segment === '' ||
      segment === '.' ||
      segment === '..' ||
      segment.includes('/') ||
      segment.includes('\\') ||
      CONTROL.test(segment)
    ) {
      return {
        ok: false,
        error: { code: 'invalid', message: 'The path is not a file path inside the package.' },
      };
    }
    segments.push(segment);
  }
  const path = segments.join('/');
  if (!checkKey(path).ok) {
    return {
      ok: false,
      error: { code: 'invalid', message: 'The path is not a file path inside the package.' },
    };
  }
  return { ok: true, value: path };
}
