// The graphql-http server audits (GraphQL over HTTP spec), every one of them (MUST, SHOULD, MAY),
// against refgraph through yoga.fetch.
import { serverAudits } from 'graphql-http';
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/database.js';
import { testYoga } from '../support/graphql.js';

beforeAll(async () => {
  await useTestDatabase();
});

describe('graphql-http server audits', () => {
  const audits = serverAudits({
    url: 'http://refgraph.test/graphql',
    fetchFn: (input: RequestInfo | URL, init?: RequestInit) => testYoga().fetch(new Request(input, init)),
  });
  it('runs the whole suite', () => {
    expect(audits.length).toBeGreaterThan(30);
  });
  for (const audit of audits) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status === 'ok' ? 'ok' : `${result.status}: ${result.reason}`).toBe('ok');
    });
  }
});
