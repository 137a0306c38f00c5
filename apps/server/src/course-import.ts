import { randomUUID } from 'node:crypto';
import type { CourseItemInput, Database, ScormVersion } from '@scormflow/db';
import type { Diagnostic, FileSource, Item, PackageAnalysis } from '@scormflow/manifest';
import { analyzePackage } from '@scormflow/manifest';
import {
  DEFAULT_ENTRY_CONCURRENCY,
  forEachEntry,
  openZipStream,
  type ZipLimits,
} from '@scormflow/manifest/node';
import { type BlobStorage, checkKey, scoped, tenantKey } from '@scormflow/storage';
import { contentTypeOf } from './content-type.js';
import { HttpProblem } from './errors.js';
import { limitBytes, multipartBoundary, multipartField } from './multipart.js';

/** Media types accepted as a raw zip body. */
const ZIP_TYPES = new Set(['application/zip', 'application/x-zip-compressed', 'application/octet-stream']);
/** Room for the multipart envelope and small fields around the file. */
const MULTIPART_SLACK_BYTES = 2 * 1024 * 1024;
/** Package files written to storage at once: unpacking one overlaps storing another. */
const PUT_CONCURRENCY = DEFAULT_ENTRY_CONCURRENCY;
const LITTER = /(^|\/)(__MACOSX\/|\.DS_Store$|Thumbs\.db$)/i;

async function* iterate(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/**
 * The zip bytes of an upload request: a raw `application/zip` body, or the `file` part of a
 * `multipart/form-data` body, both read as they stream in and cut at `maxBytes` (413 problem).
 */
export function uploadStream(request: Request, maxBytes: number): AsyncIterable<Uint8Array> {
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  const mediaType = type.split(';')[0]?.trim() ?? '';
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  const multipart = mediaType === 'multipart/form-data';
  if (!multipart && !ZIP_TYPES.has(mediaType)) {
    throw new HttpProblem(
      'UNSUPPORTED_MEDIA_TYPE',
      `Send the package as application/zip or as the "file" field of multipart/form-data, not "${mediaType || 'no content type'}".`,
    );
  }
  const envelope = multipart ? MULTIPART_SLACK_BYTES : 0;
  if (Number.isFinite(declared) && declared > maxBytes + envelope) {
    throw new HttpProblem('PAYLOAD_TOO_LARGE', `The upload is larger than the limit of ${maxBytes} bytes.`, {
      extensions: { limit: maxBytes },
    });
  }
  if (request.body === null) {
    throw new HttpProblem('VALIDATION_FAILED', 'The request has no body; send the package zip.', {
      extensions: { errors: [{ field: 'body', message: 'required' }] },
    });
  }
  const raw = iterate(request.body);
  if (!multipart) return limitBytes(raw, maxBytes);
  const boundary = multipartBoundary(type);
  if (boundary === null) {
    throw new HttpProblem('VALIDATION_FAILED', 'The multipart/form-data content type has no boundary.', {
      extensions: { errors: [{ field: 'header.content-type', message: 'boundary missing' }] },
    });
  }
  return limitBytes(multipartField(limitBytes(raw, maxBytes + envelope), boundary, 'file'), maxBytes);
}

/** A package that was read and analysed; `source` must be closed by the caller. */
export type CheckedPackage =
  | { ok: true; source: FileSource; analysis: PackageAnalysis; diagnostics: Diagnostic[] }
  | { ok: false; analysis: PackageAnalysis | null; diagnostics: Diagnostic[] };

/**
 * Spools the upload to a temporary file, opens it with every zip safety check (zip-slip, bombs,
 * symbolic links, encryption) and analyses the package. `ok` is false when the archive was refused or
 * any diagnostic is an error; the temporary file is then already gone.
 */
export async function checkPackage(
  upload: AsyncIterable<Uint8Array>,
  limits: Partial<ZipLimits>,
): Promise<CheckedPackage> {
  const opened = await openZipStream(upload, limits);
  if (!opened.ok) return { ok: false, analysis: null, diagnostics: [...opened.diagnostics] };
  try {
    const analysis = await analyzePackage(opened.source);
    const diagnostics = [...opened.diagnostics, ...analysis.diagnostics];
    if (analysis.kind === 'unknown' || diagnostics.some((d) => d.severity === 'error')) {
      await opened.source.close?.();
      return { ok: false, analysis, diagnostics };
    }
    return { ok: true, source: opened.source, analysis, diagnostics };
  } catch (error) {
    await opened.source.close?.();
    throw error;
  }
}

/** The tenant's view of the blob storage: one tenant's keys can never name another tenant's objects. */
export function tenantStorage(storage: BlobStorage, tenantId: string): BlobStorage {
  return scoped(storage, tenantKey(tenantId));
}

/** Folder of a course (all versions) inside the tenant's storage. */
export function courseFolder(courseId: string, version?: number): string {
  return version === undefined ? `courses/${courseId}` : `courses/${courseId}/${version}`;
}

function itemInputs(items: readonly Item[]): CourseItemInput[] {
  const out: CourseItemInput[] = [];
  const walk = (list: readonly Item[], parent: string | null, depth: number) => {
    for (const item of list) {
      const data: Record<string, unknown> = {};
      if (!item.isvisible) data.isVisible = false;
      if (item.parameters !== null) data.parameters = item.parameters;
      if (item.masteryScore !== null) data.masteryScore = item.masteryScore;
      if (item.maxTimeAllowed !== null) data.maxTimeAllowed = item.maxTimeAllowed;
      if (item.timeLimitAction !== null) data.timeLimitAction = item.timeLimitAction;
      if (item.dataFromLms !== null) data.dataFromLms = item.dataFromLms;
      if (item.completionThreshold !== null) data.completionThreshold = item.completionThreshold;
      if (item.prerequisites !== null) data.prerequisites = item.prerequisites;
      out.push({
        identifier: item.identifier,
        parentIdentifier: parent,
        title: item.title,
        resourceId: item.resource?.identifier ?? item.identifierref,
        launchUrl: item.launchUrl,
        isSco: item.resource?.scormType === 'sco',
        depth,
        data,
      });
      walk(item.children, item.identifier, depth + 1);
    }
  };
  walk(items, null, 0);
  return out;
}

/**
 * Stores a checked package as a new course (or a new version of `courseId`): every file of the
 * package is streamed to `courses/<courseId>/<version>/<path>` in the tenant's storage with its
 * content type, then the course, its diagnostics and its item tree are written in one transaction.
 * Files already written are removed again when anything fails.
 */
export async function importCourse(
  deps: { db: Database; storage: BlobStorage },
  tenantId: string,
  checked: Extract<CheckedPackage, { ok: true }>,
  courseId?: string,
) {
  const { analysis, source, diagnostics } = checked;
  const root = analysis.root;
  const entries = (await source.list()).filter(
    (e) => e.path.startsWith(root) && e.path.length > root.length && !LITTER.test(e.path),
  );
  const id = courseId ?? randomUUID();
  const version = courseId === undefined ? 1 : await deps.db.repos.courses.nextVersion(tenantId, id);
  const folder = courseFolder(id, version);
  // The whole key must be valid (segment and total length limits), not only the package path.
  const bad = entries.filter(
    (e) => !checkKey(`tenants/${tenantId}/${folder}/${e.path.slice(root.length)}`).ok,
  );
  if (bad.length > 0) {
    throw new HttpProblem(
      'PACKAGE_INVALID',
      `${bad.length} file name${bad.length === 1 ? '' : 's'} cannot be stored (too long or containing control characters).`,
      { extensions: { diagnostics, files: bad.slice(0, 20).map((e) => e.path) } },
    );
  }
  const files = tenantStorage(deps.storage, tenantId);
  let size = 0;
  try {
    // On a failure no further file is started and the puts under way finish before the folder is
    // removed below, so that none of them lands after the clean-up.
    await forEachEntry(
      source,
      async (entry, stream) => {
        const path = entry.path.slice(root.length);
        const result = await files.put(`${folder}/${path}`, stream, {
          contentType: contentTypeOf(path),
          size: entry.size,
        });
        size += result.size;
      },
      { concurrency: PUT_CONCURRENCY, entries },
    );
    const manifest = analysis.manifest;
    return await deps.db.repos.courses.create(tenantId, {
      id,
      version,
      kind: analysis.kind === 'unknown' ? 'scorm' : analysis.kind,
      scormVersion: (analysis.version as ScormVersion | null) ?? null,
      title: analysis.title || manifest?.identifier || 'Untitled course',
      diagnostics,
      model: { root, manifest },
      storagePrefix: tenantKey(tenantId, folder),
      size,
      items: manifest?.defaultOrganization ? itemInputs(manifest.defaultOrganization.items) : [],
    });
  } catch (error) {
    await files.deletePrefix(folder).catch(() => 0);
    throw error;
  }
}
