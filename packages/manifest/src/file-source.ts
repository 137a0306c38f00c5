/**
 * The one seam between the pure parser and wherever a package's files live (a zip file, an upload
 * stream, a directory, memory). The parser only ever sees this interface, never a zip library.
 */

export interface FileSourceEntry {
  /** Package-relative path with forward slashes, no leading slash, no `.`/`..` segments. */
  readonly path: string;
  /** Uncompressed size in bytes. */
  readonly size: number;
}

export interface FileSource {
  /** Every regular file in the package (no directories), in a stable order. */
  list(): Promise<readonly FileSourceEntry[]>;
  /** The whole content of one file. Meant for small files such as the manifest. */
  read(path: string): Promise<Uint8Array>;
  /** The content of one file as chunks, for large files; memory stays bounded. */
  stream(path: string): AsyncIterable<Uint8Array>;
  /** Releases any handle the source holds (an open zip file, a temp file). */
  close?(): Promise<void>;
}

/** A FileSource over in-memory files; useful in tests, browsers and packagers. */
export function memorySource(files: Readonly<Record<string, Uint8Array | string>>): FileSource {
  const enc = new TextEncoder();
  const map = new Map<string, Uint8Array>();
  for (const [path, content] of Object.entries(files)) {
    map.set(path, typeof content === 'string' ? enc.encode(content) : content);
  }
  const get = (path: string): Uint8Array => {
    const data = map.get(path);
    if (!data) throw new Error(`No such file in the package: ${path}`);
    return data;
  };
  return {
    list: async () => [...map.entries()].map(([path, data]) => ({ path, size: data.byteLength })),
    read: async (path) => get(path),
    async *stream(path) {
      yield get(path);
    },
  };
}
