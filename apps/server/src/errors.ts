const BRAND = Symbol.for('scormflow:error');

/**
 * Every problem the server answers with: a stable code, its HTTP status and a short title. The code
 * is what clients match on; the title never changes for a code, the `detail` explains the instance.
 * @see https://www.rfc-editor.org/rfc/rfc9457 section 3.1 (members of a problem details object)
 */
export const PROBLEMS = {
  VALIDATION_FAILED: { status: 400, title: 'The request is not valid' },
  CONTENT_PATH_INVALID: { status: 400, title: 'The path is not a file path inside the package' },
  UNAUTHENTICATED: { status: 401, title: 'An API key is required' },
  INVALID_API_KEY: { status: 401, title: 'The API key is not valid' },
  RUNTIME_TOKEN_INVALID: { status: 401, title: 'The runtime token is missing or not valid' },
  RUNTIME_TOKEN_EXPIRED: { status: 401, title: 'The runtime token has expired' },
  FORBIDDEN: { status: 403, title: 'The API key may not do this' },
  RUNTIME_TOKEN_FORBIDDEN: { status: 403, title: 'The runtime token belongs to another attempt' },
  CONTENT_TOKEN_INVALID: { status: 403, title: 'The content token is not valid' },
  CONTENT_TOKEN_EXPIRED: { status: 403, title: 'The content token has expired' },
  ROUTE_NOT_FOUND: { status: 404, title: 'No such route' },
  TENANT_NOT_FOUND: { status: 404, title: 'No such tenant' },
  COURSE_NOT_FOUND: { status: 404, title: 'No such course' },
  API_KEY_NOT_FOUND: { status: 404, title: 'No such API key' },
  ATTEMPT_NOT_FOUND: { status: 404, title: 'No such attempt' },
  ITEM_NOT_FOUND: { status: 404, title: 'No such SCO in the course' },
  ATTEMPT_CLOSED: { status: 409, title: 'The attempt is completed or terminated' },
  COMMIT_REJECTED: { status: 409, title: 'The commit was refused without side effects' },
  CONTENT_NOT_FOUND: { status: 404, title: 'No such file' },
  PAYLOAD_TOO_LARGE: { status: 413, title: 'The request body is too large' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, title: 'The request body has an unsupported media type' },
  RANGE_NOT_SATISFIABLE: { status: 416, title: 'The byte range is not satisfiable' },
  PACKAGE_INVALID: { status: 422, title: 'The package is not a valid learning package' },
  COURSE_NOT_SCORM: { status: 422, title: 'The course is not a playable SCORM package' },
  COMMIT_INVALID: { status: 422, title: 'The commit fails the SCORM data model' },
  RATE_LIMITED: { status: 429, title: 'Too many requests' },
  INTERNAL: { status: 500, title: 'Internal server error' },
  NOT_READY: { status: 503, title: 'A backing service is unreachable' },
} as const;

/** One of the keys of `PROBLEMS`. */
export type ProblemCode = keyof typeof PROBLEMS;

/** Codes of errors thrown at start-up (configuration) or for a wrong argument to a server function; they never reach an HTTP client. */
export const SERVER_ERROR_CODES = {
  ENV_INVALID: 'SERVER_ENV_INVALID',
  BOOTSTRAP_FAILED: 'SERVER_BOOTSTRAP_FAILED',
  INVALID_ARGUMENT: 'SERVER_INVALID_ARGUMENT',
} as const;

/** One of `SERVER_ERROR_CODES`. */
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[keyof typeof SERVER_ERROR_CODES];

/** A configuration or start-up fault of the server (bad environment, failed bootstrap). */
export class ServerError extends Error {
  readonly code: ServerErrorCode;
  readonly [BRAND] = true;

  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ServerError';
    this.code = code;
  }
}

/**
 * An error that becomes one problem+json answer. Thrown by handlers and middleware; the app's error
 * handler turns it into the response. `extensions` are extra members of the problem object (for
 * example `diagnostics` or `errors`).
 * @see https://www.rfc-editor.org/rfc/rfc9457
 */
export class HttpProblem extends Error {
  readonly code: ProblemCode;
  readonly status: number;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;
  readonly [BRAND] = true;

  constructor(
    code: ProblemCode,
    detail?: string,
    options: { extensions?: Record<string, unknown>; headers?: Record<string, string>; cause?: unknown } = {},
  ) {
    super(detail ?? PROBLEMS[code].title, { cause: options.cause });
    this.name = 'HttpProblem';
    this.code = code;
    this.status = PROBLEMS[code].status;
    this.extensions = options.extensions ?? {};
    this.headers = options.headers ?? {};
  }
}

/** Whether `value` is a `ServerError`, also when it comes from another copy of this package. */
export function isServerError(value: unknown): value is ServerError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code.startsWith('SERVER_')
  );
}

/** Whether `value` is an `HttpProblem`, also when it comes from another copy of this package. */
export function isHttpProblem(value: unknown): value is HttpProblem {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { [BRAND]?: unknown })[BRAND] === true &&
    typeof (value as { code?: unknown }).code === 'string' &&
    (value as { code: string }).code in PROBLEMS &&
    typeof (value as { status?: unknown }).status === 'number'
  );
}

/** The `type` URI of a problem code. */
export function problemType(code: ProblemCode): string {
  return `urn:scormflow:problem:${code.toLowerCase().replaceAll('_', '-')}`;
}

/** The RFC 9457 object of a problem, ready to serialise. */
export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance: string;
  [extension: string]: unknown;
}

/** Builds the problem object of `code` for the request path `instance`. */
export function problemBody(
  code: ProblemCode,
  detail: string,
  instance: string,
  extensions: Record<string, unknown> = {},
): ProblemBody {
  const { status, title } = PROBLEMS[code];
  return { ...extensions, type: problemType(code), title, status, detail, code, instance };
}

/** A `Response` carrying a problem as `application/problem+json`. */
export function problemResponse(
  code: ProblemCode,
  detail: string,
  instance: string,
  extensions: Record<string, unknown> = {},
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(problemBody(code, detail, instance, extensions)), {
    status: PROBLEMS[code].status,
    headers: { ...headers, 'content-type': 'application/problem+json' },
  });
}
