// The data version this process holds: a write of its own moves it at once (advanceDataVersion),
// and the notification of that same write, arriving later, tells listeners nothing new.
import { beforeAll, describe, expect, it } from 'vitest';
import {
  advanceDataVersion,
  onDataVersion,
  VERSION_WRITTEN_SQL,
  watchedDataVersion,
} from '../../src/db/data-version.js';
import { useTestDatabase, type TestDatabase } from '../support/database.js';
import { watchTestDataVersion } from '../support/data-version.js';
import { until } from '../support/until.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await useTestDatabase();
  await watchTestDataVersion(database.url);
});

/** Adds a modifier (a tracked table) and returns the data version its transaction wrote. */
async function write(code: string): Promise<string> {
  return database.db.$transaction(async (tx) => {
    await tx.modifier.create({ data: { code, source: 'CPT', longDescription: `Data version test ${code}` } });
    const [row] = await tx.$queryRawUnsafe<{ version: string }[]>(VERSION_WRITTEN_SQL);
    return row!.version;
  });
}

describe('data version listeners', () => {
  it('hear each version once: from the write itself, not again when its notification comes back', async () => {
    const heard: string[] = [];
    const stop = onDataVersion((version) => heard.push(version));
    try {
      const own = await write('V1');
      advanceDataVersion(own);
      expect(watchedDataVersion()).toBe(own);
      // Time for its notification to come back and be read before the next write moves the
      // sequence (a longer or shorter wait changes nothing when listeners are right).
      await new Promise((resolve) => setTimeout(resolve, 500));
      // Notifications arrive in commit order: once the next write's is in, the first one's was handled.
      const next = await write('V2');
      await until(() => heard.includes(next), `version ${next} heard`);
      expect(heard).toEqual([own, next]);
    } finally {
      stop();
    }
  });
});
