// search_word and search_word_document, what search's similar-spelling tier reads for a one-word
// text: the distinct words of every document, kept in step with search_document by triggers
// whoever writes it, and the vocabulary of every word a document has held.
import { beforeAll, describe, expect, it } from 'vitest';
import { search } from '../../src/db/search.js';
import { useTestDatabase, type TestDatabase } from '../support/database.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await useTestDatabase();
});

async function wordsOf(code: string): Promise<string[]> {
  const { id } = await database.db.modifier.findUniqueOrThrow({ where: { code } });
  const rows = await database.db.searchWordDocument.findMany({
    where: { kind: 'MODIFIER', ref: String(id) },
    orderBy: { word: 'asc' },
  });
  return rows.map((row) => row.word);
}

async function inVocabulary(words: string[]): Promise<string[]> {
  const rows = await database.db.searchWord.findMany({ where: { word: { in: words } }, orderBy: { word: 'asc' } });
  return rows.map((row) => row.word);
}

async function wordSimilarity(text: string, target: string): Promise<number> {
  const rows = await database.db.$queryRaw<
    { value: number }[]
  >`SELECT word_similarity(${text}, ${target})::float8 AS value`;
  return rows[0]!.value;
}

async function similar(text: string): Promise<{ code: string; matchedOn: string; score: number }[]> {
  const rows = await search({ text, limit: 20, systems: ['MODIFIER'] });
  return rows.map(({ code, matchedOn, score }) => ({ code, matchedOn, score }));
}

describe('search words', () => {
  it('hold each distinct word of a document once, lower case, cut at anything but letters and digits', async () => {
    await database.db.modifier.create({
      data: {
        code: 'W1',
        source: 'CPT',
        longDescription: 'Zorbness QUIXOTE, zorbness; x-ray 12mg',
        shortDescription: 'Zorb test',
      },
    });
    expect(await wordsOf('W1')).toEqual(['12mg', 'quixote', 'ray', 'test', 'x', 'zorb', 'zorbness']);
    expect(await inVocabulary(['quixote', 'zorbness', 'Zorbness'])).toEqual(['quixote', 'zorbness']);
  });

  it('follow updates and deletes; a word no document holds stays in the vocabulary and finds nothing', async () => {
    await database.db.modifier.create({
      data: { code: 'W2', source: 'CPT', longDescription: 'Quillwort tapestry', shortDescription: 'Zorb two' },
    });
    await database.db.modifier.update({ where: { code: 'W2' }, data: { longDescription: 'Vellichor tapestry' } });
    expect(await wordsOf('W2')).toEqual(['tapestry', 'two', 'vellichor', 'zorb']);
    // Removing "quillwort" would race a writer adding it in a transaction not yet committed.
    expect(await inVocabulary(['quillwort', 'vellichor'])).toEqual(['quillwort', 'vellichor']);
    expect(await similar('quillwort')).toEqual([]);

    await database.db.modifier.delete({ where: { code: 'W2' } });
    const held = await database.db.searchWordDocument.count({
      where: { word: { in: ['tapestry', 'two', 'vellichor'] } },
    });
    expect(held).toBe(0);
    expect(await similar('vellichor')).toEqual([]);
  });

  it('match every document and the vocabulary exactly, whatever wrote them', async () => {
    await database.db
      .$executeRaw`UPDATE search_document SET body = 'Edited wording' WHERE kind = 'MODIFIER' AND code = 'W1'`;
    const [counts] = await database.db.$queryRaw<{ missing: number; extra: number; unlisted: number }[]>`
      SELECT (SELECT count(*)::int FROM search_document d, refgraph_search_words(d.body) w
              WHERE NOT EXISTS (SELECT FROM search_word_document x WHERE x.word = w AND x.kind = d.kind AND x.ref = d.ref)) AS missing,
             (SELECT count(*)::int FROM search_word_document x JOIN search_document d ON d.kind = x.kind AND d.ref = x.ref
              WHERE x.word NOT IN (SELECT refgraph_search_words(d.body)) OR x.code <> d.code
                 OR x.release_id IS DISTINCT FROM d.release_id) AS extra,
             (SELECT count(*)::int FROM search_word_document x WHERE NOT EXISTS (SELECT FROM search_word v WHERE v.word = x.word)) AS unlisted`;
    expect(counts).toEqual({ missing: 0, extra: 0, unlisted: 0 });
    expect(await wordsOf('W1')).toEqual(['edited', 'wording']);
  });
});

describe('the similar tier of a one-word text', () => {
  beforeAll(async () => {
    await database.db.modifier.create({
      data: { code: 'W3', source: 'CPT', longDescription: 'Glorbness Quaxitote', shortDescription: 'Glorb' },
    });
  });

  it("scores a document by its best word: word_similarity('quaxitoe', 'quaxitote')", async () => {
    const expected = await wordSimilarity('quaxitoe', 'quaxitote');
    expect(expected).toBeCloseTo(7 / 9, 5);
    expect(await similar('Quaxitoe')).toEqual([{ code: 'W3', matchedOn: 'SIMILAR', score: expected }]);
  });

  it('matches within one word, not across two (the phrase tier took "quaxiness" from "...ness Quaxi...")', async () => {
    // As one phrase, "Glorbness Quaxitote" holds "ness" and "quaxi" side by side: word_similarity 0.78.
    const phrase = await wordSimilarity('quaxiness', 'glorbness quaxitote');
    expect(phrase).toBeGreaterThan(0.6);
    expect(await similar('quaxiness')).toEqual([]);
  });

  it('leaves a text of several words to the phrases, whose best stretch can span words', async () => {
    const [hit] = await similar('glorbnss quaxitote');
    expect(hit).toMatchObject({ code: 'W3', matchedOn: 'SIMILAR' });
    const expected = await wordSimilarity('glorbnss quaxitote', 'Glorbness Quaxitote Glorb');
    expect(hit!.score).toBeCloseTo(expected, 10);
  });
});
