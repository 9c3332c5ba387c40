// Tiered search over codes, modifiers, places of service and taxonomies, in one SQL statement.
// Tiers, best first: the exact code, a code prefix, every word of the text as a word prefix of
// the description, full text (English stemming), then trigram similarity for typos and spelling
// variants ("emision", "tumour"). Each entity keeps its best tier; ties go to the higher score,
// then the system (codes, modifiers, places of service, taxonomies), then the code.
//
// The tiers live in the SQL function refgraph_search (migrations 20261201100000_search_fast and
// 20261204090000_search_words), over search_document and, for similar spellings, search_word (the
// documents' distinct words, for a one-word text) or search_phrase (whole short descriptions, pairs
// of neighbouring clauses of longer ones, for a longer text), which triggers keep in step with the
// four sources. A function rather than the statement itself: Postgres keeps its plan, where
// planning the statement cost more than running it. Its tier names are MATCH_TIERS below.
import { Prisma } from '../generated/prisma/client.js';
import type { CodeSystemKind } from '../generated/prisma/enums.js';
import { prisma } from './client.js';
import { releaseInForceSql } from './releases.js';

export const SEARCHABLE_SYSTEMS = [
  'HCPCS',
  'MODIFIER',
  'PLACE_OF_SERVICE',
  'TAXONOMY',
] as const satisfies readonly CodeSystemKind[];
export type SearchableSystem = (typeof SEARCHABLE_SYSTEMS)[number];

/** Longest search text, in characters (GraphQL's `search` and the pages' search box). */
export const MAX_SEARCH_TEXT = 200;

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

export function searchSql({ text, limit, systems, asOf }: SearchRequest): Prisma.Sql {
  return Prisma.sql`
    SELECT kind, ref, code, title, "matchedOn", score
    FROM refgraph_search(${text}, ${codeLike(text)}::text, ${wordPrefixQuery(text)}::text, ${limit}::int,
                         ${systems as SearchableSystem[]}::text[], ${asOf ?? null}::date,
                         (SELECT id FROM (${releaseInForceSql('HCPCS', asOf)}) in_force))`;
}

export function search(request: SearchRequest): Promise<SearchRow[]> {
  return prisma().$queryRaw<SearchRow[]>(searchSql(request));
}
