// The SchemaBuilder and its plugin options. Defines no types.
import SchemaBuilder from '@pothos/core';
import ComplexityPlugin from '@pothos/plugin-complexity';
import DirectivePlugin from '@pothos/plugin-directives';
import FederationPlugin from '@pothos/plugin-federation';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import type PrismaTypes from '../generated/pothos-types.js';
import { getDatamodel } from '../generated/pothos-types.js';
import { prisma } from '../db/client.js';
import type { Context } from './context.js';
import { decodeId } from './global-id.js';
import { onUnusedQuery } from './unused-query.js';

export const builder = new SchemaBuilder<{
  PrismaTypes: PrismaTypes;
  Context: Context;
  DefaultFieldNullability: false;
  Scalars: {
    Date: { Input: Date; Output: Date };
    DateTime: { Input: Date; Output: Date };
    Decimal: { Input: string; Output: { toString(): string } };
    JSON: { Input: unknown; Output: unknown };
  };
}>({
  defaultFieldNullability: false,
  // Federation last: it wraps what the others define (Apollo Federation v2 subgraph).
  plugins: [PrismaPlugin, RelayPlugin, DirectivePlugin, ComplexityPlugin, FederationPlugin],
  // Each field's cost is declared on it: 1, times what a list field can return (10 unless it says
  // otherwise; a page's size for paged fields). The limit is enforced at validation, once per
  // document and page size (src/http/use-cost-limit.ts), not by the plugin at execution.
  complexity: { defaultComplexity: 1, defaultListMultiplier: 10, disabled: true },
  prisma: {
    // Resolved per request so the client can be created after the database URL is known.
    client: () => prisma(),
    dmmf: getDatamodel(),
    exposeDescriptions: true,
    filterConnectionTotalCount: true,
    // N+1 shapes fail loudly outside production (see unused-query.ts).
    onUnusedQuery,
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    // IDs come from clients: a made-up one is BAD_USER_INPUT, never a database error (global-id.ts).
    decodeGlobalID: (globalID) => decodeId(globalID),
    // A connection's field counts its page size once; its edges do not multiply it again.
    edgesFieldOptions: { complexity: { field: 1, multiplier: 1 } },
  },
});

// The Query description is the first thing GraphiQL's documentation explorer shows analysts.
builder.queryType({
  description:
    'US healthcare billing reference data: HCPCS Level II codes release by release, modifiers, places of service, ' +
    'payers and their coverage notes, OPPS payment benchmarks, and a briefing per code. Every fact names its source ' +
    'and release; `asOf` answers as things stood on a date; missing data is stated, never guessed. ' +
    'Send an API key in the x-api-key header.',
});

builder.mutationType({
  description:
    'Stewardship: curated writes, each needing an API key with the steward scope. Every change is a revision with who, when and why; nothing is deleted.',
});
