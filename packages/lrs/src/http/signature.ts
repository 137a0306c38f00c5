import type { Statement } from '@scormflow/xapi';
import { parseJson } from './json.js';
import { statementsEquivalent } from './xapi-bridge.js';

type Obj = Record<string, unknown>;

/** The usage type of a statement signature attachment. */
export const SIGNATURE_USAGE_TYPE = 'http://adlnet.gov/expapi/attachments/signature';

const ALGORITHMS: Readonly<Record<string, string>> = { RS256: 'SHA-256', RS384: 'SHA-384', RS512: 'SHA-512' };

function base64UrlBytes(value: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(value)) return null;
  try {
    const binary = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

function base64Bytes(value: string): Uint8Array | null {
  try {
    const binary = atob(value);
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** The statement as it was before it was signed: without the signature attachment. */
function withoutSignature(statement: Obj): Obj {
  const out: Obj = { ...statement };
  if (Array.isArray(statement.attachments)) {
    const rest = (statement.attachments as Obj[]).filter((a) => a.usageType !== SIGNATURE_USAGE_TYPE);
    if (rest.length > 0) out.attachments = rest;
    else delete out.attachments;
  }
  return out;
}

/**
 * The SubjectPublicKeyInfo of an X.509 certificate (DER), found by walking the ASN.1 structure:
 * Certificate -> tbsCertificate -> [version] serial signature issuer validity subject SPKI.
 */
function subjectPublicKeyInfo(der: Uint8Array): Uint8Array | null {
  const read = (at: number): { tag: number; start: number; end: number; next: number } | null => {
    if (at + 2 > der.length) return null;
    const tag = der[at]!;
    let length = der[at + 1]!;
    let start = at + 2;
    if (length & 0x80) {
      const count = length & 0x7f;
      if (count === 0 || count > 4) return null;
      length = 0;
      for (let k = 0; k < count; k++) length = length * 256 + der[start + k]!;
      start += count;
    }
    const end = start + length;
    return end > der.length ? null : { tag, start, end, next: end };
  };
  const certificate = read(0);
  if (certificate?.tag !== 0x30) return null;
  const tbs = read(certificate.start);
  if (tbs?.tag !== 0x30) return null;
  let at = tbs.start;
  let field = read(at);
  if (field && field.tag === 0xa0) {
    at = field.next;
    field = read(at);
  }
  // serial, signature algorithm, issuer, validity, subject
  for (let k = 0; k < 5; k++) {
    if (!field) return null;
    at = field.next;
    field = read(at);
  }
  if (field?.tag !== 0x30) return null;
  return der.subarray(at, field.end);
}

/** Outcome of {@link verifySignedStatement}. */
export type SignatureVerdict = { ok: true } | { ok: false; message: string };

/**
 * Checks a signed statement: the signature part is a JWS in compact serialization with an RS256,
 * RS384 or RS512 algorithm, whose payload is the statement as it was before the signature
 * attachment was added; when the JWS header carries an `x5c` certificate chain, the signature is
 * verified with the first certificate's public key.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#26-signed-statements
 */
export async function verifySignedStatement(
  statement: Obj,
  signature: Uint8Array,
  contentType: string,
): Promise<SignatureVerdict> {
  if (contentType.split(';')[0]!.trim().toLowerCase() !== 'application/octet-stream') {
    return { ok: false, message: 'a signature attachment must have contentType application/octet-stream' };
  }
  const jws = new TextDecoder().decode(signature).trim();
  const pieces = jws.split('.');
  if (pieces.length !== 3)
    return { ok: false, message: 'the signature is not a JWS in compact serialization (XAPI-00115)' };
  const [headerPart, payloadPart, signaturePart] = pieces as [string, string, string];
  const headerBytes = base64UrlBytes(headerPart);
  const payloadBytes = base64UrlBytes(payloadPart);
  const signatureBytes = base64UrlBytes(signaturePart);
  if (!headerBytes || !payloadBytes || !signatureBytes) {
    return { ok: false, message: 'the signature is not a JWS in compact serialization (XAPI-00115)' };
  }
  const header = parseJson(new TextDecoder().decode(headerBytes));
  if (!header.ok || typeof header.value !== 'object' || header.value === null) {
    return { ok: false, message: 'the JWS header is not a JSON object' };
  }
  const { alg, x5c } = header.value as Obj;
  const hash = typeof alg === 'string' ? ALGORITHMS[alg] : undefined;
  if (!hash) return { ok: false, message: 'the JWS algorithm must be RS256, RS384 or RS512 (XAPI-00117)' };
  const payload = parseJson(new TextDecoder().decode(payloadBytes));
  if (
    !payload.ok ||
    typeof payload.value !== 'object' ||
    payload.value === null ||
    Array.isArray(payload.value)
  ) {
    return { ok: false, message: 'the JWS payload is not a JSON statement (XAPI-00116)' };
  }
  const original = withoutSignature(statement);
  const signed = withoutSignature(payload.value as Obj);
  if (!statementsEquivalent(signed as unknown as Statement, original as unknown as Statement)) {
    return { ok: false, message: 'the JWS payload does not match the statement (XAPI-00116)' };
  }
  if (x5c !== undefined) {
    if (!Array.isArray(x5c) || typeof x5c[0] !== 'string')
      return { ok: false, message: 'the JWS x5c header is malformed' };
    const der = base64Bytes(x5c[0]);
    const spki = der ? subjectPublicKeyInfo(der) : null;
    if (!spki) return { ok: false, message: 'the JWS x5c certificate cannot be read' };
    let key: Awaited<ReturnType<typeof crypto.subtle.importKey>>;
    try {
      key = await crypto.subtle.importKey(
        'spki',
        spki as Uint8Array<ArrayBuffer>,
        { name: 'RSASSA-PKCS1-v1_5', hash },
        false,
        ['verify'],
      );
    } catch {
      return { ok: false, message: 'the JWS x5c certificate has no RSA public key (XAPI-00117)' };
    }
    const valid = await crypto.subtle.verify(
      'RSASSA-PKCS1-v1_5',
      key,
      signatureBytes as Uint8Array<ArrayBuffer>,
      new TextEncoder().encode(`${headerPart}.${payloadPart}`),
    );
    if (!valid) return { ok: false, message: 'the JWS signature does not verify with the x5c certificate' };
  }
  return { ok: true };
}
