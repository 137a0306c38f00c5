/**
 * Validator building blocks shared by the SCORM 1.2 and SCORM 2004 element tables.
 * A validator returns 0, an `R_*` failure reason or a `DEV_*` deviation code (see engine.ts).
 */
import { type Engine, type Parsed, R_RANGE, R_TYPE } from './engine.js';

/** A validator that needs nothing but the value (every one is also a `Validator`). */
export type ValueCheck = (value: string) => number;

/** The `lenient` option of the data-type checks, for the deviations the default mode keeps. */
export const LENIENT = { lenient: true } as const;

/** A value of a controlled vocabulary. */
export const vocab =
  (list: readonly string[]): ValueCheck =>
  (v) =>
    list.includes(v) ? 0 : R_TYPE;

/** A number in the format `isNumber` accepts, within `[min, max]`. */
export const ranged =
  (isNumber: (v: string) => boolean, min: number, max: number): ValueCheck =>
  (v) => {
    if (!isNumber(v)) return R_TYPE;
    const n = Number(v);
    return n < min || n > max ? R_RANGE : 0;
  };

/** The type of the interaction an interaction field belongs to, if it was set. */
export function interactionTypeOf(m: Engine, p: Parsed): string | undefined {
  return m.values.get(p.recs[0] + '.type');
}
