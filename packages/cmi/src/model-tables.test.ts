import { describe, expect, it } from 'vitest';
import { SPEC_12 } from './model-12.js';
import { SPEC_2004 } from './model-2004.js';

// Access of every element as the specifications list it (RTE 1.2 3.4, RTE 2004 4th Ed 4.2 / 4.4).
const ACCESS_2004: Record<string, 'ro' | 'wo' | 'rw'> = {
  'cmi.comments_from_learner.n.comment': 'rw',
  'cmi.comments_from_learner.n.location': 'rw',
  'cmi.comments_from_learner.n.timestamp': 'rw',
  'cmi.comments_from_lms.n.comment': 'ro',
  'cmi.comments_from_lms.n.location': 'ro',
  'cmi.comments_from_lms.n.timestamp': 'ro',
  'cmi.completion_status': 'rw',
  'cmi.completion_threshold': 'ro',
  'cmi.credit': 'ro',
  'cmi.entry': 'ro',
  'cmi.exit': 'wo',
  'cmi.interactions.n.id': 'rw',
  'cmi.interactions.n.type': 'rw',
  'cmi.interactions.n.objectives.n.id': 'rw',
  'cmi.interactions.n.timestamp': 'rw',
  'cmi.interactions.n.correct_responses.n.pattern': 'rw',
  'cmi.interactions.n.weighting': 'rw',
  'cmi.interactions.n.learner_response': 'rw',
  'cmi.interactions.n.result': 'rw',
  'cmi.interactions.n.latency': 'rw',
  'cmi.interactions.n.description': 'rw',
  'cmi.launch_data': 'ro',
  'cmi.learner_id': 'ro',
  'cmi.learner_name': 'ro',
  'cmi.learner_preference.audio_level': 'rw',
  'cmi.learner_preference.language': 'rw',
  'cmi.learner_preference.delivery_speed': 'rw',
  'cmi.learner_preference.audio_captioning': 'rw',
  'cmi.location': 'rw',
  'cmi.max_time_allowed': 'ro',
  'cmi.mode': 'ro',
  'cmi.objectives.n.id': 'rw',
  'cmi.objectives.n.score.scaled': 'rw',
  'cmi.objectives.n.score.raw': 'rw',
  'cmi.objectives.n.score.min': 'rw',
  'cmi.objectives.n.score.max': 'rw',
  'cmi.objectives.n.success_status': 'rw',
  'cmi.objectives.n.completion_status': 'rw',
  'cmi.objectives.n.progress_measure': 'rw',
  'cmi.objectives.n.description': 'rw',
  'cmi.progress_measure': 'rw',
  'cmi.scaled_passing_score': 'ro',
  'cmi.score.scaled': 'rw',
  'cmi.score.raw': 'rw',
  'cmi.score.min': 'rw',
  'cmi.score.max': 'rw',
  'cmi.session_time': 'wo',
  'cmi.success_status': 'rw',
  'cmi.suspend_data': 'rw',
  'cmi.time_limit_action': 'ro',
  'cmi.total_time': 'ro',
  'adl.nav.request': 'rw',
  'adl.nav.request_valid.continue': 'ro',
  'adl.nav.request_valid.previous': 'ro',
  'adl.nav.request_valid.choice': 'ro',
  'adl.nav.request_valid.jump': 'ro',
  'adl.data.n.id': 'ro',
  'adl.data.n.store': 'rw',
};

const ACCESS_12: Record<string, 'ro' | 'wo' | 'rw'> = {
  'cmi.core.student_id': 'ro',
  'cmi.core.student_name': 'ro',
  'cmi.core.lesson_location': 'rw',
  'cmi.core.credit': 'ro',
  'cmi.core.lesson_status': 'rw',
  'cmi.core.entry': 'ro',
  'cmi.core.score.raw': 'rw',
  'cmi.core.score.min': 'rw',
  'cmi.core.score.max': 'rw',
  'cmi.core.total_time': 'ro',
  'cmi.core.lesson_mode': 'ro',
  'cmi.core.exit': 'wo',
  'cmi.core.session_time': 'wo',
  'cmi.suspend_data': 'rw',
  'cmi.launch_data': 'ro',
  'cmi.comments': 'rw',
  'cmi.comments_from_lms': 'ro',
  'cmi.objectives.n.id': 'rw',
  'cmi.objectives.n.score.raw': 'rw',
  'cmi.objectives.n.score.min': 'rw',
  'cmi.objectives.n.score.max': 'rw',
  'cmi.objectives.n.status': 'rw',
  'cmi.student_data.mastery_score': 'ro',
  'cmi.student_data.max_time_allowed': 'ro',
  'cmi.student_data.time_limit_action': 'ro',
  'cmi.student_preference.audio': 'rw',
  'cmi.student_preference.language': 'rw',
  'cmi.student_preference.speed': 'rw',
  'cmi.student_preference.text': 'rw',
  'cmi.interactions.n.id': 'wo',
  'cmi.interactions.n.objectives.n.id': 'wo',
  'cmi.interactions.n.time': 'wo',
  'cmi.interactions.n.type': 'wo',
  'cmi.interactions.n.correct_responses.n.pattern': 'wo',
  'cmi.interactions.n.weighting': 'wo',
  'cmi.interactions.n.student_response': 'wo',
  'cmi.interactions.n.result': 'wo',
  'cmi.interactions.n.latency': 'wo',
};

const BITS = { ro: 1, wo: 2, rw: 3 } as const;

describe('element tables', () => {
  it.each([
    ['2004', SPEC_2004, ACCESS_2004],
    ['1.2', SPEC_12, ACCESS_12],
  ] as const)('SCORM %s defines exactly the specified elements with their access', (_v, spec, access) => {
    expect([...spec.defs.keys()].sort()).toEqual(Object.keys(access).sort());
    for (const [el, a] of Object.entries(access)) expect(spec.defs.get(el)?.a, el).toBe(BITS[a]);
  });

  it.each([
    ['2004', SPEC_2004],
    ['1.2', SPEC_12],
  ] as const)('SCORM %s: every _children list names fields that exist', (_v, spec) => {
    for (const [parent, list] of spec.children) {
      for (const child of list.split(',')) {
        const prefix = `${parent}.${child}`;
        const exists =
          spec.defs.has(prefix) ||
          spec.collections.has(prefix) ||
          spec.children.has(prefix) ||
          [...spec.defs.keys()].some(
            (k) => k.startsWith(`${prefix}.`) || k.startsWith(`${parent}.n.${child}`),
          );
        expect(exists, `${parent}._children lists ${child}`).toBe(true);
      }
    }
  });
});
