// Code rows (a CodeVersion with the relations a query selects) read through Prisma, and, when the
// entity cache is on, remembered per data version by id and selection. A profile, a page of codes,
// a batch of federation references or the codes a search found then ask the database only for
// rows not yet read under this data version, with the same Pothos-planned query they would have
// sent; repeated rows cost neither SQL nor Prisma's row mapping. Cached rows are shared by
// requests, so nothing may change them: fields that answer for a request (asOf, a history's
// previous version) read copies (see as-of.ts).
import { jsonSize, VersionedLru } from '../cache/versioned-lru.js';
import { prisma } from '../db/client.js';
import type { CodeVersion } from '../generated/prisma/client.js';

/** What Pothos plans for a Code selection: `select` (select mode) with nested relations. */
export type CodeQuery = { select?: Record<string, unknown>; include?: Record<string, unknown> };

export interface CodeRowCache {
  /** Rows by `id|tag`, the tag naming the selection (see selectionTag). */
  rows: VersionedLru<CodeVersion>;
  /** Code → row id, per HCPCS release id. */
  ids: VersionedLru<Map<string, number>>;
  /** Selection (its JSON) → its short tag. */
  selections: Map<string, string>;
  /** The next tag: tags are never given twice. */
  nextTag: number;
}

/** Distinct selections remembered before the list of tags starts again. */
const MAX_SELECTIONS = 1024;

export function createCodeRowCache(maxBytes: number): CodeRowCache {
  return {
    // A row takes about twice its JSON text in the heap.
    rows: new VersionedLru<CodeVersion>('entity', maxBytes, (row) => 2 * jsonSize(row)),
    // A release's index: ~60 bytes a code.
    ids: new VersionedLru<Map<string, number>>('code index', 16 * 1024 * 1024, (index) => 60 * index.size),
    selections: new Map(),
    nextTag: 0,
  };
}

/**
 * A short tag for the selection part of a query (what makes two rows of the same id differ). Keys
 * carry the tag, not the selection's JSON: a key of a few hundred characters, built anew for each
 * row, was copied and hashed whole on every lookup. Past MAX_SELECTIONS distinct selections the
 * list starts again, and a selection seen again gets a new tag: a tag is never given to two
 * selections (a request reading rows while the list starts again still files them under its own
 * tag), and rows under forgotten tags age out of the LRU.
 */
function selectionTag(cache: CodeRowCache, query: CodeQuery): string {
  const selection = JSON.stringify(query.select ?? query.include ?? null);
  let tag = cache.selections.get(selection);
  if (tag === undefined) {
    if (cache.selections.size >= MAX_SELECTIONS) cache.selections.clear();
    tag = String(cache.nextTag++);
    cache.selections.set(selection, tag);
  }
  return tag;
}

/** The rows of `ids` with what `query` selects, in the order of `ids` (unknown ids left out). */
export async function codeRowsById(
  cache: CodeRowCache | null,
  ids: readonly number[],
  query: CodeQuery,
): Promise<CodeVersion[]> {
  if (ids.length === 0) return [];
  const selection = cache ? selectionTag(cache, query) : '';
  const version = cache?.rows.current();
  const found = new Map<number, CodeVersion>();
  const missing: number[] = [];
  for (const id of ids) {
    const row = cache?.rows.get(`${id}|${selection}`);
    if (row) found.set(id, row);
    else missing.push(id);
  }
  if (missing.length > 0) {
    const rows = (await prisma().codeVersion.findMany({ ...query, where: { id: { in: missing } } })) as CodeVersion[];
    for (const row of rows) {
      found.set(row.id, row);
      cache?.rows.set(`${row.id}|${selection}`, row, version);
    }
  }
  return ids.flatMap((id) => found.get(id) ?? []);
}

/** The row ids of `codes` in a HCPCS release (a cached index: one statement per release and data version). */
export async function codeIdsIn(
  cache: CodeRowCache | null,
  releaseId: number,
  codes: readonly string[],
): Promise<Map<string, number>> {
  if (!cache) {
    const rows = await prisma().codeVersion.findMany({
      where: { releaseId, code: { in: [...codes] } },
      select: { id: true, code: true },
    });
    return new Map(rows.map((row) => [row.code, row.id]));
  }
  const version = cache.ids.current();
  let index = cache.ids.get(String(releaseId));
  if (!index) {
    const rows = await prisma().codeVersion.findMany({ where: { releaseId }, select: { id: true, code: true } });
    index = new Map(rows.map((row) => [row.code, row.id]));
    cache.ids.set(String(releaseId), index, version);
  }
  return index;
}

/** The versions of `codes` in a release with what `query` selects (unknown codes left out). */
export async function codesInRelease(
  cache: CodeRowCache | null,
  releaseId: number,
  codes: readonly string[],
  query: CodeQuery,
): Promise<CodeVersion[]> {
  if (!cache)
    return (await prisma().codeVersion.findMany({
      ...query,
      where: { releaseId, code: { in: [...codes] } },
    })) as CodeVersion[];
  const index = await codeIdsIn(cache, releaseId, codes);
  return codeRowsById(
    cache,
    codes.flatMap((code) => index.get(code) ?? []),
    query,
  );
}
