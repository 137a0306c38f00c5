import { describe, expect, it } from 'vitest';
import { agentParam, makeLrs, statement, uuid } from './helpers.js';

const VOIDED = 'http://adlnet.gov/expapi/verbs/voided';

async function post(lrs: ReturnType<typeof makeLrs>, body: unknown): Promise<string[]> {
  const response = await lrs.call('POST', '/statements', { json: body });
  expect(response.status).toBe(200);
  return (await response.json()) as string[];
}

async function get(
  lrs: ReturnType<typeof makeLrs>,
  query: Record<string, string>,
): Promise<{ statements: Record<string, unknown>[]; more: string }> {
  const response = await lrs.call('GET', '/statements', { query });
  expect(response.status).toBe(200);
  return (await response.json()) as { statements: Record<string, unknown>[]; more: string };
}

describe('PUT /statements', () => {
  it('XAPI-00143 XAPI-00144 stores a statement under statementId and answers 204', async () => {
    const lrs = makeLrs();
    const id = uuid();
    const response = await lrs.call('PUT', '/statements', { query: { statementId: id }, json: statement() });
    expect(response.status).toBe(204);
    const got = await lrs.call('GET', '/statements', { query: { statementId: id } });
    expect(got.status).toBe(200);
    expect(((await got.json()) as { id: string }).id).toBe(id);
  });

  it('XAPI-00145 rejects a PUT without statementId with 400', async () => {
    const lrs = makeLrs();
    expect((await lrs.call('PUT', '/statements', { json: statement() })).status).toBe(400);
  });

  it('rejects a PUT whose statement id differs from statementId', async () => {
    const lrs = makeLrs();
    const response = await lrs.call('PUT', '/statements', {
      query: { statementId: uuid() },
      json: statement({ id: uuid() }),
    });
    expect(response.status).toBe(400);
  });

  it('XAPI-00142 an existing id with the same statement is a no-op, with a different one 409, and nothing changes', async () => {
    const lrs = makeLrs();
    const id = uuid();
    const first = statement({ id });
    expect((await lrs.call('PUT', '/statements', { query: { statementId: id }, json: first })).status).toBe(
      204,
    );
    const before = await (await lrs.call('GET', '/statements', { query: { statementId: id } })).json();
    expect((await lrs.call('PUT', '/statements', { query: { statementId: id }, json: first })).status).toBe(
      204,
    );
    // A POST of statements that all exist already stores nothing: 204 (Communication 2.1.2.s2.b4).
    expect((await lrs.call('POST', '/statements', { json: first })).status).toBe(204);
    const fresh = statement({ id: uuid() });
    const mixed = await lrs.call('POST', '/statements', { json: [first, fresh] });
    expect(mixed.status).toBe(200);
    expect(await mixed.json()).toEqual([id, fresh.id]);
    const changed = { ...first, verb: { id: 'http://example.com/verbs/other' } };
    expect((await lrs.call('PUT', '/statements', { query: { statementId: id }, json: changed })).status).toBe(
      409,
    );
    expect((await lrs.call('POST', '/statements', { json: [changed] })).status).toBe(409);
    const after = await (await lrs.call('GET', '/statements', { query: { statementId: id } })).json();
    expect(after).toEqual(before);
  });
});

describe('POST /statements', () => {
  it('XAPI-00146 XAPI-00026 answers 200 with the ids in order, generating missing ids', async () => {
    const lrs = makeLrs();
    const given = uuid();
    const ids = await post(lrs, [statement(), statement({ id: given }), statement()]);
    expect(ids).toHaveLength(3);
    expect(ids[1]).toBe(given);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(new Set(ids).size).toBe(3);
  });

  it('refuses an identifier with a lone surrogate (a JSON \\ud800 escape) with 400, storing nothing', async () => {
    const lrs = makeLrs();
    const id = uuid();
    const bad = statement({
      id,
      actor: { objectType: 'Agent', account: { homePage: 'https://x.example', name: 'bad\ud800' } },
    });
    const body = JSON.stringify(bad);
    expect(body).toContain('\\ud800');
    const response = await lrs.call('POST', '/statements', {
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('lone UTF-16 surrogate');
    expect((await lrs.call('GET', '/statements', { query: { statementId: id } })).status).toBe(404);
  });

  it('XAPI-00023 XAPI-00097 XAPI-00099 sets stored, authority, version and timestamp', async () => {
    const lrs = makeLrs();
    const [id] = await post(lrs, statement());
    const stored = (await (
      await lrs.call('GET', '/statements', { query: { statementId: id! } })
    ).json()) as Record<string, unknown>;
    expect(stored.stored).toBe('2026-01-01T00:00:00.000Z');
    expect(stored.timestamp).toBe(stored.stored);
    expect(stored.version).toBe('1.0.0');
    expect(stored.authority).toEqual({
      objectType: 'Agent',
      name: 'Tenant A',
      account: { homePage: 'https://lrs.example.com', name: 'a' },
    });
  });

  it('XAPI-00332 keeps the version a statement was sent with, and XAPI-00122 its timestamp precision', async () => {
    const lrs = makeLrs();
    const [id] = await post(
      lrs,
      statement({ version: '1.0.3', timestamp: '2026-01-01T10:00:00.123456+02:00' }),
    );
    const got = (await (
      await lrs.call('GET', '/statements', { query: { statementId: id! } })
    ).json()) as Record<string, unknown>;
    expect(got.version).toBe('1.0.3');
    expect(got.timestamp).toBe('2026-01-01T10:00:00.123456+02:00');
  });

  it('XAPI-00326 rejects a whole batch when one statement is invalid, storing nothing', async () => {
    const lrs = makeLrs();
    const good = statement({ id: uuid() });
    const bad = statement({ id: uuid(), verb: { id: 'not an iri' } });
    const response = await lrs.call('POST', '/statements', { json: [good, bad] });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { message: string; details: unknown[] };
    expect(body.message).toContain('[1]');
    expect(body.details.length).toBeGreaterThan(0);
    expect((await lrs.call('GET', '/statements', { query: { statementId: good.id as string } })).status).toBe(
      404,
    );
  });

  it('rejects a batch with the same id twice with 400 (Communication 2.1.2.s2.b6)', async () => {
    const lrs = makeLrs();
    const id = uuid();
    expect(
      (await lrs.call('POST', '/statements', { json: [statement({ id }), statement({ id })] })).status,
    ).toBe(400);
  });

  it('XAPI-00021 rejects a statement with a duplicate key', async () => {
    const lrs = makeLrs();
    const body = `{"actor":{"mbox":"mailto:a@example.com"},"verb":{"id":"http://example.com/v"},"verb":{"id":"http://example.com/w"},"object":{"id":"http://example.com/o"}}`;
    const response = await lrs.call('POST', '/statements', {
      body,
      headers: { 'Content-Type': 'application/json' },
    });
    expect(response.status).toBe(400);
  });

  it('XAPI-00014 rejects malformed JSON, and XAPI-00015 bodies that are not UTF-8', async () => {
    const lrs = makeLrs();
    const json = { 'Content-Type': 'application/json' };
    expect((await lrs.call('POST', '/statements', { body: '{"actor":', headers: json })).status).toBe(400);
    const latin1 = new Uint8Array([0x7b, 0x22, 0xe9, 0x22, 0x3a, 0x31, 0x7d]);
    expect((await lrs.call('POST', '/statements', { body: latin1, headers: json })).status).toBe(400);
  });

  it('XAPI-00015 keeps UTF-8 text intact', async () => {
    const lrs = makeLrs();
    const display = { 'ja-JP': '経験した', 'de-DE': 'erlebt ✓' };
    const [id] = await post(lrs, statement({ verb: { id: 'http://example.com/v', display } }));
    const got = (await (await lrs.call('GET', '/statements', { query: { statementId: id! } })).json()) as {
      verb: { display: unknown };
    };
    expect(got.verb.display).toEqual(display);
  });

  it('XAPI-00127 rejects a POST that is neither application/json nor multipart/mixed', async () => {
    const lrs = makeLrs();
    const response = await lrs.call('POST', '/statements', {
      body: JSON.stringify(statement()),
      headers: { 'Content-Type': 'text/plain' },
    });
    expect(response.status).toBe(400);
  });

  it('XAPI-00129 rejects an application/json statement with an attachment that has no fileUrl', async () => {
    const lrs = makeLrs();
    const attachments = [
      {
        usageType: 'http://example.com/usage',
        display: { 'en-US': 'a' },
        contentType: 'text/plain',
        length: 3,
        sha2: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
      },
    ];
    expect((await lrs.call('POST', '/statements', { json: statement({ attachments }) })).status).toBe(400);
    const withUrl = [{ ...attachments[0], fileUrl: 'http://example.com/a.txt' }];
    expect(
      (await lrs.call('POST', '/statements', { json: statement({ attachments: withUrl }) })).status,
    ).toBe(200);
  });

  it('XAPI-00327 answers 403 to credentials that may only read', async () => {
    const lrs = makeLrs();
    expect((await lrs.call('POST', '/statements', { json: statement(), user: 'reader' })).status).toBe(403);
    expect((await lrs.call('GET', '/statements', { user: 'reader' })).status).toBe(200);
  });
});

describe('voiding', () => {
  it('XAPI-00018 XAPI-00155 XAPI-00163 a voided statement is found only by voidedStatementId', async () => {
    const lrs = makeLrs();
    const [target] = await post(lrs, statement());
    const [voiding] = await post(
      lrs,
      statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } }),
    );
    expect((await lrs.call('GET', '/statements', { query: { statementId: target! } })).status).toBe(404);
    const voided = await lrs.call('GET', '/statements', { query: { voidedStatementId: target! } });
    expect(voided.status).toBe(200);
    expect(((await voided.json()) as { id: string }).id).toBe(target);
    expect((await lrs.call('GET', '/statements', { query: { voidedStatementId: voiding! } })).status).toBe(
      404,
    );
    const all = await get(lrs, {});
    expect(all.statements.map((s) => s.id)).toEqual([voiding]);
  });

  it('XAPI-00016 rejects a voiding statement that targets a voiding statement', async () => {
    const lrs = makeLrs();
    const [target] = await post(lrs, statement());
    const [voiding] = await post(
      lrs,
      statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } }),
    );
    const response = await lrs.call('POST', '/statements', {
      json: statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: voiding } }),
    });
    expect(response.status).toBe(400);
    expect((await lrs.call('GET', '/statements', { query: { statementId: voiding! } })).status).toBe(200);
  });

  it('XAPI-00017 rejects a voiding statement whose object is not a StatementRef', async () => {
    const lrs = makeLrs();
    const response = await lrs.call('POST', '/statements', {
      json: statement({ verb: { id: VOIDED } }),
    });
    expect(response.status).toBe(400);
  });

  it('XAPI-00162 a query returns statements targeting a voided statement but not the voided one', async () => {
    const lrs = makeLrs();
    const [target] = await post(lrs, statement({ verb: { id: 'http://example.com/verbs/special' } }));
    const [ref] = await post(
      lrs,
      statement({
        verb: { id: 'http://example.com/verbs/refers' },
        object: { objectType: 'StatementRef', id: target },
      }),
    );
    const [voiding] = await post(
      lrs,
      statement({ verb: { id: VOIDED }, object: { objectType: 'StatementRef', id: target } }),
    );
    const found = await get(lrs, { verb: 'http://example.com/verbs/special' });
    expect(found.statements.map((s) => s.id)).toEqual([voiding, ref]);
  });
});

describe('GET /statements', () => {
  it('XAPI-00149 XAPI-00112 answers an empty StatementResult when nothing matches', async () => {
    const lrs = makeLrs();
    expect(await get(lrs, { verb: 'http://example.com/none' })).toEqual({ statements: [], more: '' });
  });

  it('XAPI-00150 XAPI-00151 rejects statementId or voidedStatementId with another filter', async () => {
    const lrs = makeLrs();
    const id = uuid();
    const queries: Record<string, string>[] = [
      { statementId: id, verb: 'http://example.com/v' },
      { voidedStatementId: id, limit: '1' },
      { statementId: id, voidedStatementId: id },
    ];
    for (const query of queries) {
      expect((await lrs.call('GET', '/statements', { query })).status).toBe(400);
    }
    expect((await lrs.call('GET', '/statements', { query: { statementId: id, format: 'ids' } })).status).toBe(
      404,
    );
    expect(
      (await lrs.call('GET', '/statements', { query: { statementId: id, attachments: 'false' } })).status,
    ).toBe(404);
  });

  it('XAPI-00152 XAPI-00153 XAPI-00160 sends X-Experience-API-Consistent-Through on every statements answer', async () => {
    const lrs = makeLrs();
    const [id] = await post(lrs, statement());
    const ok = await lrs.call('GET', '/statements', { query: { statementId: id! } });
    const stored = ((await ok.json()) as { stored: string }).stored;
    const through = ok.headers.get('X-Experience-API-Consistent-Through')!;
    expect(Date.parse(through)).toBeGreaterThanOrEqual(Date.parse(stored));
    expect(through).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const missing = await lrs.call('GET', '/statements', { query: { statementId: uuid() } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('X-Experience-API-Consistent-Through')).not.toBeNull();
    const bad = await lrs.call('GET', '/statements', { query: { verb: 'bad' } });
    expect(bad.status).toBe(400);
    expect(bad.headers.get('X-Experience-API-Consistent-Through')).not.toBeNull();
  });

  it('XAPI-00165 answers with a Content-Type and a Last-Modified matching stored', async () => {
    const lrs = makeLrs();
    const [id] = await post(lrs, statement());
    const response = await lrs.call('GET', '/statements', { query: { statementId: id! } });
    expect(response.headers.get('Content-Type')).toContain('application/json');
    expect(response.headers.get('Last-Modified')).toBe(new Date(Date.UTC(2026, 0, 1)).toUTCString());
  });

  it('XAPI-00181 XAPI-00180 XAPI-00179 XAPI-00178 XAPI-00164 filters by agent, verb, activity and registration', async () => {
    const lrs = makeLrs();
    const registration = uuid();
    const [a] = await post(
      lrs,
      statement({ actor: { mbox: 'mailto:a@example.com' }, context: { registration } }),
    );
    const [b] = await post(
      lrs,
      statement({
        actor: { mbox: 'mailto:b@example.com' },
        verb: { id: 'http://example.com/verbs/b' },
        object: { id: 'http://example.com/activities/b' },
      }),
    );
    const ids = async (query: Record<string, string>) => (await get(lrs, query)).statements.map((s) => s.id);
    expect(await ids({ agent: agentParam('mailto:a@example.com') })).toEqual([a]);
    expect(await ids({ verb: 'http://example.com/verbs/b' })).toEqual([b]);
    expect(await ids({ activity: 'http://example.com/activities/b' })).toEqual([b]);
    expect(await ids({ registration })).toEqual([a]);
    expect(await ids({ registration: registration.toUpperCase() })).toEqual([a]);
  });

  it('the agent filter matches members of a Group actor (Communication 2.1.3 agent)', async () => {
    const lrs = makeLrs();
    const [id] = await post(
      lrs,
      statement({ actor: { objectType: 'Group', member: [{ mbox: 'mailto:member@example.com' }] } }),
    );
    const found = await get(lrs, { agent: agentParam('mailto:member@example.com') });
    expect(found.statements.map((s) => s.id)).toEqual([id]);
  });

  it('XAPI-00176 related_agents widens the agent filter to authority, instructor, team and SubStatements', async () => {
    const lrs = makeLrs();
    const instructor = { mbox: 'mailto:teacher@example.com' };
    const [withInstructor] = await post(lrs, statement({ context: { instructor } }));
    const [inSub] = await post(
      lrs,
      statement({
        object: {
          objectType: 'SubStatement',
          actor: instructor,
          verb: { id: 'http://example.com/v' },
          object: { id: 'http://example.com/a' },
        },
      }),
    );
    expect((await get(lrs, { agent: agentParam('mailto:teacher@example.com') })).statements).toEqual([]);
    const related = await get(lrs, {
      agent: agentParam('mailto:teacher@example.com'),
      related_agents: 'true',
    });
    expect(related.statements.map((s) => s.id)).toEqual([inSub, withInstructor]);
    const authority = JSON.stringify({ account: { homePage: 'https://lrs.example.com', name: 'a' } });
    expect((await get(lrs, { agent: authority, related_agents: 'true' })).statements).toHaveLength(2);
  });

  it('XAPI-00177 related_activities widens the activity filter to context activities and SubStatements', async () => {
    const lrs = makeLrs();
    const [withParent] = await post(
      lrs,
      statement({ context: { contextActivities: { parent: { id: 'http://example.com/course' } } } }),
    );
    expect((await get(lrs, { activity: 'http://example.com/course' })).statements).toEqual([]);
    const related = await get(lrs, { activity: 'http://example.com/course', related_activities: 'true' });
    expect(related.statements.map((s) => s.id)).toEqual([withParent]);
  });

  it('XAPI-00096 returns a single context activity, sent as an object, inside an array', async () => {
    const lrs = makeLrs();
    const [id] = await post(
      lrs,
      statement({ context: { contextActivities: { parent: { id: 'http://example.com/course' } } } }),
    );
    const got = (await (await lrs.call('GET', '/statements', { query: { statementId: id! } })).json()) as {
      context: { contextActivities: { parent: unknown } };
    };
    expect(Array.isArray(got.context.contextActivities.parent)).toBe(true);
  });

  it('XAPI-00175 XAPI-00174 since is exclusive and until inclusive on stored', async () => {
    const lrs = makeLrs();
    const ids = await post(lrs, [statement()]);
    const second = await post(lrs, [statement()]);
    const third = await post(lrs, [statement()]);
    expect(ids.length + second.length + third.length).toBe(3);
    // stored: 00.000, 00.001, 00.002
    const since = await get(lrs, { since: '2026-01-01T00:00:00.000Z' });
    expect(since.statements.map((s) => s.id)).toEqual([third[0], second[0]]);
    const until = await get(lrs, { until: '2026-01-01T00:00:00.001Z' });
    expect(until.statements.map((s) => s.id)).toEqual([second[0], ids[0]]);
    const offset = await get(lrs, { since: '2026-01-01T01:00:00.000+01:00' });
    expect(offset.statements).toHaveLength(2);
  });

  it('XAPI-00166 ascending returns the oldest first', async () => {
    const lrs = makeLrs();
    const ids = [...(await post(lrs, [statement()])), ...(await post(lrs, [statement()]))];
    expect((await get(lrs, { ascending: 'true' })).statements.map((s) => s.id)).toEqual(ids);
    expect((await get(lrs, {})).statements.map((s) => s.id)).toEqual([...ids].reverse());
  });

  it('XAPI-00173 XAPI-00108 XAPI-00111 XAPI-00113 XAPI-00114 limit pages with more links that keep working', async () => {
    const lrs = makeLrs({ maxStatementsPerPage: 4 });
    const ids: string[] = [];
    for (let k = 0; k < 5; k++) ids.push(...(await post(lrs, [statement()])));
    const first = await get(lrs, { limit: '2', ascending: 'true' });
    expect(first.statements.map((s) => s.id)).toEqual(ids.slice(0, 2));
    expect(first.more).toMatch(/^\/xapi\/statements\?more=/);
    ids.push(...(await post(lrs, [statement()])));
    const seen = first.statements.map((s) => s.id);
    let more = first.more;
    while (more) {
      const response = await lrs.app.request(`http://lrs.test${more}`, {
        headers: { Authorization: `Basic ${btoa('alice:secret')}`, 'X-Experience-API-Version': '1.0.3' },
      });
      expect(response.status).toBe(200);
      const page = (await response.json()) as { statements: { id: string }[]; more: string };
      expect(page.statements.length).toBeLessThanOrEqual(2);
      seen.push(...page.statements.map((s) => s.id));
      more = page.more;
    }
    expect(seen).toEqual(ids);
    // limit=0 and no limit: the server maximum.
    expect((await get(lrs, { limit: '0' })).statements).toHaveLength(4);
    expect((await get(lrs, {})).statements).toHaveLength(4);
    expect((await lrs.call('GET', '/statements', { query: { limit: '-1' } })).status).toBe(400);
  });

  it('a more link is bound to its tenant', async () => {
    const lrs = makeLrs();
    await post(lrs, [statement(), statement()]);
    const first = await get(lrs, { limit: '1' });
    const response = await lrs.app.request(`http://lrs.test${first.more}`, {
      headers: { Authorization: `Basic ${btoa('bob:secret')}`, 'X-Experience-API-Version': '1.0.3' },
    });
    expect(response.status).toBe(400);
  });

  it('XAPI-00171 format=ids keeps only identifiers', async () => {
    const lrs = makeLrs();
    await post(
      lrs,
      statement({ object: { id: 'http://example.com/x', definition: { name: { 'en-US': 'X' } } } }),
    );
    const [s] = (await get(lrs, { format: 'ids' })).statements;
    expect(s!.actor).toEqual({ objectType: 'Agent', mbox: 'mailto:learner@example.com' });
    expect(s!.verb).toEqual({ id: 'http://adlnet.gov/expapi/verbs/experienced' });
    expect(s!.object).toEqual({ id: 'http://example.com/x' });
  });

  it('XAPI-00169 XAPI-00172 format=canonical returns one language per map, chosen by Accept-Language', async () => {
    const lrs = makeLrs();
    const name = { 'en-US': 'Hello', 'fr-FR': 'Bonjour' };
    await post(lrs, statement({ object: { id: 'http://example.com/x', definition: { name } } }));
    const response = await lrs.call('GET', '/statements', {
      query: { format: 'canonical' },
      headers: { 'Accept-Language': 'fr-FR, en;q=0.5' },
    });
    const [s] = ((await response.json()) as { statements: { object: { definition: { name: unknown } } }[] })
      .statements;
    expect(s!.object.definition.name).toEqual({ 'fr-FR': 'Bonjour' });
  });

  it('XAPI-00168 XAPI-00170 format=exact (the default) returns statements as received', async () => {
    const lrs = makeLrs();
    const sent = statement({
      object: { id: 'http://example.com/x', definition: { name: { 'en-US': 'X', de: 'X' } } },
    });
    await post(lrs, sent);
    const [exact] = (await get(lrs, { format: 'exact' })).statements;
    const [plain] = (await get(lrs, {})).statements;
    expect(exact!.object).toEqual(sent.object);
    expect(plain).toEqual(exact);
    expect((await lrs.call('GET', '/statements', { query: { format: 'full' } })).status).toBe(400);
  });

  it('XAPI-00012 rejects filter values that do not validate like statement values', async () => {
    const lrs = makeLrs();
    const queries: Record<string, string>[] = [
      { agent: '{"mbox":"not-mailto"}' },
      { agent: 'not json' },
      { verb: 'no scheme' },
      { activity: 'no scheme' },
      { registration: 'not-a-uuid' },
      { since: 'yesterday' },
      { until: '2026-13-01T00:00:00Z' },
      { ascending: 'yes' },
      { related_agents: '1' },
    ];
    for (const query of queries) {
      expect((await lrs.call('GET', '/statements', { query })).status, JSON.stringify(query)).toBe(400);
    }
  });

  it('tenants never see each other statements', async () => {
    const lrs = makeLrs();
    const [id] = await post(lrs, statement());
    expect((await lrs.call('GET', '/statements', { query: { statementId: id! }, user: 'bob' })).status).toBe(
      404,
    );
    const response = await lrs.call('GET', '/statements', { user: 'bob' });
    expect(((await response.json()) as { statements: unknown[] }).statements).toEqual([]);
  });
});

describe('GET /activities', () => {
  it('XAPI-00251 XAPI-00254 returns the activity with every language received for it', async () => {
    const lrs = makeLrs();
    const id = 'http://example.com/activities/merged';
    await post(lrs, statement({ object: { id, definition: { name: { 'en-US': 'Hello' } } } }));
    await post(
      lrs,
      statement({
        object: { id, definition: { name: { 'fr-FR': 'Bonjour' }, description: { 'en-US': 'D' } } },
      }),
    );
    const response = await lrs.call('GET', '/activities', { query: { activityId: id } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      objectType: 'Activity',
      id,
      definition: { name: { 'en-US': 'Hello', 'fr-FR': 'Bonjour' }, description: { 'en-US': 'D' } },
    });
  });

  it('XAPI-00250 requires activityId; an unknown activity is still an Activity object', async () => {
    const lrs = makeLrs();
    expect((await lrs.call('GET', '/activities')).status).toBe(400);
    const response = await lrs.call('GET', '/activities', {
      query: { activityId: 'http://example.com/unknown' },
    });
    expect(await response.json()).toEqual({ objectType: 'Activity', id: 'http://example.com/unknown' });
  });
});

describe('more tokens', () => {
  it('a tampered more token is a 400, not a 500', async () => {
    const lrs = makeLrs();
    await post(lrs, [statement(), statement()]);
    const first = await get(lrs, { limit: '1' });
    const token = new URL(`http://x${first.more}`).searchParams.get('more')!;
    const state = JSON.parse(Buffer.from(token, 'base64url').toString()) as [string, unknown, string];
    state[2] = 'not-a-cursor';
    const forged = Buffer.from(JSON.stringify(state)).toString('base64url');
    const response = await lrs.call('GET', '/statements', { query: { more: forged } });
    expect(response.status).toBe(400);
    expect((await lrs.call('GET', '/statements', { query: { more: 'garbage!' } })).status).toBe(400);
  });
});
