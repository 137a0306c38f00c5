import type { ApiKey, Course, CourseItem, Tenant } from '@scormflow/db';
import type { Diagnostic } from '@scormflow/manifest';

/** A diagnostic as the API returns it (absent fields as `null`). */
export function diagnosticDto(d: Diagnostic) {
  return {
    code: d.code,
    severity: d.severity,
    message: d.message,
    file: d.file ?? null,
    line: d.line ?? null,
    column: d.column ?? null,
    hint: d.hint ?? null,
  };
}

export function tenantDto(t: Tenant) {
  return { id: t.id, name: t.name, createdAt: t.createdAt.toISOString() };
}

export function apiKeyDto(k: ApiKey) {
  return {
    id: k.id,
    tenantId: k.tenantId,
    name: k.name,
    prefix: k.prefix,
    role: k.role,
    createdAt: k.createdAt.toISOString(),
    lastUsedAt: k.lastUsedAt?.toISOString() ?? null,
    revokedAt: k.revokedAt?.toISOString() ?? null,
  };
}

export function courseSummaryDto(c: Course) {
  return {
    id: c.id,
    version: c.version,
    kind: c.kind,
    scormVersion: c.scormVersion,
    title: c.title,
    size: c.size,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

export function courseDto(c: Course, items: CourseItem[]) {
  return {
    ...courseSummaryDto(c),
    diagnostics: (c.diagnostics as Diagnostic[]).map(diagnosticDto),
    items: items.map((i) => ({
      identifier: i.identifier,
      parentIdentifier: i.parentIdentifier,
      depth: i.depth,
      title: i.title,
      resourceId: i.resourceId,
      launchUrl: i.launchUrl,
      isSco: i.isSco,
      data: i.data,
    })),
    scoCount: items.filter((i) => i.isSco).length,
  };
}
