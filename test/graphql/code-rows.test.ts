// The entity cache's rows are filed by id and a short tag per selection: a row read for one
// selection is never handed out for another, also when the list of tags starts again (past 1,024
// distinct selections) while a request is still reading rows under a tag from before.
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

  it('past 1,024 selections, start again without ever giving a tag twice', async () => {
    const cache = createCodeRowCache(64 * 1024 * 1024);
    const fieldsOf = (n: number) => Object.keys(selection(n).select!).sort();
    for (let n = 0; n < 1023; n++) await codeRowsById(cache, [id], selection(n));
    // Selection 1023 is read while selection 1024, the 1,025th, makes the list start again.
    const racing = codeRowsById(cache, [id], selection(1023));
    for (let n = 1024; n < 2048; n++) {
      const [row] = await codeRowsById(cache, [id], selection(n));
      expect(Object.keys(row!).sort()).toEqual(fieldsOf(n));
    }
    expect(Object.keys((await racing)[0]!).sort()).toEqual(fieldsOf(1023));
    expect(cache.selections.size).toBe(1024);
    // Forgotten with the old list: asked again, selection 0 is read again.
    const first = await countStatements(() => codeRowsById(cache, [id], selection(0)));
    expect(first).toMatchObject({ result: [{ id, code: 'A9597' }], count: 1 });
  }, 60_000);
});
