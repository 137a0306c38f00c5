import { describe, expect, it } from 'vitest';
import { mergeActivityDefinition } from './merge.js';
import type { ActivityDefinition } from './types.js';

describe('mergeActivityDefinition', () => {
  it('keeps every language ever received and the newest text per language', () => {
    const stored: ActivityDefinition = {
      name: { 'en-US': 'old', fr: 'vieux' },
      description: { 'en-US': 'd' },
    };
    const incoming: ActivityDefinition = { name: { 'en-US': 'new', de: 'neu' } };
    expect(mergeActivityDefinition(stored, incoming)).toEqual({
      name: { 'en-US': 'new', fr: 'vieux', de: 'neu' },
      description: { 'en-US': 'd' },
    });
  });

  it('replaces scalar properties and component lists, keeping stored component descriptions', () => {
    const stored: ActivityDefinition = {
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      interactionType: 'choice',
      correctResponsesPattern: ['a'],
      choices: [
        { id: 'a', description: { en: 'A' } },
        { id: 'b', description: { en: 'B' } },
      ],
      extensions: { 'http://example.com/x': 1, 'http://example.com/y': 2 },
    };
    const incoming: ActivityDefinition = {
      moreInfo: 'http://example.com/more',
      correctResponsesPattern: ['c'],
      choices: [{ id: 'a', description: { fr: 'A fr' } }, { id: 'c' }],
      extensions: { 'http://example.com/y': 3 },
    };
    expect(mergeActivityDefinition(stored, incoming)).toEqual({
      type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
      moreInfo: 'http://example.com/more',
      interactionType: 'choice',
      correctResponsesPattern: ['c'],
      choices: [{ id: 'a', description: { en: 'A', fr: 'A fr' } }, { id: 'c' }],
      extensions: { 'http://example.com/x': 1, 'http://example.com/y': 3 },
    });
  });

  it('copies the incoming definition when nothing is stored, without aliasing either argument', () => {
    const incoming: ActivityDefinition = { name: { en: 'x' }, choices: [{ id: 'a' }] };
    const merged = mergeActivityDefinition(undefined, incoming);
    expect(merged).toEqual(incoming);
    merged.name = { en: 'changed' };
    expect(incoming.name).toEqual({ en: 'x' });
    expect(merged.choices).not.toBe(incoming.choices);
  });
});
