import { randomUUID } from 'node:crypto';
import {
  applyCommit,
  type CmiState,
  type CommitDiff,
  createInitialState,
  createScorm12Api,
  createScorm2004Api,
} from '@scormflow/cmi';
import { memoryLrsStore } from '@scormflow/lrs';
import { agentKey, validateStatement } from '@scormflow/xapi';
import { describe, expect, it } from 'vitest';
import {
  COURSE_VERSION_EXTENSION,
  courseIri,
  createActivityMemo,
  type ScormCommitContext,
  scoIri,
  scormCommitStatements,
  scormSessionStatements,
  writeScormStatements,
} from './scorm-statements.js';

interface Recorded {
  before: CmiState;
  diff: CommitDiff;
  after: CmiState;
}

/** A real session through the SCORM API of `@scormflow/cmi`, each commit applied as the server does. */
function session(version: '1.2' | '2004', script: (api: Record<string, (...a: string[]) => string>) => void) {
  let state = createInitialState(version, { scaledPassingScore: 0.8 });
  const commits: Recorded[] = [];
  const onCommit = (diff: CommitDiff) => {
    const r = applyCommit(state, diff);
    if (!r.ok) throw new Error(r.error.message);
    commits.push({ before: state, diff, after: r.value });
    state = r.value;
    return true;
  };
  const api = (version === '1.2' ? createScorm12Api : createScorm2004Api)({ state, onCommit });
  script(api as unknown as Record<string, (...a: string[]) => string>);
  return commits;
}

const attemptId = randomUUID();
const at = new Date('2026-11-22T10:00:00.000Z');

function context(commit: Recorded, version: '1.2' | '2004' = '2004'): ScormCommitContext {
  return {
    tenantId: 'acme',
    attemptId,
    learner: { externalId: 'emp-42', name: 'Ada' },
    course: { id: 'course 1', version: 3, title: 'Safety' },
    item: { identifier: 'sco/1', title: 'Lesson one' },
    version,
    ...commit,
    committedAt: at,
  };
}

const commits2004 = session('2004', (api) => {
  api.Initialize!('');
  api.SetValue!('cmi.location', 'p2');
  api.Commit!('');
  api.SetValue!('cmi.interactions.0.id', 'q1');
  api.SetValue!('cmi.interactions.0.type', 'choice');
  api.SetValue!('cmi.interactions.0.learner_response', 'a');
  api.SetValue!('cmi.interactions.0.result', 'correct');
  api.SetValue!('cmi.score.scaled', '0.9');
  api.SetValue!('cmi.completion_status', 'completed');
  api.Commit!('');
  api.SetValue!('cmi.exit', 'suspend');
  api.SetValue!('cmi.session_time', 'PT1M30S');
  api.Terminate!('');
});

describe('scormCommitStatements', () => {
  it('makes valid statements with the learner, the attempt as registration and stable IRIs', () => {
    const all = commits2004.flatMap((c) => scormCommitStatements(context(c), { baseUrl: '' }).statements);
    const verbs = all.map((s) => (s.statement.verb as { id: string }).id.split('/').pop());
    expect(verbs).toEqual(
      expect.arrayContaining(['initialized', 'progressed', 'answered', 'scored', 'completed', 'passed']),
    );
    expect(verbs).toContain('terminated');
    for (const s of all) {
      const checked = validateStatement(s.statement);
      expect(checked.ok, JSON.stringify(checked.ok ? null : checked.errors)).toBe(true);
      expect(s.id).toBe(s.statement.id);
      expect(s.stored).toBe('2026-11-22T10:00:00.000Z');
      expect(s.statement.stored).toBe(s.stored);
      expect(s.statement.timestamp).toBe(s.stored);
      expect(s.statement.version).toBe('1.0.0');
      expect(s.statement.actor).toEqual({
        objectType: 'Agent',
        name: 'Ada',
        account: { homePage: 'https://scormflow.invalid/tenants/acme', name: 'emp-42' },
      });
      expect((s.statement.authority as { account: { name: string } }).account.name).toBe('scormflow-runtime');
      const ctx = s.statement.context as { registration: string; extensions: Record<string, unknown> };
      expect(ctx.registration).toBe(attemptId);
      expect(ctx.extensions[COURSE_VERSION_EXTENSION]).toBe(3);
      expect(s.index.registration).toBe(attemptId);
      expect(s.index.agents).toContain(agentKey(s.statement.actor as never));
      expect(s.index.relatedActivities).toContain(
        'https://scormflow.invalid/tenants/acme/courses/course%201',
      );
    }
    const initialized = all.find((s) => (s.statement.verb as { id: string }).id.endsWith('/initialized'))!;
    expect((initialized.statement.object as { id: string }).id).toBe(
      'https://scormflow.invalid/tenants/acme/courses/course%201/scos/sco%2F1',
    );
  });

  it('uses the base URL as the account home page and the IRI root when there is one', () => {
    const { statements } = scormCommitStatements(context(commits2004[0]!), {
      baseUrl: 'https://lms.example.com/engine',
    });
    const actor = statements[0]!.statement.actor as { account: { homePage: string } };
    expect(actor.account.homePage).toBe('https://lms.example.com/engine');
    expect(courseIri('https://lms.example.com/engine', 'acme', 'c')).toBe(
      'https://lms.example.com/engine/tenants/acme/courses/c',
    );
    expect(scoIri('https://x.test', 't', 'c', 'a b')).toBe('https://x.test/tenants/t/courses/c/scos/a%20b');
  });

  it('gives a replayed commit the same ids, and another commit other ids', () => {
    const a = scormCommitStatements(context(commits2004[1]!), { baseUrl: '' }).statements.map((s) => s.id);
    const b = scormCommitStatements(context(commits2004[1]!), { baseUrl: '' }).statements.map((s) => s.id);
    const c = scormCommitStatements(context(commits2004[0]!), { baseUrl: '' }).statements.map((s) => s.id);
    expect(a.length).toBeGreaterThan(0);
    expect(a).toEqual(b);
    expect(a.filter((id) => c.includes(id))).toEqual([]);
  });

  it('maps a SCORM 1.2 session too', () => {
    const commits = session('1.2', (api) => {
      api.LMSInitialize!('');
      api.LMSSetValue!('cmi.core.score.raw', '85');
      api.LMSSetValue!('cmi.core.lesson_status', 'passed');
      api.LMSFinish!('');
    });
    const all = commits.flatMap((c) => scormCommitStatements(context(c, '1.2'), { baseUrl: '' }).statements);
    const verbs = all.map((s) => (s.statement.verb as { id: string }).id.split('/').pop());
    expect(verbs).toEqual(expect.arrayContaining(['initialized', 'scored', 'passed', 'terminated']));
    for (const s of all) expect(validateStatement(s.statement).ok).toBe(true);
  });
});

describe('scormSessionStatements', () => {
  it('gives each commit of a session what scormCommitStatements gives it, as JSON text too', () => {
    const { before: _b, diff: _d, after: _a, committedAt: _c, ...session } = context(commits2004[0]!);
    for (const baseUrl of ['', 'https://lms.example.com/engine']) {
      const make = scormSessionStatements(session, { baseUrl });
      for (const [n, c] of commits2004.entries()) {
        const when = new Date(at.getTime() + n * 1000);
        const made = make(c.before, c.diff, c.after, when);
        const expected = scormCommitStatements({ ...context(c), committedAt: when }, { baseUrl });
        expect(made).toEqual(expected);
        // The stored text (member order included) is the same.
        expect(made.statements.map((s) => JSON.stringify(s.statement))).toEqual(
          expected.statements.map((s) => JSON.stringify(s.statement)),
        );
        for (const s of made.statements) expect(validateStatement(s.statement).ok).toBe(true);
      }
    }
  });
});

describe('writeScormStatements', () => {
  it('merges activities in the insert; with a memo, sends a definition once and still a changed one', async () => {
    const inner = memoryLrsStore();
    const sent: string[] = [];
    const other: unknown[] = [];
    const store = {
      ...inner,
      insertStatements: (...args: Parameters<typeof inner.insertStatements>) => {
        for (const a of args[2]?.activities ?? []) sent.push(a.id);
        return inner.insertStatements(...args);
      },
      getActivity: (...args: Parameters<typeof inner.getActivity>) => {
        other.push(args);
        return inner.getActivity(...args);
      },
      putActivities: (...args: Parameters<typeof inner.putActivities>) => {
        other.push(args);
        return inner.putActivities(...args);
      },
    };
    const scope = { tenantId: 'acme' };
    const memo = createActivityMemo();
    const { before: _b, diff: _d, after: _a, committedAt: _c, ...session } = context(commits2004[0]!);
    const make = scormSessionStatements(session, { baseUrl: '' });
    const first = make(commits2004[1]!.before, commits2004[1]!.diff, commits2004[1]!.after, at);
    expect(await writeScormStatements(store, scope, first, memo)).toMatchObject({ ok: true });
    const ids = [...new Set(first.activities.map((a) => a.id))];
    expect(sent.sort()).toEqual([...ids].sort());
    const course = courseIri('', 'acme', 'course 1');
    expect(await inner.getActivity(scope, course)).toMatchObject({ name: { und: 'Safety' } });
    // A later commit of the session brings the same course, SCO and profile definitions: none sent.
    const later = make(
      commits2004[1]!.before,
      { ...commits2004[1]!.diff, seq: 99 },
      commits2004[1]!.after,
      at,
    );
    expect(await writeScormStatements(store, scope, later, memo)).toMatchObject({ ok: true });
    expect(sent).toHaveLength(ids.length);
    // Another title for the course is a new definition: sent and merged.
    const renamed = scormSessionStatements(
      { ...session, course: { ...session.course, title: 'Safety 2' } },
      { baseUrl: '' },
    )(commits2004[1]!.before, { ...commits2004[1]!.diff, seq: 100 }, commits2004[1]!.after, at);
    expect(await writeScormStatements(store, scope, renamed, memo)).toMatchObject({ ok: true });
    expect(sent.filter((id) => id === course)).toHaveLength(2);
    expect(await inner.getActivity(scope, course)).toMatchObject({ name: { und: 'Safety 2' } });
    // Another tenant's activities are its own.
    const before = sent.length;
    await writeScormStatements(store, { tenantId: 'other' }, later, memo);
    expect(sent.length).toBe(before + ids.length);
    expect(await inner.getActivity({ tenantId: 'other' }, course)).toMatchObject({ name: { und: 'Safety' } });
    // The merge happens inside the insert: no separate activity read or write.
    expect(other).toEqual([]);
  });

  it('a conflicting insert merges no activity definition', async () => {
    const store = memoryLrsStore();
    const scope = { tenantId: 'acme' };
    const { before: _b, diff: _d, after: _a, committedAt: _c, ...session } = context(commits2004[0]!);
    const make = scormSessionStatements(session, { baseUrl: '' });
    const first = make(commits2004[1]!.before, commits2004[1]!.diff, commits2004[1]!.after, at);
    expect(await writeScormStatements(store, scope, first)).toMatchObject({ ok: true });
    const renamed = scormSessionStatements(
      { ...session, course: { ...session.course, title: 'Safety 2' } },
      { baseUrl: '' },
    )(commits2004[2]!.before, commits2004[2]!.diff, commits2004[2]!.after, at);
    // One statement id of the batch exists with other content: nothing of the batch is stored.
    const clash = { ...renamed, statements: [first.statements[0]!, ...renamed.statements] };
    const memo = createActivityMemo();
    expect(await writeScormStatements(store, scope, clash, memo)).toEqual({
      ok: false,
      conflicts: [first.statements[0]!.id],
    });
    expect(await store.getActivity(scope, courseIri('', 'acme', 'course 1'))).toMatchObject({
      name: { und: 'Safety' },
    });
    // The memo learned nothing from the refused insert.
    expect(memo.has('acme', courseIri('', 'acme', 'course 1'), renamed.activities[0]!.definition)).toBe(
      false,
    );
  });

  it('stores the statements once, finds them by registration and agent, and merges activities', async () => {
    const store = memoryLrsStore();
    const scope = { tenantId: 'acme' };
    let total = 0;
    for (const c of commits2004) {
      const built = scormCommitStatements(context(c), { baseUrl: '' });
      const written = await writeScormStatements(store, scope, built);
      expect(written).toEqual({ ok: true, written: built.statements.length });
      total += built.statements.length;
      // The same commit again changes nothing.
      expect(await writeScormStatements(store, scope, built)).toEqual({ ok: true, written: 0 });
    }
    const page = await store.queryStatements(scope, { registration: attemptId, limit: 100 });
    expect(page.records).toHaveLength(total);
    const actor = page.records[0]!.statement.actor;
    const byAgent = await store.queryStatements(scope, { agent: agentKey(actor as never)!, limit: 100 });
    expect(byAgent.records).toHaveLength(total);
    expect(
      await store.queryStatements({ tenantId: 'other' }, { registration: attemptId, limit: 10 }),
    ).toEqual({
      records: [],
      next: null,
    });
    const course = await store.getActivity(scope, courseIri('', 'acme', 'course 1'));
    expect(course).toMatchObject({
      type: 'http://adlnet.gov/expapi/activities/course',
      name: { und: 'Safety' },
    });
  });
});
