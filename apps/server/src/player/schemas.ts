import { z } from '@hono/zod-openapi';
import { ITEM_STATUSES } from './navigation.js';

const ControlMode = z
  .object({
    choice: z.boolean().optional(),
    flow: z.boolean().optional(),
    forwardOnly: z.boolean().optional(),
  })
  .nullable()
  .openapi('NavigationControlMode', {
    description:
      'The sequencing control modes the manifest states for the children of this activity (SCORM 2004 `imsss:controlMode`); absent flags and `null` mean the manifest states none',
  });

const Score = z.object({ scaled: z.number().nullable(), raw: z.number().nullable() });

export const NavigationSchema = z
  .object({
    attemptId: z.string(),
    course: z.object({
      id: z.string(),
      version: z.number().int(),
      title: z.string(),
      scormVersion: z.enum(['1.2', '2004']),
      edition: z.string().nullable().openapi({ description: 'The SCORM edition the manifest declares' }),
    }),
    attempt: z.object({
      status: z.enum(['active', 'suspended', 'completed', 'terminated']),
      completionStatus: z.string().nullable(),
      successStatus: z.string().nullable(),
      score: Score,
    }),
    currentItem: z.string().nullable().openapi({ description: 'The SCO the learner was last in' }),
    organization: z.object({
      identifier: z.string().nullable(),
      title: z.string(),
      controlMode: ControlMode,
    }),
    items: z
      .array(
        z.object({
          identifier: z.string(),
          title: z.string(),
          parentIdentifier: z.string().nullable(),
          depth: z.number().int(),
          children: z.array(z.string()).openapi({ description: "The children's identifiers, in order" }),
          launchable: z.boolean().openapi({ description: 'A SCO with a launch URL' }),
          visible: z.boolean().openapi({ description: 'False for `isvisible="false"` items' }),
          contentUrl: z
            .string()
            .nullable()
            .openapi({ description: 'The SCO under its content URL (content token in the path)' }),
          controlMode: ControlMode,
          progress: z
            .object({
              status: z.enum(ITEM_STATUSES),
              completionStatus: z.string(),
              successStatus: z.string(),
              score: Score,
            })
            .nullable(),
        }),
      )
      .openapi({ description: 'The default organization in document order' }),
    crossOriginContent: z
      .boolean()
      .openapi({ description: 'The content is served from another origin than the engine (frame mode)' }),
    returnUrl: z
      .string()
      .nullable()
      .openapi({ description: 'Where the learner goes when the attempt ends (signed in the runtime token)' }),
  })
  .openapi('Navigation');
