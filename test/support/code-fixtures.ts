// Real HCPCS rows (copied from the October 2025 CMS file, shared/data/hcpcs/2025_oct) added to the
// release the starter data's A9597 is in, for tests of search and dashboard queries that must
// not depend on the shared data folder.
import type { Db } from '../../src/db/client.js';
import { contentHash } from '../../src/ingest/content-hash.js';

type Row = [
  code: string,
  longDescription: string,
  shortDescription: string,
  betos: string,
  coverageCode: string,
  price: string,
  tos: string,
  termination: string,
];

export const REAL_CODES: readonly Row[] = [
  ['A9500', 'Technetium tc-99m sestamibi, diagnostic, per study dose', 'Tc99m sestamibi', 'I1E', 'C', '57', '4', ''],
  [
    'A9502',
    'Technetium tc-99m tetrofosmin, diagnostic, per study dose',
    'Tc99m tetrofosmin',
    'I1E',
    'C',
    '57',
    '4',
    '',
  ],
  [
    'A9552',
    'Fluorodeoxyglucose f-18 fdg, diagnostic, per study dose, up to 45 millicuries',
    'F18 fdg',
    'I1E',
    'C',
    '53',
    '4',
    '',
  ],
  [
    'A9598',
    'Positron emission tomography radiopharmaceutical, diagnostic, for non-tumor identification, not otherwise classified',
    'Pet dx for non-tumor id, noc',
    'I1E',
    'C',
    '57',
    '4',
    '',
  ],
  [
    'A9599',
    'Radiopharmaceutical, diagnostic, for beta-amyloid positron emission tomography (pet) imaging, per study dose, not otherwise specified',
    'Radioph dx b amyloid pet nos',
    'I1E',
    'D',
    '57',
    '4',
    '2017-12-31',
  ],
  [
    'E0130',
    'Walker, rigid (pickup), adjustable or fixed height',
    'Walker rigid adjust/fixed ht',
    'D1E',
    'D',
    '32',
    'A',
    '',
  ],
  ['J9035', 'Injection, bevacizumab, 10 mg', 'Bevacizumab injection', 'O1E', 'C', '51', '1', ''],
];

/** Adds REAL_CODES (no coverage notes) to A9597's release. */
export async function addRealCodes(db: Db): Promise<void> {
  const { releaseId } = await db.codeVersion.findFirstOrThrow({
    where: { code: 'A9597' },
    select: { releaseId: true },
  });
  for (const [code, longDescription, shortDescription, betos, coverageCode, price, tos, termination] of REAL_CODES) {
    const fields = {
      longDescription,
      shortDescription,
      betos,
      coverageCode,
      pricingIndicators: [price],
      typesOfService: [tos],
      cimReferences: [],
      mcmReferences: [],
      labCertifications: [],
      crossReferences: [],
      terminationDate: termination ? new Date(`${termination}T00:00:00Z`) : null,
      addDate: new Date('2017-01-01T00:00:00Z'),
    };
    const identity = await db.code.create({ data: { code } });
    await db.codeVersion.create({
      data: { ...fields, code, codeId: identity.id, releaseId, contentHash: contentHash(fields) },
    });
  }
}
