// Imports every type file and builds the schema. Imported by yoga.ts and print-schema only.
import { builder } from './builder.js';
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
import './entities.js';

// An Apollo Federation v2 subgraph: `_service { sdl }` and `_entities` come with it.
export const schema = builder.toSubGraphSchema({
  sortSchema: true,
  linkUrl: 'https://specs.apollo.dev/federation/v2.6',
  federationDirectives: ['@key'],
});
