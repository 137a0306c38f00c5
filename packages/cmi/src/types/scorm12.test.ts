import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatTimespan,
  isCMIDecimal,
  isCMIFeedback,
  isCMIIdentifier,
  isCMIString,
  isCMITime,
  isCMITimespan,
  parseTimespan,
  VOCAB_12,
} from './scorm12.js';

const lenient = { lenient: true };

describe('isCMIString', () => {
  it('limits the length', () => {
    expect(isCMIString('', 255)).toBe(true);
    expect(isCMIString('x'.repeat(255), 255)).toBe(true);
    expect(isCMIString('x'.repeat(256), 255)).toBe(false);
    expect(isCMIString('x'.repeat(4096), 4096)).toBe(true);
    expect(isCMIString('x'.repeat(4097), 4096)).toBe(false);
  });
});

describe('isCMIDecimal', () => {
  it('accepts signed decimals', () => {
    for (const v of ['0', '100', '-1', '0.5', '.5', '5.', '-12.75']) expect(isCMIDecimal(v), v).toBe(true);
  });
  it('rejects the rest', () => {
    for (const v of ['', '-', '.', '+1', '1e3', '1,5', 'abc', ' 1', '1 ', '--1', '1.2.3']) {
      expect(isCMIDecimal(v), v).toBe(false);
    }
  });
});

describe('CMITimespan', () => {
  it('accepts 2 to 4 hour digits with an optional 1-2 digit fraction', () => {
    for (const v of ['00:00:00', '0000:00:00', '12:34:56.7', '9999:59:59.99', '001:00:00']) {
      expect(isCMITimespan(v), v).toBe(true);
    }
  });

  it('rejects other shapes and out-of-range minutes or seconds', () => {
    for (const v of [
      '',
      '0:00:00',
      '10000:00:00',
      '00:60:00',
      '00:00:60',
      '00:0:00',
      '00:00:0',
      '00:00:00.',
      '00:00:00.123',
      '00-00-00',
      'PT1S',
      '00:00',
    ]) {
      expect(isCMITimespan(v), v).toBe(false);
    }
  });

  it('lenient accepts any number of hour digits', () => {
    expect(isCMITimespan('10000:00:00', lenient)).toBe(true);
    expect(isCMITimespan('0:00:05', lenient)).toBe(true);
    expect(isCMITimespan('00:60:00', lenient)).toBe(false);
    expect(isCMITimespan('0000:00:05.125')).toBe(false);
    expect(isCMITimespan('0000:00:05.125', lenient)).toBe(true);
    expect(isCMITimespan('0000:00:05.', lenient)).toBe(false);
  });

  it('parses to centiseconds', () => {
    expect(parseTimespan('0001:02:03.45')).toBe(372_345);
    expect(parseTimespan('00:00:00.5')).toBe(50);
    expect(parseTimespan('12345:00:00')).toBe(12_345 * 360_000);
    expect(parseTimespan('00:00:00.124')).toBe(12);
    expect(parseTimespan('00:00:00.125')).toBe(13);
    expect(parseTimespan('00:00:59.999')).toBe(6000);
    expect(parseTimespan('00:00:00.12a')).toBeNull();
  });

  it('formats centiseconds', () => {
    expect(formatTimespan(0)).toBe('0000:00:00.00');
    expect(formatTimespan(372_345)).toBe('0001:02:03.45');
    expect(formatTimespan(-1)).toBe('0000:00:00.00');
    expect(formatTimespan(12_345 * 360_000)).toBe('12345:00:00.00');
  });

  it('round-trips centiseconds (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 9999 * 360_000 + 359_999 }), (cs) => {
        const text = formatTimespan(cs);
        expect(isCMITimespan(text)).toBe(true);
        expect(parseTimespan(text)).toBe(cs);
      }),
    );
    fc.assert(
      fc.property(fc.nat({ max: 2 ** 40 }), (cs) => {
        expect(parseTimespan(formatTimespan(cs))).toBe(cs);
        expect(isCMITimespan(formatTimespan(cs), lenient)).toBe(true);
      }),
    );
  });
});

describe('isCMITime', () => {
  it('accepts a 24-hour clock time', () => {
    for (const v of ['00:00:00', '23:59:59', '12:30:00.5', '12:30:00.05']) expect(isCMITime(v), v).toBe(true);
  });
  it('rejects other values', () => {
    for (const v of [
      '24:00:00',
      '0000:00:00',
      '1:00:00',
      '12:60:00',
      '12:00:61',
      '12:00',
      '12:00:00.123',
      '',
    ]) {
      expect(isCMITime(v), v).toBe(false);
    }
  });
});

describe('isCMIIdentifier', () => {
  it('strict: printable ASCII without spaces, 1 to 255 characters', () => {
    expect(isCMIIdentifier('A1333')).toBe(true);
    expect(isCMIIdentifier('obj_1-2.3:x')).toBe(true);
    expect(isCMIIdentifier('x'.repeat(255))).toBe(true);
    for (const v of ['', 'a b', 'x'.repeat(256), 'tab\there', 'é']) expect(isCMIIdentifier(v), v).toBe(false);
  });

  it('lenient: spaces and non-ASCII printable characters, still 1 to 255 and no controls', () => {
    expect(isCMIIdentifier('Question 1', lenient)).toBe(true);
    expect(isCMIIdentifier('Frage ä', lenient)).toBe(true);
    for (const v of ['', 'x'.repeat(256), 'a\nb', 'a\u0000b'])
      expect(isCMIIdentifier(v, lenient), v).toBe(false);
  });
});

describe('isCMIFeedback', () => {
  it('true-false', () => {
    for (const v of ['0', '1', 't', 'f']) expect(isCMIFeedback('true-false', v), v).toBe(true);
    for (const v of ['true', 'false', 'T', '', 'yes', '2'])
      expect(isCMIFeedback('true-false', v), v).toBe(false);
  });

  it('choice and sequencing', () => {
    for (const v of ['a', 'a,b,c', '{a,b}', '1,2,z', 'A']) {
      expect(isCMIFeedback('choice', v), v).toBe(true);
      expect(isCMIFeedback('sequencing', v), v).toBe(true);
    }
    for (const v of ['', '{}', 'ab', 'a,', ',a', 'a b', '{a,b', 'a,,b', 'a;b']) {
      expect(isCMIFeedback('choice', v), v).toBe(false);
    }
  });

  it('matching', () => {
    expect(isCMIFeedback('matching', '1.a,2.b')).toBe(true);
    expect(isCMIFeedback('matching', '{1.a}')).toBe(true);
    for (const v of ['', '1a', '1.', '.a', '1.ab', '1.a,', 'ab.c', '1-a']) {
      expect(isCMIFeedback('matching', v), v).toBe(false);
    }
  });

  it('likert, numeric, fill-in, performance and unknown types', () => {
    expect(isCMIFeedback('likert', '')).toBe(true);
    expect(isCMIFeedback('likert', '5')).toBe(true);
    expect(isCMIFeedback('likert', 'agree')).toBe(false);
    expect(isCMIFeedback('numeric', '-3.5')).toBe(true);
    expect(isCMIFeedback('numeric', 'three')).toBe(false);
    expect(isCMIFeedback('fill-in', 'Any text, even with commas.')).toBe(true);
    expect(isCMIFeedback('fill-in', 'x'.repeat(256))).toBe(false);
    expect(isCMIFeedback('performance', 'x'.repeat(255))).toBe(true);
    expect(isCMIFeedback('', 'free text')).toBe(true);
  });

  it('lenient accepts any CMIString255 for every type', () => {
    const realContent = [
      'true',
      'Paris',
      'Answer_A,Answer_B',
      'strongly agree',
      'twelve',
      'a,,b',
      'line\nbreak',
      '',
    ];
    for (const type of [...VOCAB_12.interactionType, '']) {
      for (const v of realContent) expect(isCMIFeedback(type, v, lenient), `${type}: ${v}`).toBe(true);
      expect(isCMIFeedback(type, 'x'.repeat(256), lenient), type).toBe(false);
    }
  });

  it('accepts generated lists and never throws on junk (property)', () => {
    const ch = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789');
    fc.assert(
      fc.property(fc.array(ch, { minLength: 1, maxLength: 26 }), fc.boolean(), (items, braces) => {
        const wrap = (s: string) => (braces ? `{${s}}` : s);
        expect(isCMIFeedback('choice', wrap(items.join(',')))).toBe(true);
        expect(isCMIFeedback('sequencing', wrap(items.join(',')))).toBe(true);
        expect(
          isCMIFeedback(
            'matching',
            wrap(items.map((c, i) => `${c}.${items[items.length - 1 - i]}`).join(',')),
          ),
        ).toBe(true);
        expect(isCMIFeedback('choice', wrap(`${items.join(',')},`))).toBe(false);
      }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...VOCAB_12.interactionType, ''),
        fc.string(),
        fc.boolean(),
        (type, v, l) => {
          expect(typeof isCMIFeedback(type, v, { lenient: l })).toBe('boolean');
          expect(typeof isCMITimespan(v, { lenient: l })).toBe('boolean');
          expect(typeof isCMITime(v)).toBe('boolean');
          expect(typeof isCMIIdentifier(v, { lenient: l })).toBe('boolean');
        },
      ),
    );
  });
});
