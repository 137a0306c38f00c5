/** What a `more` link carries: the tenant, the original query parameters and the store cursor. */
export interface MoreState {
  readonly tenantId: string;
  readonly query: Readonly<Record<string, string>>;
  readonly cursor: string;
}

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(value: string): string | null {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return null;
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * The opaque token of a `more` link. It is bound to the tenant: the LRS answers it only for
 * credentials of the same tenant, and it always queries within the caller's tenant.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#25-retrieval-of-statements
 */
export function encodeMoreToken(state: MoreState): string {
  return toBase64Url(JSON.stringify([state.tenantId, state.query, state.cursor]));
}

/** The state of a token made by {@link encodeMoreToken}, or null when it is not one. */
export function decodeMoreToken(token: string): MoreState | null {
  const text = fromBase64Url(token);
  if (text === null) return null;
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value) || value.length !== 3) return null;
    const [tenantId, query, cursor] = value as unknown[];
    if (typeof tenantId !== 'string' || typeof cursor !== 'string') return null;
    if (typeof query !== 'object' || query === null || Array.isArray(query)) return null;
    for (const v of Object.values(query)) if (typeof v !== 'string') return null;
    if ('more' in query) return null;
    return { tenantId, query: query as Record<string, string>, cursor };
  } catch {
    return null;
  }
}
