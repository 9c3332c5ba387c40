// Imports every type file and builds the schema. Imported by yoga.ts and print-schema only.
import { GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import { answerExposedColumnsFromRows } from './expose-fast-path.js';
import './scalars.js';
import './types/release.js';
import './types/payer.js';
import './types/modifier.js';
import './types/place-of-service.js';
import './types/coverage-note.js';
import './types/code-relation.js';
import './types/taxonomy.js';
import './types/diagnosis.js';
import './types/benchmark.js';
import './types/clinical-context.js';
import './types/code.js';
import './types/curation-revision.js';
import './types/code-history.js';
import './types/change.js';
import './types/code-list.js';
import './types/code-stats.js';
import './types/coverage-summary.js';
import './types/search.js';
import './types/briefing.js';
import './entities.js';

// An Apollo Federation v2 subgraph: `_service { sdl }` and `_entities` come with it.
const subgraph = builder.toSubGraphSchema({
  sortSchema: true,
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key'],
});

// The first thing GraphiQL's documentation explorer shows (Pothos's subgraph builder sets none).
export const schema = answerExposedColumnsFromRows(
  new GraphQLSchema({
    ...subgraph.toConfig(),
    description:
      'refgraph: US healthcare billing reference data. Start with code(code: "A9597") for a profile, search(text:) to ' +
      'find codes, briefing(code:) for a national briefing, or asOf: to see a code as it stood on a date. ' +
      'Put your API key in the Headers tab as x-api-key.',
  }),
);
