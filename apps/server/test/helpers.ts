import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { ScormflowApp } from '../src/index.js';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

export function fixture(name: string): Promise<Buffer> {
  return readFile(join(FIXTURES, name));
}

/** Uploads the fixture package `name` as raw `application/zip`, expects 201, and returns the course id. */
export async function uploadFixture(app: ScormflowApp, key: string, name: string): Promise<string> {
  const res = await call(app, '/api/v1/courses', {
    method: 'POST',
    key,
    body: new Uint8Array(await fixture(name)),
    headers: { 'content-type': 'application/zip' },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { id: string }).id;
}

/** A request to the app with an optional API key. */
export function call(
  app: ScormflowApp,
  path: string,
  init: {
    method?: string;
    key?: string;
    body?: Uint8Array | ReadableStream<Uint8Array> | string | null;
    headers?: Record<string, string>;
    json?: unknown;
  } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...init.headers };
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  let body = init.body ?? null;
  if (init.json !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(init.json);
  }
  return Promise.resolve(
    app.request(path, {
      method: init.method ?? 'GET',
      headers,
      body,
      ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
    } as RequestInit),
  );
}

/** A body that arrives in chunks of `size` bytes, as a slow client would send it. */
export function chunked(data: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= data.length) {
        controller.close();
        return;
      }
      controller.enqueue(data.slice(at, at + size));
      at += size;
    },
  });
}

/** A multipart/form-data body with the given fields, the file under `fileField`. */
export function multipart(
  file: Uint8Array,
  { fileField = 'file', before = {} as Record<string, string>, boundary = '----scormflow-test-7f3a' } = {},
): { body: Uint8Array; contentType: string } {
  const parts: Buffer[] = [Buffer.from('preamble text to ignore\r\n')];
  for (const [name, value] of Object.entries(before)) {
    parts.push(
      Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`),
    );
  }
  parts.push(
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="${fileField}"; filename="course.zip"\r\nContent-Type: application/zip\r\n\r\n`,
    ),
    Buffer.from(file),
    Buffer.from(
      `\r\n--${boundary}\r\ncontent-disposition: form-data; name="after"\r\n\r\nx\r\n--${boundary}--\r\n`,
    ),
  );
  return {
    body: new Uint8Array(Buffer.concat(parts)),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

export async function problemOf(res: Response) {
  expect(res.headers.get('content-type')).toBe('application/problem+json');
  const body = (await res.json()) as Record<string, unknown>;
  expect(body.status).toBe(res.status);
  expect(typeof body.type).toBe('string');
  expect(typeof body.title).toBe('string');
  expect(typeof body.detail).toBe('string');
  expect(typeof body.instance).toBe('string');
  return body as { code: string; detail: string; instance: string; [k: string]: unknown };
}
