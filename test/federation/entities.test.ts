// refgraph as an Apollo Federation v2 subgraph: `_service { sdl }` and `_entities`, resolved in
// batches (the statement count does not grow with the number of representations).
import { beforeAll, describe, expect, it } from 'vitest';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';
import { nextDataVersion, watchTestDataVersion } from '../support/data-version.js';
import { addCodesWithCoverage } from '../support/factories.js';
import { graphql } from '../support/graphql.js';

let database: TestDatabase;
let codes: string[];

beforeAll(async () => {
  database = await useTestDatabase();
  codes = ['A9597', ...(await addCodesWithCoverage(database.db, 99))];
  // As serve runs: releases are remembered per data version.
  await watchTestDataVersion(database.url);
});

const ENTITIES = /* GraphQL */ `
  query Entities($representations: [_Any!]!) {
    _entities(representations: $representations) {
      __typename
      ... on Code { code shortDescription releaseName }
      ... on Payer { slug name }
      ... on Modifier { code description }
      ... on PlaceOfService { code name }
    }
  }
`;

const CODE_COLUMNS = /* GraphQL */ `
  query CodeEntities($representations: [_Any!]!) {
    _entities(representations: $representations) { ... on Code { code shortDescription } }
  }
`;

async function entities(representations: Record<string, unknown>[], document = ENTITIES) {
  // Each representation resolves to an entity of its own type (fields as the document selects them), or null.
  const { result, count, statements } = await countStatements(() =>
    graphql<{ _entities: (Record<string, unknown> | null)[] }>(document, { representations }),
  );
  expect(result.errors).toBeUndefined();
  return { entities: result.data!._entities, count, statements };
}

describe('_service', () => {
  it('returns the subgraph SDL with the entity keys', async () => {
    const response = await graphql<{ _service: { sdl: string } }>('{ _service { sdl } }');
    expect(response.errors).toBeUndefined();
    const sdl = response.data!._service.sdl;
    expect(sdl).toContain('@link(url: "https://specs.apollo.dev/federation/v2.6", import: ["@key"])');
    expect(sdl).toMatch(/type Code implements Node\s+@key\(fields: "code"\)\s+@key\(fields: "code releaseName"\)/);
    expect(sdl).toMatch(/type Payer implements Node\s+@key\(fields: "slug"\)\s+@key\(fields: "id"\)/);
    expect(sdl).toMatch(/type Modifier implements Node\s+@key\(fields: "code"\)/);
    expect(sdl).toMatch(/type PlaceOfService implements Node\s+@key\(fields: "code"\)/);
  });
});

describe('_entities', () => {
  it('resolves 100 Code references by code with one statement, as for one', async () => {
    const one = await entities([{ __typename: 'Code', code: 'A9597' }], CODE_COLUMNS);
    const hundred = await entities(
      codes.map((code) => ({ __typename: 'Code', code })),
      CODE_COLUMNS,
    );
    expect(one.entities).toEqual([{ code: 'A9597', shortDescription: 'Pet, dx, for tumor id, noc' }]);
    expect(hundred.entities.map((e) => e?.code)).toEqual(codes);
    expect(hundred.entities[42]).toEqual({ code: 'T0042', shortDescription: 'Test 42' });
    // The first request of this data version looks the release in force up, then remembers it;
    // the 100 versions in it come in one statement.
    expect(one.count).toBe(2);
    expect(hundred.count).toBe(1);
  });

  it('resolves 100 Code references pinned to a release with one statement', async () => {
    // The first reference to a release looks it up; it is remembered for the data version.
    expect(
      (await entities([{ __typename: 'Code', code: 'A9597', releaseName: 'refgraph-starter' }], CODE_COLUMNS)).count,
    ).toBe(2);
    const { entities: found, count } = await entities(
      codes.map((code) => ({ __typename: 'Code', code, releaseName: 'refgraph-starter' })),
      CODE_COLUMNS,
    );
    expect(found.map((e) => e?.code)).toEqual(codes);
    expect(count).toBe(1);
  });

  it('loads a selected relation for 100 references with as many statements as for one', async () => {
    const one = await entities([{ __typename: 'Code', code: 'A9597', releaseName: 'refgraph-starter' }]);
    const hundred = await entities(
      codes.map((code) => ({ __typename: 'Code', code, releaseName: 'refgraph-starter' })),
    );
    expect(one.entities).toEqual([
      {
        __typename: 'Code',
        code: 'A9597',
        shortDescription: 'Pet, dx, for tumor id, noc',
        releaseName: 'refgraph-starter',
      },
    ]);
    expect(hundred.entities[99]).toEqual({
      __typename: 'Code',
      code: 'T0099',
      shortDescription: 'Test 99',
      releaseName: 'refgraph-starter',
    });
    // Prisma's relationJoins joins the version's release into the same statement.
    expect(one.count).toBe(1);
    expect(hundred.count).toBe(1);
  });

  it('resolves unknown keys (and an unknown release) to null, in place', async () => {
    const { entities: found } = await entities([
      { __typename: 'Code', code: 'Z9999' },
      { __typename: 'Code', code: 'A9597' },
      { __typename: 'Code', code: 'A9597', releaseName: '1999-01' },
      { __typename: 'Payer', slug: 'nobody' },
      { __typename: 'Payer', id: 'UGF5ZXI6OTk5' },
      { __typename: 'Modifier', code: 'ZZ' },
      { __typename: 'PlaceOfService', code: '98' },
    ]);
    expect(found).toEqual([null, expect.objectContaining({ code: 'A9597' }), null, null, null, null, null]);
  });

  it('resolves payers by slug or global ID, modifiers and places of service, one statement per type', async () => {
    const payers = await graphql<{ payers: { id: string; slug: string }[] }>('{ payers { id slug } }');
    const aetna = payers.data!.payers.find((p) => p.slug === 'aetna')!;
    const slugs = payers.data!.payers.map((p) => p.slug);
    const representations = [
      ...Array.from({ length: 100 }, (_, i) => ({ __typename: 'Payer', slug: slugs[i % slugs.length] })),
      { __typename: 'Payer', id: aetna.id },
      { __typename: 'Modifier', code: 'TC' },
      { __typename: 'Modifier', code: '26' },
      { __typename: 'PlaceOfService', code: '22' },
      { __typename: 'PlaceOfService', code: '19' },
    ];
    const { entities: found, count } = await entities(representations);
    expect(found[0]).toEqual({ __typename: 'Payer', slug: slugs[0], name: expect.any(String) });
    expect(found[100]).toEqual({ __typename: 'Payer', slug: 'aetna', name: 'Aetna' });
    expect(found[101]).toEqual({
      __typename: 'Modifier',
      code: 'TC',
      description: expect.stringMatching(/^Technical component/),
    });
    expect(found[102]).toEqual({
      __typename: 'Modifier',
      code: '26',
      description: expect.stringMatching(/^Professional component/),
    });
    expect(found[103]).toEqual({ __typename: 'PlaceOfService', code: '22', name: 'On Campus-Outpatient Hospital' });
    expect(found[104]).toMatchObject({ __typename: 'PlaceOfService', code: '19' });
    expect(count).toBe(3);
  });

  it('follows the release in force: an official release supersedes the starter data', async () => {
    const db = database.db;
    const hcpcs = await db.codeSystem.findUniqueOrThrow({ where: { kind: 'HCPCS' } });
    const starter = await db.codeVersion.findFirstOrThrow({ where: { code: 'A9597' } });
    const loaded = nextDataVersion();
    await db.$transaction(async (tx) => {
      const official = await tx.release.create({
        data: { systemId: hcpcs.id, name: '2025-10', effectiveDate: new Date('2025-10-01') },
      });
      const { id: _id, releaseId: _releaseId, ...fields } = starter;
      await tx.codeVersion.create({
        data: { ...fields, releaseId: official.id, shortDescription: 'Pet, dx, tumor id, noc (2025-10)' },
      });
    });
    await loaded;
    const { entities: found, count } = await entities(
      [
        { __typename: 'Code', code: 'A9597' },
        { __typename: 'Code', code: 'T0001' },
        { __typename: 'Code', code: 'T0001', releaseName: 'refgraph-starter' },
      ],
      CODE_COLUMNS,
    );
    // T0001 is only in the starter release, which no longer is in force; pinned, it still resolves.
    expect(found).toEqual([
      { code: 'A9597', shortDescription: 'Pet, dx, tumor id, noc (2025-10)' },
      null,
      { code: 'T0001', shortDescription: 'Test 1' },
    ]);
    // The new data version looks both releases up again (2), then one statement per release asked for (2).
    expect(count).toBe(4);
  });
});
