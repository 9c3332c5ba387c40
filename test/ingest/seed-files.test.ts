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

describe('prisma/seed/official', () => {
  it.each(manifest.map((entry) => [entry.file, entry] as const))('%s is the published file the manifest and SOURCES.md describe', async (_name, entry) => {
    const source = await readSourceFile(path.join(OFFICIAL_SEED_DIR, entry.file), entry.kind);
    expect(path.basename(source.fileName)).toBe(entry.published);
    expect(sha256Of(source.bytes)).toBe(entry.sha256);
    expect(sources).toContain(entry.sha256);
    expect(sources).toContain(`\`${entry.file}\``);
    const parsed = await parseFile(source.bytes, source.fileName, entry.kind);
    expect(parsed.recordCount).toBeGreaterThan(0);
    expect(parsed.release.effectiveDate ?? entry.effective).toBeTruthy();
  });

  it('holds only the manifest, SOURCES.md and the files it lists, under 5 MB in all', () => {
    const files = readdirSync(OFFICIAL_SEED_DIR).sort();
    expect(files).toEqual(['SOURCES.md', 'manifest.json', ...manifest.map((e) => e.file)].sort());
    const bytes = files.reduce((sum, file) => sum + statSync(path.join(OFFICIAL_SEED_DIR, file)).size, 0);
    expect(bytes).toBeLessThan(5 * 1024 * 1024);
  });
});
