import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { openZip, writeZip } from '@scormflow/manifest/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/run.js';
import type { ValidateReport } from '../src/cli/validate.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scormflow-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: (s) => {
      stdout += s;
    },
    stderr: (s) => {
      stderr += s;
    },
  });
  return { code, stdout, stderr };
}

async function writeTree(root: string, files: Record<string, string>) {
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
}

async function zipOf(name: string, files: Record<string, string>): Promise<string> {
  const out = join(dir, name);
  const enc = new TextEncoder();
  await writeZip(
    out,
    Object.entries(files).map(([path, content]) => ({ path, data: enc.encode(content) })),
  );
  return out;
}

const MANIFEST_12 = `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="m1" version="1.0" xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2" xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2">
  <metadata><schema>ADL SCORM</schema><schemaversion>1.2</schemaversion></metadata>
  <organizations default="o1">
    <organization identifier="o1">
      <title>Safety basics</title>
      <item identifier="i1"><title>Module</title>
        <item identifier="i2" identifierref="r1"><title>Lesson 1</title></item>
        <item identifier="i3" identifierref="r2"><title>Lesson 2</title></item>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="r1" type="webcontent" adlcp:scormtype="sco" href="one.html"><file href="one.html"/></resource>
    <resource identifier="r2" type="webcontent" adlcp:scormtype="sco" href="two.html"><file href="two.html"/></resource>
  </resources>
</manifest>`;

describe('scormflow validate', () => {
  it('reports a valid multi-SCO package as JSON with counts, exit 0', async () => {
    const zip = await zipOf('ok.zip', { 'imsmanifest.xml': MANIFEST_12, 'one.html': 'x', 'two.html': 'y' });
    const { code, stdout } = await cli('validate', zip, '--json');
    const report = JSON.parse(stdout) as ValidateReport;
    expect(code).toBe(0);
    expect(report).toMatchObject({
      valid: true,
      kind: 'scorm',
      version: '1.2',
      title: 'Safety basics',
      itemCount: 3,
      scoCount: 2,
    });
    for (const d of report.diagnostics) {
      expect(Object.keys(d).sort()).toEqual([
        'code',
        'column',
        'file',
        'hint',
        'line',
        'message',
        'severity',
      ]);
    }
  });

  it('exits 1 with every error listed when the package is broken, and reads folders too', async () => {
    const folder = join(dir, 'broken');
    await writeTree(folder, {
      'imsmanifest.xml': MANIFEST_12.replace('identifierref="r2"', 'identifierref="nope"'),
      'one.html': 'x',
    });
    const { code, stdout } = await cli('validate', folder, '--json');
    const report = JSON.parse(stdout) as ValidateReport;
    expect(code).toBe(1);
    expect(report.valid).toBe(false);
    expect(report.diagnostics.map((d) => d.code)).toContain('ITEM_RESOURCE_MISSING');
  });

  it('exits 2 for a file that is not a zip, and prints a readable report without --json', async () => {
    const bogus = join(dir, 'bogus.zip');
    await writeFile(bogus, 'this is not a zip file at all');
    const { code, stdout } = await cli('validate', bogus);
    expect(code).toBe(2);
    expect(stdout).toContain('unreadable');
    expect(stdout).toMatch(/ZIP_/);
  });

  it('prints usage errors with exit 1', async () => {
    expect((await cli('validate')).code).toBe(1);
    expect((await cli('frobnicate')).stderr).toContain('Unknown command');
  });
});

describe('scormflow doctor', () => {
  it('re-roots a single top folder, drops OS litter, lists undeclared files, and the result validates', async () => {
    const zip = await zipOf('messy.zip', {
      'Course/imsmanifest.xml': MANIFEST_12,
      'Course/one.html': 'x',
      'Course/two.html': 'y',
      'Course/media/intro.mp4': 'video',
      'Course/.DS_Store': 'junk',
      '__MACOSX/Course/._one.html': 'junk',
    });
    const before = await cli('validate', zip, '--json');
    expect((JSON.parse(before.stdout) as ValidateReport).diagnostics.map((d) => d.code)).toContain(
      'PKG_MANIFEST_IN_SUBFOLDER',
    );
    const fixed = join(dir, 'fixed.zip');
    const { code, stdout } = await cli('doctor', zip, '-o', fixed);
    expect(code).toBe(0);
    expect(stdout).toContain('DOCTOR_REROOTED');
    expect(stdout).toContain('DOCTOR_LITTER_REMOVED');
    expect(stdout).toContain('DOCTOR_FILES_LISTED');

    const after = JSON.parse((await cli('validate', fixed, '--json')).stdout) as ValidateReport;
    expect(after.valid).toBe(true);
    expect(after.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const opened = await openZip(fixed);
    if (!opened.ok) throw new Error('fixed zip unreadable');
    const paths = (await opened.source.list()).map((e) => e.path).sort();
    await opened.source.close?.();
    expect(paths).toEqual(['imsmanifest.xml', 'media/intro.mp4', 'one.html', 'two.html']);
  });
});

describe('scormflow package', () => {
  it('turns a folder of HTML into a SCORM 1.2 package that passes validation without a warning', async () => {
    const folder = join(dir, 'site');
    await writeTree(folder, {
      'index.html': '<html><head><title>Fire &amp; Safety</title></head><body>Hi</body></html>',
      'css/site.css': 'body{}',
      'img/logo one.png': 'png',
    });
    const out = join(dir, 'site.zip');
    const made = await cli('package', folder, '-o', out);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const report = JSON.parse((await cli('validate', out, '--json')).stdout) as ValidateReport;
    expect(report).toMatchObject({ valid: true, version: '1.2', title: 'Fire & Safety', scoCount: 1 });
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  });

  it('packages a single HTML file as SCORM 2004 4th Edition with a title override', async () => {
    const page = join(dir, 'page.html');
    await writeFile(page, '<!doctype html><p>One page</p>');
    const out = join(dir, 'page.zip');
    const made = await cli('package', page, '-o', out, '--version', '2004-4th', '--title', 'One page');
    expect(made.code).toBe(0);
    const report = JSON.parse((await cli('validate', out, '--json')).stdout) as ValidateReport;
    expect(report).toMatchObject({ valid: true, version: '2004-4th', title: 'One page', itemCount: 1 });
    expect(report.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
    const opened = await openZip(out);
    if (!opened.ok) throw new Error('package unreadable');
    const manifest = new TextDecoder().decode(await opened.source.read('imsmanifest.xml'));
    await opened.source.close?.();
    expect(manifest).toContain('adlcp:scormType="sco" href="scormflow-launch.html"');
    expect(manifest).toContain('<file href="page.html"/>');
  });

  it('rejects an unknown version', async () => {
    const { code, stderr } = await cli('package', dir, '-o', join(dir, 'x.zip'), '--version', '2004-3rd');
    expect(code).toBe(1);
    expect(stderr).toContain('--version must be one of');
  });
});
