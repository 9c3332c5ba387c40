// schema/schema.graphql is the printed subgraph SDL; this fails when it is stale.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printedSchema } from '../../src/graphql/print-schema.js';

const COMMITTED = new URL('../../schema/schema.graphql', import.meta.url);

describe('schema/schema.graphql', () => {
  it('matches the schema the code builds (run: npx tsx src/main.ts print-schema --out schema/schema.graphql)', () => {
    const printed = printedSchema();
    expect(printed).toContain('extend schema\n  @link(url: "https://specs.apollo.dev/federation/v2.6"');
    expect(readFileSync(COMMITTED, 'utf8')).toBe(printed);
  });
});
