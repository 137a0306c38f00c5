/**
 * Launch URL construction: the `xml:base` chain and the item `parameters` merge.
 */

const SCHEME = /^[a-zA-Z][a-zA-Z0-9+.-]*:/;

/**
 * True for `http://x`, `mailto:`, `//host/x` and `/rooted` references, which no base applies to.
 *
 * @see RFC 3986 section 4.2 (relative reference), SCORM 2004 4th Ed CAM 3.4.1.15 (resource href)
 */
export function isAbsoluteReference(ref: string): boolean {
  return SCHEME.test(ref) || ref.startsWith('/');
}

/**
 * Applies an `xml:base` chain (outermost first: manifest, resources, resource) to a reference, as
 * RFC 3986 reference resolution with one tolerance: a base without a trailing slash is taken as a
 * folder (`xml:base="resources"` means `resources/`), which is what authors of such packages mean.
 * `.` and `..` segments are normalised; `..` never climbs above the package root.
 *
 * @see SCORM 2004 4th Ed CAM 3.4.1.17 (xml:base), XML Base (W3C) section 4
 */
export function resolveAgainstBases(ref: string, bases: readonly (string | null)[]): string {
  let result = ref.trim();
  for (let i = bases.length - 1; i >= 0; i--) {
    if (isAbsoluteReference(result)) break;
    const base = bases[i]?.trim();
    if (!base) continue;
    result = (base.endsWith('/') ? base : base + '/') + result;
  }
  return isAbsoluteReference(result) && !result.startsWith('/') ? result : normalisePath(result);
}

function normalisePath(path: string): string {
  if (!path.includes('./') && !path.includes('//') && !path.endsWith('/.') && !path.endsWith('/..')) {
    return path;
  }
  // Keep the query / fragment untouched.
  const cut = path.search(/[?#]/);
  const head = cut === -1 ? path : path.slice(0, cut);
  const tail = cut === -1 ? '' : path.slice(cut);
  const rooted = head.startsWith('/');
  const out: string[] = [];
  const segments = head.split('/');
  segments.forEach((seg, i) => {
    if (seg === '.' || (seg === '' && i > 0 && i < segments.length - 1)) return;
    if (seg === '..') {
      out.pop();
      return;
    }
    out.push(seg);
  });
  let joined = out.join('/');
  if (rooted && !joined.startsWith('/')) joined = '/' + joined;
  if ((head.endsWith('/.') || head.endsWith('/..')) && !joined.endsWith('/')) joined += '/';
  return joined + tail;
}

/**
 * Merges an item's `parameters` into a resource href, following the CAM algorithm: leading `?` and
 * `&` are removed; parameters starting with `#` are appended unless the URL already has a fragment,
 * in which case they are ignored; otherwise they are appended with `&` when the URL already has a
 * query and with `?` when it has none. A query is inserted before an existing fragment of the URL so
 * that the result stays a valid URL (`a.html#p` + `x=1` gives `a.html?x=1#p`).
 *
 * @see SCORM 2004 4th Ed CAM 3.4.1.12.1 (`<item>` parameters), SCORM 1.2 CAM 2.3.5.2
 */
export function mergeParameters(href: string, parameters: string | null): string {
  if (parameters === null) return href;
  let params = parameters.trim();
  while (params.startsWith('?') || params.startsWith('&')) params = params.slice(1);
  if (params === '') return href;
  const hashAt = href.indexOf('#');
  if (params.startsWith('#')) return hashAt === -1 ? href + params : href;
  const beforeHash = hashAt === -1 ? href : href.slice(0, hashAt);
  const fragment = hashAt === -1 ? '' : href.slice(hashAt);
  const sep = beforeHash.includes('?')
    ? beforeHash.endsWith('?') || beforeHash.endsWith('&')
      ? ''
      : '&'
    : '?';
  return beforeHash + sep + params + fragment;
}

/**
 * The package-relative file path an href denotes: no query or fragment, percent-decoded, `\\` read
 * as `/`; null for an absolute URL, which names no package file.
 *
 * @see SCORM 2004 4th Ed CAM 3.4.1.16 (`<file>` href)
 */
export function hrefToPath(resolved: string): string | null {
  if (SCHEME.test(resolved) || resolved.startsWith('//')) return null;
  // Windows authoring tools write `content\\index.html`; browsers read `\\` as `/` in http URLs.
  let path = resolved.includes('\\') ? resolved.replaceAll('\\', '/') : resolved;
  const cut = path.search(/[?#]/);
  if (cut !== -1) path = path.slice(0, cut);
  while (path.startsWith('/')) path = path.slice(1);
  if (path.startsWith('./')) path = path.slice(2);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}
