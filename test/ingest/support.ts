// Helpers for loader tests: the shared data files, a checksum of every table, and raw counts
// taken from the files themselves (independently of refgraph's parsers).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../src/db/client.js';
import { sharedDataDir } from '../support/shared-data.js';

export const dataDir = sharedDataDir();

export const FILES = {
  hcpcs2025Csv: 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv',
  hcpcs2025Xlsx: 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.xlsx',
  hcpcs2019Csv: 'hcpcs/2019_annual/HCPC2019_CONTR_ANWEB.csv',
  hcpcs2019Xlsx: 'hcpcs/2019_annual/HCPC2019_CONTR_ANWEB.xlsx',
  hcpcs2019Txt: 'hcpcs/2019_annual/HCPC2019_CONTR_ANWEB.txt',
  modifiers: 'hcpcs/modifiers/hcpcs_level2_modifiers_2025_oct.csv',
  posCsv: 'place_of_service/cms_bfd_clm_pos_cd.csv',
  posJson: 'place_of_service/cms_pos_codes_2017_scrape.json',
  nucc240: 'nucc_taxonomy/nucc_taxonomy_240.csv',
  nucc251: 'nucc_taxonomy/nucc_taxonomy_251.csv',
  opps2023: 'opps_addendum_b/opps_addendum_b_2023_jan_hcpcs_level2.csv',
  opps2026: 'opps_addendum_b/opps_addendum_b_2026_apr_hcpcs_level2.csv',
  mcd: 'coverage/mcd_lcd_lca_documents_2025-08.csv',
} as const;

export function dataFile(name: keyof typeof FILES): string {
  if (!dataDir) throw new Error('shared data folder missing');
  return path.join(dataDir, FILES[name]);
}

const parsedCsv = new Map<string, Record<string, string>[]>();

/** A CSV of the shared data as header-keyed rows, read with csv-parse (not refgraph's parsers). */
export function csvRows(name: keyof typeof FILES): Record<string, string>[] {
  let rows = parsedCsv.get(name);
  if (!rows) {
    rows = parse(readFileSync(dataFile(name)), { columns: true, bom: true, relax_column_count: false }) as Record<
      string,
      string
    >[];
    parsedCsv.set(name, rows);
  }
  return rows;
}

/** md5 of every row of every table in the public schema, per table. */
export async function tableChecksums(db: Db): Promise<Record<string, string>> {
  const tables = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`,
  );
  const out: Record<string, string> = {};
  for (const { name } of tables) {
    const rows = await db.$queryRawUnsafe<{ sum: string | null; n: number }[]>(
      `SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS sum, count(*)::int AS n FROM "${name}" t`,
    );
    out[name] = `${rows[0]?.n}:${rows[0]?.sum ?? 'empty'}`;
  }
  return out;
}
