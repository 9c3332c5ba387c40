// Tiered search over codes, modifiers, places of service and taxonomies, in one SQL statement.
// Tiers, best first: the exact code, a code prefix, every word of the text as a word prefix of
// the description, full text (English stemming), then trigram similarity for typos and spelling
// variants ("emision", "tumour"). Each entity keeps its best tier; ties go to the higher score,
// then the system (codes, modifiers, places of service, taxonomies), then the code.
//
// The text expressions must stay identical to the indexed expressions of migration
// 20261127040000_search_and_data_version, or Postgres cannot use the indexes.
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

interface SystemSource {
  kind: SearchableSystem;
  from: Prisma.Sql;
  ref: Prisma.Sql;
  code: Prisma.Sql;
  title: Prisma.Sql;
  /** The searched text: indexed as to_tsvector('english'|'simple', text) and gin_trgm_ops. */
  text: Prisma.Sql;
  where: Prisma.Sql;
  /** For the code tiers, where the (release_id, code) index is the one to use; `where` otherwise. */
  codeWhere?: Prisma.Sql;
}

function sources(asOf: Date | undefined): SystemSource[] {
  const day = asOf ?? null;
  return [
    {
      kind: 'HCPCS',
      from: Prisma.sql`code_version x`,
      ref: Prisma.sql`x.id::text`,
      code: Prisma.sql`x.code`,
      title: Prisma.sql`x.long_description`,
      text: Prisma.sql`(x.long_description || ' ' || x.short_description)`,
      // `+ 0`: keeps the planner off the release_id indexes, which would make it compute the
      // text expression for every code of the release instead of using the text indexes.
      where: Prisma.sql`x.release_id + 0 = (SELECT id FROM hcpcs_release)
        AND (${day}::date IS NULL OR x.add_date IS NULL OR x.add_date <= ${day}::date)`,
      codeWhere: Prisma.sql`x.release_id = (SELECT id FROM hcpcs_release)
        AND (${day}::date IS NULL OR x.add_date IS NULL OR x.add_date <= ${day}::date)`,
    },
    {
      kind: 'MODIFIER',
      from: Prisma.sql`modifier x`,
      ref: Prisma.sql`x.id::text`,
      code: Prisma.sql`x.code`,
      title: Prisma.sql`x.long_description`,
      text: Prisma.sql`(x.long_description || ' ' || coalesce(x.short_description, ''))`,
      where: Prisma.sql`(${day}::date IS NULL OR x.add_date IS NULL OR x.add_date <= ${day}::date)`,
    },
    {
      kind: 'PLACE_OF_SERVICE',
      from: Prisma.sql`place_of_service x`,
      ref: Prisma.sql`x.code`,
      code: Prisma.sql`x.code`,
      title: Prisma.sql`x.name`,
      text: Prisma.sql`(x.name || ' ' || coalesce(x.description, ''))`,
      where: Prisma.sql`TRUE`,
    },
    {
      kind: 'TAXONOMY',
      from: Prisma.sql`taxonomy x`,
      ref: Prisma.sql`x.code`,
      code: Prisma.sql`x.code`,
      title: Prisma.sql`coalesce(x.display_name, x.classification)`,
      text: Prisma.sql`(x.classification || ' ' || coalesce(x.specialization, '') || ' ' || coalesce(x.display_name, ''))`,
      where: Prisma.sql`TRUE`,
    },
  ];
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

function tier(
  source: SystemSource,
  matchedOn: MatchTier,
  rank: number,
  score: Prisma.Sql,
  condition: Prisma.Sql,
  systems: readonly SearchableSystem[],
  where: Prisma.Sql = source.where,
): Prisma.Sql {
  return Prisma.sql`
    SELECT ${source.kind}::text AS kind, ${source.ref} AS ref, ${source.code} AS code, ${source.title} AS title,
           ${matchedOn}::text AS "matchedOn", ${rank}::int AS tier, (${score})::float8 AS score,
           ${SEARCHABLE_SYSTEMS.indexOf(source.kind)}::int AS system_order
    FROM ${source.from}
    WHERE ${source.kind}::text = ANY(${systems as SearchableSystem[]}::text[]) AND ${where} AND ${condition}`;
}

export function searchSql({ text, limit, systems, asOf }: SearchRequest): Prisma.Sql {
  const code = codeLike(text);
  const prefixQuery = wordPrefixQuery(text);
  const early: Prisma.Sql[] = [];
  const late: Prisma.Sql[] = [];
  for (const source of sources(asOf)) {
    if (code) {
      early.push(tier(source, 'EXACT_CODE', 1, Prisma.sql`1`, Prisma.sql`${source.code} = ${code}`, systems, source.codeWhere));
      early.push(
        tier(
          source,
          'CODE_PREFIX',
          2,
          Prisma.sql`${code.length}::float8 / length(${source.code})`,
          Prisma.sql`${source.code} LIKE ${`${code}%`} AND ${source.code} <> ${code}`,
          systems,
          source.codeWhere,
        ),
      );
    }
    if (prefixQuery) {
      const query = Prisma.sql`to_tsquery('simple'::regconfig, ${prefixQuery})`;
      const vector = Prisma.sql`to_tsvector('simple'::regconfig, ${source.text})`;
      early.push(tier(source, 'WORD_PREFIX', 3, Prisma.sql`ts_rank(${vector}, ${query})`, Prisma.sql`${vector} @@ ${query}`, systems));
    }
    const query = Prisma.sql`websearch_to_tsquery('english'::regconfig, ${text})`;
    const vector = Prisma.sql`to_tsvector('english'::regconfig, ${source.text})`;
    early.push(tier(source, 'FULL_TEXT', 4, Prisma.sql`ts_rank(${vector}, ${query})`, Prisma.sql`${vector} @@ ${query}`, systems));
    late.push(
      tier(source, 'SIMILAR', 5, Prisma.sql`word_similarity(${text}, ${source.text})`, Prisma.sql`${text} <% ${source.text}`, systems),
    );
  }
  return Prisma.sql`
    WITH hcpcs_release AS (${releaseInForceSql('HCPCS', asOf)}),
    early AS MATERIALIZED (${Prisma.join(early, ' UNION ALL ')}),
    -- Typo-tolerant matches rank last: skip them when better tiers already fill the page.
    late AS (
      SELECT * FROM (${Prisma.join(late, ' UNION ALL ')}) trigram_hits
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
