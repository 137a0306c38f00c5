import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatTimeInterval,
  type InteractionType2004,
  isCharacterString,
  isLanguageType,
  isLocalizedString,
  isLongIdentifier,
  isReal107,
  isResponse,
  isShortIdentifier,
  isTime,
  isTimeInterval,
  parseTimeInterval,
  VOCAB_2004,
} from './scorm2004.js';

const lr = (type: InteractionType2004, v: string) => isResponse(type, v, 'learner_response');
const cr = (type: InteractionType2004, v: string) => isResponse(type, v, 'correct_response');

describe('isCharacterString', () => {
  it('compares the length with the SPM', () => {
    expect(isCharacterString('', 0)).toBe(true);
    expect(isCharacterString('a'.repeat(1000), 1000)).toBe(true);
    expect(isCharacterString('a'.repeat(1001), 1000)).toBe(false);
  });
});

describe('identifiers', () => {
  it('accepts URIs and relative references', () => {
    for (const v of [
      'INT1',
      'urn:adl:lmsTest/OBJ01',
      'http://example.com/a?b=c#d',
      'a%20b',
      'é-ü',
      'x'.repeat(4000),
    ]) {
      expect(isLongIdentifier(v), v).toBe(true);
      expect(isShortIdentifier(v), v).toBe(true);
    }
  });

  it('rejects empty values, whitespace and characters a URI never has', () => {
    for (const v of [
      '',
      ' ',
      'a b',
      'a\tb',
      'a\u00a0b',
      'a{b',
      'a}b',
      'a<b',
      'a"b',
      'a|b',
      'a\\b',
      '%zz',
      'a%2',
    ]) {
      expect(isLongIdentifier(v), v).toBe(false);
    }
  });

  it('rejects the reserved response delimiters inside an identifier', () => {
    expect(isShortIdentifier('a[,]b')).toBe(false);
    expect(isShortIdentifier('a[.]b')).toBe(false);
    expect(isShortIdentifier('a[:]b')).toBe(false);
    expect(isShortIdentifier('a[b]')).toBe(true);
  });

  it('lenient accepts spaces and URI-forbidden characters, not controls, delimiters or blanks', () => {
    const lenient = { lenient: true };
    for (const v of ['Question 1', 'choice "A"', 'urn:bad nid:x', '{x}', ' a ']) {
      expect(isLongIdentifier(v), v).toBe(false);
      expect(isLongIdentifier(v, lenient), v).toBe(true);
      expect(isShortIdentifier(v, lenient), v).toBe(true);
    }
    for (const v of ['', ' ', '\u3000', 'a\nb', 'a[,]b', 'a[.]b', 'a[:]b', 'a\u0085b']) {
      expect(isLongIdentifier(v, lenient), JSON.stringify(v)).toBe(false);
    }
  });

  it('applies the URN rules to values starting with urn:', () => {
    expect(isLongIdentifier('urn:')).toBe(false);
    expect(isLongIdentifier('urn:adl')).toBe(false);
    expect(isLongIdentifier('urn:adl:')).toBe(false);
    expect(isLongIdentifier('urn:adl:lms Test/OBJ01')).toBe(false);
    expect(isLongIdentifier('urn:-adl:x')).toBe(false);
    expect(isLongIdentifier(`urn:${'a'.repeat(33)}:x`)).toBe(false);
    expect(isLongIdentifier(`urn:${'a'.repeat(32)}:x`)).toBe(true);
    expect(isLongIdentifier('URN:ISBN:0-395-36341-1')).toBe(true);
    expect(isLongIdentifier('urn:x:a%2Fb')).toBe(true);
    expect(isLongIdentifier('urn:x:a%2')).toBe(false);
    expect(isLongIdentifier('urn:x:a{b}')).toBe(false);
  });
});

describe('isLanguageType', () => {
  it('accepts ISO 639-1 and 639-2 codes with subtags, in any case', () => {
    for (const v of [
      '',
      'en',
      'EN',
      'eng',
      'en-US',
      'fr-ca',
      'zh-min-nan',
      'i-klingon',
      'x-private',
      'sgn-BE-fr',
    ]) {
      expect(isLanguageType(v), v).toBe(true);
    }
    for (const v of ['de-1901', 'art-lojban', 'en-GB-oed', 'mo', 'scc', 'qaa', 'qtz-x']) {
      expect(isLanguageType(v), v).toBe(true);
    }
  });

  it('rejects unknown primary subtags and malformed tags', () => {
    for (const v of [
      'sp',
      'frl',
      'exg',
      'ruq-JM',
      'i',
      'x',
      'q',
      'engl',
      'en-',
      'en--us',
      'en-abcdefghi',
      'e1',
      'en us',
      'qua',
    ]) {
      expect(isLanguageType(v), v).toBe(false);
    }
  });
});

describe('identifier properties', () => {
  it('accepts generated URNs and rejects them with a space inserted', () => {
    const nid = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/);
    const nss = fc.stringMatching(/^[A-Za-z0-9()+,\-.:=@;$_!*'/?#]{1,60}$/);
    fc.assert(
      fc.property(nid, nss, fc.nat(), (n, s, at) => {
        const urn = `urn:${n}:${s}`;
        expect(isLongIdentifier(urn)).toBe(true);
        const i = 1 + (at % (urn.length - 1));
        expect(isLongIdentifier(`${urn.slice(0, i)} ${urn.slice(i)}`)).toBe(false);
      }),
    );
  });
});

describe('isLocalizedString', () => {
  it('accepts plain text and a valid {lang=} delimiter', () => {
    expect(isLocalizedString('')).toBe(true);
    expect(isLocalizedString('hello {lang=xx}')).toBe(true);
    expect(isLocalizedString('{lang=en-us}John Testtaker')).toBe(true);
    expect(isLocalizedString('{lang=fr}')).toBe(true);
  });

  it('accepts any text after a valid delimiter (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('en', 'EN-us', 'deu', 'fr-CA', 'zh-Hant', 'i-klingon'),
        fc.string(),
        (lang, text) => {
          expect(isLocalizedString(`{lang=${lang}}${text}`)).toBe(true);
        },
      ),
    );
  });

  it('rejects an invalid or unclosed delimiter', () => {
    expect(isLocalizedString('{lang=frl}texte')).toBe(false);
    expect(isLocalizedString('{lang=}text')).toBe(false);
    expect(isLocalizedString('{lang=en')).toBe(false);
  });
});

describe('isReal107', () => {
  it('accepts decimal numbers', () => {
    for (const v of ['0', '-1', '+2', '0.5', '.5', '5.', '-234.23003', '7.000099999887765544']) {
      expect(isReal107(v), v).toBe(true);
    }
  });
  it('rejects everything else', () => {
    for (const v of [
      '',
      '-',
      '.',
      'invalid',
      '1e5',
      '100,000.00',
      '4000.003a',
      '3.1456200.045',
      ' 1',
      '--1',
    ]) {
      expect(isReal107(v), v).toBe(false);
    }
  });
});

describe('isTime', () => {
  it('accepts every truncation of the format', () => {
    for (const v of [
      '1970',
      '2038',
      '2004-01',
      '2004-02-29',
      '2004-04-01T09',
      '2004-04-01T09:45',
      '2004-04-01T09:45:58',
      '2004-04-01T09:45:58.2',
      '2004-04-01T09:45:58.55',
      '2004-04-01T09:45:58.55Z',
      '2004-04-01T09:45:58.55+02',
      '2004-04-01T09:45:58.55-03:30',
      '2004-06-30T14:00:00.10+23',
    ]) {
      expect(isTime(v), v).toBe(true);
    }
  });

  it('rejects out-of-range fields, bad lengths and misplaced zones', () => {
    for (const v of [
      '',
      '1969',
      '2039',
      '22004',
      '2004-',
      '2004-4',
      '2004-13',
      '2003-02-29',
      '2004-04-31',
      '2004-04-01T',
      '2004-04-01T24',
      '2004-04-01T09:60',
      '2004-04-01T09:45:60',
      '2004-04-01T09:45:58.',
      '2004-04-01T09:45:58.025',
      '2004-04-01T09:45:58Z',
      '2004-04-01T09Z',
      '2004-04-01T09:45+02',
      '2004-04-01T09:45:58.55+24',
      '2004-04-01T09:45:58.55+05:60',
      '2004-04-01T09:45:58.55+2',
      '2004-04-01T09:45:58.55Z+02:30',
      '2004-04-01t09',
    ]) {
      expect(isTime(v), v).toBe(false);
    }
  });
});

describe('isTime lenient', () => {
  it('accepts clock output the RTE format does not allow', () => {
    for (const v of [
      '2040-01-01T00:00:00.123Z',
      '2024-03-01T10:20:30Z',
      '2024-03-01T10:20+01:00',
      '2024-03-01T10Z',
      '1969-12-31T23:59:59.9999-05:00',
      new Date(0).toISOString(),
    ]) {
      expect(isTime(v), v).toBe(false);
      expect(isTime(v, { lenient: true }), v).toBe(true);
    }
  });

  it('still rejects impossible dates and malformed zones', () => {
    for (const v of [
      '2024-02-30',
      '2024-03-01T24',
      '2024-03-01T10:20:30+24',
      '2024-03-01T10:20:30.Z',
      '2024-03-01T10:20:30 ',
      '20240301',
    ]) {
      expect(isTime(v, { lenient: true }), v).toBe(false);
    }
  });
});

describe('time intervals', () => {
  it('accepts ISO 8601 durations with any subset of components', () => {
    for (const v of [
      'P1Y',
      'P6M',
      'P14D',
      'PT4H',
      'PT15M',
      'PT6.34S',
      'P1Y6M14DT4H15M6.34S',
      'P0Y029DT0H',
      'PT0.5S',
    ]) {
      expect(isTimeInterval(v), v).toBe(true);
    }
  });

  it('rejects durations without components, in the wrong order or with a misplaced fraction', () => {
    for (const v of [
      '',
      'P',
      'PT',
      'P1Y6M14DT',
      '1Y6M14DT4H15M6.34S',
      'P1Y6M14D4H15M6.34S',
      'P1M1Y',
      'PT1S1M',
      'P1.5Y',
      'PT1.5M',
      'PT1.S',
      'P-1Y',
      'p1y',
    ]) {
      expect(isTimeInterval(v), v).toBe(false);
    }
  });

  it('converts to centiseconds', () => {
    expect(parseTimeInterval('PT1H2M3.45S')).toBe(372_345);
    expect(parseTimeInterval('P1DT0.005S')).toBe(8_640_001);
    expect(parseTimeInterval('PT1.005S')).toBe(101);
    expect(parseTimeInterval('PT1.004S')).toBe(100);
    expect(parseTimeInterval('PT0.995S')).toBe(100);
    expect(parseTimeInterval('PT6.34S')).toBe(634);
    expect(parseTimeInterval('P1Y')).toBe(365 * 8_640_000);
    expect(parseTimeInterval('P12M')).toBe(365 * 8_640_000);
    expect(parseTimeInterval('P1Y1D')).toBe(366 * 8_640_000);
    expect(parseTimeInterval('PT')).toBeNull();
  });

  it('formats centiseconds', () => {
    expect(formatTimeInterval(0)).toBe('PT0H0M0S');
    expect(formatTimeInterval(372_345)).toBe('PT1H2M3.45S');
    expect(formatTimeInterval(105)).toBe('PT0H0M1.05S');
    expect(formatTimeInterval(360_000 * 30)).toBe('PT30H0M0S');
    expect(formatTimeInterval(-5)).toBe('PT0H0M0S');
    expect(formatTimeInterval(Number.NaN)).toBe('PT0H0M0S');
  });

  it('round-trips every non-negative centisecond count (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), (cs) => {
        const text = formatTimeInterval(cs);
        expect(isTimeInterval(text)).toBe(true);
        expect(parseTimeInterval(text)).toBe(cs);
      }),
    );
  });

  it('parses generated durations to the sum of their parts (property)', () => {
    const part = fc.option(fc.nat({ max: 500 }), { nil: undefined });
    fc.assert(
      fc.property(part, part, part, part, part, part, fc.nat({ max: 99 }), (y, mo, d, h, mi, s, cs) => {
        let text = 'P';
        if (y !== undefined) text += `${y}Y`;
        if (mo !== undefined) text += `${mo}M`;
        if (d !== undefined) text += `${d}D`;
        const time = `${h !== undefined ? `${h}H` : ''}${mi !== undefined ? `${mi}M` : ''}${s !== undefined ? `${s}.${String(cs).padStart(2, '0')}S` : ''}`;
        if (time) text += `T${time}`;
        const expected =
          (y ?? 0) * 365 * 8_640_000 +
          ((mo ?? 0) * (365 * 8_640_000)) / 12 +
          (d ?? 0) * 8_640_000 +
          (h ?? 0) * 360_000 +
          (mi ?? 0) * 6000 +
          (s !== undefined ? s * 100 + cs : 0);
        expect(parseTimeInterval(text)).toBe(text === 'P' ? null : Math.round(expected));
      }),
    );
  });
});

describe('isTime properties', () => {
  const pad = (n: number, w = 2) => String(n).padStart(w, '0');
  const timestamp = fc
    .record({
      y: fc.integer({ min: 1970, max: 2038 }),
      mo: fc.integer({ min: 1, max: 12 }),
      d: fc.integer({ min: 1, max: 28 }),
      h: fc.integer({ min: 0, max: 23 }),
      mi: fc.integer({ min: 0, max: 59 }),
      s: fc.integer({ min: 0, max: 59 }),
      frac: fc.constantFrom('0', '5', '00', '99'),
      tz: fc.constantFrom('', 'Z', '+00', '-23', '+05:30', '-11:59'),
      cut: fc.integer({ min: 0, max: 7 }),
    })
    .map(({ y, mo, d, h, mi, s, frac, tz, cut }) => {
      const parts = [
        `${y}`,
        `-${pad(mo)}`,
        `-${pad(d)}`,
        `T${pad(h)}`,
        `:${pad(mi)}`,
        `:${pad(s)}`,
        `.${frac}`,
        tz,
      ];
      return parts.slice(0, cut + 1).join('');
    });

  it('accepts every generated timestamp', () => {
    fc.assert(
      fc.property(timestamp, (v) => {
        expect(isTime(v)).toBe(true);
      }),
    );
  });

  it('rejects a generated timestamp with one character replaced by a letter', () => {
    fc.assert(
      fc.property(timestamp, fc.nat(), fc.constantFrom('a', 'x', ' ', '/'), (v, at, ch) => {
        const i = at % v.length;
        expect(isTime(v.slice(0, i) + ch + v.slice(i + 1))).toBe(false);
      }),
    );
  });

  it('accepts every calendar day from 1970 to 2038 and rejects the day after each month end', () => {
    const first = Date.UTC(1970, 0, 1);
    const last = Date.UTC(2038, 11, 31);
    fc.assert(
      fc.property(fc.integer({ min: first, max: last }), (ms) => {
        const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:mm:ss.sssZ
        expect(isTime(iso.slice(0, 10))).toBe(true);
        expect(isTime(`${iso.slice(0, 22)}Z`)).toBe(true);
        const date = new Date(ms);
        const monthEnd = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
        expect(isTime(`${iso.slice(0, 8)}${monthEnd + 1}`)).toBe(false);
      }),
    );
  });

  it('rejects a generated timestamp with a digit appended to its last field', () => {
    fc.assert(
      fc.property(
        timestamp.filter((v) => !/\.\d$/.test(v)),
        (v) => {
          expect(isTime(`${v}0`)).toBe(false);
        },
      ),
    );
  });
});

describe('isResponse', () => {
  it('true-false', () => {
    expect(lr('true-false', 'true')).toBe(true);
    expect(cr('true-false', 'false')).toBe(true);
    for (const v of ['', 'True', '1', 't', 'true-false']) expect(lr('true-false', v), v).toBe(false);
  });

  it('choice: unique identifiers, an empty pattern allowed', () => {
    expect(lr('choice', 'a[,]b[,]c')).toBe(true);
    expect(cr('choice', '')).toBe(true);
    expect(lr('choice', '')).toBe(false);
    expect(lr('choice', '[,]')).toBe(false);
    expect(lr('choice', 'a[,]')).toBe(false);
    expect(lr('choice', 'a[,]b[,]a')).toBe(false);
    expect(cr('choice', Array.from({ length: 20 }, (_, i) => `c${i}`).join('[,]'))).toBe(true);
    expect(cr('choice', [...Array.from({ length: 20 }, (_, i) => `c${i}`), 'c7'].join('[,]'))).toBe(false);
    expect(lr('choice', '{}{[]}{}{[]}{}')).toBe(false);
  });

  it('fill-in: localized strings; matters delimiters only in patterns', () => {
    expect(lr('fill-in', '')).toBe(true);
    expect(lr('fill-in', '[,]')).toBe(true);
    expect(lr('fill-in', '{lang=en}')).toBe(true);
    expect(lr('fill-in', '{}{[]}{}{[]}{}')).toBe(true);
    expect(lr('fill-in', '{lang=frl}z')).toBe(false);
    expect(cr('fill-in', '{case_matters=true}{order_matters=false}a[,]{lang=de}b')).toBe(true);
    expect(cr('fill-in', '{order_matters=true}{case_matters=false}a')).toBe(true);
    expect(cr('fill-in', '{order_matters=invalid}z')).toBe(false);
    expect(cr('fill-in', '{case_matters=true-false}z')).toBe(false);
    // after {lang=} the rest is text, so a later "delimiter" is just characters
    expect(cr('fill-in', '{lang=eng}{order_matters=true}{case_matters=invalid}a')).toBe(true);
    expect(cr('fill-in', 'a[,]{lang=exg}b')).toBe(false);
    // a learner response has no matters delimiters: the text starts with a brace, which is fine
    expect(lr('fill-in', '{case_matters=maybe}x')).toBe(true);
  });

  it('long-fill-in: one localized string, case_matters in patterns', () => {
    expect(lr('long-fill-in', 'a[,]b is one string')).toBe(true);
    expect(cr('long-fill-in', '{case_matters=true}{lang=en}Text')).toBe(true);
    expect(cr('long-fill-in', '{case_matters=1}Text')).toBe(false);
    expect(lr('long-fill-in', '{lang=zz}Text')).toBe(false);
  });

  it('likert: one identifier', () => {
    expect(lr('likert', 'strongly_agree')).toBe(true);
    expect(lr('likert', '')).toBe(false);
    expect(lr('likert', 'a[,]b')).toBe(false);
  });

  it('matching: source[.]target pairs', () => {
    expect(lr('matching', 'a[.]1[,]b[.]2')).toBe(true);
    expect(cr('matching', 'a[.]1')).toBe(true);
    for (const v of ['', 'a', 'a[.]', '[.]1', 'a[.]1[,]', 'a[.]1[.]2', '[,]a[.]1'])
      expect(lr('matching', v), v).toBe(false);
  });

  it('performance: steps with one [.], name or answer may be empty', () => {
    expect(lr('performance', 'step1[.]answer[,]step2[.]42')).toBe(true);
    expect(lr('performance', '[.]answer')).toBe(true);
    expect(lr('performance', 'step[.]')).toBe(true);
    expect(cr('performance', '{order_matters=false}s[.]1[:]5[,]t[.]x y z')).toBe(true);
    expect(cr('performance', 's[.]5[:]1')).toBe(false);
    for (const v of ['', '[.]', 'step', '[,]a[.]b', 'a[.]b[.]c', 'uri.uri.uri[.]abcd[,]testuri', 'a b[.]c']) {
      expect(lr('performance', v), v).toBe(false);
    }
    expect(cr('performance', '{order_matters=yes}a[.]b')).toBe(false);
  });

  it('sequencing: at least one identifier, repeats allowed', () => {
    expect(lr('sequencing', 'a[,]b[,]a')).toBe(true);
    for (const v of ['', '[,]', '[,]a', 'a[.]b']) expect(cr('sequencing', v), v).toBe(false);
  });

  it('numeric: a number, or a range in patterns', () => {
    expect(lr('numeric', '-0.23100')).toBe(true);
    expect(lr('numeric', '-400[:]-500.00')).toBe(false);
    expect(cr('numeric', '3[:]10')).toBe(true);
    expect(cr('numeric', '3[:]3')).toBe(true);
    expect(cr('numeric', '[:]10')).toBe(true);
    expect(cr('numeric', '3[:]')).toBe(true);
    expect(cr('numeric', '7')).toBe(true);
    for (const v of ['300[:]1.5', '100,000.00', 'invalid', '1[:]2[:]3', ''])
      expect(cr('numeric', v), v).toBe(false);
  });

  it('other: anything', () => {
    expect(lr('other', '')).toBe(true);
    expect(cr('other', '{}{[]}{}{[]}{}')).toBe(true);
  });

  it('lenient responses accept content identifiers and repeated choices', () => {
    const lenient = { lenient: true };
    expect(lr('choice', 'Answer A[,]Answer B')).toBe(false);
    expect(isResponse('choice', 'Answer A[,]Answer B', 'learner_response', lenient)).toBe(true);
    expect(isResponse('choice', 'a[,]a', 'learner_response', lenient)).toBe(true);
    expect(isResponse('choice', 'a[,]', 'learner_response', lenient)).toBe(false);
    expect(isResponse('matching', 'Left 1[.]Right 1', 'correct_response', lenient)).toBe(true);
    expect(isResponse('performance', 'Step one[.]42', 'learner_response', lenient)).toBe(true);
    expect(isResponse('likert', 'Strongly agree', 'learner_response', lenient)).toBe(true);
    expect(isResponse('true-false', 'yes', 'learner_response', lenient)).toBe(false);
    expect(isResponse('numeric', 'five', 'learner_response', lenient)).toBe(false);
  });

  it('every strictly valid response is also leniently valid (property)', () => {
    const piece = fc.constantFrom(
      'a',
      'b',
      'x y',
      'urn:a:b',
      '[,]',
      '[.]',
      '[:]',
      '1',
      '{lang=en}',
      '{order_matters=true}',
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...VOCAB_2004.interactionType),
        fc.array(piece, { maxLength: 6 }),
        fc.boolean(),
        (type, parts, pattern) => {
          const v = parts.join('');
          const kind = pattern ? 'correct_response' : 'learner_response';
          if (isResponse(type, v, kind)) expect(isResponse(type, v, kind, { lenient: true })).toBe(true);
        },
      ),
    );
  });

  it('unknown types are rejected', () => {
    expect(lr('essay' as InteractionType2004, 'x')).toBe(false);
  });

  it('checks uniqueness in long choice lists too', () => {
    const ids = Array.from({ length: 100 }, (_, i) => `item-${i}`);
    expect(cr('choice', ids.join('[,]'))).toBe(true);
    expect(cr('choice', [...ids, 'item-99'].join('[,]'))).toBe(false);
    expect(cr('choice', ['item-5', ...ids].join('[,]'))).toBe(false);
    expect(cr('sequencing', [...ids, ...ids].join('[,]'))).toBe(true);
  });

  it('accepts generated choice and sequencing patterns (property)', () => {
    const id = fc.stringMatching(/^[A-Za-z0-9_.~-]{1,20}$/);
    fc.assert(
      fc.property(fc.uniqueArray(id, { minLength: 1, maxLength: 36 }), (ids) => {
        const v = ids.join('[,]');
        expect(cr('choice', v)).toBe(true);
        expect(lr('choice', v)).toBe(true);
        expect(cr('sequencing', v)).toBe(true);
        if (ids.length > 1) expect(cr('choice', `${v}[,]${ids[0]}`)).toBe(false);
        expect(cr('sequencing', `${v}[,]${ids[0]}`)).toBe(true);
        expect(cr('choice', `${v}[,]`)).toBe(false);
      }),
    );
  });

  it('never throws on junk (property)', () => {
    const junk = fc.oneof(
      fc.string(),
      fc.string({
        unit: fc.constantFrom('[', ']', ',', '.', ':', '{', '}', '=', 'a', '1', '-', 'lang', 'true'),
      }),
    );
    fc.assert(
      fc.property(fc.constantFrom(...VOCAB_2004.interactionType), junk, fc.boolean(), (type, v, pattern) => {
        const r = isResponse(type, v, pattern ? 'correct_response' : 'learner_response');
        expect(typeof r).toBe('boolean');
        expect(typeof isTime(v)).toBe('boolean');
        expect(typeof isTimeInterval(v)).toBe('boolean');
        expect(typeof isLocalizedString(v)).toBe('boolean');
        expect(typeof isLongIdentifier(v)).toBe('boolean');
      }),
    );
  });
});
