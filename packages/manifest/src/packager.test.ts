import { describe, expect, it } from 'vitest';
import { analyzePackage } from './analyze-package.js';
import { memorySource } from './file-source.js';
import { createPackage, LAUNCHER_FILE, type PackagedFile } from './packager.js';

async function bytesOf(file: PackagedFile): Promise<Uint8Array> {
  if (!(typeof file.data === 'function')) return file.data;
  const chunks: Uint8Array[] = [];
  for await (const c of file.data()) chunks.push(c);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.byteLength;
  }
  return out;
}

async function asSource(files: readonly PackagedFile[]) {
  const map: Record<string, Uint8Array> = {};
  for (const f of files) map[f.path] = await bytesOf(f);
  return memorySource(map);
}

describe('createPackage', () => {
  it.each(['1.2', '2004-4th'] as const)(
    'writes a SCORM %s package that our validator accepts without a warning',
    async (version) => {
      const src = memorySource({
        'index.html': '<title>Intro &amp; basics</title>',
        'a b/c#d.js': 'x',
        'img/ümlaut.png': 'p',
        '.DS_Store': 'junk',
      });
      const out = await createPackage(src, { version });
      if (!out.ok) throw new Error(out.error.message);
      expect(out.value.title).toBe('Intro & basics');
      expect(out.value.files.map((f) => f.path)).toEqual([
        'imsmanifest.xml',
        LAUNCHER_FILE,
        'a b/c#d.js',
        'img/ümlaut.png',
        'index.html',
      ]);
      const analysis = await analyzePackage(await asSource(out.value.files));
      expect(analysis.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
      expect(analysis).toMatchObject({
        valid: true,
        kind: 'scorm',
        version,
        title: 'Intro & basics',
        scoCount: 1,
      });
      expect(out.value.manifest).toContain('href="a%20b/c%23d.js"');
    },
  );

  it('uses the content page as the SCO when tracking is off', async () => {
    const out = await createPackage(memorySource({ 'start.html': '<p>x</p>' }), {
      tracking: 'none',
      title: 'T',
    });
    if (!out.ok) throw new Error(out.error.message);
    expect(out.value.launch).toBe('start.html');
    expect(out.value.files.map((f) => f.path)).toEqual(['imsmanifest.xml', 'start.html']);
  });

  it('the launcher page starts a session, marks completion and ends the session', async () => {
    const out = await createPackage(memorySource({ 'index.html': '' }), { version: '2004-4th' });
    if (!out.ok) throw new Error(out.error.message);
    const launcher = new TextDecoder().decode(await bytesOf(out.value.files[1] as PackagedFile));
    expect(launcher).toContain("api.Initialize('')");
    expect(launcher).toContain("api.SetValue('cmi.completion_status','completed')");
    expect(launcher).toContain("api.Terminate('')");
    expect(launcher).toContain('src="index.html"');
  });

  it('explains what is wrong instead of guessing', async () => {
    const none = await createPackage(memorySource({}));
    expect(none.ok || none.error.code).toBe('PACKAGER_NO_FILES');
    const ambiguous = await createPackage(memorySource({ 'a.html': '', 'b.html': '' }));
    expect(ambiguous.ok || ambiguous.error.code).toBe('PACKAGER_NO_LAUNCH');
    const missing = await createPackage(memorySource({ 'a.html': '' }), { launch: 'zzz.html' });
    expect(missing.ok || missing.error.code).toBe('PACKAGER_LAUNCH_MISSING');
    const pkg = await createPackage(memorySource({ 'imsmanifest.xml': '<manifest/>', 'a.html': '' }));
    expect(pkg.ok || pkg.error.code).toBe('PACKAGER_HAS_MANIFEST');
  });
});
