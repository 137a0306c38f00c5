import type { Database } from '../src/index.js';

/** A new tenant with one learner, a one-SCO SCORM 2004 course named `title`, and an attempt on it. */
export async function oneScoAttempt(
  db: Database,
  title: string,
): Promise<{ tenantId: string; attemptId: string }> {
  const tenant = await db.repos.tenants.create({ name: title });
  const learner = await db.repos.learners.upsert(tenant.id, { externalId: `${title}-learner` });
  const course = await db.repos.courses.create(tenant.id, {
    kind: 'scorm',
    scormVersion: '2004-4th',
    title,
    diagnostics: [],
    model: {},
    storagePrefix: `t/${title}/`,
    size: 1,
    items: [{ identifier: 'I1', title: 'One', isSco: true, depth: 0 }],
  });
  const attempt = await db.repos.attempts.create(tenant.id, {
    courseId: course.id,
    courseVersion: course.version,
    learnerId: learner.id,
  });
  if (!attempt) throw new Error('no attempt');
  return { tenantId: tenant.id, attemptId: attempt.id };
}
