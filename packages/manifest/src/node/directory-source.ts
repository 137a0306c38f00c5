import { constants } from 'node:fs';
import { lstat, open, readdir, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { type Diagnostic, diagnostic } from '../diagnostics.js';
import type { FileSource, FileSourceEntry } from '../file-source.js';
import { SourceError } from './errors.js';
import type { OpenPackageResult } from './open-zip.js';
import { resolveZipLimits, type ZipLimits } from './zip-limits.js';

const O_NOFOLLOW = constants.O_NOFOLLOW ?? 0;
const CHUNK = 256 * 1024;

/**
 * A FileSource over an unpacked package folder. The folder is walked once when it is opened: a
 * symbolic link anywhere in it refuses the package (ZIP_SYMLINK), as do devices and FIFOs
 * (ZIP_SPECIAL_FILE), and the entry count and total size limits of {@link ZipLimits} apply as for a
 * zip. Reads only reach files of that listing, are opened without following links, and are checked
 * to still resolve inside the folder.
 * @see https://www.imsglobal.org/content/packaging/cpv1p1p4/imscp_infov1p1p4.html (package interchange file)
 */
export async function directorySource(dir: string, limits?: Partial<ZipLimits>): Promise<OpenPackageResult> {
  const resolved = resolveZipLimits(limits);
  let root: string;
  try {
    root = await realpath(dir);
    if (!(await lstat(root)).isDirectory()) throw new Error('not a directory');
  } catch (error) {
    return {
      ok: false,
      diagnostics: [
        diagnostic('ZIP_UNREADABLE', `Cannot open the folder ${dir}: ${(error as Error).message}`),
      ],
    };
  }
  const diagnostics: Diagnostic[] = [];
  const listing: FileSourceEntry[] = [];
  let total = 0;
  let count = 0;
  const walk = async (relative: string): Promise<boolean> => {
    const entries = await readdir(relative ? join(root, relative) : root, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      const path = relative ? `${relative}/${entry.name}` : entry.name;
      if (++count > resolved.maxEntries) {
        diagnostics.push(
          diagnostic('ZIP_TOO_MANY_ENTRIES', `The folder holds more than ${resolved.maxEntries} entries.`),
        );
        return false;
      }
      if (entry.isSymbolicLink()) {
        diagnostics.push(
          diagnostic('ZIP_SYMLINK', `"${path}" is a symbolic link; links are never followed.`, {
            file: path,
            hint: 'Replace the link with the file it points to.',
          }),
        );
      } else if (entry.isDirectory()) {
        if (!(await walk(path))) return false;
      } else if (entry.isFile()) {
        const size = (await lstat(join(root, path))).size;
        total += size;
        listing.push(Object.freeze({ path, size }));
      } else {
        diagnostics.push(
          diagnostic('ZIP_SPECIAL_FILE', `"${path}" is a device, FIFO or socket, not a file.`, {
            file: path,
          }),
        );
      }
    }
    return true;
  };
  await walk('');
  if (total > resolved.maxTotalUncompressedBytes) {
    diagnostics.push(
      diagnostic(
        'ZIP_TOO_LARGE',
        `The files hold ${total} bytes, above the limit of ${resolved.maxTotalUncompressedBytes}.`,
      ),
    );
  }
  if (diagnostics.length > 0) return { ok: false, diagnostics };
  Object.freeze(listing);
  const known = new Map(listing.map((entry) => [entry.path, entry]));

  const openChecked = async (path: string) => {
    if (!known.has(path))
      throw new SourceError('FILE_NOT_FOUND', `No such file in the package: ${path}`, { path });
    const full = join(root, ...path.split('/'));
    // O_NOFOLLOW refuses a final component swapped for a link since the walk; realpath catches
    // a parent folder swapped for one.
    const handle = await open(full, constants.O_RDONLY | O_NOFOLLOW).catch((error: unknown) => {
      throw new SourceError('NOT_A_FILE', `"${path}" can no longer be opened as a file.`, {
        path,
        cause: error,
      });
    });
    const real = await realpath(full).catch(() => '');
    const stat = await handle.stat();
    if (!real.startsWith(root + sep) || !stat.isFile()) {
      await handle.close();
      throw new SourceError('UNSAFE_PATH', `"${path}" no longer resolves to a file inside the package.`, {
        path,
      });
    }
    return handle;
  };

  const source: FileSource = {
    list: async () => listing,
    async read(path) {
      const handle = await openChecked(path);
      try {
        return await handle.readFile();
      } finally {
        await handle.close();
      }
    },
    async *stream(path) {
      const handle = await openChecked(path);
      try {
        for (;;) {
          const buffer = Buffer.allocUnsafe(CHUNK);
          const { bytesRead } = await handle.read(buffer, 0, CHUNK, null);
          if (bytesRead === 0) return;
          yield buffer.subarray(0, bytesRead);
        }
      } finally {
        await handle.close();
      }
    },
  };
  return { ok: true, source, diagnostics };
}
