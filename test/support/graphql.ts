// Sends GraphQL requests through yoga.fetch: real HTTP semantics, no port.
import { pino } from 'pino';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';

/**
 * A GraphQL answer's body. `T` is what the query selects, written by each test for its own query
 * (`unknown` until then, so reading `data` without saying what it holds does not compile).
 */
export interface GraphQLBody<T = unknown> {
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

export interface GraphQLResponse<T = unknown> extends GraphQLBody<T> {
  status: number;
}

/** A Relay connection as a query selects it: `edges { node { ... } }`. */
export interface Edges<Node> {
  edges: { node: Node }[];
}

let yoga: RefgraphYoga | undefined;

export function testYoga(): RefgraphYoga {
  yoga ??= createRefgraphYoga({ logger: pino({ level: 'silent' }) });
  return yoga;
}

export async function graphql<T = unknown>(
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await testYoga().fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as GraphQLBody<T>;
  return { status: response.status, ...body };
}
