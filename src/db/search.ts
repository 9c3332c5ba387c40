// Tiered search over codes, modifiers, places of service and taxonomies, in one SQL statement.
// Tiers, best first: the exact code, a code prefix, every word of the text as a word prefix of
// the description, full text (English stemming), then trigram similarity for typos and spelling
// variants ("emision", "tumour"). Each entity keeps its best tier; ties go to the higher score,
// then the system (codes, modifiers, places of service, taxonomies), then the code.
//
// It reads search_document (migration 20261127080000_search_document), which triggers keep in
// step with the four sources; the expressions below must stay identical to its indexed ones.
import { Prisma } from '../generated/prisma/client.js';
import type { CodeSystemKind } from '../generated/prisma/enums.js';
import { prisma } from './client.js';
import { releaseInForceSql } from './releases.js';

export const SEARCHABLE_SYSTEMS = ['HCPCS', 'MODIFIER', 'PLACE_OF_SERVICE', 'TAXONOMY'] as const satisfies readonly CodeSystemKind[];
export type SearchableSystem = (typeof SEARCHABLE_SYSTEMS)[number];

export const MATCH_TIERS = ['EXACT_CODE', 'CODE_PREFIX', 'WORD_PREFIX', 'FULL_TEXT', 'SIMILAR'] as const;
export type MatchTier = (typeof MATCH_TIERS)[number];

export interface SearchRow {
  kind: SearchableSystem;
  /** code_version.id or modifier.id as text; the code for places of service and taxonomies. */
  ref: string;
  code: string;
  title: string;
  matchedOn: MatchTier;
  score: number;
}

export interface SearchRequest {
  text: string;
  limit: number;
  systems: readonly SearchableSystem[];
  asOf?: Date;
}

/** `pet tumor` → `pet:* & tumor:*` (only letters and digits reach to_tsquery). */
function wordPrefixQuery(text: string): string | null {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu);
  return words ? words.map((word) => `${word}:*`).join(' & ') : null;
}

/** A code or code prefix: one token of letters and digits, upper-cased. */
function codeLike(text: string): string | null {
  const code = text.trim().toUpperCase();
  return /^[A-Z0-9]{1,10}$/.test(code) ? code : null;
}

/** One tier: the documents matching `condition`, with the tier's rank and score. */
function tier(matchedOn: MatchTier, rank: number, score: Prisma.Sql, condition: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT d.kind::text AS kind, d.ref, d.code, d.title, ${matchedOn}::text AS "matchedOn", ${rank}::int AS tier,
           (${score})::float8 AS score, array_position(${SEARCHABLE_SYSTEMS as unknown as string[]}::text[], d.kind::text) AS system_order
    FROM search_document d, scope
    WHERE d.kind::text = ANY(scope.systems)
      AND (d.release_id IS NULL OR d.release_id = scope.release_id)
      AND (scope.as_of IS NULL OR d.add_date IS NULL OR d.add_date <= scope.as_of)
      AND ${condition}`;
}

export function searchSql({ text, limit, systems, asOf }: SearchRequest): Prisma.Sql {
  const code = codeLike(text);
  const prefixQuery = wordPrefixQuery(text);
  const early: Prisma.Sql[] = [];
  if (code) {
    early.push(tier('EXACT_CODE', 1, Prisma.sql`1`, Prisma.sql`d.code = ${code}`));
    early.push(tier('CODE_PREFIX', 2, Prisma.sql`${code.length}::float8 / length(d.code)`, Prisma.sql`d.code LIKE ${`${code}%`} AND d.code <> ${code}`));
  }
  if (prefixQuery) {
    const query = Prisma.sql`to_tsquery('simple'::regconfig, ${prefixQuery})`;
    const vector = Prisma.sql`to_tsvector('simple'::regconfig, d.body)`;
    early.push(tier('WORD_PREFIX', 3, Prisma.sql`ts_rank(${vector}, ${query})`, Prisma.sql`${vector} @@ ${query}`));
  }
  const query = Prisma.sql`websearch_to_tsquery('english'::regconfig, ${text})`;
  const vector = Prisma.sql`to_tsvector('english'::regconfig, d.body)`;
  early.push(tier('FULL_TEXT', 4, Prisma.sql`ts_rank(${vector}, ${query})`, Prisma.sql`${vector} @@ ${query}`));
  const similar = tier('SIMILAR', 5, Prisma.sql`word_similarity(${text}, d.body)`, Prisma.sql`${text} <% d.body`);
  return Prisma.sql`
    WITH scope AS (
      SELECT ${systems as SearchableSystem[]}::text[] AS systems, ${asOf ?? null}::date AS as_of,
             (SELECT id FROM (${releaseInForceSql('HCPCS', asOf)}) in_force) AS release_id
    ),
    early AS MATERIALIZED (${Prisma.join(early, ' UNION ALL ')}),
    -- Typo-tolerant matches rank last: skip them when better tiers already fill the page.
    late AS (
      SELECT * FROM (${similar}) trigram_hits
      WHERE (SELECT count(DISTINCT (kind, ref)) FROM early) < ${limit}
    ),
    best AS (
      SELECT DISTINCT ON (kind, ref) * FROM (SELECT * FROM early UNION ALL SELECT * FROM late) hits
      ORDER BY kind, ref, tier, score DESC
    )
    SELECT kind, ref, code, title, "matchedOn", score FROM best
    ORDER BY tier, score DESC, system_order, code
    LIMIT ${limit}`;
}

export function search(request: SearchRequest): Promise<SearchRow[]> {
  return prisma().$queryRaw<SearchRow[]>(searchSql(request));
}
