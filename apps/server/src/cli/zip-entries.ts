import type { PackagedFile } from '@scormflow/manifest';
import type { ZipWriteFile } from '@scormflow/manifest/node';

/** Feeds the files of a generated or repaired package to the zip writer, opening each stream lazily. */
export async function* zipEntries(files: readonly PackagedFile[]): AsyncIterable<ZipWriteFile> {
  for (const f of files) yield { path: f.path, data: typeof f.data === 'function' ? f.data() : f.data };
}
