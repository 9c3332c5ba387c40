// The example documents GraphiQL opens with.
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
