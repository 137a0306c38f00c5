/**
 * Package-level analysis over a FileSource: where the manifest is, what kind of package this is,
 * whether the files the manifest lists are there, and what the learner will see.
 */
import { SaxesParser } from 'saxes';
import { type Diagnostic, diagnostic, isValid } from './diagnostics.js';
import type { FileSource, FileSourceEntry } from './file-source.js';
import { hrefToPath } from './launch-url.js';
import type { Item, Manifest, Resource, ScormVersion } from './model.js';
import { type ParseManifestOptions, parseManifest } from './parse-manifest.js';
import { flattenItems } from './tree.js';

export type PackageKind = 'scorm' | 'cmi5' | 'xapi' | 'unknown';

export interface AnalyzePackageOptions extends Omit<ParseManifestOptions, 'fileName'> {
  /** How many example paths a summarising diagnostic names. Default 5. */
  readonly examples?: number;
  /** How many PKG_FILE_MISSING diagnostics are reported one by one before the rest is summarised. Default 20. */
  readonly maxMissingReported?: number;
}

export interface PackageAnalysis {
  readonly kind: PackageKind;
  readonly version: ScormVersion | null;
  /** Folder the package content lives in: `''` normally, `'folder/'` when it sits in one top folder. */
  readonly root: string;
  readonly manifest: Manifest | null;
  /** The course title: default organization title, else LOM title, else the cmi5/xAPI title. */
  readonly title: string;
  /** Every `<item>` of the default organization, aggregations included. */
  readonly itemCount: number;
  /** Items of the default organization whose resource is a SCO. */
  readonly scoCount: number;
  readonly diagnostics: Diagnostic[];
  /** True when no diagnostic is an error. */
  readonly valid: boolean;
}

const MANIFEST = 'imsmanifest.xml';
const DEFAULT_MAX_MANIFEST_BYTES = 32 * 1024 * 1024;
const LITTER = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/i;

/**
 * Analyses a package: finds `imsmanifest.xml` (or `cmi5.xml` / `tincan.xml`), parses it, checks that
 * listed files exist and reports files nobody lists. A package with the whole content inside one top
 * folder is reported (PKG_MANIFEST_IN_SUBFOLDER) and still analysed inside that folder.
 *
 * @see SCORM 2004 4th Ed CAM 3.2 (Content Package, Package Interchange File), 3.4.1.16 (`<file>`)
 * @see cmi5 (Quartz) section 13 (Course Package), xAPI 1.0.3 / TinCan `tincan.xml` launch packages
 */
export async function analyzePackage(
  source: FileSource,
  options: AnalyzePackageOptions = {},
): Promise<PackageAnalysis> {
  const examples = options.examples ?? 5;
  const diagnostics: Diagnostic[] = [];
  const all = await source.list();
  const litter = all.filter((e) => LITTER.test(e.path));
  if (litter.length > 0) {
    diagnostics.push(
      diagnostic(
        'PKG_OS_LITTER',
        `The package holds ${litter.length} operating-system file${litter.length === 1 ? '' : 's'} (${sample(
          litter.map((e) => e.path),
          examples,
        )}).`,
        { hint: 'Remove __MACOSX/, .DS_Store and Thumbs.db before zipping (`scormflow doctor` does it).' },
      ),
    );
  }
  const entries = all.filter((e) => !LITTER.test(e.path));
  const paths = new Set(entries.map((e) => e.path));

  let root = '';
  if (!paths.has(MANIFEST) && !paths.has('cmi5.xml') && !paths.has('tincan.xml')) {
    const folders = new Set<string>();
    for (const p of paths) {
      const slash = p.indexOf('/');
      if (slash > 0 && p.slice(slash + 1) === MANIFEST) folders.add(p.slice(0, slash + 1));
    }
    if (folders.size === 1) {
      root = [...folders][0]!;
      diagnostics.push(
        diagnostic(
          'PKG_MANIFEST_IN_SUBFOLDER',
          `imsmanifest.xml is in the folder "${root}", not at the root of the package; LMSs will not find it.`,
          {
            file: root + MANIFEST,
            hint: 'Zip the content of the folder, not the folder itself (`scormflow doctor` re-roots the package).',
          },
        ),
      );
    }
  }

  if (paths.has(root + MANIFEST)) {
    return analyzeScorm(source, entries, root, root + MANIFEST, options, examples, diagnostics);
  }
  // `IMSManifest.xml` works on case-insensitive servers only: report it, and analyse it anyway.
  const miscased = entries.find((e) => e.path.toLowerCase() === MANIFEST);
  if (miscased) {
    diagnostics.push(
      diagnostic(
        'PKG_MANIFEST_MISSING',
        `The manifest is named "${miscased.path}"; it must be "imsmanifest.xml" (file names are case-sensitive on most servers).`,
        { file: miscased.path, hint: 'Rename the file to imsmanifest.xml.' },
      ),
    );
    return analyzeScorm(source, entries, '', miscased.path, options, examples, diagnostics);
  }
  if (paths.has('cmi5.xml')) {
    const title = await readTitle(source, 'cmi5.xml', ['courseStructure', 'course', 'title'], diagnostics);
    return result('cmi5', null, '', null, title ?? '', 0, 0, diagnostics);
  }
  if (paths.has('tincan.xml')) {
    const title = await readTitle(
      source,
      'tincan.xml',
      ['tincan', 'activities', 'activity', 'name'],
      diagnostics,
    );
    return result('xapi', null, '', null, title ?? '', 0, 0, diagnostics);
  }
  diagnostics.push(
    diagnostic('PKG_MANIFEST_MISSING', 'The package has no imsmanifest.xml (nor cmi5.xml or tincan.xml).', {
      hint: 'A SCORM package needs imsmanifest.xml at the root of the zip; export the course again as SCORM.',
    }),
  );
  return result('unknown', null, '', null, '', 0, 0, diagnostics);
}

async function analyzeScorm(
  source: FileSource,
  entries: readonly FileSourceEntry[],
  root: string,
  manifestFile: string,
  options: AnalyzePackageOptions,
  examples: number,
  diagnostics: Diagnostic[],
): Promise<PackageAnalysis> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_MANIFEST_BYTES;
  const size = entries.find((e) => e.path === manifestFile)?.size ?? 0;
  if (size > maxBytes) {
    // Refuse before reading: the source may be a hostile upload.
    diagnostics.push(
      diagnostic('XML_TOO_LARGE', `The manifest is ${size} bytes, more than the limit of ${maxBytes}.`, {
        file: manifestFile,
        hint: 'Remove unused metadata from the manifest, or raise the maxBytes option if the package is trusted.',
      }),
    );
    return result('scorm', null, root, null, '', 0, 0, diagnostics);
  }
  const parsed = parseManifest(await source.read(manifestFile), { ...options, fileName: manifestFile });
  diagnostics.push(...parsed.diagnostics);
  const manifest = parsed.manifest;
  if (manifest === null) return result('scorm', null, root, null, '', 0, 0, diagnostics);

  const present = new Map<string, string>();
  const presentLower = new Map<string, string>();
  for (const e of entries) {
    if (!e.path.startsWith(root) || e.path === manifestFile) continue;
    const rel = e.path.slice(root.length);
    present.set(rel, e.path);
    presentLower.set(rel.toLowerCase(), rel);
  }

  // Launch files: the href of every resource an item of any organization launches.
  const launchPaths = new Map<string, Resource>();
  for (const org of manifest.organizations) {
    for (const item of flattenItems(org.items)) {
      const r = item.resource;
      if (r?.resolvedHref) {
        const p = hrefToPath(r.resolvedHref);
        if (p !== null && p !== '') launchPaths.set(p, r);
      }
    }
  }

  const listed = new Set<string>();
  const maxMissing = options.maxMissingReported ?? 20;
  let missingCount = 0;
  const missingRest: string[] = [];
  for (const r of manifest.resources) {
    for (const f of r.files) {
      if (f.path === null) continue;
      listed.add(f.path);
      if (present.has(f.path) || launchPaths.has(f.path)) continue;
      missingCount++;
      if (missingCount > maxMissing) {
        missingRest.push(f.path);
        continue;
      }
      const other = presentLower.get(f.path.toLowerCase());
      diagnostics.push(
        diagnostic(
          'PKG_FILE_MISSING',
          `The resource "${r.identifier}" lists "${f.path}", which is not in the package${other ? ` (there is "${other}": paths are case-sensitive)` : ''}.`,
          {
            file: manifestFile,
            ...r.position,
            hint: other
              ? `Rename the file or fix the href to "${other}".`
              : 'Add the file or remove the <file> entry.',
          },
        ),
      );
    }
  }
  if (missingRest.length > 0) {
    diagnostics.push(
      diagnostic(
        'PKG_FILE_MISSING',
        `${missingRest.length} more listed files are missing (${sample(missingRest, examples)}).`,
        {
          file: manifestFile,
          hint: 'Add the files or remove their <file> entries.',
        },
      ),
    );
  }
  for (const [path, resource] of launchPaths) {
    listed.add(path);
    if (present.has(path)) continue;
    const other = presentLower.get(path.toLowerCase());
    diagnostics.push(
      diagnostic(
        'PKG_LAUNCH_FILE_MISSING',
        `The launch file "${path}" of the resource "${resource.identifier}" is not in the package${other ? ` (there is "${other}": paths are case-sensitive)` : ''}.`,
        {
          file: manifestFile,
          ...resource.position,
          hint: other
            ? `Fix the href to "${other}" or rename the file.`
            : 'Add the launch file, or fix the resource href.',
        },
      ),
    );
  }

  const unlisted: string[] = [];
  for (const rel of present.keys()) if (rel !== MANIFEST && !listed.has(rel)) unlisted.push(rel);
  if (unlisted.length > 0) {
    diagnostics.push(
      diagnostic(
        'PKG_FILE_UNLISTED',
        `${unlisted.length} file${unlisted.length === 1 ? ' is' : 's are'} in the package but listed by no resource (${sample(unlisted, examples)}).`,
        {
          file: manifestFile,
          hint: 'List every file in a <file> element of the resource that uses it (`scormflow doctor` adds them).',
        },
      ),
    );
  }

  const org = manifest.defaultOrganization;
  const items: Item[] = org ? flattenItems(org.items) : [];
  const scoCount = items.filter((i) => i.resource?.scormType === 'sco').length;
  const title = org?.title ?? manifest.metadata.title ?? manifest.identifier;
  return result('scorm', manifest.scormVersion, root, manifest, title, items.length, scoCount, diagnostics);
}

function result(
  kind: PackageKind,
  version: ScormVersion | null,
  root: string,
  manifest: Manifest | null,
  title: string,
  itemCount: number,
  scoCount: number,
  diagnostics: Diagnostic[],
): PackageAnalysis {
  return {
    kind,
    version,
    root,
    manifest,
    title,
    itemCount,
    scoCount,
    diagnostics,
    valid: isValid(diagnostics),
  };
}

function sample(paths: readonly string[], n: number): string {
  const shown = paths.slice(0, n).join(', ');
  return paths.length > n ? `${shown}, ...` : shown;
}

/**
 * The text of the first element at `path` (local names, namespaces ignored); for title-like
 * elements that hold `<langstring>` children, the first langstring.
 */
async function readTitle(
  source: FileSource,
  file: string,
  path: readonly string[],
  diagnostics: Diagnostic[],
): Promise<string | null> {
  const xml = new TextDecoder().decode(await source.read(file));
  const parser = new SaxesParser({ xmlns: false, position: true });
  const stack: string[] = [];
  let capture = -1;
  let text = '';
  let found: string | null = null;
  let failed = false;
  parser.on('error', (err) => {
    if (failed || err.message.endsWith('undefined entity.')) return;
    failed = true;
    diagnostics.push(
      diagnostic(
        'XML_MALFORMED',
        `${file} is not well-formed XML: ${err.message.replace(/^(?:[^:]*:)?\d+:\d+: /, '')}`,
        {
          file,
          line: parser.line,
          column: parser.column + 1,
          hint: `Fix the XML syntax of ${file}.`,
        },
      ),
    );
  });
  parser.on('opentag', (tag) => {
    const local = tag.name.slice(tag.name.indexOf(':') + 1);
    stack.push(local);
    if (
      found === null &&
      capture === -1 &&
      stack.length === path.length &&
      stack.every((s, i) => s === path[i])
    ) {
      capture = stack.length;
      text = '';
    }
  });
  parser.on('text', (t) => {
    if (capture !== -1) text += t;
  });
  parser.on('closetag', () => {
    // The element itself, or its first language string child that has text.
    if (capture !== -1 && (capture === stack.length || text.trim() !== '')) {
      capture = -1;
      found ??= text.trim().replace(/\s+/g, ' ');
    }
    stack.pop();
  });
  try {
    parser.write(xml.charCodeAt(0) === 0xfeff ? xml.slice(1) : xml).close();
  } catch {
    // Reported through the error handler.
  }
  return found;
}
