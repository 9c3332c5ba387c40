// The data version as serve keeps it (a LISTEN connection), for test files whose behaviour depends
// on it: the response cache, the release memo. Changes arrive by NOTIFY after commit, so a test
// that changes data waits for the next version before reading again.
import { afterAll } from 'vitest';
import { onDataVersion, watchDataVersion } from '../../src/db/data-version.js';

/** Watch the data version of `url` for this test file (stopped after it). */
export async function watchTestDataVersion(url: string): Promise<void> {
  const watcher = await watchDataVersion(url);
  afterAll(() => watcher.stop());
}

/** Resolves once the watcher has seen the next data version (the NOTIFY arrives after commit). */
export function nextDataVersion(): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no data version change within 5 s')), 5_000);
    const stop = onDataVersion((version) => {
      clearTimeout(timer);
      stop();
      resolve(version);
    });
  });
}
