// search(text:): one ranked list over codes, modifiers, places of service and taxonomies. The
// ranking is one SQL statement (src/db/search.ts); the objects behind the hits are then loaded
// with one Prisma query per system that has hits and whose field the client selected.
import { queryFromInfo } from '@pothos/plugin-prisma';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { prisma } from '../../db/client.js';
import {
  type MATCH_TIERS,
  MAX_SEARCH_TEXT,
  SEARCHABLE_SYSTEMS,
  search,
  type SearchableSystem,
  type SearchRow,
} from '../../db/search.js';
import type {
  CodeVersion,
  Modifier as ModifierRow,
  PlaceOfService as PlaceRow,
  Taxonomy as TaxonomyRow,
} from '../../generated/prisma/client.js';
import { atDate } from '../as-of.js';
import { MAX_PAGE_SIZE, pagedComplexity } from '../arguments.js';
import { builder } from '../builder.js';
import { codeRowsById } from '../code-rows.js';
import type { Context } from '../context.js';
import { badUserInput } from '../../errors.js';
import { Code } from './code.js';
import { Modifier } from './modifier.js';
import { PlaceOfService } from './place-of-service.js';
import { CodeSystemKindEnum } from './release.js';
import { Taxonomy } from './taxonomy.js';

const DEFAULT_SEARCH_HITS = 20;

export const SearchMatchEnum = builder.enumType('SearchMatch', {
  description: 'What a search hit matched on, best first.',
  values: {
    EXACT_CODE: { description: 'The text is the code.' },
    CODE_PREFIX: { description: 'The code starts with the text.' },
    WORD_PREFIX: { description: 'Every word of the text starts a word of the description.' },
    FULL_TEXT: { description: 'The description matches the words of the text (English stemming).' },
    SIMILAR: { description: 'The description is similar to the text (trigrams): typos and spelling variants.' },
  } satisfies Record<(typeof MATCH_TIERS)[number], { description: string }>,
});

interface SearchHitShape extends SearchRow {
  hcpcs?: CodeVersion;
  modifier?: ModifierRow;
  placeOfService?: PlaceRow;
  taxonomy?: TaxonomyRow;
}

const SearchHit = builder.objectRef<SearchHitShape>('SearchHit').implement({
  description: 'One search result: what it is, what matched, and the object itself.',
  fields: (t) => ({
    kind: t.field({ type: CodeSystemKindEnum, resolve: (hit) => hit.kind }),
    code: t.exposeString('code', { description: 'The code, modifier, place-of-service code or taxonomy code.' }),
    title: t.exposeString('title', { description: 'Its description (long description, name or display name).' }),
    matchedOn: t.field({ type: SearchMatchEnum, resolve: (hit) => hit.matchedOn }),
    score: t.exposeFloat('score', {
      description:
        'Relevance within the tier (higher is better): 1 for an exact code, the text rank or trigram similarity otherwise.',
    }),
    hcpcsCode: t.field({
      type: Code,
      nullable: true,
      description: 'The HCPCS code, when kind is HCPCS.',
      resolve: (hit) => hit.hcpcs ?? null,
    }),
    modifier: t.field({ type: Modifier, nullable: true, resolve: (hit) => hit.modifier ?? null }),
    placeOfService: t.field({ type: PlaceOfService, nullable: true, resolve: (hit) => hit.placeOfService ?? null }),
    taxonomy: t.field({ type: Taxonomy, nullable: true, resolve: (hit) => hit.taxonomy ?? null }),
  }),
});

function searchText(raw: string): string {
  const text = raw.trim();
  if (text.length === 0) throw badUserInput('text', 'must not be empty: type a code (A95) or words (pet tumor)');
  if (text.length > MAX_SEARCH_TEXT)
    throw badUserInput('text', `must be at most ${MAX_SEARCH_TEXT} characters (got ${text.length})`);
  return text;
}

function searchSystems(systems: readonly string[] | null | undefined): SearchableSystem[] {
  if (!systems || systems.length === 0) return [...SEARCHABLE_SYSTEMS];
  const unsupported = systems.filter((system) => !(SEARCHABLE_SYSTEMS as readonly string[]).includes(system));
  if (unsupported.length > 0) {
    throw badUserInput('systems', `can only hold ${SEARCHABLE_SYSTEMS.join(', ')} (got ${unsupported.join(', ')})`);
  }
  return systems as SearchableSystem[];
}

/** Whether the client selects `field` on the hits (directly or through fragments). */
function selects(info: GraphQLResolveInfo, field: string): boolean {
  const visit = (selectionSet: SelectionSetNode | undefined): boolean =>
    (selectionSet?.selections ?? []).some((selection) => {
      if (selection.kind === Kind.FIELD) return selection.name.value === field;
      if (selection.kind === Kind.INLINE_FRAGMENT) return visit(selection.selectionSet);
      return visit(info.fragments[selection.name.value]?.selectionSet);
    });
  return info.fieldNodes.some((node) => visit(node.selectionSet));
}

/** The Prisma query the client's selection under `field` needs, or null when it does not select it. */
function selectionUnder(context: Context, info: GraphQLResolveInfo, field: string): Record<string, unknown> | null {
  return selects(info, field) ? (queryFromInfo({ context, info, path: [field] }) as Record<string, unknown>) : null;
}

function refsOf(rows: SearchRow[], kind: SearchableSystem): string[] {
  return rows.filter((row) => row.kind === kind).map((row) => row.ref);
}

/** Loads the objects behind the hits: at most one query per system, none for fields not selected. */
async function attachObjects(
  rows: SearchRow[],
  context: Context,
  info: GraphQLResolveInfo,
  asOf: Date | undefined,
): Promise<SearchHitShape[]> {
  const load = async <T>(
    kind: SearchableSystem,
    field: string,
    find: (query: Record<string, unknown>, refs: string[]) => Promise<T[]>,
  ) => {
    const refs = refsOf(rows, kind);
    const query = refs.length > 0 ? selectionUnder(context, info, field) : null;
    return query ? find(query, refs) : [];
  };
  const [versions, modifiers, places, taxonomies] = await Promise.all([
    load('HCPCS', 'hcpcsCode', (query, refs) => codeRowsById(context.codeRows, refs.map(Number), query)),
    load('MODIFIER', 'modifier', (query, refs) =>
      prisma().modifier.findMany({ ...query, where: { id: { in: refs.map(Number) } } }),
    ),
    load('PLACE_OF_SERVICE', 'placeOfService', (query, refs) =>
      prisma().placeOfService.findMany({ ...query, where: { code: { in: refs } } }),
    ),
    load('TAXONOMY', 'taxonomy', (query, refs) =>
      prisma().taxonomy.findMany({ ...query, where: { code: { in: refs } } }),
    ),
  ]);
  const byVersion = new Map(atDate(versions, asOf).map((row) => [String(row.id), row]));
  const byModifier = new Map(modifiers.map((row) => [String(row.id), row]));
  const byPlace = new Map(places.map((row) => [row.code, row]));
  const byTaxonomy = new Map(taxonomies.map((row) => [row.code, row]));
  return rows.map((row) => ({
    ...row,
    hcpcs: row.kind === 'HCPCS' ? byVersion.get(row.ref) : undefined,
    modifier: row.kind === 'MODIFIER' ? byModifier.get(row.ref) : undefined,
    placeOfService: row.kind === 'PLACE_OF_SERVICE' ? byPlace.get(row.ref) : undefined,
    taxonomy: row.kind === 'TAXONOMY' ? byTaxonomy.get(row.ref) : undefined,
  }));
}

builder.queryField('search', (t) =>
  t.field({
    type: [SearchHit],
    complexity: (args) => pagedComplexity(args),
    description:
      'Search codes, modifiers, places of service and taxonomies by code or words. Ranked: exact code, code prefix, ' +
      'word prefix, full text, then similar spellings; ties by score, then system, then code.',
    args: {
      text: t.arg.string({
        required: true,
        description: `A code, code prefix or words (1 to ${MAX_SEARCH_TEXT} characters).`,
      }),
      first: t.arg.int({
        required: false,
        description: `Hits to return (default ${DEFAULT_SEARCH_HITS}, at most ${MAX_PAGE_SIZE}).`,
      }),
      systems: t.arg({
        type: [CodeSystemKindEnum],
        required: false,
        description: 'Only these code systems (default: all searchable ones).',
      }),
      asOf: t.arg({ type: 'Date', required: false, description: 'Search codes as they stood on this date.' }),
    },
    resolve: async (_root, args, context, info) => {
      const text = searchText(args.text);
      const limit = args.first ?? DEFAULT_SEARCH_HITS;
      if (limit === 0) return [];
      const asOf = args.asOf ?? undefined;
      const rows = await search({ text, limit, systems: searchSystems(args.systems), asOf });
      return attachObjects(rows, context, info, asOf);
    },
  }),
);
