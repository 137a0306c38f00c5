/**
 * Entry names: decoding (UTF-8 or IBM code page 437) and normalisation to a safe package path.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT Appendix D (language encoding)
 */

// Code page 437, bytes 0x80-0xFF (the lower half is ASCII).
const CP437_HIGH =
  'ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u00a0';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Decodes a raw entry name. General-purpose flag bit 11 means UTF-8; otherwise the name is CP437,
 * except that many tools write UTF-8 without setting the flag, so a name that is valid UTF-8 and
 * not plain ASCII is read as UTF-8 (what Info-ZIP and 7-Zip do in practice).
 */
export function decodeName(raw: Uint8Array, utf8Flag: boolean): string {
  let ascii = true;
  for (let i = 0; i < raw.length; i++) {
    if (raw[i]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return Buffer.from(raw.buffer, raw.byteOffset, raw.length).toString('latin1');
  if (utf8Flag) return new TextDecoder('utf-8').decode(raw);
  try {
    return utf8.decode(raw);
  } catch {
    let s = '';
    for (let i = 0; i < raw.length; i++) {
      const b = raw[i]!;
      s += b < 0x80 ? String.fromCharCode(b) : CP437_HIGH[b - 0x80];
    }
    return s;
  }
}

export type NameCheck =
  | { readonly ok: true; readonly path: string; readonly directory: boolean }
  | { readonly ok: false; readonly reason: 'absolute' | 'traversal' | 'invalid' };

/**
 * Normalises a decoded entry name to a package path: backslashes are separators, `.` and empty
 * segments vanish, `..` is resolved. Refuses absolute paths (`/x`, `\x`, `C:x`, `//server/x`), any
 * path that climbs above the root, and names with NUL or that end up empty.
 */
export function normaliseName(name: string): NameCheck {
  if (name.length === 0 || name.includes('\0')) return { ok: false, reason: 'invalid' };
  const slashed = name.replace(/\\/g, '/');
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) return { ok: false, reason: 'absolute' };
  const directory = slashed.endsWith('/');
  const out: string[] = [];
  for (const segment of slashed.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (out.length === 0) return { ok: false, reason: 'traversal' };
      out.pop();
      continue;
    }
    // A drive letter inside the path (`a/C:/x`) is harmless on POSIX but not on Windows.
    if (/^[A-Za-z]:$/.test(segment)) return { ok: false, reason: 'absolute' };
    out.push(segment);
  }
  if (out.length === 0)
    return directory ? { ok: true, path: '', directory } : { ok: false, reason: 'invalid' };
  return { ok: true, path: out.join('/'), directory };
}
