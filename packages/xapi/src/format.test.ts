import { describe, expect, it } from 'vitest';
import { formatStatement, parseAcceptLanguage, selectLanguage } from './format.js';
import type { Statement } from './types.js';

const statement = (): Statement => ({
  id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee',
  actor: {
    objectType: 'Group',
    name: 'Team PB',
    member: [
      {
        objectType: 'Agent',
        name: 'Andrew',
        account: { homePage: 'http://www.example.com', name: '13936749' },
      },
      { name: 'Toby', openid: 'http://toby.openid.example.org/' },
    ],
  },
  verb: {
    id: 'http://adlnet.gov/expapi/verbs/attended',
    display: { 'en-GB': 'attended', 'de-DE': 'besuchte' },
  },
  object: {
    objectType: 'Activity',
    id: 'http://www.example.com/meetings/occurances/34534',
    definition: {
      name: { 'en-GB': 'example meeting', 'de-DE': 'Beispieltreffen' },
      interactionType: 'choice',
      choices: [{ id: 'a', description: { 'en-GB': 'A', 'de-DE': 'Ä' } }],
    },
  },
  context: {
    instructor: { name: 'Andrew', mbox: 'mailto:andrew@example.com' },
    contextActivities: {
      parent: { id: 'http://www.example.com/meetings/series/267', definition: { name: { en: 'series' } } },
      category: [{ id: 'http://www.example.com/cat', definition: { name: { en: 'cat', fr: 'chat' } } }],
    },
  },
  result: { success: true },
  authority: { objectType: 'Agent', name: 'LRS', mbox: 'mailto:lrs@example.com' },
});

describe('formatStatement', () => {
  it('exact returns the statement unchanged', () => {
    const s = statement();
    expect(formatStatement(s, 'exact')).toBe(s);
  });

  it('ids keeps only identifiers of agents, groups, activities and verbs, everywhere', () => {
    expect(formatStatement(statement(), 'ids')).toEqual({
      id: '6690e6c9-3ef0-4ed3-8b37-7f3964730bee',
      actor: {
        objectType: 'Group',
        member: [
          { objectType: 'Agent', account: { homePage: 'http://www.example.com', name: '13936749' } },
          { openid: 'http://toby.openid.example.org/' },
        ],
      },
      verb: { id: 'http://adlnet.gov/expapi/verbs/attended' },
      object: { id: 'http://www.example.com/meetings/occurances/34534' },
      context: {
        instructor: { mbox: 'mailto:andrew@example.com' },
        contextActivities: {
          parent: { id: 'http://www.example.com/meetings/series/267' },
          category: [{ id: 'http://www.example.com/cat' }],
        },
      },
      result: { success: true },
      authority: { objectType: 'Agent', mbox: 'mailto:lrs@example.com' },
    });
  });

  it('XAPI-00171 ids leaves an activity its id alone, even one sent with objectType "Activity"', () => {
    const s = statement();
    expect(s.object).toHaveProperty('objectType', 'Activity');
    expect(formatStatement(s, 'ids').object).toEqual({
      id: 'http://www.example.com/meetings/occurances/34534',
    });
    const sub = {
      ...s,
      object: { objectType: 'SubStatement', actor: s.actor, verb: s.verb, object: s.object },
    } as unknown as Statement;
    const out = formatStatement(sub, 'ids').object as unknown as { object: unknown };
    expect(out.object).toEqual({ id: 'http://www.example.com/meetings/occurances/34534' });
  });

  it('canonical keeps one language per activity and verb map, chosen by the preferences', () => {
    const c = formatStatement(statement(), 'canonical', ['de']);
    expect(c.verb.display).toEqual({ 'de-DE': 'besuchte' });
    expect(c.object).toEqual({
      objectType: 'Activity',
      id: 'http://www.example.com/meetings/occurances/34534',
      definition: {
        name: { 'de-DE': 'Beispieltreffen' },
        interactionType: 'choice',
        choices: [{ id: 'a', description: { 'de-DE': 'Ä' } }],
      },
    });
    expect(c.context?.contextActivities?.category).toEqual([
      { id: 'http://www.example.com/cat', definition: { name: { en: 'cat' } } },
    ]);
    // agents stay as received
    expect(c.actor).toEqual(statement().actor);
  });
});

describe('selectLanguage and parseAcceptLanguage', () => {
  const map = { 'en-US': 'color', 'en-GB': 'colour', fr: 'couleur', und: '?' };
  it('matches exactly, by truncation, by prefix, then falls back to und', () => {
    expect(selectLanguage(map, ['en-GB'])).toEqual({ 'en-GB': 'colour' });
    expect(selectLanguage(map, ['fr-CA'])).toEqual({ fr: 'couleur' });
    expect(selectLanguage(map, ['en'])).toEqual({ 'en-US': 'color' });
    expect(selectLanguage(map, ['ja'])).toEqual({ und: '?' });
    expect(selectLanguage({ de: 'x', fr: 'y' }, [])).toEqual({ de: 'x' });
    expect(selectLanguage(map, ['ja', 'FR'])).toEqual({ fr: 'couleur' });
  });
  it('orders Accept-Language ranges by quality and drops q=0', () => {
    expect(parseAcceptLanguage('fr-CH, fr;q=0.9, en;q=0.8, de;q=0.7, *;q=0.5')).toEqual([
      'fr-CH',
      'fr',
      'en',
      'de',
      '*',
    ]);
    expect(parseAcceptLanguage('en;q=0.1, de, fr;q=0')).toEqual(['de', 'en']);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
  });
});

describe('formatStatement inside SubStatements and teams', () => {
  const s: Statement = {
    actor: { mbox: 'mailto:a@example.com', name: 'A' },
    verb: { id: 'http://example.com/planned', display: { en: 'planned', fr: 'planifié' } },
    object: {
      objectType: 'SubStatement',
      actor: { objectType: 'Group', name: 'G', member: [{ name: 'B', mbox: 'mailto:b@example.com' }] },
      verb: { id: 'http://example.com/visit', display: { en: 'visit', fr: 'visiter' } },
      object: { id: 'http://example.com/site', definition: { name: { en: 'site', fr: 'site web' } } },
      context: {
        team: { objectType: 'Group', name: 'T', member: [{ name: 'C', openid: 'http://c.example.com/' }] },
      },
    },
  };
  it('ids reaches the SubStatement, its group members and the context team', () => {
    expect(formatStatement(s, 'ids')).toEqual({
      actor: { mbox: 'mailto:a@example.com' },
      verb: { id: 'http://example.com/planned' },
      object: {
        objectType: 'SubStatement',
        actor: { objectType: 'Group', member: [{ mbox: 'mailto:b@example.com' }] },
        verb: { id: 'http://example.com/visit' },
        object: { id: 'http://example.com/site' },
        context: { team: { objectType: 'Group', member: [{ openid: 'http://c.example.com/' }] } },
      },
    });
  });
  it('canonical filters the SubStatement verb and activity too', () => {
    const c = formatStatement(s, 'canonical', ['fr']);
    expect(c.verb.display).toEqual({ fr: 'planifié' });
    expect(c.object).toMatchObject({
      verb: { display: { fr: 'visiter' } },
      object: { definition: { name: { fr: 'site web' } } },
    });
  });
});
