// What the benchmark asks, as each target asks it: refgraph's GraphQL, PostGraphile's GraphQL over
// the same tables, and the floor's one hand-written SQL statement per request. Four fixed
// questions (kept from the first benchmark) and the varied shapes of workload.ts.
//
// A request is rendered as `head + variables + tail`: the head and tail are the same for every
// request of a shape (the query text), so the request files hand wrk only the variables per line.
import { createHash } from 'node:crypto';
import { formatPrismaCursor } from '@pothos/plugin-prisma';
import { Prisma } from '../../src/generated/prisma/client.js';
import { searchSql, SEARCHABLE_SYSTEMS } from '../../src/db/search.js';
import type { ListFilter, VariedRequest } from './workload.js';

export const QUESTIONS = ['profile', 'list', 'search', 'stats'] as const;
export type Question = (typeof QUESTIONS)[number];

export const QUESTION_TITLES: Record<Question, string> = {
  profile: "A9597's whole profile",
  list: '50 codes with coverage and payers',
  search: 'search "pet tumor" (20 hits)',
  stats: 'code counts by BETOS',
};

export const SEARCH_TEXT = 'pet tumor';

/** One HTTP request: POST `path` with body `head + variables + tail`. */
export interface Rendered {
  path: string;
  head: string;
  variables: string;
  tail: string;
}

export const bodyOf = (request: Rendered) => `${request.head}${request.variables}${request.tail}`;

export interface Dialect {
  /** null when the target cannot answer the question. */
  fixed(question: Question): Rendered | null;
  varied(request: VariedRequest): Rendered;
}

function graphql(query: string, variables: Record<string, unknown> = {}): Rendered {
  return {
    path: '/graphql',
    head: `{"query":${JSON.stringify(query)},"variables":`,
    variables: JSON.stringify(variables),
    tail: '}',
  };
}

// ---------------------------------------------------------------------------------------------
// refgraph

const PROFILE_SELECTION = `code shortDescription longDescription status betos coverageCode pricingIndicators serviceType
      release { name }
      sitesOfService { setting placeOfService { code name } }
      modifiers { whenToUse modifier { code description } }
      coverage { status summary policyId payer { slug name } }
      relatedCodes { kind code }
      benchmarks { statusIndicator paymentRate }
      clinicalContext { scenario }`;
const LIST_NODE = 'code shortDescription coverage { status payer { slug name } }';
const SEARCH_SELECTION = 'kind code title matchedOn score';
const ENTITY_SELECTION = 'code shortDescription longDescription status betos';

const REFGRAPH_FIXED: Record<Question, string> = {
  profile: `{ code(code: "A9597") { ${PROFILE_SELECTION} } }`,
  list: `{ codes(first: 50) { edges { node { ${LIST_NODE} } } } }`,
  search: `{ search(text: "${SEARCH_TEXT}", first: 20) { ${SEARCH_SELECTION} } }`,
  stats: `{ codeStats(groupBy: [BETOS]) { total groups { betos count } } }`,
};

const REFGRAPH_VARIED = {
  profile: `query Profile($code: String!) { code(code: $code) { ${PROFILE_SELECTION} } }`,
  list: `query List($filter: CodeFilter, $after: String) { codes(first: 50, filter: $filter, after: $after) { edges { node { ${LIST_NODE} } } } }`,
  search: `query Search($text: String!) { search(text: $text, first: 20) { ${SEARCH_SELECTION} } }`,
  entities: `query Entities($representations: [_Any!]!) { _entities(representations: $representations) { ... on Code { ${ENTITY_SELECTION} } } }`,
};

function refgraphFilter(filter: ListFilter) {
  return 'prefix' in filter ? { codePrefix: filter.prefix } : { codeFrom: filter.from, codeTo: filter.to };
}

export function refgraphDialect(releaseId: number): Dialect {
  // refgraph pages with opaque cursors; the one after a code is Pothos's cursor of (release, code).
  const cursor = (code: string) => formatPrismaCursor({ releaseId, code }, ['releaseId', 'code']);
  return {
    fixed: (question) => graphql(REFGRAPH_FIXED[question]),
    varied: (request) => {
      switch (request.shape) {
        case 'profile':
          return graphql(REFGRAPH_VARIED.profile, { code: request.code });
        case 'list':
          return graphql(REFGRAPH_VARIED.list, {
            filter: refgraphFilter(request.filter),
            after: request.after === null ? null : cursor(request.after),
          });
        case 'search':
          return graphql(REFGRAPH_VARIED.search, { text: request.text });
        case 'entities':
          return graphql(REFGRAPH_VARIED.entities, {
            representations: request.codes.map((code) => ({ __typename: 'Code', code })),
          });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// PostGraphile (Amber preset, simplified inflection, connection filter) over the same tables.
// Without a `retiredAt` condition (PostGraphile offers conditions on indexed columns only); the
// benchmark data has no retired rows, so the answers are the same. Its search is the closest it
// offers, a case-insensitive substring filter on the long description (cheaper than refgraph's
// five tiers); it has no grouped counts without the pg-aggregates plugin.

const POSTGRAPHILE_PROFILE = `query Profile($release: Int!, $code: String!) { codeVersionByReleaseIdAndCode(releaseId: $release, code: $code) {
    code shortDescription longDescription terminationDate betos coverageCode pricingIndicators
    release { name }
    identity {
      serviceType
      codeSiteOfServices { nodes { setting placeOfServiceByPlaceOfServiceCode { code name } } }
      codeModifiers { nodes { whenToUse modifier { code longDescription } } }
      coverageNotes { nodes { status summary policyId payer { slug name } } }
      codeRelations { nodes { kind relatedCode } }
      benchmarks { nodes { statusIndicator paymentRate } }
      clinicalContext { scenario }
    }
  } }`;
const POSTGRAPHILE_LIST = `query List($release: Int!, $filter: CodeVersionFilter) {
    codeVersions(first: 50, condition: { releaseId: $release }, filter: $filter, orderBy: CODE_ASC) {
      nodes { code shortDescription identity { coverageNotes { nodes { status payer { slug name } } } } }
    } }`;
const POSTGRAPHILE_SEARCH = `query Search($release: Int!, $text: String!) {
    codeVersions(first: 20, condition: { releaseId: $release }, filter: { longDescription: { includesInsensitive: $text } }, orderBy: CODE_ASC) {
      nodes { code longDescription }
    } }`;
const POSTGRAPHILE_ENTITIES = `query Entities($release: Int!, $codes: [String!]) {
    codeVersions(condition: { releaseId: $release }, filter: { code: { in: $codes } }) {
      nodes { code shortDescription longDescription terminationDate betos }
    } }`;

/** PostGraphile pages by keyset too: codes after the last one of the page before. */
function postgraphileFilter(filter: ListFilter, after: string | null) {
  const code: Record<string, string> =
    'prefix' in filter
      ? { startsWith: filter.prefix }
      : { greaterThanOrEqualTo: filter.from, lessThanOrEqualTo: filter.to };
  if (after !== null) code.greaterThan = after;
  return { code };
}

/** The longest word: a substring filter finds nothing for several words in another order. */
const longestWord = (text: string) => text.split(' ').reduce((a, b) => (b.length > a.length ? b : a));

export function postgraphileDialect(releaseId: number): Dialect {
  const release = releaseId;
  return {
    fixed: (question) => {
      switch (question) {
        case 'profile':
          return graphql(POSTGRAPHILE_PROFILE, { release, code: 'A9597' });
        case 'list':
          return graphql(POSTGRAPHILE_LIST, { release });
        case 'search':
          return graphql(POSTGRAPHILE_SEARCH, { release, text: 'tumor' });
        case 'stats':
          return null;
      }
    },
    varied: (request) => {
      switch (request.shape) {
        case 'profile':
          return graphql(POSTGRAPHILE_PROFILE, { release, code: request.code });
        case 'list':
          return graphql(POSTGRAPHILE_LIST, { release, filter: postgraphileFilter(request.filter, request.after) });
        case 'search':
          return graphql(POSTGRAPHILE_SEARCH, { release, text: longestWord(request.text) });
        case 'entities':
          return graphql(POSTGRAPHILE_ENTITIES, { release, codes: request.codes });
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// The floor: one statement per request, Postgres builds the JSON; the floor server
// (floor-server.mjs) runs it as a named (prepared) statement, as refgraph and PostGraphile do.

function profileSql(releaseId: number, code: string): Prisma.Sql {
  return Prisma.sql`
    SELECT cv.code, cv.short_description, cv.long_description, cv.termination_date, cv.betos, cv.coverage_code,
           cv.pricing_indicators, c.service_type, r.name AS release,
           (SELECT coalesce(json_agg(json_build_object('setting', s.setting, 'placeOfService', json_build_object('code', p.code, 'name', p.name)) ORDER BY s.id), '[]')
              FROM code_site_of_service s LEFT JOIN place_of_service p ON p.code = s.place_of_service_code
             WHERE s.code_id = c.id AND s.retired_at IS NULL) AS sites,
           (SELECT coalesce(json_agg(json_build_object('whenToUse', cm.when_to_use, 'modifier', json_build_object('code', m.code, 'description', m.long_description)) ORDER BY cm.modifier_id), '[]')
              FROM code_modifier cm JOIN modifier m ON m.id = cm.modifier_id WHERE cm.code_id = c.id) AS modifiers,
           (SELECT coalesce(json_agg(json_build_object('status', n.status, 'summary', n.summary, 'policyId', n.policy_id,
                   'payer', json_build_object('slug', py.slug, 'name', py.name)) ORDER BY n.payer_id, n.id), '[]')
              FROM coverage_note n JOIN payer py ON py.id = n.payer_id WHERE n.code_id = c.id AND n.retired_at IS NULL) AS coverage,
           (SELECT coalesce(json_agg(json_build_object('kind', rel.kind, 'code', rel.related_code) ORDER BY rel.id), '[]')
              FROM code_relation rel WHERE rel.code_id = c.id AND rel.retired_at IS NULL) AS related,
           (SELECT coalesce(json_agg(json_build_object('statusIndicator', b.status_indicator, 'paymentRate', b.payment_rate) ORDER BY b.id DESC), '[]')
              FROM benchmark b WHERE b.code_id = c.id) AS benchmarks,
           (SELECT json_build_object('scenario', cc.scenario) FROM clinical_context cc WHERE cc.code_id = c.id) AS clinical_context
    FROM code_version cv JOIN code c ON c.id = cv.code_id JOIN release r ON r.id = cv.release_id
    WHERE cv.release_id = ${releaseId} AND cv.code = ${code}`;
}

function listSql(releaseId: number, filter: ListFilter | null, after: string | null): Prisma.Sql {
  const conditions = [Prisma.sql`cv.release_id = ${releaseId}`];
  if (filter && 'prefix' in filter) conditions.push(Prisma.sql`cv.code LIKE ${`${filter.prefix}%`}`);
  if (filter && 'from' in filter) conditions.push(Prisma.sql`cv.code >= ${filter.from} AND cv.code <= ${filter.to}`);
  if (after !== null) conditions.push(Prisma.sql`cv.code > ${after}`);
  return Prisma.sql`
    SELECT cv.code, cv.short_description,
           (SELECT coalesce(json_agg(json_build_object('status', n.status, 'payer', json_build_object('slug', py.slug, 'name', py.name)) ORDER BY n.payer_id, n.id), '[]')
              FROM coverage_note n JOIN payer py ON py.id = n.payer_id WHERE n.code_id = cv.code_id AND n.retired_at IS NULL) AS coverage
    FROM code_version cv WHERE ${Prisma.join(conditions, ' AND ')} ORDER BY cv.code LIMIT 50`;
}

function entitiesSql(releaseId: number, codes: string[]): Prisma.Sql {
  return Prisma.sql`
    SELECT cv.code, cv.short_description, cv.long_description, cv.termination_date, cv.betos
    FROM code_version cv WHERE cv.release_id = ${releaseId} AND cv.code = ANY(${codes}::text[])`;
}

function statsSql(releaseId: number): Prisma.Sql {
  return Prisma.sql`
    SELECT cv.betos, count(*)::int AS count FROM code_version cv WHERE cv.release_id = ${releaseId}
    GROUP BY cv.betos ORDER BY cv.betos NULLS LAST`;
}

const floorSearchSql = (text: string) => searchSql({ text, limit: 20, systems: SEARCHABLE_SYSTEMS });

/**
 * The floor's dialect. Every statement text it renders is collected in `statements` (name →
 * text), which the floor server reads at start: render every request before starting it.
 */
export function floorDialect(releaseId: number): Dialect & { statements: Record<string, string> } {
  const statements: Record<string, string> = {};
  const render = (sql: Prisma.Sql): Rendered => {
    const text = `SELECT coalesce(json_agg(x), '[]'::json)::text AS json FROM (${sql.text}) x`;
    const name = `floor_${createHash('sha1').update(text).digest('hex').slice(0, 16)}`;
    statements[name] = text;
    return { path: `/${name}`, head: '', variables: JSON.stringify(sql.values), tail: '' };
  };
  return {
    statements,
    fixed: (question) => {
      switch (question) {
        case 'profile':
          return render(profileSql(releaseId, 'A9597'));
        case 'list':
          return render(listSql(releaseId, null, null));
        case 'search':
          return render(floorSearchSql(SEARCH_TEXT));
        case 'stats':
          return render(statsSql(releaseId));
      }
    },
    varied: (request) => {
      switch (request.shape) {
        case 'profile':
          return render(profileSql(releaseId, request.code));
        case 'list':
          return render(listSql(releaseId, request.filter, request.after));
        case 'search':
          return render(floorSearchSql(request.text));
        case 'entities':
          return render(entitiesSql(releaseId, request.codes));
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Reading answers back, to check that a target answered with data and to compare code sets.

type Json = Record<string, unknown>;

/** The codes an answer carries, per target and shape (null: the answer has no such data). */
export function answerCodes(
  target: 'refgraph' | 'postgraphile' | 'floor',
  shape: VariedRequest['shape'],
  answer: unknown,
): string[] | null {
  if (target === 'floor') return Array.isArray(answer) ? (answer as Json[]).map((row) => String(row.code)) : null;
  const data = (answer as { data?: Json | null }).data;
  if (!data) return null;
  if (target === 'refgraph') {
    switch (shape) {
      case 'profile':
        return data.code ? [String((data.code as Json).code)] : null;
      case 'list':
        return (data.codes as { edges: { node: Json }[] } | null)?.edges.map((edge) => String(edge.node.code)) ?? null;
      case 'search':
        return (data.search as Json[] | null)?.map((hit) => String(hit.code)) ?? null;
      case 'entities':
        return (
          (data._entities as (Json | null)[] | null)?.map((entity) => (entity ? String(entity.code) : 'null')) ?? null
        );
    }
  }
  switch (shape) {
    case 'profile':
      return data.codeVersionByReleaseIdAndCode ? [String((data.codeVersionByReleaseIdAndCode as Json).code)] : null;
    default:
      return (data.codeVersions as { nodes: Json[] } | null)?.nodes.map((node) => String(node.code)) ?? null;
  }
}
