/**
 * Every SetValue case of the ADL SCORM 2004 4th Edition conformance test suite whose outcome
 * depends on a data type: a case the suite expects to succeed (error 0) must pass the validator,
 * a case it expects to fail with 406 (type mismatch) must fail it. Cases that fail for other
 * reasons (read-only, dependencies, duplicates, ranges) are not about types and are left to the
 * data model's tests.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type InteractionType2004,
  isLanguageType,
  isLocalizedString,
  isLongIdentifier,
  isReal107,
  isResponse,
  isTime,
  isTimeInterval,
  VOCAB_2004,
} from './scorm2004.js';

const repoRoot = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../..');
const conformanceDir = process.env.SCORMFLOW_CONFORMANCE_DIR ?? join(repoRoot, '../shared/conformance');
const ctsDir = join(conformanceDir, 'scorm2004-cts');
const available = existsSync(join(ctsDir, 'Commands.properties'));
if (!available && process.env.SCORMFLOW_CONFORMANCE_REQUIRED === '1') {
  throw new Error(`conformance corpus not found at ${ctsDir}`);
}

/** Java `.properties` reading: comments, `key=value`, line continuations, `\uXXXX` escapes. */
function readProperties(file: string): Map<string, string> {
  const lines = readFileSync(file, 'latin1').split(/\r?\n/);
  const out = new Map<string, string>();
  const decodeEscapes = (s: string) =>
    s.replace(/\\(u([0-9a-fA-F]{4})|.)/g, (_m, a: string, hex: string | undefined) => {
      if (hex) return String.fromCharCode(Number.parseInt(hex, 16));
      return a === 't' ? '\t' : a === 'n' ? '\n' : a === 'r' ? '\r' : a === 'f' ? '\f' : a;
    });
  for (let i = 0; i < lines.length; ) {
    let line = (lines[i++] ?? '').trimStart();
    if (line === '' || line.startsWith('#') || line.startsWith('!')) continue;
    while (/(^|[^\\])(\\\\)*\\$/.test(line) && i < lines.length) {
      line = line.slice(0, -1) + (lines[i++] ?? '').trimStart();
    }
    let j = 0;
    while (j < line.length && line[j] !== '=' && line[j] !== ':') j += line[j] === '\\' ? 2 : 1;
    out.set(decodeEscapes(line.slice(0, j).trim()), decodeEscapes(line.slice(j + 1)));
  }
  return out;
}

interface SetCase {
  readonly where: string;
  readonly element: string;
  readonly value: string;
  readonly error: string;
  /** The interaction type set earlier in the same activity, for response elements. */
  readonly type: InteractionType2004 | undefined;
}

function loadSetCases(): SetCase[] {
  const commands = readProperties(join(ctsDir, 'Commands.properties'));
  const lookup = (key: string) => commands.get(key) ?? key;
  const files = readdirSync(join(ctsDir, 'TestCases')).filter((f) => f.endsWith('.properties'));
  const cases: SetCase[] = [];
  for (const file of files) {
    const types = new Map<string, InteractionType2004>();
    for (const [key, command] of readProperties(join(ctsDir, 'TestCases', file))) {
      const m = /^(Act\d+V\d+)\.commands\.(\d+)$/.exec(key);
      if (!m) continue;
      const parts = command.split('->');
      if (parts[0] !== 'SET' || parts.length < 3) continue;
      const target = parts[1] ?? '';
      const bang = target.indexOf('!');
      if (bang < 0) continue;
      const element = target
        .slice(0, bang)
        .split('~')
        .map((s) => (/^\d+$/.test(s) ? s : lookup(s)))
        .join('.');
      const value = lookup(target.slice(bang + 1));
      const error = parts[parts.length - 1] ?? '';
      const interaction = /^cmi\.interactions\.(\d+)\./.exec(element)?.[1];
      const typeKey = `${m[1]}:${interaction}`;
      if (interaction !== undefined && element.endsWith('.type') && error === '0') {
        types.set(typeKey, value as InteractionType2004);
      }
      cases.push({
        where: `${file} ${m[1]}.commands.${m[2]}`,
        element,
        value,
        error,
        type: interaction === undefined ? undefined : types.get(typeKey),
      });
    }
  }
  return cases;
}

const includes = (list: readonly string[], v: string) => list.includes(v);

/** The validator that decides a type mismatch for an element, or undefined when none does. */
function validatorFor(c: SetCase): ((value: string) => boolean) | undefined {
  const e = c.element;
  if (/^cmi\.interactions\.\d+\.learner_response$/.test(e)) {
    const type = c.type;
    return type ? (v) => isResponse(type, v, 'learner_response') : undefined;
  }
  if (/^cmi\.interactions\.\d+\.correct_responses\.\d+\.pattern$/.test(e)) {
    const type = c.type;
    return type ? (v) => isResponse(type, v, 'correct_response') : undefined;
  }
  if (/^cmi\.interactions\.\d+\.type$/.test(e)) return (v) => includes(VOCAB_2004.interactionType, v);
  if (/^cmi\.interactions\.\d+\.result$/.test(e))
    return (v) => includes(VOCAB_2004.result, v) || isReal107(v);
  if (/\.id$/.test(e) && e.startsWith('cmi.')) return isLongIdentifier;
  if (/\.timestamp$/.test(e)) return isTime;
  if (/(\.latency|^cmi\.session_time)$/.test(e)) return isTimeInterval;
  if (/(score\.(scaled|raw|min|max)|progress_measure|weighting|audio_level|delivery_speed)$/.test(e)) {
    return isReal107;
  }
  if (e === 'cmi.learner_preference.language') return isLanguageType;
  if (e === 'cmi.learner_preference.audio_captioning') return (v) => includes(VOCAB_2004.audioCaptioning, v);
  if (/(comments_from_learner\.\d+\.comment|\.description)$/.test(e)) return isLocalizedString;
  if (e === 'cmi.exit') return (v) => includes(VOCAB_2004.exit, v);
  if (/completion_status$/.test(e)) return (v) => includes(VOCAB_2004.completionStatus, v);
  if (/success_status$/.test(e)) return (v) => includes(VOCAB_2004.successStatus, v);
  return undefined;
}

const LENIENT = { lenient: true };

/** The lenient variant of the validator, for the elements that have one. */
function lenientValidatorFor(c: SetCase): ((value: string) => boolean) | undefined {
  const e = c.element;
  const type = c.type;
  if (/^cmi\.interactions\.\d+\.learner_response$/.test(e) && type) {
    return (v) => isResponse(type, v, 'learner_response', LENIENT);
  }
  if (/^cmi\.interactions\.\d+\.correct_responses\.\d+\.pattern$/.test(e) && type) {
    return (v) => isResponse(type, v, 'correct_response', LENIENT);
  }
  if (/\.id$/.test(e) && e.startsWith('cmi.')) return (v) => isLongIdentifier(v, LENIENT);
  if (/\.timestamp$/.test(e)) return (v) => isTime(v, LENIENT);
  return undefined;
}

describe.skipIf(!available)('ADL SCORM 2004 CTS SetValue cases', () => {
  const cases = available ? loadSetCases() : [];
  const checked = cases.filter((c) => (c.error === '0' || c.error === '406') && validatorFor(c));

  it('finds the data-type cases in the suite', () => {
    // a decoder fault would silently leave nothing to check
    expect(checked.length).toBeGreaterThan(3000);
    expect(checked.filter((c) => c.error === '406').length).toBeGreaterThan(250);
  });

  it('accepts every value the suite expects to be set and rejects every 406', () => {
    const wrong: string[] = [];
    for (const c of checked) {
      const accepted = validatorFor(c)!(c.value);
      if (accepted !== (c.error === '0')) {
        const shown = c.value.length > 80 ? `${c.value.slice(0, 80)}...(${c.value.length})` : c.value;
        wrong.push(
          `${c.where} ${c.element}${c.type ? ` [${c.type}]` : ''} ${JSON.stringify(shown)} -> ${c.error}`,
        );
      }
    }
    expect(wrong).toEqual([]);
  });

  it('the lenient validators accept every value the suite expects to be set', () => {
    const accepted = cases.filter((c) => c.error === '0');
    let lenientChecked = 0;
    const refused: string[] = [];
    for (const c of accepted) {
      const validate = lenientValidatorFor(c);
      if (!validate) continue;
      lenientChecked++;
      if (!validate(c.value)) refused.push(`${c.where} ${c.element} ${JSON.stringify(c.value.slice(0, 80))}`);
    }
    expect(lenientChecked).toBeGreaterThan(500);
    expect(refused).toEqual([]);
  });
});
