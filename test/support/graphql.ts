// Sends GraphQL requests through yoga.fetch: real HTTP semantics, no port.
import { pino } from 'pino';
import { createRefgraphYoga, type RefgraphYoga } from '../../src/yoga.js';

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown>; path?: (string | number)[] }[];
}

let yoga: RefgraphYoga | undefined;

export function testYoga(): RefgraphYoga {
  yoga ??= createRefgraphYoga({ logger: pino({ level: 'silent' }) });
  return yoga;
}

export async function graphql<T = Record<string, any>>(
  query: string,
  variables?: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GraphQLResponse<T>> {
  const response = await testYoga().fetch('http://refgraph.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json', ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
  return { status: response.status, ...body };
}
