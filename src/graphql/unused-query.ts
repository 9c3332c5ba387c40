// What happens when a resolver forgets to spread Pothos's `query` into its Prisma call (an N+1
// shape): an error outside production, so tests and development catch it; nothing in production.
import type { GraphQLResolveInfo } from 'graphql';

let strict = true;

export function setUnusedQueryStrict(on: boolean): void {
  strict = on;
}

export function onUnusedQuery(info: GraphQLResolveInfo): void {
  if (strict) {
    throw new Error(
      `Prisma query for ${info.parentType.name}.${info.fieldName} was not used in its resolver (N+1 risk)`,
    );
  }
}
