import { describe, expect, it } from 'vitest';
import {
  isDuration,
  isIri,
  isMailtoIri,
  isMediaType,
  isSha2Hex,
  isUuid,
  parseTimestamp,
  validateLanguageTag,
} from './formats.js';

describe('isIri', () => {
  it('accepts absolute IRIs with any scheme', () => {
    for (const v of [
      'http://example.com/xapi/verbs#sent-a-statement',
      'https://w3id.org/xapi/scorm',
      'urn:uuid:fd41c918-b88b-4b20-a0a5-a4c32391aaa0',
      'tag:adlnet.gov,2013:expapi:0.9:extensions',
      'mailto:a@example.com',
      'http://例え.テスト/パス',
    ]) {
      expect([v, isIri(v)]).toEqual([v, true]);
    }
  });
  it('rejects values without a scheme, with a bad scheme, empty or with spaces', () => {
    for (const v of [
      '',
      'should fail',
      'ab=c://should.fail.com',
      'example.com/x',
      '1http://x',
      'http:',
      'http://a b',
    ]) {
      expect([v, isIri(v)]).toEqual([v, false]);
    }
  });
});

describe('isUuid', () => {
  it('accepts any version and variant in either case', () => {
    expect(isUuid('fd41c918-b88b-4b20-a0a5-a4c32391aaa0')).toBe(true);
    expect(isUuid('FD41C918-B88B-4B20-A0A5-A4C32391AAA0')).toBe(true);
    expect(isUuid('00000000-0000-0000-0000-000000000000')).toBe(true);
  });
  it('rejects wrong lengths, letters beyond f and missing hyphens', () => {
    expect(isUuid('AA97B177-9383-4934-8543-0F91A7A028368')).toBe(false);
    expect(isUuid('MA97B177-9383-4934-8543-0F91A7A02836')).toBe(false);
    expect(isUuid('fd41c918b88b4b20a0a5a4c32391aaa0')).toBe(false);
  });
});

describe('parseTimestamp', () => {
  it('reads extended and basic formats with every offset form as the same instant', () => {
    const t = Date.UTC(2013, 4, 18, 5, 32, 34, 804);
    expect(parseTimestamp('2013-05-18T05:32:34.804Z')).toBe(t);
    expect(parseTimestamp('2013-05-18T05:32:34.804+00:00')).toBe(t);
    expect(parseTimestamp('2013-05-18T07:32:34.804+02:00')).toBe(t);
    expect(parseTimestamp('2013-05-18T07:32:34.804+0200')).toBe(t);
    expect(parseTimestamp('2013-05-18T07:32:34.804+02')).toBe(t);
    expect(parseTimestamp('2013-05-18T00:02:34.804-05:30')).toBe(t);
    expect(parseTimestamp('20130518T053234.804Z')).toBe(t);
    expect(parseTimestamp('2013-05-18T05:32:34.8049999Z')).toBe(t);
    expect(parseTimestamp('2013-05-18T05:32Z')).toBe(Date.UTC(2013, 4, 18, 5, 32));
  });
  it('reads a timestamp without offset as UTC', () => {
    expect(parseTimestamp('2013-05-18T05:32:34')).toBe(Date.UTC(2013, 4, 18, 5, 32, 34));
  });
  it('handles leap years and years before 1970', () => {
    expect(parseTimestamp('2016-02-29T00:00:00Z')).toBe(Date.UTC(2016, 1, 29));
    expect(parseTimestamp('1900-02-29T00:00:00Z')).toBeNull();
    expect(parseTimestamp('1776-07-04T16:00:45.123Z')).toBe(Date.UTC(1776, 6, 4, 16, 0, 45, 123));
  });
  it('rejects the conformance suite invalid values and impossible dates', () => {
    for (const v of [
      'should fail',
      '01/011/2015',
      '2008-09-15T15:53:00.601-00',
      '2008-09-15T15:53:00.601-0000',
      '2008-09-15T15:53:00.601-00:00',
      '2013-13-01T00:00:00Z',
      '2013-04-31T00:00:00Z',
      '2013-05-18T24:00:00Z',
      '2013-05-18T05:60:00Z',
      '2013-05-18',
      '2013-05-18 05:32:34Z',
    ]) {
      expect([v, parseTimestamp(v)]).toEqual([v, null]);
    }
  });
});

describe('isDuration', () => {
  it('accepts the designator format', () => {
    for (const v of [
      'PT1H0M0.1S',
      'PT4H35M59.14S',
      'PT16559.14S',
      'P3Y1M29DT4H35M59.14S',
      'P3Y',
      'P4W',
      'P1DT12H',
      'PT0S',
      'P0.5Y',
    ]) {
      expect([v, isDuration(v)]).toEqual([v, true]);
    }
  });
  it('rejects empty, misplaced and fractional-but-not-last components', () => {
    for (const v of ['P', 'PT', 'PA1H0M0S', 'should fail', 'P1H', 'PT1D', 'P1.5YT1H', 'T1H', '1H', 'P1DT']) {
      expect([v, isDuration(v)]).toEqual([v, false]);
    }
  });

  it('XAPI-00124 rejects weeks combined with any other component ("P4W1D")', () => {
    for (const v of ['P4W1D', 'P1Y2W', 'P2WT1H', 'P1M1W']) {
      expect([v, isDuration(v)]).toEqual([v, false]);
    }
  });
});

describe('validateLanguageTag', () => {
  it('accepts RFC 5646 tags of every shape', () => {
    for (const t of [
      'en',
      'en-US',
      'tlh',
      'und',
      'zh-cmn-Hans-CN',
      'es-419',
      'de-CH-1901',
      'sl-rozaj-biske',
      'en-a-bbb-x-a-ccc',
      'x-whatever',
      'i-enochian',
      'EN-us',
    ]) {
      expect([t, validateLanguageTag(t)]).toEqual([t, true]);
    }
  });
  it('rejects malformed tags', () => {
    for (const t of [
      '',
      'de-419-DE',
      'a-DE',
      'ar-a-aaa-b-bbb-a-ccc',
      'a12345',
      'en_US',
      'en-',
      'de-DE-1901-1901',
      'abcdefghi',
    ]) {
      expect([t, validateLanguageTag(t)]).toEqual([t, false]);
    }
  });
});

describe('small formats', () => {
  it('mailto IRIs, media types and SHA-2 digests', () => {
    expect(isMailtoIri('mailto:a@example.com')).toBe(true);
    expect(isMailtoIri('mailto:should.fail.com')).toBe(false);
    expect(isMailtoIri('http://should.fail.com')).toBe(false);
    expect(isMediaType('text/plain; charset=ascii')).toBe(true);
    expect(isMediaType('application/octet-stream')).toBe(true);
    expect(isMediaType('should fail')).toBe(false);
    expect(isSha2Hex('495395e777cd98da653df9615d09c0fd6bb2f8d4788394cd53c56a3bfdcd848a')).toBe(true);
    expect(isSha2Hex('495395e777cd98da')).toBe(false);
  });
});
