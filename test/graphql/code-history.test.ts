// "As of" answers, Code.history and changes(system, from, to) over the real 2019 and Oct 2025
// HCPCS files, loaded into this file's own database.
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile } from '../../src/ingest/load-release.js';
import type { LoadSummary } from '../../src/ingest/summary.js';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql, type Edges } from '../support/graphql.js';
import { csvRows, dataDir, dataFile } from '../ingest/support.js';

type Release = { name: string };
type History = {
  history: {
    release: Release & { origin?: string };
    shortDescription?: string;
    terminationDate?: string | null;
    changedFields: string[] | null;
  }[];
};
type Descriptions = { shortDescription: string; longDescription?: string } | null;
type Change = { code: string; kind: string; changedFields: string[]; before: Descriptions; after: Descriptions };
type Counts = { countsByKind: { kind: string; count: number }[] };

const ymd = (value: string | undefined) =>
  value ? `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}` : null;

describe.skipIf(!dataDir)('HCPCS history: 2019 annual and October 2025 (real CMS files)', () => {
  let database: TestDatabase;
  let first: LoadSummary;
  let second: LoadSummary;
  // Taken from the CSV files themselves, not from refgraph's parsers.
  const rows2019 = dataDir ? csvRows('hcpcs2019Csv').filter((r) => r.RECID === '3') : [];
  const rows2025 = dataDir ? csvRows('hcpcs2025Csv').filter((r) => r.RECID === '3') : [];
  const by2019 = new Map(rows2019.map((r) => [r.HCPC!.trim(), r]));
  const addedSince2019 = rows2025.filter((r) => !by2019.has(r.HCPC!.trim())).map((r) => r.HCPC!.trim());
  const today = new Date().toISOString().slice(0, 10);
  const terminatedSince2019 = rows2025
    .filter((r) => r['TERM DT'] && ymd(r['TERM DT'])! < today && by2019.get(r.HCPC!.trim())?.['TERM DT'] === '')
    .map((r) => r.HCPC!.trim());

  beforeAll(async () => {
    database = await useTestDatabase();
    first = await loadFile(database.url, dataFile('hcpcs2019Csv'));
    second = await loadFile(database.url, dataFile('hcpcs2025Csv'));
  });

  it('reports what changed from 2019 to 2025, with counts the files agree with', () => {
    expect(first).toMatchObject({
      status: 'loaded',
      release: '2019',
      effectiveDate: '2019-01-01',
      previousRelease: null,
      added: rows2019.length,
    });
    expect(second).toMatchObject({
      status: 'loaded',
      release: '2025-10',
      effectiveDate: '2025-10-01',
      previousRelease: '2019',
    });
    expect(second.added).toBe(addedSince2019.length);
    expect(second.added).toBe(2023); // SOURCES.md: 2,023 codes are in 2025 only
    expect(second.removed).toBe(0); // and all 6,440 of 2019 are still there
    const newlyTerminated = rows2025.filter(
      (r) => r['TERM DT'] !== '' && by2019.get(r.HCPC!.trim())?.['TERM DT'] === '',
    );
    expect(second.terminated).toBe(newlyTerminated.length);
    expect(second.terminated).toBe(406);
    expect(second.added + second.terminated + second.changed + second.unchanged).toBe(rows2025.length);
  });

  it('answers as of a date from the release in force then, and null before a code existed', async () => {
    const added = addedSince2019[0]!;
    const query = `query ($code: String!, $asOf: Date) { code(code: $code, asOf: $asOf) { code status release { name } } }`;
    type Answer = { code: { code: string; status: string; release: Release } | null };
    const then = await graphql<Answer>(query, { code: added, asOf: '2019-06-30' });
    expect(then.errors).toBeUndefined();
    expect(then.data?.code).toBeNull();
    const now = await graphql<Answer>(query, { code: added });
    expect(now.data?.code).toEqual({ code: added, status: 'ACTIVE', release: { name: '2025-10' } });
  });

  it('reads a code terminated since 2019 as terminated now and active as of 2019', async () => {
    const code = terminatedSince2019[0]!;
    const query = `query ($code: String!, $asOf: Date) { code(code: $code, asOf: $asOf) { status terminationDate release { name } } }`;
    type Answer = { code: { status: string; terminationDate: string | null; release: Release } | null };
    const now = await graphql<Answer>(query, { code });
    expect(now.data?.code).toEqual({
      status: 'TERMINATED',
      terminationDate: ymd(rows2025.find((r) => r.HCPC!.trim() === code)!['TERM DT']),
      release: { name: '2025-10' },
    });
    const then = await graphql<Answer>(query, { code, asOf: '2019-06-30' });
    expect(then.data?.code).toEqual({ status: 'ACTIVE', terminationDate: null, release: { name: '2019' } });
  });

  it("gives A9597's attributes as the 2025 file gives them, and no starter version once official releases are in", async () => {
    const row = rows2025.find((r) => r.HCPC === 'A9597')!;
    const result = await graphql<{ code: (History & Record<string, unknown>) | null }>(`{
      code(code: "A9597") {
        pricingIndicators coverageCode betos typesOfService addDate terminationDate actionCode status
        release { name origin }
        history { release { name origin } shortDescription changedFields }
      }
    }`);
    expect(result.errors).toBeUndefined();
    const code = result.data!.code!;
    expect(code).toMatchObject({
      pricingIndicators: [row.PRICE1],
      coverageCode: row.COV,
      betos: row.BETOS,
      typesOfService: [row.TOS1],
      addDate: ymd(row['ADD DT']),
      terminationDate: null,
      actionCode: row['ACTION CD'],
      status: 'ACTIVE',
      release: { name: '2025-10', origin: 'OFFICIAL' },
    });
    expect(code).toMatchObject({
      pricingIndicators: ['57'],
      coverageCode: 'C',
      betos: 'I1E',
      typesOfService: ['4'],
      addDate: '2017-01-01',
    });
    // Oldest first; the starter release gave way to the official ones (it is not in `releases` either).
    expect(code.history.map((v) => [v.release.name, v.release.origin])).toEqual([
      ['2019', 'OFFICIAL'],
      ['2025-10', 'OFFICIAL'],
    ]);
    expect(code.history[0]?.changedFields).toBeNull();
    const releases = await graphql<{ releases: { name: string; origin: string; system: { kind: string } }[] }>(
      `{ releases { name origin system { kind } } }`,
    );
    // Only places of service (no official file loaded here) keep their starter release.
    const starter = releases.data!.releases.filter((r) => r.origin === 'STARTER');
    expect(starter.map((r) => r.system.kind)).toEqual(['PLACE_OF_SERVICE']);
    // The curated facts of the starter data stay.
    type Curated = {
      serviceType: string | null;
      clinicalContext: { scenario: string } | null;
      modifiers: { modifier: { code: string } }[];
      sitesOfService: { setting: string }[];
    };
    const curated = await graphql<{ code: Curated | null }>(
      `{ code(code: "A9597") { serviceType clinicalContext { scenario } modifiers { modifier { code } } sitesOfService { setting } } }`,
    );
    expect(curated.data!.code).toMatchObject({
      serviceType: expect.stringMatching(/^Diagnostic PET/),
      clinicalContext: { scenario: expect.any(String) },
    });
    expect(curated.data!.code?.modifiers.map((m) => m.modifier.code).sort()).toEqual(['26', 'TC']);
    expect(curated.data!.code?.sitesOfService).toHaveLength(4);
  });

  it('lists changed fields per version and needs a fixed number of statements however long the history', async () => {
    const code = terminatedSince2019[0]!;
    const { result, count } = await countStatements(() =>
      graphql<{ code: History | null }>(
        `query ($code: String!) { code(code: $code) { history { release { name } terminationDate changedFields } } }`,
        { code },
      ),
    );
    expect(result.errors).toBeUndefined();
    const history = result.data!.code!.history;
    expect(history.map((v) => v.release.name)).toEqual(['2019', '2025-10']);
    expect(history[1]!.changedFields).toContain('terminationDate');
    // release in force + the version with its history and releases: no statement per version.
    expect(count).toBe(2);
  });

  it('pages through changes(system, from, to) in code order, agreeing with the load summary', async () => {
    const query = `query ($after: String) {
      changes(system: HCPCS, from: "2019", to: "2025-10", first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { node { code kind changedFields before { shortDescription } after { shortDescription longDescription } } }
      }
    }`;
    type Page = {
      changes: Edges<Change> & { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
    };
    const firstPage = await graphql<Page>(query);
    expect(firstPage.errors).toBeUndefined();
    const changes = firstPage.data!.changes;
    expect(changes.totalCount).toBe(second.added + second.terminated + second.changed + second.removed);
    expect(changes.edges).toHaveLength(100);
    expect(changes.pageInfo.hasNextPage).toBe(true);
    const codes = changes.edges.map((e) => e.node.code);
    expect([...codes].sort()).toEqual(codes);

    const { result: next, count } = await countStatements(() =>
      graphql<Page>(query, { after: changes.pageInfo.endCursor }),
    );
    expect(next.data!.changes.edges[0]!.node.code > codes[99]!).toBe(true);
    expect(count).toBe(3); // the two releases, the page, the total

    const addedSet = new Set(addedSince2019);
    const addedNodes = changes.edges.map((e) => e.node).filter((n) => addedSet.has(n.code));
    expect(addedNodes).toHaveLength(79); // of the first 100 changes in code order, 79 are codes the 2025 file adds
    // ADDED on this page is exactly the codes the files add (none of the others).
    expect(changes.edges.filter((e) => e.node.kind === 'ADDED').map((e) => e.node.code)).toEqual(
      addedNodes.map((n) => n.code),
    );
    for (const node of addedNodes) expect(node).toMatchObject({ kind: 'ADDED', before: null, changedFields: [] });
  });

  it('counts changes by kind in the same request, and pages through only the kinds asked for', async () => {
    // "How many HCPCS codes were added between 2019 and 2025-10": one request.
    const { result, count } = await countStatements(() =>
      graphql<{
        changes: Counts & Edges<Pick<Change, 'code' | 'kind'>> & { totalCount: number };
      }>(`{ changes(system: HCPCS, from: "2019", to: "2025-10", kinds: [ADDED], first: 5) {
        totalCount countsByKind { kind count } edges { node { code kind } } } }`),
    );
    expect(result.errors).toBeUndefined();
    const added = result.data!.changes;
    expect(added.totalCount).toBe(2023);
    expect(added.countsByKind).toEqual([{ kind: 'ADDED', count: 2023 }]);
    expect(added.edges.map((e) => e.node.kind)).toEqual(['ADDED', 'ADDED', 'ADDED', 'ADDED', 'ADDED']);
    expect(added.edges.map((e) => e.node.code)).toEqual([...addedSince2019].sort().slice(0, 5));
    // The two releases (one statement), the page, and one statement for totalCount and countsByKind together.
    expect(count).toBe(3);

    const all = await graphql<{ changes: Counts & { totalCount: number } }>(
      `{ changes(system: HCPCS, from: "2019", to: "2025-10") { totalCount countsByKind { kind count } } }`,
    );
    expect(all.data!.changes.countsByKind).toEqual([
      { kind: 'ADDED', count: second.added },
      { kind: 'TERMINATED', count: second.terminated },
      { kind: 'REMOVED', count: 0 },
      { kind: 'DESCRIPTION_CHANGED', count: second.descriptionChanged },
      { kind: 'ATTRIBUTES_CHANGED', count: second.attributesChanged },
    ]);
    expect(all.data!.changes.totalCount).toBe(second.added + second.terminated + second.changed);
    const two = await graphql<{
      changes: Edges<Pick<Change, 'kind'>> & { totalCount: number };
    }>(`{ changes(system: HCPCS, from: "2019", to: "2025-10", kinds: [TERMINATED, DESCRIPTION_CHANGED], first: 100) {
      totalCount edges { node { kind } } } }`);
    expect(two.data!.changes.totalCount).toBe(second.terminated + second.descriptionChanged);
    expect(new Set(two.data!.changes.edges.map((e) => e.node.kind))).toEqual(
      new Set(['TERMINATED', 'DESCRIPTION_CHANGED']),
    );
  });

  it('describes a description change with the before and after texts from the files', async () => {
    const changed = rows2025.find((r) => {
      const old = by2019.get(r.HCPC!.trim());
      return old && old['TERM DT'] === '' && r['TERM DT'] === '' && old['SHORT DESCRIPTION'] !== r['SHORT DESCRIPTION'];
    })!;
    const code = changed.HCPC!.trim();
    const result = await graphql<{ changes: Edges<Change> }>(
      `query ($after: String) { changes(system: HCPCS, from: "2019", to: "2025-10", first: 1, after: $after) {
        edges { node { code kind changedFields before { shortDescription } after { shortDescription } } } } }`,
      // The cursor is the code: start just before this one (its predecessor as a string).
      { after: code.slice(0, 4) + String(Number(code.slice(4)) - 1) },
    );
    expect(result.errors).toBeUndefined();
    expect(result.data!.changes.edges[0]?.node).toMatchObject({
      code,
      kind: 'DESCRIPTION_CHANGED',
      before: { shortDescription: by2019.get(code)!['SHORT DESCRIPTION']!.trim() },
      after: { shortDescription: changed['SHORT DESCRIPTION']!.trim() },
    });
    expect(result.data!.changes.edges[0]?.node.changedFields).toContain('shortDescription');
  });

  it('rejects an unknown release name and a system without per-release snapshots, naming the argument', async () => {
    const unknown = await graphql(`{ changes(system: HCPCS, from: "2018", to: "2025-10") { totalCount } }`);
    expect(unknown.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'from' } });
    const flat = await graphql(`{ changes(system: COVERAGE_DOCUMENT, from: "2025-08", to: "2025-08") { totalCount } }`);
    expect(flat.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'system' } });
  });
});
