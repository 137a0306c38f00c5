import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Engine, startEngine } from './harness.js';

interface CourseBody {
  scormVersion: string;
  title: string;
  diagnostics: { code: string; severity: string; message: string }[];
  items: { identifier: string; isSco: boolean; launchUrl: string | null; data: Record<string, unknown> }[];
}

/** The fixture courses of the browser tests import cleanly and carry the manifest data the tests rely on. */
describe('browser fixture courses', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await startEngine();
  });
  afterAll(async () => {
    await engine?.close();
  });

  async function course(name: string): Promise<CourseBody> {
    const id = await engine.upload(name);
    const res = await engine.api(`/api/v1/courses/${id}`);
    expect(res.status).toBe(200);
    const body = res.body as CourseBody;
    const problems = body.diagnostics.filter((d) => d.severity === 'error');
    expect(problems, JSON.stringify(problems, null, 2)).toEqual([]);
    return body;
  }

  it('scorm12-single: one SCO', async () => {
    const body = await course('scorm12-single');
    expect(body.scormVersion).toBe('1.2');
    expect(body.items.filter((i) => i.isSco).map((i) => [i.identifier, i.launchUrl])).toEqual([
      ['fire_sco', 'index.html'],
    ]);
  });

  it('scorm12-multi: three SCOs in a nested organization, mastery score and launch data', async () => {
    const body = await course('scorm12-multi');
    expect(body.items.map((i) => [i.identifier, i.isSco])).toEqual([
      ['wh_intro', true],
      ['wh_module', false],
      ['wh_lesson', true],
      ['wh_quiz', true],
    ]);
    const byId = Object.fromEntries(body.items.map((i) => [i.identifier, i.data]));
    expect(byId.wh_lesson).toMatchObject({ dataFromLms: 'chapter=2&mode=review' });
    expect(byId.wh_quiz).toMatchObject({ masteryScore: 75 });
  });

  it('scorm2004-full: two SCOs, flow without choice, a completion threshold and objectives', async () => {
    const body = await course('scorm2004-full');
    expect(body.scormVersion).toMatch(/^2004/);
    expect(body.items.filter((i) => i.isSco).map((i) => i.identifier)).toEqual([
      'dp_module',
      'dp_assessment',
    ]);
    expect(body.items[0]!.data).toMatchObject({
      dataFromLms: 'audience=staff',
      completionThreshold: { completedByMeasure: true, minProgressMeasure: 0.75 },
    });
  });
});
