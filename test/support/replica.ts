// A PostgreSQL primary and a streaming replica of it on 127.0.0.1, both run by the embedded
// PostgreSQL 18 binaries (which have no pg_basebackup): the replica is a file copy of the primary's
// data directory taken between pg_backup_start and pg_backup_stop (PostgreSQL's low-level base
// backup API), given the backup_label pg_backup_stop returns, standby.signal and primary_conninfo,
// and a physical replication slot so the primary keeps the WAL it still needs.
import { execFile } from 'node:child_process';
import {
  appendFileSync,
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../../src/db/embedded-postgres.js';

const run = promisify(execFile);
const SLOT = 'refgraph_test_replica';

export interface Replication {
  /** Server URLs without a database name. */
  primaryUrl: string;
  replicaUrl: string;
  /** Run one statement as the superuser on the primary or the replica (database `postgres` unless given). */
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(
    on: 'primary' | 'replica',
    sql: string,
    database?: string,
  ): Promise<R[]>;
  /** Resolves once the replica has replayed everything the primary has written so far. */
  caughtUp(timeoutMs?: number): Promise<void>;
  stopReplica(): Promise<void>;
  stop(): Promise<void>;
}

export async function startReplication(): Promise<Replication> {
  const root = mkdtempSync(join(tmpdir(), 'refgraph-replication-'));
  // As root the servers run as the `postgres` user, which must be able to enter the folder.
  chmodSync(root, 0o755);
  const primaryDir = join(root, 'primary');
  const replicaDir = join(root, 'replica');
  const primary: EmbeddedDatabase = await startEmbeddedPostgres({ dataDir: primaryDir, persistent: false });
  let replica: EmbeddedDatabase | undefined;

  const query = async <R extends pg.QueryResultRow>(on: 'primary' | 'replica', sql: string, database = 'postgres') => {
    const server = on === 'primary' ? primary : replica;
    if (!server) throw new Error(`the ${on} is not running`);
    const client = new pg.Client({ connectionString: `${server.serverUrl}/${database}` });
    await client.connect();
    try {
      return (await client.query<R>(sql)).rows;
    } finally {
      await client.end();
    }
  };

  try {
    const admin = new pg.Client({ connectionString: `${primary.serverUrl}/postgres` });
    await admin.connect();
    await admin.query(`SELECT pg_create_physical_replication_slot('${SLOT}', true)`);
    // The copy is made between these two calls, in this one session (non-exclusive backup).
    await admin.query(`SELECT pg_backup_start('refgraph test replica', true)`);
    const source = join(primaryDir, 'postgres');
    const target = join(replicaDir, 'postgres');
    mkdirSync(replicaDir, { recursive: true });
    await run('cp', ['-a', source, target]);
    const { rows } = await admin.query<{ labelfile: string; spcmapfile: string | null }>(
      'SELECT labelfile, spcmapfile FROM pg_backup_stop(false)',
    );
    await admin.end();

    // What a base backup leaves out: the running server's files, its WAL (streamed from the slot instead), its slots,
    // its logs.
    for (const file of ['postmaster.pid', 'postmaster.opts', 'refgraph-server.log', 'refgraph-server.log.1'])
      rmSync(join(target, file), { force: true });
    for (const entry of readdirSync(join(target, 'pg_wal')))
      if (entry !== 'archive_status') rmSync(join(target, 'pg_wal', entry), { recursive: true, force: true });
    for (const entry of readdirSync(join(target, 'pg_replslot')))
      rmSync(join(target, 'pg_replslot', entry), { recursive: true, force: true });
    writeFileSync(join(target, 'backup_label'), rows[0]!.labelfile);
    if (rows[0]!.spcmapfile) writeFileSync(join(target, 'tablespace_map'), rows[0]!.spcmapfile);
    writeFileSync(join(target, 'standby.signal'), '');
    const url = new URL(primary.serverUrl);
    const conninfo = `host=127.0.0.1 port=${url.port} user=${decodeURIComponent(url.username)} password=${decodeURIComponent(url.password)} application_name=replica`;
    appendFileSync(
      join(target, 'postgresql.auto.conf'),
      `primary_conninfo = '${conninfo}'\nprimary_slot_name = '${SLOT}'\n`,
    );
    // As root the servers run as the `postgres` user: the files written here must be theirs too.
    if (process.getuid?.() === 0) {
      const { uid, gid } = statSync(source);
      await run('chown', ['-R', `${uid}:${gid}`, target]);
    }
    replica = await startEmbeddedPostgres({ dataDir: replicaDir, persistent: false });
  } catch (error) {
    await primary.stop();
    rmSync(root, { recursive: true, force: true });
    throw error;
  }

  const caughtUp = async (timeoutMs = 15_000) => {
    const [{ lsn }] = (await query<{ lsn: string }>('primary', 'SELECT pg_current_wal_lsn()::text AS lsn')) as [
      { lsn: string },
    ];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [row] = await query<{ done: boolean }>(
        'replica',
        `SELECT pg_last_wal_replay_lsn() >= '${lsn}'::pg_lsn AS done`,
      );
      if (row?.done) return;
      if (Date.now() > deadline) throw new Error(`the replica did not replay up to ${lsn} in ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  };

  return {
    primaryUrl: primary.serverUrl,
    replicaUrl: replica.serverUrl,
    query,
    caughtUp,
    stopReplica: async () => {
      await replica?.stop();
    },
    stop: async () => {
      await replica?.stop();
      await primary.stop();
      rmSync(root, { recursive: true, force: true });
    },
  };
}
