const encoder = new TextEncoder();

/** Where `<head ...>` (any case) ends, or -1. */
function afterTag(text: string, pattern: RegExp): number {
  const m = pattern.exec(text);
  return m ? m.index + m[0].length : -1;
}

/**
 * The bytes of an HTML document with `snippet` inserted as the first child of `<head>`; without a
 * `<head>` tag, after the `<html>` start tag or the doctype when there is one (a script before the
 * doctype would put the page in quirks mode), else at the very start. The document's own bytes are
 * never re-encoded: its charset, whatever it is, stays as it was, because the markup searched for
 * is ASCII.
 * @see https://html.spec.whatwg.org/multipage/parsing.html#the-before-head-insertion-mode
 */
export function injectIntoHtml(html: Uint8Array, snippet: string): Uint8Array {
  // latin1 maps each byte to one code unit, so string offsets are byte offsets.
  const text = Buffer.from(html.buffer, html.byteOffset, html.byteLength).toString('latin1');
  // Comments may mention tags; skip past leading comments and whitespace only for the doctype.
  let at = afterTag(text, /<head(?=[\s>/])[^>]*>/i);
  if (at === -1) at = afterTag(text, /<html(?=[\s>/])[^>]*>/i);
  if (at === -1) at = afterTag(text, /^(?:\uFEFF|\xEF\xBB\xBF)?(?:\s|<!--[\s\S]*?-->)*<!doctype[^>]*>/i);
  if (at === -1) at = text.startsWith('\xEF\xBB\xBF') ? 3 : 0;
  const insert = encoder.encode(snippet);
  const out = new Uint8Array(html.byteLength + insert.byteLength);
  out.set(html.subarray(0, at), 0);
  out.set(insert, at);
  out.set(html.subarray(at), at + insert.byteLength);
  return out;
}

/** Whether a content type is an HTML document the runtime script goes into. */
export function isHtmlType(contentType: string): boolean {
  const media = contentType.split(';')[0]!.trim().toLowerCase();
  return media === 'text/html' || media === 'application/xhtml+xml';
}
