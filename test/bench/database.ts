// The benchmark's database: a fresh embedded PostgreSQL in a temporary folder, migrated, with
// the shared HCPCS, modifier, POS, NUCC and OPPS files loaded through refgraph's own loader, and
// generated curated data (coverage notes for the five payers, modifiers and sites for codes)
// drawn from a seeded PRNG, so every run holds the same rows.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createPrismaClient } from '../../src/db/client.js';
import { startEmbeddedPostgres } from '../../src/db/embedded-postgres.js';
import { migrate } from '../../src/db/migrator.js';
import { loadStarterData } from '../../src/db/starter-data.js';
import { loadFile, type LoadOptions } from '../../src/ingest/load-release.js';

/** The files loaded, with the release where the file itself does not say it. */
export const SHARED_FILES: readonly { file: string; options?: LoadOptions }[] = [
  { file: 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv' },
  { file: 'hcpcs/modifiers/hcpcs_level2_modifiers_2025_oct.csv' },
  {
    file: 'place_of_service/cms_bfd_clm_pos_cd.csv',
    options: { release: '2024', effective: new Date('2024-01-01T00:00:00Z') },
  },
  { file: 'nucc_taxonomy/nucc_taxonomy_251.csv' },
  { file: 'opps_addendum_b/opps_addendum_b_2026_apr_hcpcs_level2.csv' },
];

export interface BenchDatabase {
  url: string;
  counts: Record<string, number>;
  stop(): Promise<void>;
}

/** mulberry32: a tiny seeded PRNG (public domain), enough to make the same data every run. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = ['COVERED', 'COVERED', 'COVERED', 'PRIOR_AUTH_REQUIRED', 'CONDITIONAL', 'NOT_COVERED'] as const;
const SETTINGS = [
  ['Physician office', '11'],
  ['Hospital outpatient department', '22'],
  ['Ambulatory surgical center', '24'],
  ['Independent clinical laboratory', '81'],
  ['Patient home', '12'],
] as const;

/** Coverage notes (one per payer for every code: ≥ 40,000), code modifiers and sites, seeded. */
async function generateCuratedData(client: pg.Client, seed: number): Promise<void> {
  const random = mulberry32(seed);
  const pick = <T>(values: readonly T[]) => values[Math.floor(random() * values.length)]!;
  const { rows: codes } = await client.query<{ id: number; code: string }>('SELECT id, code FROM code ORDER BY code');
  const { rows: payers } = await client.query<{ id: number; slug: string }>('SELECT id, slug FROM payer ORDER BY id');
  const { rows: modifiers } = await client.query<{ id: number; code: string }>(
    `SELECT id, code FROM modifier WHERE code IN ('TC', '26', 'JW', 'JZ', 'GA', 'GZ', 'KX', 'LT', 'RT') ORDER BY code`,
  );

  const notes = {
    code: [] as number[],
    payer: [] as number[],
    status: [] as string[],
    policy: [] as string[],
    summary: [] as string[],
    reviewed: [] as string[],
  };
  for (const code of codes) {
    for (const payer of payers) {
      const status = pick(STATUSES);
      notes.code.push(code.id);
      notes.payer.push(payer.id);
      notes.status.push(status);
      notes.policy.push(`${payer.slug.toUpperCase()}-${String(Math.floor(random() * 90_000) + 10_000)}`);
      notes.summary.push(`${payer.slug} policy for ${code.code}: ${status.toLowerCase().replaceAll('_', ' ')}`);
      notes.reviewed.push(
        `2025-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`,
      );
    }
  }
  await client.query(
    `INSERT INTO coverage_note (code_id, payer_id, status, policy_id, summary, source_url, last_reviewed, updated_at)
     SELECT c, p, s::"CoverageStatus", pol, sm, 'https://example.org/policies/' || pol, r::date, now()
     FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[]) AS t(c, p, s, pol, sm, r)`,
    [notes.code, notes.payer, notes.status, notes.policy, notes.summary, notes.reviewed],
  );

  const links = { code: [] as number[], modifier: [] as number[] };
  const sites = { code: [] as number[], setting: [] as string[], pos: [] as string[] };
  for (const code of codes) {
    for (const modifier of modifiers) {
      if (random() < 0.15) {
        links.code.push(code.id);
        links.modifier.push(modifier.id);
      }
    }
    const siteCount = Math.floor(random() * 3);
    const used = new Set<string>();
    for (let i = 0; i < siteCount; i++) {
      const [setting, pos] = pick(SETTINGS);
      if (used.has(setting)) continue;
      used.add(setting);
      sites.code.push(code.id);
      sites.setting.push(setting);
      sites.pos.push(pos);
    }
  }
  await client.query(
    `INSERT INTO code_modifier (code_id, modifier_id, when_to_use, source)
     SELECT c, m, 'Generated for the benchmark', 'refgraph benchmark (seeded)' FROM unnest($1::int[], $2::int[]) AS t(c, m)
     ON CONFLICT DO NOTHING`,
    [links.code, links.modifier],
  );
  await client.query(
    `INSERT INTO code_site_of_service (code_id, setting, place_of_service_code, source)
     SELECT c, s, (SELECT code FROM place_of_service WHERE code = p), 'refgraph benchmark (seeded)'
     FROM unnest($1::int[], $2::text[], $3::text[]) AS t(c, s, p)`,
    [sites.code, sites.setting, sites.pos],
  );
}

export async function prepareBenchDatabase(
  sharedDir: string,
  seed = 20_261_127,
  log: (line: string) => void = () => {},
): Promise<BenchDatabase> {
  const dataDir = mkdtempSync(join(tmpdir(), 'refgraph-bench-'));
  // pg_stat_statements (shipped with the embedded binaries) times every statement, planning
  // included, so the run can report Postgres's own time per search statement.
  const server = await startEmbeddedPostgres({
    dataDir,
    persistent: false,
    settings: { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track_planning': 'on' },
  });
  const admin = new pg.Client({ connectionString: `${server.serverUrl}/postgres` });
  await admin.connect();
  await admin.query('CREATE DATABASE refgraph_bench');
  await admin.end();
  const url = `${server.serverUrl}/refgraph_bench`;
  await migrate(url);

  const prisma = createPrismaClient(url);
  await loadStarterData(prisma);
  for (const { file, options } of SHARED_FILES) {
    const started = Date.now();
    try {
      const summary = await loadFile(prisma, join(sharedDir, file), options);
      log(`loaded ${file}: ${summary.records} records in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    } catch (error) {
      // Only the HCPCS file is indispensable; say loudly what is missing otherwise.
      if (file.startsWith('hcpcs/2025_oct')) throw error;
      log(`NOT LOADED ${file}: ${(error as Error).message}`);
    }
  }
  await prisma.$disconnect();

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await generateCuratedData(client, seed);
  await client.query('VACUUM ANALYZE');
  await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
  const { rows } = await client.query<{ name: string; count: string }>(
    `SELECT 'code_version' AS name, count(*) FROM code_version UNION ALL SELECT 'coverage_note', count(*) FROM coverage_note
     UNION ALL SELECT 'code_modifier', count(*) FROM code_modifier UNION ALL SELECT 'code_site_of_service', count(*) FROM code_site_of_service
     UNION ALL SELECT 'modifier', count(*) FROM modifier UNION ALL SELECT 'place_of_service', count(*) FROM place_of_service
     UNION ALL SELECT 'taxonomy', count(*) FROM taxonomy UNION ALL SELECT 'benchmark', count(*) FROM benchmark`,
  );
  await client.end();
  return {
    url,
    counts: Object.fromEntries(rows.map((row) => [row.name, Number(row.count)])),
    stop: async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
