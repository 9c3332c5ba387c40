// Release-by-release history for modifiers, places of service and taxonomies (issue 11, part 3),
// over the real files of ../shared/data: HCPCS 2019 and October 2025 (their modifiers), NUCC 24.0
// and 25.1, and the 2017 and current place-of-service lists. Expected values are read from the
// files themselves (and a few spelled out), not from refgraph's parsers.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/load-release.js';
import { countStatements, useTestDatabase } from '../support/database.js';
import { graphql, type Edges } from '../support/graphql.js';
import { csvRows, dataDir, dataFile } from '../ingest/support.js';

const modifiersOf = (file: 'hcpcs2019Csv' | 'hcpcs2025Csv') =>
  new Map(
    csvRows(file)
      .filter((r) => r.RECID === '7')
      .map((r) => [r.HCPC!.trim(), r]),
  );

type Release = { name: string };
type Counts = { countsByKind: { kind: string; count: number }[] };
type History<Version> = { history: (Version & { release: Release; changedFields: string[] | null })[] };
const countsOf = ({ countsByKind }: Counts) => Object.fromEntries(countsByKind.map((c) => [c.kind, c.count]));

describe.skipIf(!dataDir)('history for every code system (real files)', () => {
  const m2019: ReturnType<typeof modifiersOf> = dataDir ? modifiersOf('hcpcs2019Csv') : new Map();
  const m2025: ReturnType<typeof modifiersOf> = dataDir ? modifiersOf('hcpcs2025Csv') : new Map();

  beforeAll(async () => {
    const database = await useTestDatabase();
    // Nothing else reads this database: merge the search indexes once per load, as the seed does.
    const load = (file: Parameters<typeof dataFile>[0], options = {}) =>
      loadFile(database.url, dataFile(file), options);
    await load('hcpcs2019Csv');
    await load('hcpcs2025Csv');
    await load('nucc240');
    await load('nucc251');
    await load('posJson', { effective: new Date('2017-02-01T00:00:00Z'), release: '2017-02' });
    await load('posCsv', { effective: new Date('2024-08-01T00:00:00Z'), release: '2024-08' });
  }, 300_000);

  it('answers what modifier EA meant in 2019, and what it means now', async () => {
    const query = `query ($asOf: Date) { modifier(code: "EA", asOf: $asOf) { code description release { name system { kind } } } }`;
    type Answer = {
      modifier: { code: string; description: string; release: Release & { system: { kind: string } } } | null;
    };
    const then = await graphql<Answer>(query, { asOf: '2019-06-30' });
    expect(then.errors).toBeUndefined();
    expect(then.data!.modifier).toEqual({
      code: 'EA',
      description: 'Erythropoetic stimulating agent (esa) administered to treat anemia due to anti-cancer chemotherapy',
      release: { name: '2019', system: { kind: 'MODIFIER' } },
    });
    expect(then.data!.modifier?.description).toBe(m2019.get('EA')!['LONG DESCRIPTION']!.trim());
    const now = await graphql<Answer>(query, {});
    expect(now.data!.modifier?.description).toBe(
      'Erythropoietic stimulating agent (esa) administered to treat anemia due to anti-cancer chemotherapy',
    );
    expect(now.data!.modifier?.release.name).toBe('2025-10');
    // As of a date in force of the October 2025 release, the same as now.
    expect((await graphql<Answer>(query, { asOf: '2025-12-01' })).data!.modifier).toEqual(now.data!.modifier);
    // Before any release was in force: no answer.
    expect((await graphql<Answer>(query, { asOf: '2018-06-30' })).data!.modifier).toBeNull();
  });

  it('knows modifiers added since 2019 only from their release on, and terminated ones by their date', async () => {
    const added = [...m2025.keys()].filter((code) => !m2019.has(code));
    expect(added).toHaveLength(23);
    expect(added).toContain('AB');
    const query = `query ($code: String!, $asOf: Date) { modifier(code: $code, asOf: $asOf) { code terminationDate release { name } } }`;
    type Answer = { modifier: { code: string; terminationDate: string | null; release: Release } | null };
    expect((await graphql<Answer>(query, { code: 'AB', asOf: '2019-06-30' })).data!.modifier).toBeNull();
    expect((await graphql<Answer>(query, { code: 'AB', asOf: '2025-10-01' })).data!.modifier).toMatchObject({
      code: 'AB',
      release: { name: '2025-10' },
    });

    const terminated = [...m2025.keys()].filter(
      (code) => m2019.has(code) && m2025.get(code)!['TERM DT'] && !m2019.get(code)!['TERM DT'],
    );
    expect(terminated).toEqual(['GD', 'JG', 'QQ']);
    const termDate = m2025.get('JG')!['TERM DT']!;
    type Termination = { terminationDate: string | null };
    const jg = await graphql<{
      then: Termination;
      now: Termination & History<Termination>;
    }>(`{ then: modifier(code: "JG", asOf: "2019-06-30") { terminationDate } now: modifier(code: "JG") {
      terminationDate history { release { name } terminationDate changedFields } } }`);
    expect(jg.data!.then).toEqual({ terminationDate: null });
    expect(jg.data!.now.terminationDate).toBe(
      `${termDate.slice(0, 4)}-${termDate.slice(4, 6)}-${termDate.slice(6, 8)}`,
    );
    expect(
      jg.data!.now.history.map((v) => [v.release.name, v.changedFields?.includes('terminationDate') ?? null]),
    ).toEqual([
      ['2019', null],
      ['2025-10', true],
    ]);
  });

  it('counts what changed among modifiers from 2019 to 2025-10, by kind', async () => {
    type Descriptions = { longDescription: string } | null;
    type Change = { code: string; kind: string; before: Descriptions; after: Descriptions };
    const result = await graphql<{
      changes: Counts & Edges<Change> & { totalCount: number };
    }>(`{ changes(system: MODIFIER, from: "2019", to: "2025-10", first: 100) {
      totalCount countsByKind { kind count } edges { node { code kind before { longDescription } after { longDescription } } } } }`);
    expect(result.errors).toBeUndefined();
    const changes = result.data!.changes;
    const counts = countsOf(changes);
    expect(counts).toMatchObject({ ADDED: 23, TERMINATED: 3, REMOVED: 0 });
    const described = [...m2025.keys()].filter((code) => {
      const before = m2019.get(code);
      return (
        before &&
        !(m2025.get(code)!['TERM DT'] && !before['TERM DT']) &&
        (before['LONG DESCRIPTION']!.trim() !== m2025.get(code)!['LONG DESCRIPTION']!.trim() ||
          before['SHORT DESCRIPTION']!.trim() !== m2025.get(code)!['SHORT DESCRIPTION']!.trim())
      );
    });
    expect(counts.DESCRIPTION_CHANGED).toBe(described.length);
    const ea = changes.edges.find((e) => e.node.code === 'EA')?.node;
    expect(ea).toEqual({
      code: 'EA',
      kind: 'DESCRIPTION_CHANGED',
      before: { longDescription: m2019.get('EA')!['LONG DESCRIPTION']!.trim() },
      after: { longDescription: m2025.get('EA')!['LONG DESCRIPTION']!.trim() },
    });
  });

  it("follows a code's asOf in Code.modifiers, with a fixed number of statements per page", async () => {
    const query = `query ($asOf: Date, $first: Int) { codes(first: $first, asOf: $asOf, filter: { codeFrom: "A9590" }) { edges { node {
      code modifiers { modifier { code description release { name } } } } } } }`;
    type Modifiers = { modifiers: { modifier: { code: string; description?: string; release: Release | null } }[] };
    type Answer = { codes: Edges<Modifiers & { code: string }> };
    const then = await countStatements(() => graphql<Answer>(query, { asOf: '2019-06-30', first: 5 }));
    expect(then.result.errors).toBeUndefined();
    const a9597 = then.result.data!.codes.edges.find((e) => e.node.code === 'A9597')!.node;
    // TC as the 2019 release gave it; 26 is a curated CPT modifier (no release), the same on every date.
    expect(a9597.modifiers.map((m) => [m.modifier.code, m.modifier.release?.name ?? null])).toEqual(
      expect.arrayContaining([
        ['TC', '2019'],
        ['26', null],
      ]),
    );
    const wider = await countStatements(() => graphql<Answer>(query, { asOf: '2019-06-30', first: 50 }));
    expect(wider.result.errors).toBeUndefined();
    expect(wider.count).toBe(then.count);
    const now = await graphql<{ code: Modifiers | null }>(
      `{ code(code: "A9597") { modifiers { modifier { code release { name } } } } }`,
    );
    expect(now.data!.code?.modifiers.find((m) => m.modifier.code === 'TC')?.modifier.release?.name).toBe('2025-10');
  });

  it('gives taxonomies as each NUCC release lists them', async () => {
    const before = new Map(csvRows('nucc240').map((r) => [r.Code!, r]));
    const after = csvRows('nucc251');
    const renamed = after.find(
      (r) => before.has(r.Code!) && before.get(r.Code!)!['Display Name'] !== r['Display Name'],
    )!;
    const added = after.filter((r) => !before.has(r.Code!)).map((r) => r.Code!);
    expect(added).toContain('146E00000X');
    const query = `query ($code: String!, $asOf: Date) { taxonomy(code: $code, asOf: $asOf) { displayName release { name } } }`;
    type Answer = { taxonomy: { displayName: string | null; release: Release } | null };
    expect((await graphql<Answer>(query, { code: renamed.Code, asOf: '2024-06-01' })).data!.taxonomy).toEqual({
      displayName: before.get(renamed.Code!)!['Display Name'],
      release: { name: '24.0' },
    });
    expect((await graphql<Answer>(query, { code: renamed.Code })).data!.taxonomy).toEqual({
      displayName: renamed['Display Name'],
      release: { name: '25.1' },
    });
    expect((await graphql<Answer>(query, { code: '146E00000X', asOf: '2024-06-01' })).data!.taxonomy).toBeNull();
    const history = await graphql<{ taxonomy: History<object> | null }>(
      `query ($code: String!) { taxonomy(code: $code) { history { release { name } changedFields } } }`,
      { code: renamed.Code },
    );
    expect(history.data!.taxonomy?.history[1]).toMatchObject({
      release: { name: '25.1' },
      changedFields: expect.arrayContaining(['displayName']),
    });
    const changes = await graphql<{ changes: Counts }>(
      `{ changes(system: TAXONOMY, from: "24.0", to: "25.1") { totalCount countsByKind { kind count } } }`,
    );
    const counts = countsOf(changes.data!.changes);
    expect(counts).toMatchObject({ ADDED: 9, REMOVED: 0, TERMINATED: 0 });
  });

  it('gives places of service as each list gave them', async () => {
    const query = `query ($code: String!, $asOf: Date) { placeOfService(code: $code, asOf: $asOf) { name release { name } } }`;
    type Answer = { placeOfService: { name: string; release: Release } | null };
    // Code 10 (telehealth in the patient's home) dates from 2022: not in the 2017 list.
    expect((await graphql<Answer>(query, { code: '10', asOf: '2020-01-01' })).data!.placeOfService).toBeNull();
    expect((await graphql<Answer>(query, { code: '10', asOf: '2025-01-01' })).data!.placeOfService).toMatchObject({
      release: { name: '2024-08' },
    });
    expect((await graphql<Answer>(query, { code: '11', asOf: '2020-01-01' })).data!.placeOfService).toEqual({
      name: 'Office',
      release: { name: '2017-02' },
    });
    const eleven = await graphql<{ placeOfService: History<{ name: string }> | null }>(
      `{ placeOfService(code: "11") { name history { release { name } name changedFields } } }`,
    );
    expect(eleven.data!.placeOfService?.history.map((v) => [v.release.name, v.name])).toEqual([
      ['2017-02', 'Office'],
      ['2024-08', 'OFFICE'],
    ]);
    expect(eleven.data!.placeOfService?.history[1]?.changedFields).toContain('name');
    const changes = await graphql<{ changes: { totalCount: number } }>(
      `{ changes(system: PLACE_OF_SERVICE, from: "2017-02", to: "2024-08", kinds: [ADDED]) { totalCount } }`,
    );
    // 100 codes in the current list (00-99, unassigned ones included), 48 in the 2017 scrape.
    expect(changes.data!.changes.totalCount).toBe(52);
  });
});
