// The official files shipped in prisma/seed/official: each is what manifest.json says (the sha256
// of the published file, for a .gz of the file inside), SOURCES.md names each with its hash, they
// parse as the kind the manifest gives, and together they add less than 5 MB to the repository.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { sha256Of } from '../../src/ingest/content-hash.js';
import { parseFile } from '../../src/ingest/parsers/detect.js';
import { OFFICIAL_SEED_DIR, readSeedManifest } from '../../src/ingest/seed-official.js';
import { readSourceFile } from '../../src/ingest/source-file.js';

const manifest = readSeedManifest();
const sources = readFileSync(path.join(OFFICIAL_SEED_DIR, 'SOURCES.md'), 'utf8');

/** What SOURCES.md says each file holds (codes and modifiers for HCPCS), and its release. */
const STATED: Record<string, { records: number; release: string; effective: string }> = {
  'HCPC2019_CONTR_ANWEB.txt.gz': { records: 6440 + 360, release: '2019', effective: '2019-01-01' },
  'HCPC2025_OCT_ANWEB_v4.xlsx': { records: 8463 + 383, release: '2025-10', effective: '2025-10-01' },
  'cms_bfd_clm_pos_cd.csv': { records: 100, release: '2024-08', effective: '2024-08-01' },
  'opps_addendum_b_2026_apr_hcpcs_level2.csv.gz': { records: 6664, release: '2026-04', effective: '2026-04-01' },
};

describe('prisma/seed/official', () => {
  it.each(manifest.map((entry) => [entry.file, entry] as const))(
    '%s is the published file the manifest and SOURCES.md describe',
    async (_name, entry) => {
      const source = await readSourceFile(path.join(OFFICIAL_SEED_DIR, entry.file), entry.kind);
      expect(path.basename(source.fileName)).toBe(entry.published);
      expect(sha256Of(source.bytes)).toBe(entry.sha256);
      expect(sources).toContain(entry.sha256);
      expect(sources).toContain(`\`${entry.file}\``);
      const parsed = await parseFile(source.bytes, source.fileName, entry.kind);
      // The file's release as the file names it, or (place of service) as the manifest does.
      const release = {
        records: parsed.recordCount,
        release: parsed.release.name ?? entry.release,
        effective: parsed.release.effectiveDate?.toISOString().slice(0, 10) ?? entry.effective,
      };
      expect(release, `${entry.file}: as SOURCES.md states it (a new file gets a line in STATED)`).toEqual(
        STATED[entry.file],
      );
    },
  );

  it('holds only the manifest, SOURCES.md and the files it lists, under 5 MB in all', () => {
    const files = readdirSync(OFFICIAL_SEED_DIR).sort();
    expect(files).toEqual(['SOURCES.md', 'manifest.json', ...manifest.map((e) => e.file)].sort());
    const bytes = files.reduce((sum, file) => sum + statSync(path.join(OFFICIAL_SEED_DIR, file)).size, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});
