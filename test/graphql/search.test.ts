// search(text:): tiers, ranking, what matched, the objects behind hits, errors and SQL cost.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/load-release.js';
import { addRealCodes } from '../support/code-fixtures.js';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql } from '../support/graphql.js';
import { sharedDataDir } from '../support/shared-data.js';

const SEARCH = /* GraphQL */ `
  query Search($text: String!, $first: Int, $systems: [CodeSystemKind!]) {
    search(text: $text, first: $first, systems: $systems) { kind code title matchedOn score }
  }
`;

interface Hit {
  kind: string;
  code: string;
  title: string;
  matchedOn: string;
  score: number;
}

async function hits(text: string, variables: Record<string, unknown> = {}): Promise<Hit[]> {
  const response = await graphql<{ search: Hit[] }>(SEARCH, { text, ...variables });
  expect(response.errors).toBeUndefined();
  return response.data!.search;
}

let database: TestDatabase;

beforeAll(async () => {
  database = await useTestDatabase();
  await addRealCodes(database.db);
});

describe('search tiers', () => {
  it('puts the exact code first', async () => {
    const [first] = await hits('a9597');
    expect(first).toEqual({
      kind: 'HCPCS',
      code: 'A9597',
      title:
        'Positron emission tomography radiopharmaceutical, diagnostic, for tumor identification, not otherwise classified',
      matchedOn: 'EXACT_CODE',
      score: 1,
    });
  });

  it('lists the A95xx codes in code order for "A95"', async () => {
    const result = await hits('A95');
    expect(result.map((hit) => hit.code)).toEqual(['A9500', 'A9502', 'A9552', 'A9597', 'A9598', 'A9599']);
    expect(new Set(result.map((hit) => hit.matchedOn))).toEqual(new Set(['CODE_PREFIX']));
    expect(result[0]!.score).toBeCloseTo(0.6, 5);
  });

  it('matches word prefixes: "pet tumor" finds A9597 first', async () => {
    const result = await hits('pet tumor');
    expect(result[0]).toMatchObject({ code: 'A9597', matchedOn: 'WORD_PREFIX' });
    // A9598 says "non-tumor": the word prefix "tumor" matches it too, ranked lower.
    expect(result.map((hit) => hit.code)).toContain('A9598');
  });

  it('matches stemmed words: "walkers" finds the walker', async () => {
    const result = await hits('walkers');
    expect(result[0]).toMatchObject({ code: 'E0130', matchedOn: 'FULL_TEXT' });
  });

  it('tolerates typos: "positron emision" finds A9597 by similarity', async () => {
    const result = await hits('positron emision');
    const a9597 = result.find((hit) => hit.code === 'A9597');
    expect(a9597).toMatchObject({ matchedOn: 'SIMILAR' });
    expect(a9597!.score).toBeGreaterThan(0.6);
  });

  it('tolerates British spelling: "tumour identification" ranks A9597 first', async () => {
    const result = await hits('tumour identification');
    expect(result[0]).toMatchObject({ code: 'A9597', matchedOn: 'SIMILAR' });
  });

  it('breaks ties deterministically (score, then system, then code)', async () => {
    const first = await hits('diagnostic per study dose');
    const second = await hits('diagnostic per study dose');
    expect(second).toEqual(first);
    const sorted = [...first].sort((a, b) => b.score - a.score || a.code.localeCompare(b.code));
    expect(first.map((hit) => hit.code)).toEqual(sorted.map((hit) => hit.code));
    expect(first.map((hit) => hit.code)).toEqual(['A9500', 'A9502', 'A9552', 'A9599']);
  });

  it('searches modifiers and places of service too, and honours systems', async () => {
    expect((await hits('TC'))[0]).toMatchObject({ kind: 'MODIFIER', code: 'TC', matchedOn: 'EXACT_CODE' });
    expect((await hits('22'))[0]).toMatchObject({ kind: 'PLACE_OF_SERVICE', code: '22', matchedOn: 'EXACT_CODE' });
    const onlyModifiers = await hits('technical', { systems: ['MODIFIER'] });
    expect(onlyModifiers[0]).toMatchObject({ kind: 'MODIFIER', code: 'TC' });
    expect(new Set(onlyModifiers.map((hit) => hit.kind))).toEqual(new Set(['MODIFIER']));
  });

  it('follows changes to the searched rows at once (triggers keep search_document in step)', async () => {
    // A modifier of this test's own (no other test searches for it or for its words): added,
    // reworded, then deleted.
    const modifiers = database.db.modifier;
    await modifiers.create({
      data: { code: 'ZX', source: 'CPT', longDescription: 'Quincunx test wording', sourceNote: 'search test' },
    });
    expect((await hits('quincunx'))[0]).toMatchObject({ kind: 'MODIFIER', code: 'ZX', matchedOn: 'WORD_PREFIX' });
    await modifiers.update({ where: { code: 'ZX' }, data: { longDescription: 'Zygomorphic test wording' } });
    expect(await hits('quincunx')).toEqual([]);
    expect((await hits('zygomorphic'))[0]).toMatchObject({ kind: 'MODIFIER', code: 'ZX', matchedOn: 'WORD_PREFIX' });
    expect((await hits('zygomorphik'))[0]).toMatchObject({ kind: 'MODIFIER', code: 'ZX', matchedOn: 'SIMILAR' });
    await modifiers.delete({ where: { code: 'ZX' } });
    expect(await hits('zygomorphic')).toEqual([]);
    expect(await hits('zygomorphik')).toEqual([]);
  });

  it('returns at most `first` hits', async () => {
    expect(await hits('A95', { first: 2 })).toHaveLength(2);
  });
});

describe('the objects behind hits', () => {
  const WITH_OBJECTS = /* GraphQL */ `
    query ($text: String!) {
      search(text: $text, first: 10) {
        code
        hcpcsCode { code status betos coverage { status payer { slug } } }
        modifier { code description }
        placeOfService { name }
      }
    }
  `;

  /** What WITH_OBJECTS selects. */
  interface HitWithObjects {
    code: string;
    hcpcsCode: {
      code: string;
      status: string;
      betos: string | null;
      coverage: { status: string; payer: { slug: string } }[];
    } | null;
    modifier: { code: string; description: string } | null;
    placeOfService: { name: string } | null;
  }
  const withObjects = (text: string) => graphql<{ search: HitWithObjects[] }>(WITH_OBJECTS, { text });

  it('loads codes, modifiers and places in one statement per system', async () => {
    const { result, count } = await countStatements(() => withObjects('A9597'));
    expect(result.errors).toBeUndefined();
    const hit = result.data!.search[0];
    expect(hit).toEqual({
      code: 'A9597',
      hcpcsCode: { code: 'A9597', status: 'ACTIVE', betos: 'I1E', coverage: [] },
      modifier: null,
      placeOfService: null,
    });
    // the ranked search, then code versions with their coverage and payers (relationJoins)
    expect(count).toBe(2);
  });

  it('costs the same whatever the number of hits', async () => {
    const one = await countStatements(() => withObjects('A9597'));
    const many = await countStatements(() => withObjects('A95'));
    expect(many.result.data!.search).toHaveLength(6);
    expect(many.count).toBe(one.count);
    const mixed = await countStatements(() => withObjects('technical'));
    expect(mixed.result.data!.search[0]).toMatchObject({ code: 'TC', hcpcsCode: null, modifier: { code: 'TC' } });
    expect(mixed.result.data!.search[0]?.modifier?.description).toMatch(/technical component/i);
    // the search, then modifiers (no code hit, so no code query)
    expect(mixed.count).toBe(2);
  });

  it('sends only the search statement when no object is selected', async () => {
    const { count } = await countStatements(() => graphql(SEARCH, { text: 'pet tumor' }));
    expect(count).toBe(1);
  });
});

describe('bad search text', () => {
  it('refuses empty text, naming the argument', async () => {
    const response = await graphql(SEARCH, { text: '   ' });
    expect(response.errors![0]!.message).toBe(
      'Argument "text" must not be empty: type a code (A95) or words (pet tumor)',
    );
    expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses a 1,000-character text', async () => {
    const response = await graphql(SEARCH, { text: 'x'.repeat(1000) });
    expect(response.errors![0]!.message).toBe('Argument "text" must be at most 200 characters (got 1000)');
    expect(response.errors![0]!.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('refuses first above the cap and systems that are not searchable', async () => {
    const tooMany = await graphql(SEARCH, { text: 'pet', first: 101 });
    expect(tooMany.errors![0]!.message).toBe('Argument "first" must be between 0 and 100 (got 101)');
    const opps = await graphql(SEARCH, { text: 'pet', systems: ['OPPS'] });
    expect(opps.errors![0]!.message).toBe(
      'Argument "systems" can only hold HCPCS, MODIFIER, PLACE_OF_SERVICE, TAXONOMY (got OPPS)',
    );
  });

  it('treats SQL and tsquery syntax as plain text', async () => {
    expect(await hits(`'); DROP TABLE code; --`)).toEqual([]);
    expect(await hits('pet & | ! :* tumor')).toEqual(
      expect.arrayContaining([expect.objectContaining({ code: 'A9597' })]),
    );
  });
});

const dataDir = sharedDataDir();

describe.skipIf(!dataDir)('search over the real October 2025 HCPCS file', () => {
  beforeAll(async () => {
    await loadFile(database.db, `${dataDir}/hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv`);
  }, 120_000);

  it('finds A9597 for "positron emision" and "tumour identification"', async () => {
    expect((await hits('positron emision')).map((hit) => hit.code)).toContain('A9597');
    expect((await hits('tumour identification'))[0]!.code).toBe('A9597');
  });

  it('lists all 87 A95xx codes in code order', async () => {
    const result = await hits('A95', { first: 100 });
    expect(result).toHaveLength(87);
    expect(result[0]!.code).toBe('A9500');
    expect(result.map((hit) => hit.code)).toEqual([...result.map((hit) => hit.code)].sort());
  });
});
