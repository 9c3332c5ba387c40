// Read replicas (DATABASE_REPLICA_URLS): reads go to a streaming replica of the primary, but only
// to one that has replayed the commit that moved the data version this process answers for.
//
// The response cache and every memo key on the data version (src/db/data-version.ts), which NOTIFY
// brings from the primary after a load or an edit commits. A replica replays that commit a little
// later; an answer read from it meanwhile would be the older release stored under the newer
// version. So when the version moves, reads go to the primary until this process has read the
// primary's WAL position (`pg_current_wal_lsn()`, taken after the change was seen, so at or past
// its commit) and a replica's `pg_last_wal_replay_lsn()` has reached it. The data version itself
// is a sequence, which a standby can show ahead of what it has replayed, so it is never read there.
// A replica that does not answer is skipped until it does; a read that fails on a replica is sent
// again to the primary, so a replica going away costs no request an error.
//
// Routing happens in Prisma's driver adapter: statements outside a transaction that only read
// (SELECT) go to a replica; transactions, writes, locks, sequences and API keys (a revocation
// must count at once) go to the primary. Loads, `keys` and the data-version watcher use the primary's
// URL and never come here.
//
// Why not @prisma/extension-read-replicas (0.5, which does install with Prisma 7 and the pg
// adapter): it picks a replica at random for model reads only ($queryRaw, which search and the
// dashboards use, stays on the primary) and cannot skip a replica that is down or behind.
import type { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { Logger } from '../logger.js';
import { createAdapter, createPool, type ClientOptions } from './client.js';
import { onDataVersion, watchedDataVersion } from './data-version.js';
import { isDatabaseUnavailable } from './unavailable.js';

type AdapterFactory = NonNullable<NonNullable<ConstructorParameters<typeof PrismaClient>[0]>['adapter']>;
type Adapter = Awaited<ReturnType<PrismaPg['connect']>>;
type Query = Parameters<Adapter['queryRaw']>[0];
type ResultSet = Awaited<ReturnType<Adapter['queryRaw']>>;

/** Only these may go to a replica. */
const READ_ONLY = /^\s*SELECT\b/i;
/** ...unless they touch what must be read on the primary. */
const PRIMARY_ONLY =
  /"api_key"|refgraph_data_version|\bFOR\s+(NO\s+KEY\s+)?(UPDATE|SHARE)\b|\bFOR\s+KEY\s+SHARE\b|nextval|setval|pg_advisory|pg_notify/i;

/** How often the primary's and each replica's WAL positions are read (and at once when the version moves). */
const POLL_MS = 250;
const PROBE_TIMEOUT_MS = 1_000;

/** pg_lsn text (`16/B374D848`) as a number of bytes. */
export function parseLsn(text: string): bigint {
  const [high = '0', low = '0'] = text.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/** A connection for WAL positions with short timeouts; `onLost` when it breaks (it is then opened again). */
async function openProbe(url: string, onLost: (client: pg.Client) => void): Promise<pg.Client> {
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => onLost(client));
  await client.connect();
  return client;
}

/** A URL without its password: how a replica is named in logs, /ready and /metrics. */
function nameOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
}

export interface ReplicaStatus {
  name: string;
  /** streaming: reads go there; behind: not yet replayed the current data version's commit; down: not answering. */
  state: 'streaming' | 'behind' | 'down';
  /** Bytes of WAL the primary has written that the replica has not replayed (null while unknown). */
  lagBytes: number | null;
  /**
   * Seconds since the last transaction it replayed was committed on the primary, 0 when caught up (null while unknown).
   */
  lagSeconds: number | null;
  /** Statements this process has sent it. */
  reads: number;
  error?: string;
}

class Replica {
  readonly name: string;
  readonly pool: pg.Pool;
  private adapter: Promise<Adapter> | undefined;
  private probe: pg.Client | undefined;
  up = false;
  replayLsn: bigint | undefined;
  lagSeconds: number | null = null;
  reads = 0;
  error: string | undefined = 'not probed yet';

  constructor(
    readonly url: string,
    private readonly factory: PrismaPg,
    pool: pg.Pool,
  ) {
    this.name = nameOf(url);
    this.pool = pool;
  }

  connect(): Promise<Adapter> {
    this.adapter ??= this.factory.connect().catch((error: unknown) => {
      this.adapter = undefined;
      throw error;
    });
    return this.adapter;
  }

  /** Reads the replica's replay position on a connection of its own (short timeouts). */
  async poll(): Promise<void> {
    try {
      this.probe ??= await openProbe(this.url, (lost) => {
        if (this.probe === lost) this.probe = undefined;
      });
      const { rows } = await this.probe.query<{ lsn: string | null; recovery: boolean; delay: number | null }>(
        `SELECT pg_last_wal_replay_lsn()::text AS lsn, pg_is_in_recovery() AS recovery,
                extract(epoch FROM now() - pg_last_xact_replay_timestamp())::float8 AS delay`,
      );
      const row = rows[0]!;
      // A server out of recovery is no longer a replica of this primary (promoted): its positions mean nothing here.
      if (!row.recovery || row.lsn === null)
        throw new Error(row.recovery ? 'has replayed nothing yet' : 'is not in recovery (promoted?), so not a replica');
      this.replayLsn = parseLsn(row.lsn);
      this.lagSeconds = row.delay;
      this.up = true;
      this.error = undefined;
    } catch (error) {
      this.markDown(error);
    }
  }

  markDown(error: unknown): void {
    this.up = false;
    this.error = (error as Error).message;
    const probe = this.probe;
    this.probe = undefined;
    void probe?.end().catch(() => {});
  }

  async stop(): Promise<void> {
    await this.probe?.end().catch(() => {});
    this.probe = undefined;
    await this.pool.end().catch(() => {});
  }
}

export class ReplicaSet {
  private readonly replicas: Replica[];
  /**
   * The primary's WAL position at the last data version change; 'pending' until read (reads go to the primary
   * meanwhile).
   */
  private required: bigint | 'pending' = 'pending';
  private primaryLsn: bigint | undefined;
  private primaryProbe: pg.Client | undefined;
  private changes = 0;
  private next = 0;
  private polling: Promise<void> | undefined;
  private pollAgain = false;
  private readonly timer: NodeJS.Timeout;
  private readonly unsubscribe: () => void;
  private readonly wasUp = new Map<Replica, boolean>();
  primaryReads = 0;

  constructor(
    private readonly primaryUrl: string,
    urls: readonly string[],
    options: ClientOptions,
    private readonly logger: Logger,
  ) {
    this.replicas = urls.map((url) => {
      const pool = createPool(url, options);
      return new Replica(url, createAdapter(pool, options, false), pool);
    });
    this.unsubscribe = onDataVersion(() => {
      this.required = 'pending';
      this.changes += 1;
      void this.poll();
    });
    this.timer = setInterval(() => void this.poll(), POLL_MS);
    this.timer.unref();
  }

  /** One round of WAL positions; a round asked for while one runs follows it. */
  poll(): Promise<void> {
    if (this.polling) {
      this.pollAgain = true;
      return this.polling;
    }
    this.polling = this.round().finally(() => {
      this.polling = undefined;
      if (this.pollAgain) {
        this.pollAgain = false;
        void this.poll();
      }
    });
    return this.polling;
  }

  private async round(): Promise<void> {
    const changes = this.changes;
    try {
      this.primaryProbe ??= await openProbe(this.primaryUrl, (lost) => {
        if (this.primaryProbe === lost) this.primaryProbe = undefined;
      });
      const { rows } = await this.primaryProbe.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn');
      this.primaryLsn = parseLsn(rows[0]!.lsn);
      // Read after the change was seen, so at or past its commit; a change seen meanwhile waits for the next round.
      if (this.required === 'pending' && changes === this.changes) this.required = this.primaryLsn;
    } catch {
      const probe = this.primaryProbe;
      this.primaryProbe = undefined;
      void probe?.end().catch(() => {});
    }
    await Promise.all(this.replicas.map((replica) => replica.poll()));
    for (const replica of this.replicas) this.reportChange(replica);
  }

  private reportChange(replica: Replica): void {
    const before = this.wasUp.get(replica);
    if (before === replica.up) return;
    this.wasUp.set(replica, replica.up);
    if (replica.up)
      this.logger.info(
        { replica: replica.name },
        'read replica answers: reads go there once it has replayed the current data version',
      );
    else
      this.logger.warn(
        { replica: replica.name, reason: replica.error },
        'read replica unavailable: its reads go to the primary',
      );
  }

  /** A replica that has replayed the current data version's commit, taken in turn; undefined: read the primary. */
  private pick(): Replica | undefined {
    const required = this.required;
    if (required === 'pending' || watchedDataVersion() === undefined) return undefined;
    for (let tried = 0; tried < this.replicas.length; tried++) {
      const replica = this.replicas[this.next++ % this.replicas.length]!;
      if (replica.up && replica.replayLsn !== undefined && replica.replayLsn >= required) return replica;
    }
    return undefined;
  }

  private async read(query: Query, primary: Adapter): Promise<ResultSet> {
    const replica = READ_ONLY.test(query.sql) && !PRIMARY_ONLY.test(query.sql) ? this.pick() : undefined;
    if (replica) {
      try {
        replica.reads += 1;
        return await (await replica.connect()).queryRaw(query);
      } catch (error) {
        // Whatever went wrong there (gone, cancelled by recovery, read-only), the primary answers.
        if (isDatabaseUnavailable(error)) {
          replica.markDown(error);
          this.reportChange(replica);
        }
      }
    }
    this.primaryReads += 1;
    return primary.queryRaw(query);
  }

  /** The adapter Prisma gets: the primary's, with reads sent to replicas. */
  routeReads(primary: PrismaPg): AdapterFactory {
    return {
      provider: primary.provider,
      adapterName: primary.adapterName,
      connect: async () => {
        const main = await primary.connect();
        return {
          provider: main.provider,
          adapterName: main.adapterName,
          queryRaw: (query: Query) => this.read(query, main),
          executeRaw: (query: Query) => main.executeRaw(query),
          executeScript: (script: string) => main.executeScript(script),
          startTransaction: (...args: Parameters<Adapter['startTransaction']>) => main.startTransaction(...args),
          getConnectionInfo: () => main.getConnectionInfo(),
          dispose: () => main.dispose(),
        };
      },
    };
  }

  status(): ReplicaStatus[] {
    const required = this.required;
    return this.replicas.map((replica) => {
      const caught = replica.replayLsn !== undefined && required !== 'pending' && replica.replayLsn >= required;
      const lagBytes =
        replica.up && replica.replayLsn !== undefined && this.primaryLsn !== undefined
          ? Math.max(0, Number(this.primaryLsn - replica.replayLsn))
          : null;
      return {
        name: replica.name,
        state: !replica.up ? 'down' : caught ? 'streaming' : 'behind',
        lagBytes,
        lagSeconds: lagBytes === 0 ? 0 : replica.up ? replica.lagSeconds : null,
        reads: replica.reads,
        ...(replica.error && !replica.up ? { error: replica.error } : {}),
      };
    });
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.unsubscribe();
    await this.polling?.catch(() => {});
    await this.primaryProbe?.end().catch(() => {});
    await Promise.all(this.replicas.map((replica) => replica.stop()));
    if (active === this) active = undefined;
  }
}

let active: ReplicaSet | undefined;

/** The replicas of this process (undefined without DATABASE_REPLICA_URLS), for /metrics. */
export function activeReplicaSet(): ReplicaSet | undefined {
  return active;
}

/** Starts watching the replicas; resolves after the first round of WAL positions. */
export async function startReplicaSet(
  primaryUrl: string,
  urls: readonly string[],
  options: ClientOptions,
  logger: Logger,
): Promise<ReplicaSet> {
  const set = new ReplicaSet(primaryUrl, urls, options, logger);
  active = set;
  await set.poll();
  return set;
}
