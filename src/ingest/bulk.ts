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

/**
 * For a load into a database nobody reads yet (serve's first-start seed): let the GIN indexes of
 * search_document that are kept without a pending list (fastupdate off, so searches never scan
 * one) collect the load's entries in a pending list, and merge them in one pass before commit
 * (`gin_clean_pending_list`), then switch them back. Inserting row by row into those indexes is
 * most of a HCPCS load's time; merged in bulk it is about five times faster, and the indexes end
 * as they were. ALTER INDEX locks them (and so searches) until the load commits, which is why
 * `ingest` beside a running gateway does not do this. Returns what to run before commit.
 */
export async function deferSearchIndexing(db: Sql): Promise<() => Promise<void>> {
  const indexes = await db.query<{ name: string }>(
    `SELECT ic.oid::regclass::text AS name
     FROM pg_index i JOIN pg_class ic ON ic.oid = i.indexrelid JOIN pg_am am ON am.oid = ic.relam
     WHERE i.indrelid = to_regclass('search_document') AND am.amname = 'gin' AND 'fastupdate=off' = ANY (ic.reloptions)`,
  );
  for (const { name } of indexes) await db.execute(`ALTER INDEX ${name} SET (fastupdate = on)`);
  return async () => {
    for (const { name } of indexes) {
      await db.query(`SELECT gin_clean_pending_list($1::regclass)::text`, name);
      await db.execute(`ALTER INDEX ${name} SET (fastupdate = off)`);
    }
  };
}
