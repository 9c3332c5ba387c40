// search_phrase, what search's similar-spelling tier reads: the whole body of a short document,
// the sentences of a long one, kept in step with search_document by triggers whoever writes it.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await useTestDatabase();
});

async function phrasesOf(code: string): Promise<string[]> {
  const { id } = await database.db.modifier.findUniqueOrThrow({ where: { code } });
  const rows = await database.db.searchPhrase.findMany({ where: { kind: 'MODIFIER', ref: String(id) }, orderBy: { position: 'asc' } });
  return rows.map((row) => row.phrase);
}

const LONG =
  'Services provided by a qualified practitioner, including planning, review and adjustment; ' +
  'requires documentation of medical necessity (see the payer policy) in the patient record. ' +
  'Injection, panitumumab, 10 mg, when given in the same session, is reported separately. ' +
  'Not to be reported with the evaluation codes of the same day, nor more than once per calendar month';

describe('search phrases', () => {
  it('keep a short body whole', async () => {
    await database.db.modifier.create({ data: { code: 'Y1', source: 'CPT', longDescription: 'Zygomatic test wording', shortDescription: 'Zyg test' } });
    expect(await phrasesOf('Y1')).toEqual(['Zygomatic test wording Zyg test']);
  });

  it('cut a body over 300 characters at sentence ends, semicolons and brackets, never at commas', async () => {
    await database.db.modifier.create({ data: { code: 'Y2', source: 'CPT', longDescription: LONG, shortDescription: 'Long test' } });
    expect(await phrasesOf('Y2')).toEqual([
      'Services provided by a qualified practitioner, including planning, review and adjustment',
      'requires documentation of medical necessity',
      'see the payer policy',
      'in the patient record',
      'Injection, panitumumab, 10 mg, when given in the same session, is reported separately',
      'Not to be reported with the evaluation codes of the same day, nor more than once per calendar month Long test',
    ]);
  });

  it('follow updates and deletes of the source and of search_document itself', async () => {
    await database.db.modifier.update({ where: { code: 'Y2' }, data: { longDescription: 'Shorter now' } });
    expect(await phrasesOf('Y2')).toEqual(['Shorter now Long test']);
    await database.db.$executeRaw`UPDATE search_document SET body = 'Edited body' WHERE kind = 'MODIFIER' AND code = 'Y2'`;
    expect(await phrasesOf('Y2')).toEqual(['Edited body']);
    const { id } = await database.db.modifier.findUniqueOrThrow({ where: { code: 'Y2' } });
    await database.db.modifier.delete({ where: { code: 'Y2' } });
    expect(await database.db.searchPhrase.count({ where: { kind: 'MODIFIER', ref: String(id) } })).toBe(0);
  });

  it('exist for every document and only for documents', async () => {
    const [counts] = await database.db.$queryRaw<{ orphans: number; bare: number }[]>`
      SELECT (SELECT count(*)::int FROM search_phrase p WHERE NOT EXISTS (SELECT FROM search_document d WHERE d.kind = p.kind AND d.ref = p.ref)) AS orphans,
             (SELECT count(*)::int FROM search_document d WHERE NOT EXISTS (SELECT FROM search_phrase p WHERE p.kind = d.kind AND p.ref = d.ref)) AS bare`;
    expect(counts).toEqual({ orphans: 0, bare: 0 });
  });
});
