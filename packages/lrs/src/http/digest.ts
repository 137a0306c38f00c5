function hex(buffer: ArrayBuffer): string {
  const bytes = new Uint8Array(buffer);
  let out = '';
  for (const byte of bytes) out += byte.toString(16).padStart(2, '0');
  return out;
}

/** Lower-case hex SHA-1 (document ETags, Communication 3.1). */
export async function sha1Hex(content: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-1', content as Uint8Array<ArrayBuffer>));
}

/**
 * Lower-case hex SHA-2 of the size a declared hash implies (64 hex digits: SHA-256, 96: SHA-384,
 * 128: SHA-512), or null for another length.
 */
export async function sha2HexLike(declared: string, content: Uint8Array): Promise<string | null> {
  const algorithm =
    declared.length === 64
      ? 'SHA-256'
      : declared.length === 96
        ? 'SHA-384'
        : declared.length === 128
          ? 'SHA-512'
          : null;
  if (algorithm === null) return null;
  return hex(await crypto.subtle.digest(algorithm, content as Uint8Array<ArrayBuffer>));
}

/** Lower-case hex SHA-256. */
export async function sha256Hex(content: Uint8Array): Promise<string> {
  return hex(await crypto.subtle.digest('SHA-256', content as Uint8Array<ArrayBuffer>));
}
