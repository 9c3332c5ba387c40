// search_phrase, what search's similar-spelling tier reads: the whole body of a short document,
// pairs of neighbouring clauses of a longer one, kept in step with search_document by triggers
// whoever writes it.
import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await useTestDatabase();
});

async function phrasesOf(code: string): Promise<string[]> {
  const { id } = await database.db.modifier.findUniqueOrThrow({ where: { code } });
  const rows = await database.db.searchPhrase.findMany({
    where: { kind: 'MODIFIER', ref: String(id) },
    orderBy: { position: 'asc' },
  });
  return rows.map((row) => row.phrase);
}

const LONG =
  'Injection, panitumumab, 10 mg; not with the evaluation codes of the same day (see the payer policy). Reported once per calendar month, for a single patient';

describe('search phrases', () => {
  it('keep a body of up to 150 characters whole', async () => {
    await database.db.modifier.create({
      data: {
        code: 'Y1',
        source: 'CPT',
        longDescription: 'Zygomatic test wording, with a comma',
        shortDescription: 'Zyg test',
      },
    });
    expect(await phrasesOf('Y1')).toEqual(['Zygomatic test wording, with a comma Zyg test']);
  });

  it('cut a longer body into pairs of neighbouring clauses (commas, semicolons, colons, brackets, sentence ends)', async () => {
    await database.db.modifier.create({
      data: { code: 'Y2', source: 'CPT', longDescription: LONG, shortDescription: 'Long test' },
    });
    expect(await phrasesOf('Y2')).toEqual([
      'Injection panitumumab',
      'panitumumab 10 mg',
      '10 mg not with the evaluation codes of the same day',
      'not with the evaluation codes of the same day see the payer policy',
      'see the payer policy Reported once per calendar month',
      'Reported once per calendar month for a single patient Long test',
      'for a single patient Long test',
    ]);
  });

  it('follow updates and deletes of the source and of search_document itself', async () => {
    await database.db.modifier.update({ where: { code: 'Y2' }, data: { longDescription: 'Shorter now' } });
    expect(await phrasesOf('Y2')).toEqual(['Shorter now Long test']);
    await database.db
      .$executeRaw`UPDATE search_document SET body = 'Edited body' WHERE kind = 'MODIFIER' AND code = 'Y2'`;
    expect(await phrasesOf('Y2')).toEqual(['Edited body']);
    const { id } = await database.db.modifier.findUniqueOrThrow({ where: { code: 'Y2' } });
    await database.db.modifier.delete({ where: { code: 'Y2' } });
    expect(await database.db.searchPhrase.count({ where: { kind: 'MODIFIER', ref: String(id) } })).toBe(0);
  });

  it('leave no entries in the pending lists of the search indexes once a write is done', async () => {
    await database.db.modifier.create({
      data: { code: 'Y3', source: 'CPT', longDescription: 'Pending list test wording', shortDescription: 'Pending' },
    });
    // gin_clean_pending_list returns how many pending pages it merged: none left to merge.
    const [merged] = await database.db.$queryRaw<{ phrases: number; simple: number; english: number }[]>`
      SELECT gin_clean_pending_list('search_phrase_trgm_idx'::regclass)::int AS phrases,
             gin_clean_pending_list('search_document_simple_vector_idx'::regclass)::int AS simple,
             gin_clean_pending_list('search_document_english_vector_idx'::regclass)::int AS english`;
    expect(merged).toEqual({ phrases: 0, simple: 0, english: 0 });
  });

  it('exist for every document and only for documents, in its release', async () => {
    const [counts] = await database.db.$queryRaw<{ orphans: number; bare: number; misplaced: number }[]>`
      SELECT (SELECT count(*)::int FROM search_phrase p WHERE NOT EXISTS (SELECT FROM search_document d WHERE d.kind = p.kind AND d.ref = p.ref)) AS orphans,
             (SELECT count(*)::int FROM search_document d WHERE NOT EXISTS (SELECT FROM search_phrase p WHERE p.kind = d.kind AND p.ref = d.ref)) AS bare,
             (SELECT count(*)::int FROM search_phrase p JOIN search_document d ON d.kind = p.kind AND d.ref = p.ref
              WHERE p.release_id IS DISTINCT FROM d.release_id) AS misplaced`;
    expect(counts).toEqual({ orphans: 0, bare: 0, misplaced: 0 });
  });
});
