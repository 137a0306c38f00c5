import type { InteractionData } from '@scormflow/cmi';
import { describe, expect, it } from 'vitest';
import { mapInteraction } from './interactions.js';

const interaction = (over: Partial<InteractionData>): InteractionData => ({
  index: 0,
  id: 'q',
  correctResponses: [],
  objectiveIds: [],
  ...over,
});

describe('mapInteraction', () => {
  it('converts SCORM 1.2 lists and pairs to the xAPI delimiters', () => {
    expect(
      mapInteraction(
        interaction({ type: 'matching', correctResponses: ['1.a,2.b'], response: '{1.b,2.a}' }),
        '1.2',
        'en',
      ),
    ).toEqual({
      definition: {
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        interactionType: 'matching',
        correctResponsesPattern: ['1[.]a[,]2[.]b'],
        source: [{ id: '1' }, { id: '2' }],
        target: [{ id: 'a' }, { id: 'b' }],
      },
      response: '1[.]b[,]2[.]a',
    });
    expect(
      mapInteraction(interaction({ type: 'sequencing', correctResponses: ['c,a,b'] }), '1.2', 'en')
        .definition,
    ).toMatchObject({
      correctResponsesPattern: ['c[,]a[,]b'],
      choices: [{ id: 'c' }, { id: 'a' }, { id: 'b' }],
    });
    expect(
      mapInteraction(
        interaction({ type: 'true-false', correctResponses: ['1'], response: 'f' }),
        '1.2',
        'en',
      ),
    ).toMatchObject({
      definition: { correctResponsesPattern: ['true'] },
      response: 'false',
    });
  });

  it('keeps SCORM 2004 formats and drops the performance order_matters flag', () => {
    const m = mapInteraction(
      interaction({
        type: 'performance',
        description: 'Steps',
        correctResponses: ['{order_matters=false}pong[.]1[:]5[,]dg[.]x'],
      }),
      '2004',
      'en-US',
    );
    expect(m.definition).toEqual({
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      description: { 'en-US': 'Steps' },
      interactionType: 'performance',
      correctResponsesPattern: ['pong[.]1[:]5[,]dg[.]x'],
      steps: [{ id: 'pong' }, { id: 'dg' }],
    });
    const fill = mapInteraction(
      interaction({
        type: 'fill-in',
        correctResponses: ['{case_matters=true}{lang=en}Paris'],
        response: 'paris',
      }),
      '2004',
      'en',
    );
    expect(fill.definition.correctResponsesPattern).toEqual(['{case_matters=true}{lang=en}Paris']);
    expect(fill.response).toBe('paris');
  });

  it('reports an interaction whose patterns do not fit its type, or of unknown type, as other', () => {
    const bad = mapInteraction(
      interaction({ type: 'numeric', correctResponses: ['ten'], response: '10' }),
      '2004',
      'en',
    );
    expect(bad.definition).toMatchObject({ interactionType: 'other', correctResponsesPattern: ['ten'] });
    expect(bad.response).toBe('10');
    expect(mapInteraction(interaction({}), '2004', 'en').definition.interactionType).toBe('other');
  });
});
