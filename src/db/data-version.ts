// The data version: a number that changes whenever reference or curated data changes. Triggers
// (migration 20261127040000_search_and_data_version) bump the `refgraph_data_version` sequence
// and NOTIFY `refgraph_data_changed`; Postgres delivers the notification only once the change
// is committed. The response cache keys on this version.
//
// A process that watches (serve, the benchmark, tests of the cache) holds the version in memory
// and reads no SQL per request; without a watcher each read asks the sequence (one statement).
import type pg from 'pg';
import { prisma } from './client.js';
import { listen, type Subscription } from './listener.js';

export const DATA_CHANGED_CHANNEL = 'refgraph_data_changed';

let watched: string | undefined;
const versionListeners = new Set<(version: string) => void>();

async function readSequence(query: (sql: string) => Promise<{ rows: { version: string }[] }>): Promise<string> {
  const { rows } = await query(
    `SELECT (last_value + CASE WHEN is_called THEN 0 ELSE -1 END)::text AS version FROM refgraph_data_version`,
  );
  return rows[0]!.version;
}

/** The data version a watcher holds in memory, or undefined when nothing watches. */
export function watchedDataVersion(): string | undefined {
  return watched;
}

/** The current data version. */
export async function currentDataVersion(): Promise<string> {
  if (watched !== undefined) return watched;
  return readSequence(async (sql) => ({ rows: await prisma().$queryRawUnsafe<{ version: string }[]>(sql) }));
}

/** Called with each new version a watcher sees (the response cache drops older entries). */
export function onDataVersion(listener: (version: string) => void): () => void {
  versionListeners.add(listener);
  return () => versionListeners.delete(listener);
}

/**
 * Keeps the data version in memory: re-reads the sequence on each notification (and on every
 * (re)connection, for what it may have missed). While the connection is down, readers fall back
 * to the sequence.
 */
export function dataVersionSubscription(): Subscription {
  const read = (connection: pg.Client) => readSequence((sql) => connection.query<{ version: string }>(sql));
  return {
    channel: DATA_CHANGED_CHANNEL,
    onNotify: (_payload, connection) => {
      // The version is unknown from the notification until the re-read answers: caches stand
      // aside and reads go to the primary meanwhile, so nothing older is served in that gap.
      watched = undefined;
      read(connection).then(publish, () => {});
    },
    onConnect: async (connection) => publish(await read(connection)),
    onDisconnect: () => {
      watched = undefined;
    },
  };
}

/** The last version listeners were told of: a notification re-read, or a reconnection, of a version they know tells them nothing. */
let published: string | undefined;

function publish(version: string): void {
  watched = version;
  if (version === published) return;
  published = version;
  for (const listener of versionListeners) listener(version);
}

/**
 * A write of this process committed data version `version` (read with `versionWrittenSql` inside
 * its transaction): caches move on now, before the NOTIFY comes back, so whoever wrote reads their
 * own write on their next request. A version older than the one held changes nothing.
 */
export function advanceDataVersion(version: string): void {
  if (watched !== undefined && BigInt(version) > BigInt(watched)) publish(version);
}

/** Inside a transaction that changed data: the data version its triggers moved to (text). */
export const VERSION_WRITTEN_SQL = `SELECT currval('refgraph_data_version')::text AS version`;

export interface DataVersionWatcher {
  stop(): Promise<void>;
}

/** Watch the data version alone, on a connection of its own (tests, the benchmark). */
export async function watchDataVersion(
  connectionString: string,
  onError: (error: unknown) => void = () => {},
): Promise<DataVersionWatcher> {
  return listen(connectionString, [dataVersionSubscription()], onError);
}
