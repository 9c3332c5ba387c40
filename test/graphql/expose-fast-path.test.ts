// src/graphql/expose-fast-path.ts answers exposed columns (and plain related rows) straight from
// the loaded row, skipping the prisma plugin's per-field loader lookup: about a fifth of the server's
// CPU on a page of 50 codes with their coverage (lab, cold). It recognises those fields by
// extensions the prisma plugin sets; this test pins them, so an upgrade that renames them fails
// here rather than silently losing the fast path.
import { isObjectType, type GraphQLFieldResolver, type GraphQLResolveInfo } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../../src/graphql/schema.js';

const field = (type: string, name: string) => {
  const object = schema.getType(type);
  if (!isObjectType(object)) throw new Error(`${type} is not an object type`);
  return object.getFields()[name]!;
};

/** No resolve info at all: the planned (plugin) resolver would need it, the fast path does not. */
const NO_INFO = undefined as unknown as GraphQLResolveInfo;

describe('the prisma plugin extensions the fast path reads', () => {
  it('are on exposed columns and on relations to plain types', () => {
    expect(field('Code', 'shortDescription').extensions).toMatchObject({
      pothosPrismaSelect: expect.anything(),
      pothosPrismaVariant: 'shortDescription',
    });
    expect(field('CoverageNote', 'payer').extensions).toMatchObject({
      pothosPrismaSelect: expect.anything(),
      pothosPrismaRelationField: { name: 'payer' },
    });
  });
});

describe('fields answered from the row', () => {
  it('an exposed column comes from the row, without the plugin', async () => {
    const resolve = field('Code', 'shortDescription').resolve as GraphQLFieldResolver<unknown, unknown>;
    expect(await resolve({ shortDescription: 'Pet, dx, for tumor id, noc' }, {}, {}, NO_INFO)).toBe(
      'Pet, dx, for tumor id, noc',
    );
  });

  it('a loaded relation to a plain type (Payer) comes from the row, without the plugin', async () => {
    const resolve = field('CoverageNote', 'payer').resolve as GraphQLFieldResolver<unknown, unknown>;
    const aetna = { id: 1, slug: 'aetna', name: 'Aetna' };
    expect(await resolve({ payer: aetna }, {}, {}, NO_INFO)).toBe(aetna);
  });

  it('a field with arguments is left to the plugin (two aliases may need different rows)', () => {
    const coverage = field('Code', 'coverage');
    expect(coverage.args.map((arg) => arg.name).sort()).toEqual(['asOf', 'payers', 'status']);
    // Its resolver is the plugin's own: it needs the resolve info to find its planned rows.
    expect(() => (coverage.resolve as GraphQLFieldResolver<unknown, unknown>)({}, {}, {}, NO_INFO)).toThrow(
      "Cannot read properties of undefined (reading 'path')",
    );
  });
});
