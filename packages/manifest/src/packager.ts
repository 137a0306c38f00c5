import type { FileSource } from './file-source.js';
import { escapeXml, pathToHref } from './xml-escape.js';

/** The SCORM versions the packager writes. */
export type PackagerVersion = '1.2' | '2004-4th';

export interface PackagerOptions {
  /** Course title (organization and item). Defaults to the launch page's `<title>` or its file name. */
  title?: string;
  /** SCORM version of the package. Default `'1.2'`. */
  version?: PackagerVersion;
  /**
   * The page the learner opens, as a package-relative path. Default: `index.html` when present, else
   * the only HTML file at the top level.
   */
  launch?: string;
  /** Manifest identifier. Default: derived from the title. */
  identifier?: string;
  /**
   * Plain HTML content does not talk to an LMS. With `'launch'` (the default) the package gets a small
   * SCO launcher page that opens the content in a full-window frame, initialises the SCORM session,
   * marks the SCO completed as soon as it is launched, and ends the session when the page closes.
   * With `'none'` the content's own page is the SCO, for content that already calls the SCORM API.
   */
  tracking?: 'launch' | 'none';
}

/** A file of the generated package: its path and where its bytes come from. */
export interface PackagedFile {
  readonly path: string;
  readonly data: Uint8Array | (() => AsyncIterable<Uint8Array>);
}

export interface PackagerResult {
  readonly manifest: string;
  readonly title: string;
  readonly launch: string;
  /** Every file of the package, `imsmanifest.xml` first. */
  readonly files: readonly PackagedFile[];
}

export type PackagerOutcome = { ok: true; value: PackagerResult } | { ok: false; error: PackagerError };

export interface PackagerError {
  readonly code:
    | 'PACKAGER_NO_FILES'
    | 'PACKAGER_NO_LAUNCH'
    | 'PACKAGER_LAUNCH_MISSING'
    | 'PACKAGER_HAS_MANIFEST';
  readonly message: string;
}

/** File name of the generated launcher page (`tracking: 'launch'`). */
export const LAUNCHER_FILE = 'scormflow-launch.html';

const HTML_RE = /\.x?html?$/i;
const OS_LITTER_RE = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$|desktop\.ini$)/i;

/**
 * Turns a folder of HTML content (or a single HTML page) into a minimal, valid SCORM package with one
 * SCO and every file listed in the manifest.
 * @see SCORM 2004 4th Edition CAM 3.4 (content package manifest), SCORM 1.2 CAM 2.3.
 */
export async function createPackage(
  source: FileSource,
  options: PackagerOptions = {},
): Promise<PackagerOutcome> {
  const version = options.version ?? '1.2';
  const tracking = options.tracking ?? 'launch';
  const entries = (await source.list()).filter((e) => !OS_LITTER_RE.test(e.path));
  if (entries.length === 0) return fail('PACKAGER_NO_FILES', 'There are no files to package.');
  if (entries.some((e) => e.path.toLowerCase() === 'imsmanifest.xml')) {
    return fail(
      'PACKAGER_HAS_MANIFEST',
      'The content already has an imsmanifest.xml: it is a package, not plain HTML. Validate it instead.',
    );
  }
  const paths = entries.map((e) => e.path).sort();
  const launch = options.launch ?? pickLaunch(paths);
  if (!launch) {
    return fail(
      'PACKAGER_NO_LAUNCH',
      'No launch page found: there is no index.html and not exactly one HTML file at the top level. Name one with the launch option.',
    );
  }
  if (!paths.includes(launch)) {
    return fail('PACKAGER_LAUNCH_MISSING', `The launch page "${launch}" is not among the files.`);
  }
  const title = options.title?.trim() || htmlTitle(await source.read(launch)) || baseName(launch);
  const identifier = options.identifier ?? toIdentifier(title);
  const files: PackagedFile[] = [];
  let scoHref = launch;
  if (tracking === 'launch') {
    scoHref = LAUNCHER_FILE;
    files.push({ path: LAUNCHER_FILE, data: new TextEncoder().encode(launcherPage(title, launch, version)) });
  }
  const listed = [...(tracking === 'launch' ? [LAUNCHER_FILE] : []), ...paths];
  const manifest = manifestXml({ identifier, title, version, href: scoHref, files: listed });
  const content: PackagedFile[] = paths.map((path) => ({ path, data: () => source.stream(path) }));
  return {
    ok: true,
    value: {
      manifest,
      title,
      launch: scoHref,
      files: [{ path: 'imsmanifest.xml', data: new TextEncoder().encode(manifest) }, ...files, ...content],
    },
  };
}

function fail(code: PackagerError['code'], message: string): PackagerOutcome {
  return { ok: false, error: { code, message } };
}

function pickLaunch(paths: readonly string[]): string | undefined {
  const top = paths.filter((p) => !p.includes('/'));
  const index = top.find((p) => /^index\.x?html?$/i.test(p));
  if (index) return index;
  const html = top.filter((p) => HTML_RE.test(p));
  return html.length === 1 ? html[0] : undefined;
}

function htmlTitle(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder().decode(bytes.subarray(0, 64 * 1024));
  const m = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(head);
  const t = m?.[1]
    ?.replace(/<[^>]*>/g, '')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')
    .trim();
  return t || undefined;
}

function baseName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.replace(/\.[^.]+$/, '') || name;
}

/** An XML ID-safe identifier (NCName) derived from a title. */
function toIdentifier(title: string): string {
  const slug = title
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[^A-Za-z_]+/, '')
    .replace(/-+$/, '')
    .slice(0, 60);
  return `${slug || 'course'}-package`;
}

interface ManifestSpec {
  identifier: string;
  title: string;
  version: PackagerVersion;
  href: string;
  files: readonly string[];
}

function manifestXml(spec: ManifestSpec): string {
  const t = escapeXml(spec.title);
  const id = escapeXml(spec.identifier);
  const fileLines = spec.files.map((f) => `      <file href="${escapeXml(pathToHref(f))}"/>`).join('\n');
  const href = escapeXml(pathToHref(spec.href));
  if (spec.version === '1.2') {
    return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${id}" version="1.0"
  xmlns="http://www.imsproject.org/xsd/imscp_rootv1p1p2"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_rootv1p2"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>1.2</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1">
      <title>${t}</title>
      <item identifier="ITEM-1" identifierref="RES-1" isvisible="true">
        <title>${t}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" adlcp:scormtype="sco" href="${href}">
${fileLines}
    </resource>
  </resources>
</manifest>
`;
  }
  return `<?xml version="1.0" encoding="UTF-8"?>
<manifest identifier="${id}" version="1"
  xmlns="http://www.imsglobal.org/xsd/imscp_v1p1"
  xmlns:adlcp="http://www.adlnet.org/xsd/adlcp_v1p3"
  xmlns:adlseq="http://www.adlnet.org/xsd/adlseq_v1p3"
  xmlns:adlnav="http://www.adlnet.org/xsd/adlnav_v1p3"
  xmlns:imsss="http://www.imsglobal.org/xsd/imsss"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd">
  <metadata>
    <schema>ADL SCORM</schema>
    <schemaversion>2004 4th Edition</schemaversion>
  </metadata>
  <organizations default="ORG-1">
    <organization identifier="ORG-1" adlseq:objectivesGlobalToSystem="false">
      <title>${t}</title>
      <item identifier="ITEM-1" identifierref="RES-1" isvisible="true">
        <title>${t}</title>
      </item>
    </organization>
  </organizations>
  <resources>
    <resource identifier="RES-1" type="webcontent" adlcp:scormType="sco" href="${href}">
${fileLines}
    </resource>
  </resources>
</manifest>
`;
}

/**
 * A self-contained SCO page: finds the LMS API the way the SCORM run-time prescribes (the parent
 * chain, then the opener's), starts the session, marks the SCO completed, shows the content in a
 * full-window frame, and ends the session when the page goes away.
 * @see SCORM 2004 4th Edition RTE 3.3.5 (API instance discovery), SCORM 1.2 RTE 3.3.6.1.
 */
function launcherPage(title: string, launch: string, version: PackagerVersion): string {
  const is12 = version === '1.2';
  const apiName = is12 ? 'API' : 'API_1484_11';
  const calls = is12
    ? {
        init: 'LMSInitialize',
        commit: 'LMSCommit',
        finish: 'LMSFinish',
        status: "api.LMSSetValue('cmi.core.lesson_status','completed');",
        exit: "api.LMSSetValue('cmi.core.exit','');",
      }
    : {
        init: 'Initialize',
        commit: 'Commit',
        finish: 'Terminate',
        status: "api.SetValue('cmi.completion_status','completed');",
        exit: "api.SetValue('cmi.exit','normal');",
      };
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeXml(title)}</title>
<style>html,body{margin:0;height:100%;overflow:hidden}iframe{border:0;width:100%;height:100%;display:block}</style>
</head>
<body>
<iframe id="content" title="${escapeXml(title)}" src="${escapeXml(pathToHref(launch))}"></iframe>
<script>
(function () {
  function find(win) {
    for (var i = 0; win && i < 500; i++) {
      try { if (win.${apiName}) return win.${apiName}; } catch (e) {}
      if (win.parent === win) break;
      win = win.parent;
    }
    return null;
  }
  var api = find(window);
  if (!api && window.opener) api = find(window.opener);
  if (!api) return;
  var ended = false;
  if (String(api.${calls.init}('')) !== 'true') return;
  ${calls.status}
  api.${calls.commit}('');
  function end() {
    if (ended) return;
    ended = true;
    ${calls.exit}
    api.${calls.finish}('');
  }
  window.addEventListener('pagehide', end);
  window.addEventListener('beforeunload', end);
})();
</script>
</body>
</html>
`;
}
