// The data version: a number that changes whenever reference or curated data changes. Triggers
// (migration 20261127040000_search_and_data_version) bump the `refgraph_data_version` sequence
// and NOTIFY `refgraph_data_changed`; Postgres delivers the notification only once the change
// is committed. The response cache keys on this version.
//
// A process that watches (serve, the benchmark, tests of the cache) holds the version in memory
// and reads no SQL per request; without a watcher each read asks the sequence (one statement).
import pg from 'pg';
import { prisma } from './client.js';

export const DATA_CHANGED_CHANNEL = 'refgraph_data_changed';

let watched: string | undefined;
const versionListeners = new Set<(version: string) => void>();

async function readSequence(query: (sql: string) => Promise<{ rows: { version: string }[] }>): Promise<string> {
  const { rows } = await query(`SELECT (last_value + CASE WHEN is_called THEN 0 ELSE -1 END)::text AS version FROM refgraph_data_version`);
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

export interface DataVersionWatcher {
  stop(): Promise<void>;
}

/**
 * Keep the data version in memory: LISTEN on a connection of its own and re-read the sequence on
 * each notification. If the connection drops, readers fall back to the sequence until it is back.
 */
export async function watchDataVersion(connectionString: string, onError: (error: unknown) => void = () => {}): Promise<DataVersionWatcher> {
  let client: pg.Client | undefined;
  let stopped = false;
  let retry: NodeJS.Timeout | undefined;

  const publish = (version: string) => {
    if (stopped || version === watched) return;
    watched = version;
    for (const listener of versionListeners) listener(version);
  };

  // Keep retrying every second while the database is away (one failed attempt must not end the watch).
  const reconnectLater = () => {
    if (stopped || retry) return;
    retry = setTimeout(() => {
      retry = undefined;
      connect().catch((error: unknown) => {
        onError(error);
        reconnectLater();
      });
    }, 1_000);
  };

  const connect = async (): Promise<void> => {
    const next = new pg.Client({ connectionString });
    next.on('error', (error) => {
      onError(error);
      watched = undefined;
      next.end().catch(() => {});
      reconnectLater();
    });
    next.on('notification', () => {
      readSequence((sql) => next.query<{ version: string }>(sql)).then(publish, onError);
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${DATA_CHANGED_CHANNEL}`);
    } catch (error) {
      next.end().catch(() => {});
      throw error;
    }
    client = next;
    // Read after LISTEN, so no change can slip between the read and the subscription.
    publish(await readSequence((sql) => next.query<{ version: string }>(sql)));
  };

  await connect();
  return {
    stop: async () => {
      stopped = true;
      watched = undefined;
      if (retry) clearTimeout(retry);
      await client?.end();
    },
  };
}
