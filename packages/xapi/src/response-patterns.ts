import type { InteractionType } from './types.js';

const isNum = (s: string): boolean => s.trim() !== '' && Number.isFinite(Number(s));

function badRange(value: string, allowReversed: boolean): boolean {
  const range = value.split('[:]');
  const lo = range[0] ?? '';
  const hi = range[1] ?? '';
  return (
    range.length !== 2 ||
    (lo === '' && hi === '') ||
    (lo !== '' && !isNum(lo)) ||
    (hi !== '' && !isNum(hi)) ||
    (!allowReversed && lo !== '' && hi !== '' && Number(lo) > Number(hi))
  );
}

/**
 * Why `pattern` is not a correct response pattern of an interaction of `type` (a description of
 * the expected form), or `null` when it is one. The checks cover the delimiters of the Data
 * document's response formats: `true-false` is `true` or `false`; `choice` and `sequencing` are
 * non-empty ids joined by `[,]`; `likert` is one id; `matching` is `source[.]target` pairs joined
 * by `[,]`; `performance` is `step[.]response` pairs whose numeric response may be a `min[:]max`
 * range; `numeric` is a number or a `min[:]max` range with `min <= max`; `fill-in`,
 * `long-fill-in` and `other` accept any string.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#response-patterns
 */
export function responsePatternProblem(type: InteractionType, pattern: string): string | null {
  const items = pattern.split('[,]');
  switch (type) {
    case 'true-false':
      return pattern === 'true' || pattern === 'false' ? null : '"true" or "false"';
    case 'choice':
    case 'sequencing':
      return items.some((s) => s === '') ? 'component ids delimited by "[,]"' : null;
    case 'likert':
      return pattern === '' || pattern.includes('[,]') ? 'one scale id' : null;
    case 'matching':
      return items.some((s) => {
        const pair = s.split('[.]');
        return pair.length !== 2 || pair[0] === '' || pair[1] === '';
      })
        ? 'source[.]target pairs delimited by "[,]"'
        : null;
    case 'performance':
      return items.some((s) => {
        const pair = s.split('[.]');
        if (pair.length !== 2 || pair[0] === '') return true;
        const value = pair[1] ?? '';
        return value.includes('[:]') && badRange(value, true);
      })
        ? 'step[.]response pairs delimited by "[,]" (a numeric response as min[:]max)'
        : null;
    case 'numeric':
      if (pattern.includes('[:]'))
        return badRange(pattern, false) ? 'a number or a range min[:]max with min <= max' : null;
      return isNum(pattern) ? null : 'a number or a range min[:]max';
    default:
      return null;
  }
}
