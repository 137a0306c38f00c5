import { z } from '@hono/zod-openapi';

const Score = z.object({ scaled: z.number().nullable(), raw: z.number().nullable() }).openapi('Score');

export const AttemptSchema = z
  .object({
    id: z.string(),
    courseId: z.string(),
    courseVersion: z.number().int(),
    learner: z.object({
      id: z.string().openapi({ description: 'The external id' }),
      name: z.string().nullable(),
    }),
    status: z.enum(['active', 'suspended', 'completed', 'terminated']),
    completionStatus: z.string().nullable(),
    successStatus: z.string().nullable(),
    score: Score,
    totalTime: z
      .string()
      .openapi({ description: 'ISO 8601 duration, e.g. PT1H2M3.45S', example: 'PT0H12M5S' }),
    totalTimeSeconds: z.number(),
    currentItem: z.string().nullable(),
    createdAt: z.string().datetime(),
    updatedAt: z.string().datetime(),
    finishedAt: z.string().datetime().nullable(),
  })
  .openapi('Attempt');

export const ScoRuntimeSchema = z
  .object({
    identifier: z.string(),
    title: z.string(),
    launched: z.boolean(),
    seq: z.number().int(),
    running: z.boolean().openapi({ description: 'A session was initialized and has not terminated' }),
    completionStatus: z.string(),
    successStatus: z.string(),
    score: Score,
    totalTime: z.string(),
    entry: z.string().nullable(),
    exit: z.string().nullable(),
    location: z.string().nullable(),
    suspendData: z.string().nullable(),
    values: z
      .record(z.string(), z.string())
      .openapi({ description: 'Every CMI element the SCO state holds' }),
  })
  .openapi('ScoRuntime');

export const AttemptDetailSchema = AttemptSchema.extend({
  scos: z.array(ScoRuntimeSchema),
  objectives: z.array(
    z.object({
      item: z.string(),
      id: z.string(),
      successStatus: z.string().nullable(),
      completionStatus: z.string().nullable(),
      score: z.object({
        scaled: z.number().nullable(),
        raw: z.number().nullable(),
        min: z.number().nullable(),
        max: z.number().nullable(),
      }),
      progressMeasure: z.number().nullable(),
      description: z.string().nullable(),
    }),
  ),
  interactions: z.array(
    z.object({
      item: z.string(),
      index: z.number().int(),
      id: z.string(),
      type: z.string().nullable(),
      description: z.string().nullable(),
      learnerResponse: z.string().nullable(),
      result: z.string().nullable(),
      latency: z.string().nullable(),
      timestamp: z.string().nullable(),
      weighting: z.number().nullable(),
      correctResponses: z.array(z.string()),
      objectiveIds: z.array(z.string()),
    }),
  ),
  launches: z.array(
    z.object({
      id: z.string(),
      item: z.string(),
      startedAt: z.string().datetime(),
      endedAt: z.string().datetime().nullable(),
      exit: z.string().nullable(),
      statusReached: z.string().nullable(),
    }),
  ),
}).openapi('AttemptDetail');

export const StartedAttemptSchema = z
  .object({
    attempt: AttemptSchema,
    resumed: z
      .boolean()
      .openapi({ description: "True when the learner's suspended or active attempt was resumed" }),
    launchUrl: z.string().openapi({ example: '/play/0192f2a4-7b1e-7c3a-9d2f-5e8b1a0c4d6e?token=eyJ...' }),
    runtimeToken: z.string().openapi({ description: 'Bearer token of the runtime routes of this attempt' }),
    expiresAt: z.string().datetime(),
    scos: z.array(
      z.object({
        identifier: z.string(),
        title: z.string(),
        launchUrl: z
          .string()
          .nullable()
          .openapi({ description: 'The SCO under the content URL, token included' }),
      }),
    ),
  })
  .openapi('StartedAttempt');

export const ScormAnswerSchema = z
  .object({
    result: z
      .string()
      .openapi({ description: 'What the SCORM API method returns ("true", "false" or a value)' }),
    errorCode: z
      .string()
      .openapi({ description: 'What GetLastError / LMSGetLastError returns after the call' }),
  })
  .openapi('ScormAnswer');

export const CommitDiffSchema = z
  .object({
    seq: z.number().int().min(1),
    ops: z.array(z.tuple([z.string(), z.string()])),
    terminated: z.boolean(),
    sessionTime: z.string().optional(),
  })
  .openapi('CommitDiff', {
    description: 'What a local API sends on Commit / Terminate (`@scormflow/cmi` CommitDiff)',
  });
