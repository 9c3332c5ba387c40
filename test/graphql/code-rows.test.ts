// The entity cache's rows are filed by id and a short tag per selection: a row read for one
// selection is never handed out for another, also after the tags start again (past 1,024
// distinct selections, when the tags and every row filed under them are dropped together).
import { beforeAll, describe, expect, it } from 'vitest';
import { codeRowsById, createCodeRowCache, type CodeQuery } from '../../src/graphql/code-rows.js';
import { addRealCodes } from '../support/code-fixtures.js';
import { countStatements, useTestDatabase, type TestDatabase } from '../support/database.js';
import { watchTestDataVersion } from '../support/data-version.js';

let database: TestDatabase;
let id: number;

beforeAll(async () => {
  database = await useTestDatabase();
  await addRealCodes(database.db);
  await watchTestDataVersion(database.url);
  ({ id } = await database.db.codeVersion.findFirstOrThrow({ where: { code: 'A9597' }, select: { id: true } }));
});

/** Optional columns of code_version: subsets of them make distinct selections. */
const FIELDS = [
  'shortDescription',
  'longDescription',
  'betos',
  'coverageCode',
  'actionCode',
  'statute',
  'processingNote',
  'ascGroup',
  'addDate',
  'terminationDate',
  'anesthesiaBaseUnits',
] as const;

/** Selection number n: id and code, and the fields of n's bits. */
function selection(n: number): CodeQuery {
  const select: Record<string, true> = { id: true, code: true };
  FIELDS.forEach((field, bit) => {
    if (n & (1 << bit)) select[field] = true;
  });
  return { select };
}

describe('entity cache rows', () => {
  it('are read once per selection, and a row of one selection is not handed out for another', async () => {
    const cache = createCodeRowCache(1024 * 1024);
    const narrow = await countStatements(() => codeRowsById(cache, [id], selection(0)));
    expect(narrow.result).toEqual([{ id, code: 'A9597' }]);
    expect(narrow.count).toBe(1);
    const wider = await codeRowsById(cache, [id], selection(1));
    expect(wider).toEqual([{ id, code: 'A9597', shortDescription: 'Pet, dx, for tumor id, noc' }]);
    const again = await countStatements(() => codeRowsById(cache, [id], selection(0)));
    expect(again).toMatchObject({ result: [{ id, code: 'A9597' }], count: 0 });
  });

  it('past 1,024 selections, start again without mixing them up', async () => {
    const cache = createCodeRowCache(64 * 1024 * 1024);
    for (let n = 0; n < 1024; n++) await codeRowsById(cache, [id], selection(n));
    expect(cache.selections.size).toBe(1024);
    // Selection 1024 (the last field alone) is the 1,025th: the tags start again, and it takes tag 0,
    // which named selection 0 until now.
    const last = await codeRowsById(cache, [id], selection(1024));
    expect(last).toEqual([{ id, code: 'A9597', anesthesiaBaseUnits: 0 }]);
    expect(cache.selections.size).toBe(1);
    const first = await countStatements(() => codeRowsById(cache, [id], selection(0)));
    expect(first).toMatchObject({ result: [{ id, code: 'A9597' }], count: 1 });
  }, 60_000);
});
