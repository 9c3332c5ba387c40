// Where the team's shared reference data lives (../shared/data next to the repository, or
// REFGRAPH_SHARED_DATA). Tests that need it use `describe.skipIf(!dir)`; the folder is optional
// locally (a visible message says what is skipped) but REFGRAPH_REQUIRE_DATA=1 turns a missing
// folder into a failure, so CI cannot silently skip them.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

const DEFAULT_DIR = path.resolve(import.meta.dirname, '../../../shared/data');
let warned = false;

/** The shared data folder, or null when it is absent (throws instead when REFGRAPH_REQUIRE_DATA=1). */
export function sharedDataDir(): string | null {
  const dir = process.env.REFGRAPH_SHARED_DATA ?? DEFAULT_DIR;
  if (existsSync(path.join(dir, 'SOURCES.md'))) return dir;
  if (process.env.REFGRAPH_REQUIRE_DATA === '1') {
    throw new Error(`shared data folder not found at ${dir} and REFGRAPH_REQUIRE_DATA=1: failing instead of skipping`);
  }
  if (!warned) {
    warned = true;
    console.warn(
      `[refgraph tests] shared data folder not found at ${dir}: tests that read the real files are SKIPPED` +
        ' (set REFGRAPH_SHARED_DATA to its location, or REFGRAPH_REQUIRE_DATA=1 to fail instead)',
    );
  }
  return null;
}

/** Read a file of the shared data folder (path relative to it). */
export function readSharedFile(dir: string, relativePath: string): Buffer {
  return readFileSync(path.join(dir, relativePath));
}
