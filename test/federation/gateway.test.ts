// refgraph composed into a supergraph with a second subgraph (a tiny claims service whose Claim
// references Code by key), served by a real gateway (Hive Gateway runtime) over loopback HTTP.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { composeServices } from '@apollo/composition';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { createGatewayRuntime } from '@graphql-hive/gateway-runtime';
import { parse } from 'graphql';
import { createYoga } from 'graphql-yoga';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printedSchema } from '../../src/graphql/print-schema.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { watchTestDataVersion } from '../support/data-version.js';
import { testYoga, type GraphQLBody } from '../support/graphql.js';

const CLAIMS_SDL = /* GraphQL */ `
  extend schema @link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])

  type Query {
    claim(id: ID!): Claim
  }

  type Claim @key(fields: "id") {
    id: ID!
    units: Int!
    code: Code!
  }

  type Code @key(fields: "code", resolvable: false) {
    code: String!
  }
`;

const CLAIMS: Record<string, { id: string; units: number; code: string }> = {
  'c-1': { id: 'c-1', units: 1, code: 'A9597' },
  'c-2': { id: 'c-2', units: 2, code: 'Z9999' },
};

const claimsSchema = buildSubgraphSchema({
  typeDefs: parse(CLAIMS_SDL),
  resolvers: {
    Query: { claim: (_root: unknown, args: { id: string }) => CLAIMS[args.id] ?? null },
    Claim: {
      code: (claim: (typeof CLAIMS)[string]) => ({ code: claim.code }),
    },
  },
});

const servers: Server[] = [];

async function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
}

let gateway: ReturnType<typeof createGatewayRuntime>;

beforeAll(async () => {
  const { url } = await useTestDatabase();
  // As serve runs: the release in force is remembered per data version.
  await watchTestDataVersion(url);
  const refgraphUrl = await listen(testYoga());
  const claimsUrl = await listen(createYoga({ schema: claimsSchema, logging: false }));
  const composition = composeServices([
    { name: 'refgraph', typeDefs: parse(printedSchema()), url: refgraphUrl },
    { name: 'claims', typeDefs: parse(CLAIMS_SDL), url: claimsUrl },
  ]);
  if (composition.errors) throw new Error(composition.errors.map((e) => e.message).join('\n'));
  gateway = createGatewayRuntime({ supergraph: composition.supergraphSdl, logging: false, maskedErrors: false });
});

afterAll(async () => {
  await gateway?.dispose();
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
});

async function throughGateway<T = unknown>(query: string): Promise<GraphQLBody<T>> {
  const response = await gateway.fetch('http://gateway.test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json' },
    body: JSON.stringify({ query }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as GraphQLBody<T>;
}

describe('a supergraph of refgraph and a claims subgraph', () => {
  it("answers a claim's code description from refgraph through the gateway", async () => {
    const query = '{ claim(id: "c-1") { id units code { code shortDescription longDescription } } }';
    // The first request of a data version finds the release in force; later ones remember it.
    await throughGateway(query);
    const { result, count } = await countStatements(() => throughGateway(query));
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      claim: {
        id: 'c-1',
        units: 1,
        code: {
          code: 'A9597',
          shortDescription: 'Pet, dx, for tumor id, noc',
          longDescription:
            'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
        },
      },
    });
    // refgraph answered the gateway's _entities call with one statement: the version in the release in force.
    expect(count).toBe(1);
  });

  it('gives null for a code refgraph does not know', async () => {
    const unknown = await throughGateway('{ claim(id: "c-2") { id code { shortDescription } } }');
    // refgraph resolves the unknown key to null; Claim.code is non-null, so the gateway nulls the claim.
    expect(unknown.data).toEqual({ claim: null });
    expect(unknown.errors).toHaveLength(1);
    expect(JSON.stringify(unknown.errors)).toMatch(/Cannot return null for non-nullable field Code\.shortDescription/);
  });

  it('still serves refgraph root fields through the gateway', async () => {
    const result = await throughGateway<{ code: { modifiers: { modifier: { code: string } }[] } | null }>(
      '{ code(code: "A9597") { modifiers { modifier { code } } } }',
    );
    expect(result.errors).toBeUndefined();
    expect(result.data?.code?.modifiers.map((m) => m.modifier.code).sort()).toEqual(['26', 'TC']);
  });
});
