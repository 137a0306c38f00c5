import { describe, expect, it } from 'vitest';
import { analyzePackage } from '../src/analyze-package.js';
import { memorySource } from '../src/file-source.js';
import { codes, fixture } from './helpers.js';

const manifest12 = fixture('scorm12-multi-sco.xml');
const COURSE_FILES = {
  'course/content/lessons/lesson.html': '<html></html>',
  'course/content/shared/api.js': '',
  'course/content/quiz/index.html': '',
  'course/content/quiz/my image.png': '',
  'course/content/shared/style.css': '',
};

describe('analyzePackage', () => {
  it('analyses a complete SCORM 1.2 package', async () => {
    const a = await analyzePackage(memorySource({ 'imsmanifest.xml': manifest12, ...COURSE_FILES }));
    expect(a).toMatchObject({
      kind: 'scorm',
      version: '1.2',
      root: '',
      title: 'Safety Basics',
      itemCount: 4,
      scoCount: 3,
      valid: true,
    });
    expect(codes(a.diagnostics)).toEqual(['MASTERYSCORE_PARTIAL']);
    expect(a.manifest?.identifier).toBe('course.12');
  });

  it('reports missing listed files, and a missing launch file as an error', async () => {
    const files: Record<string, string | Uint8Array> = { 'imsmanifest.xml': manifest12, ...COURSE_FILES };
    delete files['course/content/shared/api.js'];
    delete files['course/content/lessons/lesson.html'];
    const a = await analyzePackage(memorySource(files));
    expect(codes(a.diagnostics)).toEqual([
      'MASTERYSCORE_PARTIAL',
      'PKG_FILE_MISSING',
      'PKG_LAUNCH_FILE_MISSING',
    ]);
    const missing = a.diagnostics.find((d) => d.code === 'PKG_FILE_MISSING')!;
    expect(missing.message).toContain('course/content/shared/api.js');
    expect(missing).toMatchObject({ file: 'imsmanifest.xml', line: 40 });
    const launch = a.diagnostics.find((d) => d.code === 'PKG_LAUNCH_FILE_MISSING')!;
    expect(launch.message).toContain('course/content/lessons/lesson.html');
    expect(launch.severity).toBe('error');
    expect(a.valid).toBe(false);
  });

  it('points at a file that differs only in case', async () => {
    const files: Record<string, string | Uint8Array> = { 'imsmanifest.xml': manifest12, ...COURSE_FILES };
    delete files['course/content/quiz/index.html'];
    files['course/content/quiz/Index.html'] = '';
    const a = await analyzePackage(memorySource(files));
    const launch = a.diagnostics.find((d) => d.code === 'PKG_LAUNCH_FILE_MISSING')!;
    expect(launch.message).toContain('course/content/quiz/Index.html');
  });

  it('summarises many missing files instead of listing thousands', async () => {
    const many = Array.from({ length: 50 }, (_, i) => `<file href="f${i}.js"/>`).join('');
    const xml = new TextDecoder()
      .decode(manifest12)
      .replace('<file href="shared/style.css"/>', `<file href="shared/style.css"/>${many}`);
    const a = await analyzePackage(memorySource({ 'imsmanifest.xml': xml, ...COURSE_FILES }), {
      maxMissingReported: 10,
    });
    const missing = a.diagnostics.filter((d) => d.code === 'PKG_FILE_MISSING');
    expect(missing).toHaveLength(11);
    expect(missing[10]?.message).toMatch(/^40 more listed files are missing/);
  });

  it('summarises unlisted files in one diagnostic', async () => {
    const extra = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`course/content/extra/${i}.png`, '']),
    );
    const a = await analyzePackage(
      memorySource({ 'imsmanifest.xml': manifest12, ...COURSE_FILES, ...extra }),
    );
    const unlisted = a.diagnostics.filter((d) => d.code === 'PKG_FILE_UNLISTED');
    expect(unlisted).toHaveLength(1);
    expect(unlisted[0]?.severity).toBe('info');
    expect(unlisted[0]?.message).toMatch(
      /^30 files are in the package but listed by no resource \(course\/content\/extra\/0\.png, .*, \.\.\.\)/,
    );
    expect(a.valid).toBe(true);
  });

  it('reports operating-system litter once', async () => {
    const a = await analyzePackage(
      memorySource({
        'imsmanifest.xml': manifest12,
        ...COURSE_FILES,
        '__MACOSX/._imsmanifest.xml': '',
        '__MACOSX/course/._x': '',
        'course/.DS_Store': '',
        'course/content/Thumbs.db': '',
      }),
    );
    expect(codes(a.diagnostics)).toEqual(['MASTERYSCORE_PARTIAL', 'PKG_OS_LITTER']);
    expect(a.diagnostics.find((d) => d.code === 'PKG_OS_LITTER')?.message).toContain(
      '4 operating-system files',
    );
  });

  it('finds a manifest in a single top folder, reports it and analyses inside', async () => {
    const files = Object.fromEntries(
      Object.entries({ 'imsmanifest.xml': manifest12, ...COURSE_FILES }).map(([p, c]) => [`Export/${p}`, c]),
    );
    const a = await analyzePackage(memorySource(files));
    expect(a.root).toBe('Export/');
    expect(a.kind).toBe('scorm');
    expect(a.itemCount).toBe(4);
    expect(codes(a.diagnostics)).toEqual(['MASTERYSCORE_PARTIAL', 'PKG_MANIFEST_IN_SUBFOLDER']);
    const sub = a.diagnostics.find((d) => d.code === 'PKG_MANIFEST_IN_SUBFOLDER')!;
    expect(sub.severity).toBe('error');
    expect(sub.hint).toContain('scormflow doctor');
    expect(a.diagnostics.find((d) => d.code === 'MASTERYSCORE_PARTIAL')?.file).toBe('Export/imsmanifest.xml');
    expect(a.valid).toBe(false);
  });

  it('analyses a manifest whose name is in the wrong case, and reports it', async () => {
    const a = await analyzePackage(memorySource({ 'IMSManifest.xml': manifest12, ...COURSE_FILES }));
    expect(codes(a.diagnostics)).toEqual(['MASTERYSCORE_PARTIAL', 'PKG_MANIFEST_MISSING']);
    expect(a.diagnostics.find((d) => d.code === 'PKG_MANIFEST_MISSING')?.message).toContain(
      '"IMSManifest.xml"',
    );
    expect(a.kind).toBe('scorm');
    expect(a.itemCount).toBe(4);
    expect(a.valid).toBe(false);
  });

  it('refuses an oversized manifest before reading it', async () => {
    const source = memorySource({ 'imsmanifest.xml': manifest12 });
    let reads = 0;
    const counting = {
      ...source,
      read: (p: string) => {
        reads++;
        return source.read(p);
      },
    };
    const a = await analyzePackage(counting, { maxBytes: 100 });
    expect(codes(a.diagnostics)).toEqual(['XML_TOO_LARGE']);
    expect(reads).toBe(0);
    expect(a.valid).toBe(false);
  });

  it('matches files listed with Windows separators', async () => {
    const xml = new TextDecoder()
      .decode(manifest12)
      .replace('"quiz/my%20image.png"', '"quiz\\my%20image.png"');
    const a = await analyzePackage(memorySource({ 'imsmanifest.xml': xml, ...COURSE_FILES }));
    expect(codes(a.diagnostics)).toEqual(['MASTERYSCORE_PARTIAL']);
  });

  it('reports a package without any manifest', async () => {
    const a = await analyzePackage(
      memorySource({ 'index.html': '', 'a/imsmanifest.xml': '', 'b/imsmanifest.xml': '' }),
    );
    expect(a).toMatchObject({ kind: 'unknown', version: null, manifest: null, valid: false, itemCount: 0 });
    expect(codes(a.diagnostics)).toEqual(['PKG_MANIFEST_MISSING']);
  });

  it('passes XML errors of the manifest through', async () => {
    const a = await analyzePackage(memorySource({ 'imsmanifest.xml': '<manifest><oops></manifest>' }));
    expect(a.kind).toBe('scorm');
    expect(a.manifest).toBeNull();
    expect(codes(a.diagnostics)).toContain('XML_MALFORMED');
    expect(a.valid).toBe(false);
  });

  it('counts SCOs and aggregations of the default organization only', async () => {
    const a = await analyzePackage(
      memorySource({ 'imsmanifest.xml': fixture('scorm2004-4th-sequencing.xml'), 'sco/player.html': '' }),
    );
    expect(a).toMatchObject({ kind: 'scorm', version: '2004-4th', itemCount: 4, scoCount: 3, valid: true });
    expect(a.diagnostics).toEqual([]);
  });

  it('detects a cmi5 package and reads its course title', async () => {
    const cmi5 = `<?xml version="1.0" encoding="utf-8"?>
<courseStructure xmlns="https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd">
  <course id="https://example.com/course">
    <title><langstring lang="en-US">Fire Safety</langstring><langstring lang="fr">Sécurité</langstring></title>
    <description><langstring lang="en-US">d</langstring></description>
  </course>
  <au id="https://example.com/au/1"><title><langstring lang="en-US">AU 1</langstring></title><url>index.html</url></au>
</courseStructure>`;
    const a = await analyzePackage(memorySource({ 'cmi5.xml': cmi5, 'index.html': '' }));
    expect(a).toMatchObject({
      kind: 'cmi5',
      version: null,
      title: 'Fire Safety',
      valid: true,
      manifest: null,
    });
  });

  it('detects an xAPI tincan.xml package and reads the first activity name', async () => {
    const tincan = `<?xml version="1.0" encoding="utf-8"?>
<tincan xmlns="http://projecttincan.com/tincan.xsd">
  <activities>
    <activity id="http://example.com/golf" type="http://adlnet.gov/expapi/activities/course">
      <name>Golf Example</name>
      <description lang="en-US">An example.</description>
      <launch lang="en-us">index.html</launch>
    </activity>
    <activity id="http://example.com/golf/q1" type="http://adlnet.gov/expapi/activities/cmi.interaction"><name>Q1</name></activity>
  </activities>
</tincan>`;
    const a = await analyzePackage(memorySource({ 'tincan.xml': tincan, 'index.html': '' }));
    expect(a).toMatchObject({ kind: 'xapi', title: 'Golf Example', valid: true });
  });

  it('reports a malformed cmi5.xml', async () => {
    const a = await analyzePackage(memorySource({ 'cmi5.xml': '<courseStructure><course>' }));
    expect(a.kind).toBe('cmi5');
    expect(codes(a.diagnostics)).toEqual(['XML_MALFORMED']);
    expect(a.diagnostics[0]?.file).toBe('cmi5.xml');
  });
});
