import { analyzePackage } from './analyze-package.js';
import { type Diagnostic, diagnostic } from './diagnostics.js';
import type { FileSource, FileSourceEntry } from './file-source.js';
import { resolveAgainstBases } from './launch-url.js';
import type { Manifest, Resource } from './model.js';
import type { PackagedFile } from './packager.js';
import { parseManifest } from './parse-manifest.js';
import { escapeXml, pathToHref } from './xml-escape.js';

export interface DoctorResult {
  /** True when the doctor changed anything. */
  readonly changed: boolean;
  /** What the doctor changed, as DOCTOR_* diagnostics (severity info). */
  readonly changes: readonly Diagnostic[];
  /** The diagnostics of the repaired package: what the doctor could not fix. */
  readonly remaining: readonly Diagnostic[];
  /** Every file of the repaired package, `imsmanifest.xml` first. */
  readonly files: readonly PackagedFile[];
}

const MANIFEST = 'imsmanifest.xml';
const LITTER_RE = /(^|\/)(__MACOSX(\/|$)|\.DS_Store$|Thumbs\.db$|desktop\.ini$|\._[^/]*$)/i;

/**
 * Repairs the faults of a package that are purely mechanical, and says what it changed:
 * - the whole package sits in one top folder: its content is moved to the root;
 * - operating-system litter (`__MACOSX/`, `.DS_Store`, `Thumbs.db`, AppleDouble `._*` files) is dropped;
 * - files present in the package but listed in no resource get `<file>` entries, so that every file
 *   is declared as IMS Content Packaging requires (@see SCORM 2004 4th Ed CAM 3.4.1.16).
 * Anything else (a broken reference, bad XML) needs a person and stays in `remaining`.
 */
export async function doctorPackage(source: FileSource): Promise<DoctorResult> {
  const all = await source.list();
  const changes: Diagnostic[] = [];

  const litter = all.filter((e) => LITTER_RE.test(e.path));
  let entries = all.filter((e) => !LITTER_RE.test(e.path));
  if (litter.length > 0) {
    changes.push(
      diagnostic(
        'DOCTOR_LITTER_REMOVED',
        `Removed ${litter.length} operating-system file${litter.length === 1 ? '' : 's'} (${examples(litter.map((e) => e.path))}).`,
      ),
    );
  }

  const root = findRoot(entries);
  if (root === null) {
    const after = await analyzePackage(virtualSource(source, entries, '', new Map()));
    return {
      changed: changes.length > 0,
      changes,
      remaining: after.diagnostics,
      files: toFiles(source, entries, '', new Map()),
    };
  }
  if (root !== '') {
    entries = entries.filter((e) => e.path.startsWith(root));
    changes.push(
      diagnostic(
        'DOCTOR_REROOTED',
        `Moved the package out of its top folder "${root.slice(0, -1)}" to the root.`,
      ),
    );
  }

  const overrides = new Map<string, Uint8Array>();
  const manifestXml = new TextDecoder().decode(await source.read(root + MANIFEST));
  const parsed = parseManifest(manifestXml);
  if (parsed.manifest) {
    const present = entries.map((e) => e.path.slice(root.length)).filter((p) => p !== MANIFEST);
    const listed = new Set<string>();
    for (const r of parsed.manifest.resources)
      for (const f of r.files) if (f.path !== null) listed.add(f.path);
    const unlisted = present.filter((p) => !listed.has(p));
    const target = unlisted.length > 0 ? pickResource(parsed.manifest) : undefined;
    if (target) {
      const fixed = addFiles(manifestXml, target.identifier, unlisted, baseOf(parsed.manifest, target));
      if (fixed !== null) {
        overrides.set(MANIFEST, new TextEncoder().encode(fixed));
        changes.push(
          diagnostic(
            'DOCTOR_FILES_LISTED',
            `Listed ${unlisted.length} file${unlisted.length === 1 ? '' : 's'} that the manifest did not declare in resource "${target.identifier}" (${examples(unlisted)}).`,
            { file: MANIFEST },
          ),
        );
      }
    }
  }
  const after = await analyzePackage(virtualSource(source, entries, root, overrides));
  return {
    changed: changes.length > 0,
    changes,
    remaining: after.diagnostics,
    files: toFiles(source, entries, root, overrides),
  };
}

function examples(paths: readonly string[]): string {
  const shown = paths.slice(0, 3).join(', ');
  return paths.length > 3 ? `${shown} and ${paths.length - 3} more` : shown;
}

/** '' when the manifest is at the root, 'folder/' when one top folder holds the whole package. */
function findRoot(entries: readonly FileSourceEntry[]): string | null {
  if (entries.some((e) => e.path === MANIFEST)) return '';
  const tops = new Set(
    entries.map((e) => (e.path.includes('/') ? e.path.slice(0, e.path.indexOf('/') + 1) : e.path)),
  );
  if (tops.size !== 1) return null;
  const [top] = tops;
  if (!top?.endsWith('/')) return null;
  return entries.some((e) => e.path === top + MANIFEST) ? top : null;
}

/** The resource that receives undeclared files: the first SCO of the default organization, else the first resource. */
function pickResource(manifest: Manifest): Resource | undefined {
  const stack = [...(manifest.defaultOrganization?.items ?? [])];
  while (stack.length > 0) {
    const item = stack.shift();
    if (!item) break;
    if (item.resource && item.resource.scormType === 'sco') return item.resource;
    stack.unshift(...item.children);
  }
  return manifest.resources.find((r) => r.scormType === 'sco') ?? manifest.resources[0];
}

/** The folder (`''` or `a/b/`) a resource's relative hrefs are resolved against. */
function baseOf(manifest: Manifest, resource: Resource): string {
  const probe = resolveAgainstBases('x', [manifest.base, manifest.resourcesBase, resource.base]);
  return probe.slice(0, -1);
}

/** A relative reference from folder `base` to package path `path`. */
function relativeHref(base: string, path: string): string {
  const from = base.split('/').filter(Boolean);
  const to = path.split('/');
  let i = 0;
  while (i < from.length && i < to.length - 1 && from[i] === to[i]) i++;
  return pathToHref([...from.slice(i).map(() => '..'), ...to.slice(i)].join('/'));
}

/**
 * Inserts `<file>` elements at the end of the resource with the given identifier, leaving every
 * other byte of the manifest as it was. Returns null when the resource cannot be located.
 * Resources never nest (IMS CP), so the first closing tag after the opening one is its own.
 */
function addFiles(xml: string, identifier: string, paths: readonly string[], base: string): string | null {
  const id = identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const open = new RegExp(
    `<((?:[A-Za-z_][\\w.-]*:)?)resource\\b[^>]*?\\sidentifier\\s*=\\s*(["'])${id}\\2[^>]*?(/?)>`,
  );
  const m = open.exec(xml);
  if (!m) return null;
  const prefix = m[1] ?? '';
  const openEnd = m.index + m[0].length;
  const lines = paths.map((p) => `<${prefix}file href="${escapeXml(relativeHref(base, p))}"/>`);
  const lineStart = xml.lastIndexOf('\n', m.index) + 1;
  const indent = /^[ \t]*/.exec(xml.slice(lineStart, m.index))?.[0] ?? '';
  if (m[3] === '/') {
    const tagEnd = openEnd - 2;
    return `${xml.slice(0, tagEnd)}>\n${indent}  ${lines.join(`\n${indent}  `)}\n${indent}</${prefix}resource>${xml.slice(openEnd)}`;
  }
  const closeStart = xml.indexOf(`</${prefix}resource`, openEnd);
  if (closeStart === -1) return null;
  const before = xml.slice(0, closeStart);
  const trimmed = before.replace(/[ \t]*$/, '');
  return `${trimmed}${trimmed.endsWith('\n') ? '' : '\n'}${indent}  ${lines.join(`\n${indent}  `)}\n${indent}${xml.slice(closeStart)}`;
}

function virtualSource(
  source: FileSource,
  entries: readonly FileSourceEntry[],
  root: string,
  overrides: ReadonlyMap<string, Uint8Array>,
): FileSource {
  const strip = (p: string) => p.slice(root.length);
  return {
    list: async () =>
      entries.map((e) => {
        const path = strip(e.path);
        const o = overrides.get(path);
        return { path, size: o ? o.byteLength : e.size };
      }),
    read: async (path) => overrides.get(path) ?? source.read(root + path),
    async *stream(path) {
      const o = overrides.get(path);
      if (o) yield o;
      else yield* source.stream(root + path);
    },
  };
}

function toFiles(
  source: FileSource,
  entries: readonly FileSourceEntry[],
  root: string,
  overrides: ReadonlyMap<string, Uint8Array>,
): PackagedFile[] {
  const files = entries.map((e): PackagedFile => {
    const path = e.path.slice(root.length);
    const o = overrides.get(path);
    return { path, data: o ?? (() => source.stream(e.path)) };
  });
  files.sort((a, b) => (a.path === MANIFEST ? -1 : b.path === MANIFEST ? 1 : 0));
  return files;
}
