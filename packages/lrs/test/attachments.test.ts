import { createHash, createPrivateKey, generateKeyPairSync, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mediaTypeParameters, parseMultipart } from '../src/http/multipart.js';
import { makeLrs, statement, uuid } from './helpers.js';

const SIGNATURE = 'http://adlnet.gov/expapi/attachments/signature';
const encoder = new TextEncoder();
const sha256 = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

interface Part {
  headers: Record<string, string>;
  body: Uint8Array | string;
}

/** A multipart/mixed body, written the way the xAPI Communication example writes it. */
function multipart(
  parts: Part[],
  boundary = "abcABC0123'()+_,-./:=?",
): { body: Uint8Array<ArrayBuffer>; type: string } {
  const chunks: Uint8Array[] = [];
  for (const part of parts) {
    const head = Object.entries(part.headers)
      .map(([k, v]) => `${k}:${v}\r\n`)
      .join('');
    chunks.push(encoder.encode(`\r\n--${boundary}\r\n${head}\r\n`));
    chunks.push(typeof part.body === 'string' ? encoder.encode(part.body) : part.body);
  }
  chunks.push(encoder.encode(`\r\n--${boundary}--`));
  const body = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return { body, type: `multipart/mixed; boundary="${boundary}"` };
}

function attachment(content: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    usageType: 'http://example.com/attachment-usage/test',
    display: { 'en-US': 'A test attachment' },
    contentType: 'text/plain',
    length: encoder.encode(content).byteLength,
    sha2: sha256(content),
    ...extra,
  };
}

const jsonPart = (value: unknown): Part => ({
  headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify(value),
});
const filePart = (content: string, headers: Record<string, string> = {}): Part => ({
  headers: {
    'Content-Type': 'text/plain',
    'Content-Transfer-Encoding': 'binary',
    'X-Experience-API-Hash': sha256(content),
    ...headers,
  },
  body: content,
});

async function postMultipart(lrs: ReturnType<typeof makeLrs>, parts: Part[]): Promise<Response> {
  const { body, type } = multipart(parts);
  return lrs.call('POST', '/statements', { body, headers: { 'Content-Type': type } });
}

describe('attachments in (Communication 1.5.2)', () => {
  it('stores a statement with an attachment part and returns it with attachments=true, statements first (XAPI-00167)', async () => {
    const lrs = makeLrs();
    const content = 'here is a simple attachment';
    const response = await postMultipart(lrs, [
      jsonPart(statement({ attachments: [attachment(content)] })),
      filePart(content),
    ]);
    expect(response.status).toBe(200);
    const [id] = (await response.json()) as string[];
    const got = await lrs.call('GET', '/statements', { query: { statementId: id!, attachments: 'true' } });
    expect(got.status).toBe(200);
    const type = got.headers.get('Content-Type')!;
    expect(type).toMatch(/^multipart\/mixed; boundary=/);
    const parsed = parseMultipart(
      new Uint8Array(await got.arrayBuffer()),
      mediaTypeParameters(type).get('boundary')!,
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    expect(parsed.parts).toHaveLength(2);
    expect(parsed.parts[0]!.headers.get('content-type')).toContain('application/json');
    expect(JSON.parse(new TextDecoder().decode(parsed.parts[0]!.body)).id).toBe(id);
    expect(parsed.parts[1]!.headers.get('x-experience-api-hash')).toBe(sha256(content));
    expect(parsed.parts[1]!.headers.get('content-transfer-encoding')).toBe('binary');
    expect(new TextDecoder().decode(parsed.parts[1]!.body)).toBe(content);
  });

  it('XAPI-00161 attachments=false answers application/json without attachment data', async () => {
    const lrs = makeLrs();
    const content = 'data';
    await postMultipart(lrs, [
      jsonPart(statement({ attachments: [attachment(content)] })),
      filePart(content),
    ]);
    const got = await lrs.call('GET', '/statements', { query: { attachments: 'false' } });
    expect(got.headers.get('Content-Type')).toContain('application/json');
    const result = (await got.json()) as { statements: { attachments: unknown[] }[] };
    expect(result.statements[0]!.attachments).toHaveLength(1);
  });

  it('one part serves the same attachment of several statements, and a StatementResult lists each part once', async () => {
    const lrs = makeLrs();
    const content = 'shared';
    const response = await postMultipart(lrs, [
      jsonPart([
        statement({ attachments: [attachment(content)] }),
        statement({ attachments: [attachment(content)] }),
      ]),
      filePart(content),
    ]);
    expect(response.status).toBe(200);
    const got = await lrs.call('GET', '/statements', { query: { attachments: 'true' } });
    const type = got.headers.get('Content-Type')!;
    const parsed = parseMultipart(
      new Uint8Array(await got.arrayBuffer()),
      mediaTypeParameters(type).get('boundary')!,
    );
    expect(parsed.ok && parsed.parts.length).toBe(2);
  });

  it('binary attachment bytes survive the round trip', async () => {
    const lrs = makeLrs();
    const bytes = new Uint8Array(256).map((_, i) => i);
    const hash = createHash('sha256').update(bytes).digest('hex');
    const response = await postMultipart(lrs, [
      jsonPart(
        statement({
          attachments: [
            { ...attachment(''), contentType: 'application/octet-stream', length: 256, sha2: hash },
          ],
        }),
      ),
      {
        headers: {
          'Content-Type': 'application/octet-stream',
          'Content-Transfer-Encoding': 'binary',
          'X-Experience-API-Hash': hash,
        },
        body: bytes,
      },
    ]);
    expect(response.status).toBe(200);
    const got = await lrs.call('GET', '/statements', { query: { attachments: 'true' } });
    const parsed = parseMultipart(
      new Uint8Array(await got.arrayBuffer()),
      mediaTypeParameters(got.headers.get('Content-Type')!).get('boundary')!,
    );
    expect(parsed.ok && [...parsed.parts[1]!.body]).toEqual([...bytes]);
  });

  it('accepts a body written with bare LF line breaks, two attachments, as the suite fixtures are', async () => {
    const lrs = makeLrs();
    const body = new Uint8Array(readFileSync(new URL('./fixtures/two-attachments-lf.part', import.meta.url)));
    const response = await lrs.call('POST', '/statements', {
      body,
      headers: { 'Content-Type': 'multipart/mixed; boundary=-------314159265358979323846' },
    });
    expect(response.status).toBe(200);
    const got = await lrs.call('GET', '/statements', { query: { attachments: 'true' } });
    const text = new TextDecoder().decode(await got.arrayBuffer());
    expect(text).toContain('here is a simple attachment');
    expect(text).toContain('here is another simple attachment');
  });

  it('1.5.2.s3.b8 b9 accepts multipart statements with no attachments or only fileUrl attachments', async () => {
    const lrs = makeLrs();
    expect((await postMultipart(lrs, [jsonPart(statement())])).status).toBe(200);
    const withUrl = attachment('remote', { fileUrl: 'http://example.com/remote.txt' });
    expect((await postMultipart(lrs, [jsonPart(statement({ attachments: [withUrl] }))])).status).toBe(200);
  });

  it('XAPI-00129 rejects an attachment without fileUrl and without its part', async () => {
    const lrs = makeLrs();
    expect(
      (await postMultipart(lrs, [jsonPart(statement({ attachments: [attachment('missing')] }))])).status,
    ).toBe(400);
  });

  it('XAPI-00128 rejects a part that is no attachment of the statements', async () => {
    const lrs = makeLrs();
    expect((await postMultipart(lrs, [jsonPart(statement()), filePart('stray')])).status).toBe(400);
  });

  it('XAPI-00132 rejects an attachment part without X-Experience-API-Hash', async () => {
    const lrs = makeLrs();
    const part = filePart('x');
    delete part.headers['X-Experience-API-Hash'];
    expect(
      (await postMultipart(lrs, [jsonPart(statement({ attachments: [attachment('x')] })), part])).status,
    ).toBe(400);
  });

  it('XAPI-00135 rejects an attachment part without Content-Transfer-Encoding: binary', async () => {
    const lrs = makeLrs();
    const part = filePart('x');
    delete part.headers['Content-Transfer-Encoding'];
    expect(
      (await postMultipart(lrs, [jsonPart(statement({ attachments: [attachment('x')] })), part])).status,
    ).toBe(400);
  });

  it('with verifyAttachmentContent, rejects a part whose bytes do not have the hash it declares', async () => {
    const lrs = makeLrs({ verifyAttachmentContent: true });
    const part = filePart('x', { 'X-Experience-API-Hash': sha256('y') });
    expect(
      (await postMultipart(lrs, [jsonPart(statement({ attachments: [attachment('y')] })), part])).status,
    ).toBe(400);
    expect(
      (await postMultipart(lrs, [jsonPart(statement({ attachments: [attachment('y')] })), filePart('y')]))
        .status,
    ).toBe(200);
  });

  it('by default, matches parts by their declared hash only (Communication 1.5.2.s1.b4)', async () => {
    const lrs = makeLrs();
    const part = filePart('bytes re-encoded in transit', { 'X-Experience-API-Hash': sha256('y') });
    expect(
      (await postMultipart(lrs, [jsonPart(statement({ attachments: [attachment('y')] })), part])).status,
    ).toBe(200);
    const notAHash = filePart('y', { 'X-Experience-API-Hash': 'abc' });
    expect(
      (await postMultipart(lrs, [jsonPart(statement({ attachments: [attachment('y')] })), notAHash])).status,
    ).toBe(400);
  });

  it('XAPI-00134 rejects a multipart body whose first part is not application/json', async () => {
    const lrs = makeLrs();
    const first = { headers: { 'Content-Type': 'text/plain' }, body: JSON.stringify(statement()) };
    expect((await postMultipart(lrs, [first])).status).toBe(400);
  });

  it('XAPI-00131 XAPI-00130 rejects multipart without boundary parameter or delimiters', async () => {
    const lrs = makeLrs();
    const { body } = multipart([jsonPart(statement())]);
    expect(
      (await lrs.call('POST', '/statements', { body, headers: { 'Content-Type': 'multipart/mixed' } }))
        .status,
    ).toBe(400);
    const other = await lrs.call('POST', '/statements', {
      body,
      headers: { 'Content-Type': 'multipart/mixed; boundary=nothere' },
    });
    expect(other.status).toBe(400);
  });

  it('PUT takes a multipart statement too', async () => {
    const lrs = makeLrs();
    const id = uuid();
    const { body, type } = multipart([
      jsonPart(statement({ attachments: [attachment('put')] })),
      filePart('put'),
    ]);
    const response = await lrs.call('PUT', '/statements', {
      query: { statementId: id },
      body,
      headers: { 'Content-Type': type },
    });
    expect(response.status).toBe(204);
  });
});

const base64url = (data: Uint8Array | string): string => Buffer.from(data).toString('base64url');

function jws(
  payload: unknown,
  options: { alg?: string; key?: Parameters<typeof sign>[2]; x5c?: string[] } = {},
): string {
  const alg = options.alg ?? 'RS256';
  const header: Record<string, unknown> = { alg };
  if (options.x5c) header.x5c = options.x5c;
  const input = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}`;
  const hash = alg === 'RS384' ? 'sha384' : alg === 'RS512' ? 'sha512' : 'sha256';
  const key =
    options.key ?? createPrivateKey(readFileSync(new URL('./fixtures/signing-key.pem', import.meta.url)));
  return `${input}.${base64url(sign(hash, encoder.encode(input), key))}`;
}

const certificate = readFileSync(new URL('./fixtures/signing-cert.pem', import.meta.url), 'utf8')
  .replace(/-----[A-Z ]+-----/g, '')
  .replace(/\s+/g, '');

/** A signed statement as the conformance suite's helper writes it: the signature as the only attachment. */
function signed(
  original: Record<string, unknown>,
  signature: string,
  contentType = 'application/octet-stream',
): Part[] {
  const withSignature = {
    ...original,
    attachments: [
      {
        usageType: SIGNATURE,
        display: { 'en-US': 'Signature' },
        contentType,
        length: encoder.encode(signature).byteLength,
        sha2: sha256(signature),
      },
    ],
  };
  return [jsonPart(withSignature), filePart(signature, { 'Content-Type': contentType })];
}

describe('signed statements (Data 2.6)', () => {
  it('accepts a statement signed with RS256, RS384 or RS512 whose payload is the statement', async () => {
    const lrs = makeLrs();
    for (const alg of ['RS256', 'RS384', 'RS512']) {
      const original = statement({ id: uuid() });
      const response = await postMultipart(lrs, signed(original, jws(original, { alg })));
      expect(response.status, alg).toBe(200);
    }
  });

  it('verifies the signature with the x5c certificate and rejects one made with another key', async () => {
    const lrs = makeLrs();
    const original = statement({ id: uuid() });
    expect((await postMultipart(lrs, signed(original, jws(original, { x5c: [certificate] })))).status).toBe(
      200,
    );
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = statement({ id: uuid() });
    const response = await postMultipart(
      lrs,
      signed(forged, jws(forged, { x5c: [certificate], key: privateKey })),
    );
    expect(response.status).toBe(400);
  });

  it('XAPI-00116 rejects a signature whose payload is not the statement', async () => {
    const lrs = makeLrs();
    const original = statement({ id: uuid() });
    const other = { ...original, verb: { id: 'http://example.com/verbs/other' } };
    expect((await postMultipart(lrs, signed(original, jws(other)))).status).toBe(400);
  });

  it('XAPI-00117 rejects an algorithm other than RS256, RS384 and RS512', async () => {
    const lrs = makeLrs();
    const original = statement({ id: uuid() });
    const header = base64url(JSON.stringify({ alg: 'HS256' }));
    const fake = `${header}.${base64url(JSON.stringify(original))}.${base64url('mac')}`;
    expect((await postMultipart(lrs, signed(original, fake))).status).toBe(400);
  });

  it('XAPI-00115 rejects a signature attachment that is not a JWS, or that is missing', async () => {
    const lrs = makeLrs();
    const original = statement({ id: uuid() });
    expect((await postMultipart(lrs, signed(original, 'not a jws'))).status).toBe(400);
    const [first] = signed(original, jws(original));
    expect((await postMultipart(lrs, [first!])).status).toBe(400);
  });
});
