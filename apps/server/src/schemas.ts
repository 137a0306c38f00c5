import { z } from '@hono/zod-openapi';
import { PROBLEMS } from './errors.js';

/** RFC 9457 problem details as every error answers. */
export const ProblemSchema = z
  .object({
    type: z.string().openapi({ example: 'urn:scormflow:problem:course-not-found' }),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.enum(Object.keys(PROBLEMS) as [keyof typeof PROBLEMS, ...(keyof typeof PROBLEMS)[]]),
    instance: z.string(),
    errors: z
      .array(z.object({ field: z.string(), message: z.string() }))
      .optional()
      .openapi({ description: 'Validation errors, each naming the field' }),
  })
  .catchall(z.unknown())
  .openapi('Problem');

/** A problem response for OpenAPI route declarations. */
export function problem(description: string) {
  return { description, content: { 'application/problem+json': { schema: ProblemSchema } } };
}

export const DiagnosticSchema = z
  .object({
    code: z.string(),
    severity: z.enum(['error', 'warning', 'info']),
    message: z.string(),
    file: z.string().nullable(),
    line: z.number().int().nullable(),
    column: z.number().int().nullable(),
    hint: z.string().nullable(),
  })
  .openapi('Diagnostic');

export const TenantSchema = z
  .object({ id: z.string(), name: z.string(), createdAt: z.string().datetime() })
  .openapi('Tenant');

export const ApiKeySchema = z
  .object({
    id: z.string(),
    tenantId: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'First characters of the secret, to recognise the key' }),
    role: z.enum(['admin', 'member']),
    createdAt: z.string().datetime(),
    lastUsedAt: z.string().datetime().nullable(),
    revokedAt: z.string().datetime().nullable(),
  })
  .openapi('ApiKey');

export const CreatedApiKeySchema = ApiKeySchema.extend({
  secret: z.string().openapi({ description: 'The key itself. Shown once; only its hash is stored.' }),
}).openapi('CreatedApiKey');

export const CourseSummarySchema = z
  .object({
    id: z.string(),
    version: z.number().int(),
    kind: z.enum(['scorm', 'cmi5', 'xapi']),
    scormVersion: z.enum(['1.2', '2004-2nd', '2004-3rd', '2004-4th']).nullable(),
    title: z.string(),
    size: z.number().int().openapi({ description: 'Unpacked size in bytes' }),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
  })
  .openapi('CourseSummary');

export const CourseItemSchema = z
  .object({
    identifier: z.string(),
    parentIdentifier: z.string().nullable().openapi({ description: 'null for a top-level item' }),
    depth: z.number().int(),
    title: z.string(),
    resourceId: z.string().nullable(),
    launchUrl: z.string().nullable(),
    isSco: z.boolean(),
    data: z.record(z.string(), z.unknown()),
  })
  .openapi('CourseItem');

export const CourseSchema = CourseSummarySchema.extend({
  diagnostics: z.array(DiagnosticSchema),
  items: z.array(CourseItemSchema).openapi({
    description: 'The item tree of the default organization in document order (parents before children)',
  }),
  scoCount: z.number().int(),
}).openapi('Course');

export const ValidationReportSchema = z
  .object({
    valid: z.boolean(),
    kind: z.enum(['scorm', 'cmi5', 'xapi', 'unknown']),
    scormVersion: z.enum(['1.2', '2004-2nd', '2004-3rd', '2004-4th']).nullable(),
    title: z.string(),
    itemCount: z.number().int(),
    scoCount: z.number().int(),
    diagnostics: z.array(DiagnosticSchema),
  })
  .openapi('ValidationReport');
