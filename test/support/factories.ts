// Small factories for curated data in tests (real rows in the test's own database).
import type { CoverageStatus } from '../../src/generated/prisma/enums.js';
import { contentHash } from '../../src/ingest/content-hash.js';
import type { Db } from '../../src/db/client.js';

/** Adds `count` made-up codes (T0001, T0002, ...) to the release A9597 is in, each with a coverage note per payer. */
export async function addCodesWithCoverage(
  db: Db,
  count: number,
  statuses: CoverageStatus[] = ['COVERED'],
): Promise<string[]> {
  const release = await db.codeVersion.findFirstOrThrow({ where: { code: 'A9597' }, select: { releaseId: true } });
  const payers = await db.payer.findMany({ orderBy: { id: 'asc' } });
  const codes: string[] = [];
  for (let i = 1; i <= count; i += 1) {
    const code = `T${String(i).padStart(4, '0')}`;
    codes.push(code);
    const fields = {
      longDescription: `Test service number ${i}`,
      shortDescription: `Test ${i}`,
      pricingIndicators: [],
      cimReferences: [],
      mcmReferences: [],
      labCertifications: [],
      crossReferences: [],
      typesOfService: [],
    };
    const identity = await db.code.create({ data: { code } });
    await db.codeVersion.create({
      data: { ...fields, code, codeId: identity.id, releaseId: release.releaseId, contentHash: contentHash(fields) },
    });
    await db.coverageNote.createMany({
      data: payers.map((payer, p) => ({
        codeId: identity.id,
        payerId: payer.id,
        status: statuses[(i + p) % statuses.length]!,
        summary: `${payer.name} policy for ${code}`,
        sourceUrl: `https://example.org/${payer.slug}/${code}`,
        lastReviewed: new Date('2026-01-15T00:00:00Z'),
      })),
    });
  }
  return codes;
}
