import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { diagnostic } from '../diagnostics.js';
import { type OpenPackageResult, openZip } from './open-zip.js';
import { resolveZipLimits, type ZipLimits } from './zip-limits.js';

/**
 * Opens a zip that arrives as a stream (an upload): it is spooled to a temporary file, at most
 * `limits.maxZipBytes` long (beyond that the spool stops and ZIP_TOO_LARGE is returned), then read
 * with {@link openZip}, since a zip's authoritative index sits at its end. `source.close()` deletes
 * the temporary file; so does a refusal.
 * @see https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT section 4.3.6
 */
export async function openZipStream(
  input: AsyncIterable<Uint8Array> | NodeJS.ReadableStream,
  limits?: Partial<ZipLimits>,
): Promise<OpenPackageResult> {
  const resolved = resolveZipLimits(limits);
  const dir = await mkdtemp(join(tmpdir(), 'scormflow-upload-'));
  const file = join(dir, 'package.zip');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  try {
    const out = createWriteStream(file);
    let bytes = 0;
    let overflow = false;
    try {
      for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
        const data = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
        bytes += data.length;
        if (bytes > resolved.maxZipBytes) {
          overflow = true;
          break;
        }
        // `once` rejects on 'error' and removes both listeners either way, so a long upload does not
        // pile up listeners on the spool file.
        if (!out.write(data)) await once(out, 'drain');
      }
    } finally {
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
    }
    if (overflow) {
      await cleanup();
      return {
        ok: false,
        diagnostics: [
          diagnostic(
            'ZIP_TOO_LARGE',
            `The upload is larger than the limit of ${resolved.maxZipBytes} bytes.`,
          ),
        ],
      };
    }
    const opened = await openZip(file, resolved);
    if (!opened.ok) {
      await cleanup();
      return opened;
    }
    const inner = opened.source;
    return {
      ok: true,
      diagnostics: opened.diagnostics,
      source: {
        list: () => inner.list(),
        read: (path) => inner.read(path),
        stream: (path) => inner.stream(path),
        async close() {
          try {
            await inner.close?.();
          } finally {
            await cleanup();
          }
        },
      },
    };
  } catch (error) {
    await cleanup();
    throw error;
  }
}
