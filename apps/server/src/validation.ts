import type { z } from 'zod';
import { HttpProblem } from './errors.js';

/** A 400 `VALIDATION_FAILED` problem naming each bad field as `<target>.<path>` (`json.name`, `query.limit`). */
export function validationProblem(target: string, error: z.ZodError): HttpProblem {
  const errors = error.issues.map((issue) => ({
    field: [target, ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  const detail = errors.map((e) => `${e.field}: ${e.message}`).join('; ');
  return new HttpProblem('VALIDATION_FAILED', detail || 'The request is not valid.', {
    extensions: { errors },
  });
}
