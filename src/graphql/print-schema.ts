import { printSubgraphSchema } from '@apollo/subgraph';
import { lexicographicSortSchema } from 'graphql';
import { schema } from './schema.js';

/** The subgraph SDL committed in schema/schema.graphql (with its federation directives). */
export function printedSchema(): string {
  return `${printSubgraphSchema(lexicographicSortSchema(schema))}\n`;
}
