import type { StatementRecord } from '../store.js';

/**
 * The body of a `format=exact` StatementResult, spliced from the JSON text the store holds for
 * each record (`StatementRecord.json`): the same document as `JSON.stringify({ statements, more })`
 * without parsing and serialising every statement again. `null` when a record has no text, so
 * that the caller serialises the objects instead.
 * @see https://github.com/adlnet/xAPI-Spec/blob/1.0.3/xAPI-Data.md#25-retrieval-of-statements
 */
export function statementResultText(records: readonly StatementRecord[], more: string): string | null {
  let body = '{"statements":[';
  for (let i = 0; i < records.length; i++) {
    const json = records[i]!.json;
    if (json === undefined) return null;
    body += i === 0 ? json : `,${json}`;
  }
  return `${body}],"more":${JSON.stringify(more)}}`;
}

/** A JSON answer whose body is already JSON text. */
export function jsonTextResponse(text: string, headers: Record<string, string>): Response {
  return new Response(text, { status: 200, headers: { 'Content-Type': 'application/json', ...headers } });
}
