const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes text for use in XML content or a double-quoted attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);
}

/**
 * Turns a package-relative file path into the URI reference a manifest `href` carries: each segment
 * percent-encoded where a URI needs it (spaces, `#`, `?`, `%`, non-ASCII), slashes kept.
 * @see IMS Content Packaging 1.1.4, `file/@href` is a URI reference (RFC 3986).
 */
export function pathToHref(path: string): string {
  return path
    .split('/')
    .map((seg) =>
      encodeURIComponent(seg).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join('/');
}
