import { describe, expect, it } from 'vitest';
import {
  canonicalObjectiveId,
  defaultSequencing,
  emptySequencingDefinition,
  resolveSequencing,
  type SequencingDefinition,
} from './sequencing.js';

describe('defaultSequencing', () => {
  it('applies every IMS SS / SCORM SN default', () => {
    const s = defaultSequencing();
    expect(s.controlMode).toEqual({
      choice: true,
      choiceExit: true,
      flow: false,
      forwardOnly: false,
      useCurrentAttemptObjectiveInfo: true,
      useCurrentAttemptProgressInfo: true,
      explicit: [],
    });
    expect(s.sequencingRules).toEqual({
      preConditionRules: [],
      exitConditionRules: [],
      postConditionRules: [],
    });
    expect(s.limitConditions).toEqual({
      attemptLimit: null,
      attemptAbsoluteDurationLimit: null,
      attemptExperiencedDurationLimit: null,
      activityAbsoluteDurationLimit: null,
      activityExperiencedDurationLimit: null,
      beginTimeLimit: null,
      endTimeLimit: null,
    });
    expect(s.rollupRules).toEqual({
      rollupObjectiveSatisfied: true,
      rollupProgressCompletion: true,
      objectiveMeasureWeight: 1,
      rules: [],
    });
    expect(s.objectives).toEqual({ primaryObjective: null, objectives: [] });
    expect(s.randomizationControls).toEqual({
      randomizationTiming: 'never',
      selectCount: null,
      reorderChildren: false,
      selectionTiming: 'never',
    });
    expect(s.deliveryControls).toEqual({
      tracked: true,
      completionSetByContent: false,
      objectiveSetByContent: false,
    });
    expect(s.constrainedChoiceConsiderations).toEqual({ preventActivation: false, constrainChoice: false });
    expect(s.rollupConsiderations).toEqual({
      requiredForSatisfied: 'always',
      requiredForNotSatisfied: 'always',
      requiredForCompleted: 'always',
      requiredForIncomplete: 'always',
      measureSatisfactionIfActive: true,
    });
    expect(s.auxiliaryResources).toEqual([]);
    expect(s.idRef).toBeNull();
  });
});

describe('resolveSequencing with a collection entry', () => {
  const objective = (id: string) => ({
    objectiveID: id,
    satisfiedByMeasure: false,
    minNormalizedMeasure: 1,
    mapInfo: [],
    adlMapInfo: [],
  });
  const entry: SequencingDefinition = {
    ...emptySequencingDefinition(),
    id: 'col',
    controlMode: { choice: false, flow: true },
    preConditionRules: [
      { conditionCombination: 'all', conditions: [condition('satisfied')], action: 'skip' },
    ],
    exitConditionRules: [
      { conditionCombination: 'all', conditions: [condition('completed')], action: 'exit' },
    ],
    limitConditions: { attemptLimit: 3 },
    objectives: { primaryObjective: objective('p'), objectives: [objective('o')] },
    adlObjectives: [{ objectiveID: 'p', mapInfo: [adlMap('g.p')] }],
    deliveryControls: { tracked: false },
  };

  it('overrides attributes one by one and keeps the entry for the rest', () => {
    const own: SequencingDefinition = {
      ...emptySequencingDefinition(),
      idRef: 'col',
      controlMode: { flow: false, forwardOnly: true },
      deliveryControls: { completionSetByContent: true },
    };
    const s = resolveSequencing(own, entry);
    expect(s.idRef).toBe('col');
    expect(s.controlMode).toMatchObject({ choice: false, flow: false, forwardOnly: true, choiceExit: true });
    expect(s.controlMode.explicit).toEqual(['choice', 'flow', 'forwardOnly']);
    expect(s.deliveryControls).toEqual({
      tracked: false,
      completionSetByContent: true,
      objectiveSetByContent: false,
    });
    expect(s.limitConditions.attemptLimit).toBe(3);
    expect(s.sequencingRules.preConditionRules.map((r) => r.action)).toEqual(['skip']);
    expect(s.sequencingRules.exitConditionRules.map((r) => r.action)).toEqual(['exit']);
    expect(s.objectives.primaryObjective?.objectiveID).toBe('p');
    expect(s.objectives.primaryObjective?.adlMapInfo.map((m) => m.targetObjectiveID)).toEqual(['g.p']);
  });

  it('replaces a list of the same kind the element declares itself', () => {
    const own: SequencingDefinition = {
      ...emptySequencingDefinition(),
      idRef: 'col',
      preConditionRules: [
        { conditionCombination: 'any', conditions: [condition('attempted')], action: 'disabled' },
      ],
      objectives: { primaryObjective: objective('mine'), objectives: [] },
    };
    const s = resolveSequencing(own, entry);
    expect(s.sequencingRules.preConditionRules.map((r) => r.action)).toEqual(['disabled']);
    expect(s.sequencingRules.exitConditionRules.map((r) => r.action)).toEqual(['exit']);
    expect(s.objectives.primaryObjective?.objectiveID).toBe('mine');
    expect(s.objectives.objectives).toEqual([]);
    // The entry's adlseq map info names objective "p", which this activity no longer has.
    expect(s.objectives.primaryObjective?.adlMapInfo).toEqual([]);
  });

  it('keeps the entry list when the element declares that kind with no valid rule', () => {
    const own: SequencingDefinition = { ...emptySequencingDefinition(), idRef: 'col', preConditionRules: [] };
    const s = resolveSequencing(own, entry);
    expect(s.sequencingRules.preConditionRules.map((r) => r.action)).toEqual(['skip']);
  });

  it('does not mutate the collection entry', () => {
    const before = JSON.stringify(entry);
    resolveSequencing({ ...emptySequencingDefinition(), controlMode: { choice: true } }, entry);
    expect(JSON.stringify(entry)).toBe(before);
  });
});

describe('canonicalObjectiveId', () => {
  it('collapses white space and decodes escapes (anyURI)', () => {
    expect(canonicalObjectiveId('  %20obj%20%201%20  ')).toBe('obj 1');
    expect(canonicalObjectiveId('obj%201')).toBe('obj 1');
    expect(canonicalObjectiveId('ob%20%20%20j%20%201')).toBe(canonicalObjectiveId(' ob%20j%201     '));
    expect(canonicalObjectiveId('bad%E0%A4%A')).toBe('bad%E0%A4%A');
  });
});

function condition(c: 'satisfied' | 'completed' | 'attempted') {
  return { referencedObjective: null, measureThreshold: 0, operator: 'noOp' as const, condition: c };
}

function adlMap(target: string) {
  return {
    targetObjectiveID: target,
    readRawScore: true,
    readMinScore: true,
    readMaxScore: true,
    readCompletionStatus: true,
    readProgressMeasure: true,
    writeRawScore: false,
    writeMinScore: false,
    writeMaxScore: false,
    writeCompletionStatus: false,
    writeProgressMeasure: false,
  };
}
