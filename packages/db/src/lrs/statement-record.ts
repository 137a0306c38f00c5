import type { JsonObject, StatementIndex, StatementRecord } from '@scormflow/lrs';

/**
 * A record over a row's JSON texts. `statement` and `index` are own enumerable getters that parse
 * on first access (a `format=exact` GET answers with the stored text and needs neither), so that
 * a copy (`{ ...record }`) or a deep comparison sees the contract's five fields; `json`, the
 * stored statement text, is a non-enumerable getter. The getters are shared by every record (one
 * set of descriptors), which keeps making a record cheap.
 */
class TextRecord {
  readonly id: string;
  readonly stored: string;
  readonly voided: boolean;
  readonly #json: string;
  readonly #ownKeys: string;
  #statement: JsonObject | undefined;
  #index: StatementIndex | undefined;

  constructor(id: string, json: string, stored: string, ownKeys: string, voided: boolean) {
    this.id = id;
    this.stored = stored;
    this.voided = voided;
    this.#json = json;
    this.#ownKeys = ownKeys;
    Object.defineProperties(this, TextRecord.#lazy);
  }

  static readonly #lazy: PropertyDescriptorMap = {
    statement: {
      enumerable: true,
      get(this: TextRecord): JsonObject {
        this.#statement ??= JSON.parse(this.#json) as JsonObject;
        return this.#statement;
      },
    },
    index: {
      enumerable: true,
      get(this: TextRecord): StatementIndex {
        this.#index ??= JSON.parse(this.#ownKeys) as StatementIndex;
        return this.#index;
      },
    },
    json: {
      get(this: TextRecord): string {
        return this.#json;
      },
    },
  };
}

/** A {@link StatementRecord} over a row's statement text and `own_keys` text (see `TextRecord`). */
export function statementRecord(
  id: string,
  json: string,
  stored: string,
  ownKeys: string,
  voided: boolean,
): StatementRecord {
  return new TextRecord(id, json, stored, ownKeys, voided) as unknown as StatementRecord;
}

const DAY_MS = 86_400_000;
let cachedDay = Number.NaN;
let cachedPrefix = '';
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, several times faster for instants of one day after another (a
 * page of statements): the date part is formatted once per day, the time of day by arithmetic.
 */
export function isoInstant(ms: number): string {
  if (!Number.isSafeInteger(ms)) return new Date(ms).toISOString();
  const day = Math.floor(ms / DAY_MS);
  if (day !== cachedDay) {
    const iso = new Date(day * DAY_MS).toISOString();
    cachedDay = day;
    cachedPrefix = iso.slice(0, iso.indexOf('T') + 1);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${cachedPrefix}${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(rest - seconds * 1000)}Z`;
}
