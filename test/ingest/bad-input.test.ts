// Bad input: every failing load names the file, the place and the field, and leaves the database
// byte for byte as it was (a checksum of every table before and after). Then a backfill of an
// older release, which must keep "as of" answers and the current-state tables consistent.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFile, type LoadOptions } from '../../src/ingest/load-release.js';
import { useTestDatabase, type TestDatabase } from '../support/database.js';
import { graphql } from '../support/graphql.js';
import { dataDir, dataFile, tableChecksums } from './support.js';

describe.skipIf(!dataDir)('a load that fails changes nothing', () => {
  let database: TestDatabase;
  let baseline: Record<string, string>;
  const dir = mkdtempSync(path.join(tmpdir(), 'refgraph-bad-input-'));
  const csv2025 = dataDir ? readFileSync(dataFile('hcpcs2025Csv'), 'utf8').split('\n') : [];
  const txt2019 = dataDir ? readFileSync(dataFile('hcpcs2019Txt')) : Buffer.alloc(0);
  const txtLines = txt2019.toString('latin1').split('\r\n');
  const a9597Line = csv2025.findIndex((line) => line.startsWith('A9597,')); // 0-based

  /** Writes a file into the temporary folder and returns its path. */
  function file(name: string, content: string | Buffer): string {
    const target = path.join(dir, name);
    writeFileSync(target, content);
    return target;
  }

  /** A small 2025 CSV: the header, the first 40 rows and A9597, with `edit` applied to A9597's line. */
  function csvWith(edit: (a9597: string) => string): string {
    return [...csv2025.slice(0, 41), edit(csv2025[a9597Line]!), ''].join('\n');
  }

  async function expectRejected(target: string, message: RegExp, options: LoadOptions = {}): Promise<void> {
    await expect(loadFile(database.url, target, options)).rejects.toThrow(message);
    expect(await tableChecksums(database.db)).toEqual(baseline);
  }

  beforeAll(async () => {
    database = await useTestDatabase();
    await loadFile(database.url, dataFile('hcpcs2025Csv'));
    baseline = await tableChecksums(database.db);
  });

  it('an unknown format', async () => {
    await expectRejected(
      file('notes.txt', 'hello, world\nnot a code file\n'),
      /notes\.txt line 1: unknown file format/,
    );
  });

  it('a CSV with a wrong header, naming the missing and unexpected columns', async () => {
    const header = csv2025[0]!.replace('LONG DESCRIPTION', 'LONG DESC');
    await expectRejected(
      file('HCPC2025_OCT_header.csv', [header, ...csv2025.slice(1, 10), ''].join('\n')),
      /HCPC2025_OCT_header\.csv line 1: header does not match the HCPCS ANWEB layout \(missing "LONG DESCRIPTION"; unexpected "LONG DESC"\)/,
    );
  });

  it('a truncated fixed-width file', async () => {
    // Cut in the middle of record line 1,446 (A9597's continuation).
    const cut = txtLines.slice(0, 1445).join('\r\n').length + 2 + 40;
    await expectRejected(file('HCPC2019_truncated.txt', txt2019.subarray(0, cut)), /HCPC2019_truncated\.txt line 1446/);
  });

  it('a truncated workbook', async () => {
    const xlsx = readFileSync(dataFile('hcpcs2019Xlsx'));
    await expectRejected(
      file('HCPC2019_truncated.xlsx', xlsx.subarray(0, Math.floor(xlsx.length / 2))),
      /HCPC2019_truncated\.xlsx/,
    );
  });

  it('a continuation record without its first record', async () => {
    // Drop line 1,445 (A9597, RECID 3): its continuation (RECID 4) becomes line 1,445.
    const lines = [...txtLines.slice(0, 1444), ...txtLines.slice(1445)];
    await expectRejected(
      file('HCPC2019_orphan.txt', Buffer.from(lines.join('\r\n'), 'latin1')),
      /HCPC2019_orphan\.txt line 1445, field RECID: continuation record \(RECID 4\) for procedure code "A9597" without its first record/,
    );
  });

  it('the same code twice in one file', async () => {
    const content = [...csv2025.slice(0, 41), csv2025[5]!, ''].join('\n');
    await expectRejected(
      file('HCPC2025_OCT_twice.csv', content),
      /HCPC2025_OCT_twice\.csv line 42.*duplicate code .* \(first at line 6\)/,
    );
  });

  it('an impossible date, naming the line and the field', async () => {
    await expectRejected(
      file(
        'HCPC2025_OCT_date.csv',
        csvWith((line) => line.replace(',20170101,20170101,', ',20170231,20170101,')),
      ),
      /HCPC2025_OCT_date\.csv line 42, field ADD DT: "20170231" is not a valid date/,
    );
  });

  it("text that is not valid in the file's encoding", async () => {
    const good = Buffer.from(
      csvWith((line) => line.replace('radiopharmaceutical', 'radiopharmaceutic@l')),
      'utf8',
    );
    const at = good.indexOf('@');
    good[at] = 0xff;
    await expectRejected(
      file('HCPC2025_OCT_latin.csv', good),
      /HCPC2025_OCT_latin\.csv line 42: invalid UTF-8 \(byte 0xff/,
    );
  });

  it('an empty file', async () => {
    await expectRejected(file('HCPC2025_OCT_empty.csv', ''), /HCPC2025_OCT_empty\.csv: file is empty/);
  });

  it('another file claiming a release already loaded', async () => {
    await expectRejected(
      dataFile('hcpcs2025Xlsx'),
      /field release: HCPCS release "2025-10" is already loaded from another file \(HCPC2025_OCT_ANWEB_v4\.csv/,
    );
  });

  it('a release older than the newest one loaded, without --backfill', async () => {
    await expectRejected(
      dataFile('hcpcs2019Csv'),
      /HCPC2019_CONTR_ANWEB\.csv, field effective date: release "2019" \(effective 2019-01-01\) is older than HCPCS release "2025-10" .*pass --backfill/,
    );
  });

  it('a payment rate that is not a number, naming the line and the field', async () => {
    const content = [
      'hcpcs_code,short_descriptor,status_indicator,payment_rate,changed,source_release',
      'A9597,"Pet, dx, for tumor id, noc",N,,false,2026-07',
      'G0008,Admin influenza virus vac,S,$47.84,false,2026-07',
      '',
    ].join('\n');
    await expectRejected(
      file('opps_dollar.csv', content),
      /opps_dollar\.csv line 3, field payment_rate: expected a decimal number, found "\$47\.84"/,
    );
  });

  it('a failure after rows were written: the whole release is rolled back', async () => {
    // A newer release with a code of its own: the code, its version and the release row are
    // written before the modifiers, where this test's trigger refuses the load.
    const newCode = csv2025[a9597Line]!.replace(/^A9597,/, 'Z9999,');
    const content = [csv2025[0]!, ...csv2025.slice(1, 41), newCode, ''].join('\n');
    await database.db.$executeRawUnsafe(`CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'refused by the test trigger'; END $$`);
    await database.db.$executeRawUnsafe(
      `CREATE TRIGGER test_refuse BEFORE INSERT OR UPDATE ON modifier FOR EACH ROW EXECUTE FUNCTION test_refuse()`,
    );
    try {
      await expectRejected(
        file('HCPC2026_JAN_ANWEB_refused.csv', content),
        /HCPC2026_JAN_ANWEB_refused\.csv: the database rejected the load, nothing was written: refused by the test trigger/,
      );
      expect(await database.db.code.count({ where: { code: 'Z9999' } })).toBe(0);
    } finally {
      await database.db.$executeRawUnsafe(`DROP TRIGGER test_refuse ON modifier`);
      await database.db.$executeRawUnsafe(`DROP FUNCTION test_refuse()`);
    }
  });

  it('accepts the older release with --backfill, and history stays consistent', async () => {
    const summary = await loadFile(database.url, dataFile('hcpcs2019Csv'), { backfill: true });
    expect(summary).toMatchObject({
      status: 'loaded',
      release: '2019',
      backfill: true,
      previousRelease: null,
      added: 6440,
    });

    const query = `query ($asOf: Date) { code(code: "A9597", asOf: $asOf) { release { name } longDescription } }`;
    type Answer = { code: { release: { name: string }; longDescription: string } | null };
    expect((await graphql<Answer>(query, { asOf: '2019-06-30' })).data?.code?.release.name).toBe('2019');
    expect((await graphql<Answer>(query)).data?.code?.release.name).toBe('2025-10');
    const history = await graphql<{ code: { history: { release: { name: string } }[] } | null }>(
      `{ code(code: "A9597") { history { release { name } } } }`,
    );
    expect(history.data?.code?.history.map((v) => v.release.name)).toEqual(['2019', '2025-10']);

    // The current-state modifier table keeps the newest release's values (the file's modifiers are a MODIFIER release
    // of its own).
    const release2025 = await database.db.release.findFirstOrThrow({
      where: { name: '2025-10', system: { kind: 'MODIFIER' } },
    });
    const release2019 = await database.db.release.findFirstOrThrow({
      where: { name: '2019', system: { kind: 'MODIFIER' } },
    });
    expect(await database.db.modifier.count({ where: { releaseId: release2019.id } })).toBe(0);
    expect(await database.db.modifier.count({ where: { releaseId: release2025.id } })).toBe(383);

    // And what changed from 2019 to 2025-10 reads the same as a load in order would have said.
    const changes = await graphql<{ changes: { totalCount: number; countsByKind: { kind: string; count: number }[] } }>(
      `{ changes(system: HCPCS, from: "2019", to: "2025-10") { totalCount countsByKind { kind count } } }`,
    );
    // 2,023 added and 406 terminated, as SOURCES.md counts them; the description and attribute
    // changes as the files differ (test/graphql/code-history.test.ts checks them against the
    // summary of a load in order).
    expect(changes.data?.changes).toEqual({
      totalCount: 2023 + 406 + 276 + 371,
      countsByKind: [
        { kind: 'ADDED', count: 2023 },
        { kind: 'TERMINATED', count: 406 },
        { kind: 'REMOVED', count: 0 },
        { kind: 'DESCRIPTION_CHANGED', count: 276 },
        { kind: 'ATTRIBUTES_CHANGED', count: 371 },
      ],
    });
  });
});
