import type { JsonObject, StatementIndex, StatementRecord } from '@scormflow/lrs';

/**
 * A {@link StatementRecord} over a row's JSON texts: `statement` and `index` are parsed on first
 * access (a `format=exact` GET answers with the stored text and needs neither), and `json` is the
 * stored statement text. `json` is not enumerable, so that a copy or a comparison of a record sees
 * the contract's fields only.
 */
export function statementRecord(
  id: string,
  json: string,
  stored: string,
  ownKeys: string,
  voided: boolean,
): StatementRecord {
  let statement: JsonObject | undefined;
  let index: StatementIndex | undefined;
  const record = {
    id,
    get statement(): JsonObject {
      statement ??= JSON.parse(json) as JsonObject;
      return statement;
    },
    stored,
    get index(): StatementIndex {
      index ??= JSON.parse(ownKeys) as StatementIndex;
      return index;
    },
    voided,
  };
  return Object.defineProperty(record, 'json', { value: json });
}
