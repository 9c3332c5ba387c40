// Bulk writes: records go to Postgres as one jsonb parameter per chunk and come out of
// jsonb_to_recordset, so a release of thousands of rows takes a handful of statements.
import type { Sql } from '../db/sql.js';

export const CHUNK_SIZE = 2_000;

/** A record's date as Postgres reads it (YYYY-MM-DD), or null. */
export function day(date: Date | null | undefined): string | null {
  return date ? date.toISOString().slice(0, 10) : null;
}

/**
 * Run `sql` once per chunk of `rows`, with the chunk as $1 (jsonb) and `params` as $2, $3, ...
 * Returns the number of rows the statements affected; `onChunk` hears how many rows each chunk had.
 */
export async function writeChunks(
  db: Sql,
  sql: string,
  rows: readonly object[],
  params: readonly unknown[],
  onChunk: (rows: number) => void = () => {},
): Promise<number> {
  let affected = 0;
  for (let start = 0; start < rows.length; start += CHUNK_SIZE) {
    const chunk = rows.slice(start, start + CHUNK_SIZE);
    affected += await db.execute(sql, JSON.stringify(chunk), ...params);
    onChunk(chunk.length);
  }
  return affected;
}
