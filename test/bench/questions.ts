// The four benchmark questions, as each target asks them: refgraph's GraphQL, PostGraphile's
// GraphQL over the same tables, and the floor's one hand-written SQL statement.
import { Prisma } from '../../src/generated/prisma/client.js';
import { searchSql } from '../../src/db/search.js';

export const QUESTIONS = ['profile', 'list', 'search', 'stats'] as const;
export type Question = (typeof QUESTIONS)[number];

export const QUESTION_TITLES: Record<Question, string> = {
  profile: "A9597's whole profile",
  list: '50 codes with coverage and payers',
  search: 'search "pet tumor" (20 hits)',
  stats: 'code counts by BETOS',
};

export interface GraphQLQuestion {
  query: string;
  variables?: Record<string, unknown>;
}

export const SEARCH_TEXT = 'pet tumor';

export const REFGRAPH: Record<Question, GraphQLQuestion> = {
  profile: {
    query: `{ code(code: "A9597") {
      code shortDescription longDescription status betos coverageCode pricingIndicators serviceType
      release { name }
      sitesOfService { setting placeOfService { code name } }
      modifiers { whenToUse modifier { code description } }
      coverage { status summary policyId payer { slug name } }
      relatedCodes { kind code }
      benchmarks { statusIndicator paymentRate }
      clinicalContext { scenario }
    } }`,
  },
  list: {
    query: `{ codes(first: 50) { edges { node { code shortDescription coverage { status payer { slug name } } } } } }`,
  },
  search: { query: `{ search(text: "${SEARCH_TEXT}", first: 20) { kind code title matchedOn score } }` },
  stats: { query: `{ codeStats(groupBy: [BETOS]) { total groups { betos count } } }` },
};

/**
 * PostGraphile (Amber preset, simplified inflection, connection filter) over the same tables.
 * Without a `retiredAt` condition (PostGraphile offers conditions on indexed columns only); the
 * benchmark data has no retired rows, so the answers are the same.
 * The search is the closest it offers, a case-insensitive substring filter, which is cheaper than
 * refgraph's five tiers; it has no grouped counts without the pg-aggregates plugin.
 */
export function postgraphileQuestions(releaseId: number): Partial<Record<Question, GraphQLQuestion>> {
  return {
    profile: {
      query: `query ($release: Int!) { codeVersionByReleaseIdAndCode(releaseId: $release, code: "A9597") {
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
      } }`,
      variables: { release: releaseId },
    },
    list: {
      query: `query ($release: Int!) { codeVersions(first: 50, condition: { releaseId: $release }, orderBy: CODE_ASC) {
        nodes { code shortDescription identity { coverageNotes { nodes { status payer { slug name } } } } }
      } }`,
      variables: { release: releaseId },
    },
    search: {
      query: `query ($release: Int!) { codeVersions(first: 20, condition: { releaseId: $release },
        filter: { longDescription: { includesInsensitive: "tumor" } }, orderBy: CODE_ASC) { nodes { code longDescription } } }`,
      variables: { release: releaseId },
    },
  };
}

/** One statement per question; each returns one row with a `json` text column. */
export function floorQuestions(releaseId: number): Record<Question, { text: string; values: unknown[] }> {
  const asJson = (sql: Prisma.Sql) => {
    const wrapped = Prisma.sql`SELECT coalesce(json_agg(x), '[]'::json)::text AS json FROM (${sql}) x`;
    return { text: wrapped.text, values: wrapped.values };
  };
  const profile = Prisma.sql`
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
    WHERE cv.release_id = ${releaseId} AND cv.code = 'A9597'`;
  const list = Prisma.sql`
    SELECT cv.code, cv.short_description,
           (SELECT coalesce(json_agg(json_build_object('status', n.status, 'payer', json_build_object('slug', py.slug, 'name', py.name)) ORDER BY n.payer_id, n.id), '[]')
              FROM coverage_note n JOIN payer py ON py.id = n.payer_id WHERE n.code_id = cv.code_id AND n.retired_at IS NULL) AS coverage
    FROM code_version cv WHERE cv.release_id = ${releaseId} ORDER BY cv.code LIMIT 50`;
  const stats = Prisma.sql`
    SELECT cv.betos, count(*)::int AS count FROM code_version cv WHERE cv.release_id = ${releaseId}
    GROUP BY cv.betos ORDER BY cv.betos NULLS LAST`;
  return {
    profile: asJson(profile),
    list: asJson(list),
    search: asJson(searchSql({ text: SEARCH_TEXT, limit: 20, systems: ['HCPCS', 'MODIFIER', 'PLACE_OF_SERVICE', 'TAXONOMY'] })),
    stats: asJson(stats),
  };
}
