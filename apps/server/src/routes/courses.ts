import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { isDbError } from '@scormflow/db';
import type { AppDeps } from '../app.js';
import type { AppEnv } from '../auth.js';
import { checkPackage, courseFolder, importCourse, tenantStorage, uploadStream } from '../course-import.js';
import { courseDto, courseSummaryDto, diagnosticDto } from '../dto.js';
import { HttpProblem } from '../errors.js';
import { CourseSchema, CourseSummarySchema, problem, ValidationReportSchema } from '../schemas.js';
import { validationProblem } from '../validation.js';

const security = [{ apiKey: [] }];
const common = {
  401: problem('Missing, unknown or revoked API key'),
  429: problem('Rate limit of the tenant exceeded'),
};
const json = <T extends z.ZodType>(schema: T, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

const CourseId = z
  .string()
  .regex(/^[A-Za-z0-9-]{1,64}$/, 'a course id is 1 to 64 letters, digits and dashes')
  .openapi({ param: { name: 'courseId', in: 'path' }, example: '0192f2a4-7b1e-7c3a-9d2f-5e8b1a0c4d6e' });

const UploadQuery = z
  .object({
    courseId: z
      .string()
      .regex(/^[A-Za-z0-9-]{1,64}$/, 'a course id is 1 to 64 letters, digits and dashes')
      .optional()
      .openapi({
        description: 'Add a new version to this course of the tenant instead of creating a course',
      }),
  })
  .strict();

const uploadBody = {
  required: true,
  description:
    'The package zip: the raw body (application/zip), or the field "file" of a multipart form. Read as it streams; at most MAX_UPLOAD_BYTES.',
  content: {
    'application/zip': { schema: z.string().openapi({ format: 'binary' }) },
    'multipart/form-data': {
      schema: z.object({ file: z.string().openapi({ format: 'binary' }) }).openapi('CourseUpload'),
    },
  },
};

const importRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['courses'],
  summary: 'Import a course package (SCORM 1.2 / 2004, cmi5, xAPI)',
  security,
  request: { query: UploadQuery, body: uploadBody },
  responses: {
    201: json(CourseSchema, 'The stored course'),
    400: problem('Malformed request'),
    404: problem('courseId names no course of the tenant'),
    413: problem('The upload is larger than MAX_UPLOAD_BYTES'),
    415: problem('Not a zip or multipart body'),
    422: problem('The package is invalid; `diagnostics` lists every finding'),
    ...common,
  },
});

const validateRoute = createRoute({
  method: 'post',
  path: '/validate',
  tags: ['courses'],
  summary: 'Check a course package with the import checks; nothing is stored',
  security,
  request: { query: UploadQuery, body: uploadBody },
  responses: {
    200: json(ValidationReportSchema, 'The report: `valid` is false when any diagnostic is an error'),
    400: problem('Malformed request'),
    404: problem('courseId names no course of the tenant'),
    413: problem('The upload is larger than MAX_UPLOAD_BYTES'),
    415: problem('Not a zip or multipart body'),
    ...common,
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['courses'],
  summary: "The tenant's courses (latest version of each), newest first",
  security,
  request: {
    query: z
      .object({
        limit: z.coerce.number().int().min(1).max(100).default(20),
        cursor: z
          .string()
          .min(1)
          .max(512)
          .optional()
          .openapi({ description: '`nextCursor` of the previous page' }),
      })
      .strict(),
  },
  responses: {
    200: json(
      z
        .object({ items: z.array(CourseSummarySchema), nextCursor: z.string().nullable() })
        .openapi('CoursePage'),
      'One page',
    ),
    400: problem('Invalid limit or cursor'),
    ...common,
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/{courseId}',
  tags: ['courses'],
  summary: 'A course: metadata, import diagnostics and item tree',
  security,
  request: {
    params: z.object({ courseId: CourseId }),
    query: z
      .object({
        version: z.coerce.number().int().min(1).optional().openapi({ description: 'Default: the latest' }),
      })
      .strict(),
  },
  responses: {
    200: json(CourseSchema, 'The course'),
    400: problem('Invalid id'),
    404: problem('No such course'),
    ...common,
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/{courseId}',
  tags: ['courses'],
  summary: 'Delete a course, all its versions, attempts and stored files',
  security,
  request: { params: z.object({ courseId: CourseId }) },
  responses: {
    204: { description: 'Deleted' },
    400: problem('Invalid id'),
    404: problem('No such course'),
    ...common,
  },
});

function packageProblem(diagnostics: ReturnType<typeof diagnosticDto>[]): HttpProblem {
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return new HttpProblem(
    'PACKAGE_INVALID',
    errors > 0
      ? `The package has ${errors} error${errors === 1 ? '' : 's'}; see diagnostics.`
      : 'The package is not a SCORM, cmi5 or xAPI package.',
    { extensions: { diagnostics } },
  );
}

/** Course routes under `/api/v1/courses`. */
export function courseRoutes(deps: AppDeps) {
  const { repos } = deps.db;
  const app = new OpenAPIHono<AppEnv>({ defaultHook: deps.validationHook });
  const zipLimits = { ...deps.zipLimits, maxZipBytes: deps.maxUploadBytes + 1 };

  const parseUploadQuery = async (c: { req: { query(): Record<string, string> } }, tenantId: string) => {
    const parsed = UploadQuery.safeParse(c.req.query());
    if (!parsed.success) throw validationProblem('query', parsed.error);
    const { courseId } = parsed.data;
    if (courseId !== undefined && !(await repos.courses.get(tenantId, courseId))) {
      throw new HttpProblem('COURSE_NOT_FOUND', `The tenant has no course "${courseId}".`);
    }
    return courseId;
  };

  // The upload routes read the body themselves (streamed), so they are declared for the OpenAPI
  // document and handled by plain handlers: a validator would buffer the whole multipart body.
  app.openAPIRegistry.registerPath(validateRoute);
  app.post('/validate', async (c) => {
    await parseUploadQuery(c, c.get('auth').tenantId);
    const checked = await checkPackage(uploadStream(c.req.raw, deps.maxUploadBytes), zipLimits);
    if (checked.ok) await checked.source.close?.();
    const a = checked.analysis;
    return c.json(
      {
        valid: checked.ok,
        kind: a?.kind ?? 'unknown',
        scormVersion: a?.version ?? null,
        title: a?.title ?? '',
        itemCount: a?.itemCount ?? 0,
        scoCount: a?.scoCount ?? 0,
        diagnostics: checked.diagnostics.map(diagnosticDto),
      },
      200,
    );
  });

  app.openAPIRegistry.registerPath(importRoute);
  app.post('/', async (c) => {
    const { tenantId } = c.get('auth');
    const courseId = await parseUploadQuery(c, tenantId);
    const checked = await checkPackage(uploadStream(c.req.raw, deps.maxUploadBytes), zipLimits);
    if (!checked.ok) throw packageProblem(checked.diagnostics.map(diagnosticDto));
    let course: Awaited<ReturnType<typeof importCourse>>;
    try {
      course = await importCourse(deps, tenantId, checked, courseId);
    } finally {
      await checked.source.close?.();
    }
    const items = await repos.courses.items(tenantId, course.id, course.version);
    c.header('location', `/api/v1/courses/${course.id}`);
    return c.json(courseDto(course, items), 201);
  });

  return app
    .openapi(listRoute, async (c) => {
      const { limit, cursor } = c.req.valid('query');
      let page: Awaited<ReturnType<typeof repos.courses.list>>;
      try {
        page = await repos.courses.list(c.get('auth').tenantId, { limit, cursor: cursor ?? null });
      } catch (error) {
        if (isDbError(error) && error.code === 'DB_INVALID_CURSOR') {
          throw new HttpProblem('VALIDATION_FAILED', 'The cursor is not one this API returned.', {
            extensions: { errors: [{ field: 'query.cursor', message: 'invalid cursor' }] },
          });
        }
        throw error;
      }
      return c.json({ items: page.items.map(courseSummaryDto), nextCursor: page.nextCursor }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { tenantId } = c.get('auth');
      const { courseId } = c.req.valid('param');
      const { version } = c.req.valid('query');
      const course = await repos.courses.get(tenantId, courseId, version);
      if (!course) {
        throw new HttpProblem(
          'COURSE_NOT_FOUND',
          `The tenant has no course "${courseId}"${version === undefined ? '' : ` in version ${version}`}.`,
        );
      }
      const items = await repos.courses.items(tenantId, course.id, course.version);
      return c.json(courseDto(course, items), 200);
    })
    .openapi(deleteRoute, async (c) => {
      const { tenantId } = c.get('auth');
      const { courseId } = c.req.valid('param');
      if (!(await repos.courses.delete(tenantId, courseId))) {
        throw new HttpProblem('COURSE_NOT_FOUND', `The tenant has no course "${courseId}".`);
      }
      // Rows first: a failure below leaves unreachable files behind, never a course without files.
      await tenantStorage(deps.storage, tenantId).deletePrefix(courseFolder(courseId));
      return c.body(null, 204);
    });
}
