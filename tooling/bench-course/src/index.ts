import { randomBytes } from 'node:crypto';

/** One file of the generated course. */
export interface BenchCourseFile {
  readonly path: string;
  readonly data: Uint8Array;
}

const WORDS = (
  'the learner completes each module lesson quiz score passed failed interaction objective course page video ' +
  'audio function return const let var if else for while document window api initialize commit terminate value'
).split(' ');

/** Text that compresses like real course HTML/JS (about 3-4x), not like a run of spaces. Deterministic per seed. */
export function prose(bytes: number, seed: number): Uint8Array {
  let x = seed >>> 0 || 1;
  const parts: string[] = [];
  let size = 0;
  while (size < bytes) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const word = WORDS[(x >>> 0) % WORDS.length] as string;
    const piece =
      (x & 15) === 0
        ? `${word};\n  `
        : (x & 7) === 1
          ? `<span id="w${x & 0xffff}">${word}</span> `
          : `${word} `;
    parts.push(piece);
    size += piece.length;
  }
  return new TextEncoder().encode(parts.join('').slice(0, bytes));
}

/**
 * A ~50 MB SCORM 1.2 course: 320 HTML/JS/CSS pages of text, `40 * mediaScale` incompressible
 * "media" files of 0.6-1.4 MB, and an imsmanifest.xml (first) with one SCO per HTML page.
 * Deterministic except for the media bytes.
 */
export function benchCourseFiles(options: { mediaScale?: number } = {}): BenchCourseFile[] {
  const scale = options.mediaScale ?? 1;
  const files: BenchCourseFile[] = [];
  const kinds = ['html', 'js', 'css'] as const;
  const pages: string[] = [];
  for (let i = 0; i < 320; i++) {
    const kind = kinds[i % 3] as string;
    const path = `content/module${i % 12}/page${i}.${kind}`;
    if (kind === 'html') pages.push(path);
    files.push({ path, data: prose(8_000 + ((i * 7919) % 56_000), i + 1) });
  }
  for (let i = 0; i < 40 * scale; i++) {
    files.push({ path: `media/clip${i}.mp4`, data: randomBytes(600_000 + ((i * 104_729) % 800_000)) });
  }
  const resources = pages.map(
    (f, i) =>
      `    <resource identifier="r${i}" type="webcontent" adlcp:scormtype="sco" href="${f}"><file href="${f}"/></resource>`,
  );
  const items = pages.map(
    (_, i) => `      <item identifier="i${i}" identifierref="r${i}"><title>Page ${i}</title></item>`,
  );
  const manifest = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="bench" version="1" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o"><organization identifier="o"><title>Benchmark course</title>
${items.join('\n')}
  </organization></organizations>
  <resources>
${resources.join('\n')}
  </resources>
</manifest>
`;
  files.unshift({ path: 'imsmanifest.xml', data: new TextEncoder().encode(manifest) });
  return files;
}
