import { describe, expect, it } from 'vitest';
import { analyzePackage } from './analyze-package.js';
import { doctorPackage } from './doctor.js';
import { memorySource } from './file-source.js';
import type { PackagedFile } from './packager.js';

const manifest = (resources: string) => `<?xml version="1.0"?>
<manifest identifier="m" xmlns="http://www.imsglobal.org/xsd/imscp_v1p1" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3" xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3">
  <metadata><schema>ADL SCORM</schema><schemaversion>2004 4th Edition</schemaversion></metadata>
  <organizations default="o"><organization identifier="o" adlseq:objectivesGlobalToSystem="false"><title>T</title>
    <item identifier="i" identifierref="r"><title>T</title></item>
  </organization></organizations>
  <resources>
${resources}
  </resources>
</manifest>`;

const text = async (f: PackagedFile | undefined) => {
  if (!f) throw new Error('missing file');
  if (typeof f.data !== 'function') return new TextDecoder().decode(f.data);
  let s = '';
  for await (const c of f.data()) s += new TextDecoder().decode(c);
  return s;
};

async function repaired(files: readonly PackagedFile[]) {
  const map: Record<string, string> = {};
  for (const f of files) map[f.path] = await text(f);
  return analyzePackage(memorySource(map));
}

describe('doctorPackage', () => {
  it('changes nothing in a clean package', async () => {
    const xml = manifest(
      '    <resource identifier="r" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource>',
    );
    const result = await doctorPackage(memorySource({ 'imsmanifest.xml': xml, 'a.html': '' }));
    expect(result.changed).toBe(false);
    expect(await text(result.files[0])).toBe(xml);
  });

  it('lists undeclared files relative to the resource xml:base and keeps the rest of the manifest byte for byte', async () => {
    const res =
      '    <resource identifier="r" type="webcontent" adlcp:scormType="sco" xml:base="sco/" href="a.html">\n      <file href="a.html"/>\n    </resource>';
    const xml = manifest(res);
    const result = await doctorPackage(
      memorySource({ 'imsmanifest.xml': xml, 'sco/a.html': '', 'sco/img/b c.png': '', 'shared/x.js': '' }),
    );
    expect(result.changes.map((c) => c.code)).toEqual(['DOCTOR_FILES_LISTED']);
    const fixed = await text(result.files[0]);
    expect(fixed).toContain('<file href="img/b%20c.png"/>');
    expect(fixed).toContain('<file href="../shared/x.js"/>');
    expect(fixed.replace(/\s*<file href="(img|\.\.)[^"]*"\/>/g, '')).toBe(xml);
    const after = await repaired(result.files);
    expect(after.diagnostics.map((d) => d.code)).not.toContain('PKG_FILE_UNLISTED');
    expect(after.valid).toBe(true);
  });

  it('expands a self-closing resource to hold the new files', async () => {
    const xml = manifest(
      '    <resource identifier="r" type="webcontent" adlcp:scormType="sco" href="a.html"/>',
    );
    const result = await doctorPackage(memorySource({ 'imsmanifest.xml': xml, 'a.html': '' }));
    const fixed = await text(result.files[0]);
    expect(fixed).toMatch(/href="a.html">\s*<file href="a.html"\/>\s*<\/resource>/);
    expect((await repaired(result.files)).valid).toBe(true);
  });

  it('re-roots and removes litter, and leaves what it cannot fix in remaining', async () => {
    const xml = manifest(
      '    <resource identifier="other" type="webcontent" adlcp:scormType="sco" href="a.html"><file href="a.html"/></resource>',
    );
    const result = await doctorPackage(
      memorySource({
        'pkg/imsmanifest.xml': xml,
        'pkg/a.html': '',
        'pkg/.DS_Store': '',
        '__MACOSX/pkg/._a.html': '',
      }),
    );
    expect(result.changes.map((c) => c.code).sort()).toEqual(['DOCTOR_LITTER_REMOVED', 'DOCTOR_REROOTED']);
    expect(result.files.map((f) => f.path)).toEqual(['imsmanifest.xml', 'a.html']);
    expect(result.remaining.map((d) => d.code)).toContain('ITEM_RESOURCE_MISSING');
  });
});
