// The example documents GraphiQL opens with, one tab each, and the header editor's starting text.
export const PROFILE_QUERY = /* GraphQL */ `# Everything refgraph knows about one HCPCS code, in one request.
query CodeProfile {
  code(code: "A9597") {
    code
    shortDescription
    longDescription
    status
    release { name effectiveDate }
    serviceType
    sitesOfService { setting placeOfService { code name } note }
    modifiers { modifier { code description } whenToUse }
    coverage { payer { name } status summary sourceUrl effectiveDate }
    relatedCodes { kind system code }
    taxonomies { taxonomy { code displayName } }
    diagnoses { diagnosis { code description } }
    benchmarks { statusIndicator paymentRate release { name } }
    clinicalContext { scenario workflow { stage actor description } componentBilling }
    missing
  }
  payers { name }
}
`;

export const SEARCH_QUERY = /* GraphQL */ `# Search codes, modifiers, places of service and taxonomies by code or words.
query Search {
  search(text: "pet tumor") {
    kind
    code
    title
    matchedOn
    score
  }
}
`;

export const COVERAGE_SUMMARY_QUERY = /* GraphQL */ `# How payers cover codes: note counts by payer and status.
query CoverageSummary {
  coverageSummary(groupBy: [PAYER, STATUS]) {
    payer { name }
    status
    count
  }
}
`;

export const AS_OF_2019_QUERY = /* GraphQL */ `# A code as it stood on a date: the release in force then, and its status that day.
query CodeIn2019 {
  code(code: "A9597", asOf: "2019-07-01") {
    code
    shortDescription
    longDescription
    status
    release { name effectiveDate }
  }
}
`;

/** The header editor's starting text: where an analyst pastes an API key. */
export const GRAPHIQL_HEADERS = JSON.stringify({ 'x-api-key': '' }, null, 2);

export const GRAPHIQL_TABS = [PROFILE_QUERY, SEARCH_QUERY, COVERAGE_SUMMARY_QUERY, AS_OF_2019_QUERY].map((query) => ({
  query,
  headers: GRAPHIQL_HEADERS,
}));
