// DATABASE_REPLICA_URLS with the real parts: a PostgreSQL primary and a streaming replica of it
// (test/support/replica.ts), and `refgraph serve` as a process reading from the replica. Reads go
// to the replica; while its replay is paused, a load committed on the primary is never answered
// from the older release; a replica stopped under load costs no request an error.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrismaClient } from '../../src/db/client.js';
import { migrate } from '../../src/db/migrator.js';
import { loadStarterData } from '../../src/db/starter-data.js';
import { loadFile } from '../../src/ingest/load-release.js';
import { startGateway, type Gateway } from '../support/processes.js';
import { startReplication, type Replication } from '../support/replica.js';
import { sharedDataDir } from '../support/shared-data.js';
import { until } from '../support/until.js';

const dataDir = sharedDataDir();
let replication: Replication;
let gateway: Gateway;
let primaryDb: string;
let replicaName: string;
const scratch = mkdtempSync(path.join(tmpdir(), 'refgraph-replicas-'));

const OLD = 'Pet, dx, for tumor id, noc';
const NEW = 'Pet tumor id (replica test)';

beforeAll(async () => {
  replication = await startReplication();
  await replication.query('primary', 'CREATE DATABASE refgraph');
  primaryDb = `${replication.primaryUrl}/refgraph`;
  await migrate(primaryDb);
  const client = createPrismaClient(primaryDb);
  await loadStarterData(client);
  await client.$disconnect();
  await replication.caughtUp();
  const replicaDb = `${replication.replicaUrl}/refgraph`;
  replicaName = `127.0.0.1:${new URL(replicaDb).port}/refgraph`;
  // Every request reads the database (no entity cache); answers are cached per data version as shipped.
  gateway = await startGateway({
    DATABASE_URL: primaryDb,
    DATABASE_REPLICA_URLS: replicaDb,
    ENTITY_CACHE: 'false',
    RATE_LIMIT_PER_MINUTE: '0',
  });
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await replication?.stop();
  rmSync(scratch, { recursive: true, force: true });
}, 60_000);

let unique = 0;
/** A profile question the response cache has never seen (a new alias each time), so it reads the database. */
const fresh = () => ({ query: `{ c${++unique}: code(code: "A9597") { shortDescription } }` });
const cached = { query: '{ code(code: "A9597") { shortDescription } }' };

async function description(body: { query: string }): Promise<{ status: number; text: string | undefined }> {
  const response = await gateway.post(body);
  const json = (await response.json()) as { data?: Record<string, { shortDescription: string }>; errors?: unknown[] };
  return {
    status: response.status,
    text: json.errors ? `errors: ${JSON.stringify(json.errors)}` : Object.values(json.data ?? {})[0]?.shortDescription,
  };
}

async function readiness(): Promise<{
  ready: boolean;
  replicas: { name: string; state: string; lagBytes: number | null }[];
}> {
  const response = await fetch(gateway.url('/ready'));
  expect(response.status).toBe(200);
  return (await response.json()) as {
    ready: boolean;
    replicas: { name: string; state: string; lagBytes: number | null }[];
  };
}

interface Answer {
  sentAt: number;
  status: number;
  text: string | undefined;
}

/** Requests from `workers` loops until `stop` resolves: fresh and cached questions in turn. */
async function underLoad(workers: number, during: () => Promise<void>): Promise<Answer[]> {
  const answers: Answer[] = [];
  let running = true;
  const loops = Array.from({ length: workers }, async (_, worker) => {
    for (let i = 0; running; i++) {
      const sentAt = performance.now();
      const answer = await description((i + worker) % 2 === 0 ? fresh() : cached).catch((error: Error) => ({
        status: 0,
        text: error.message,
      }));
      answers.push({ sentAt, ...answer });
    }
  });
  try {
    await during();
  } finally {
    running = false;
    await Promise.all(loops);
  }
  return answers;
}

describe('reads on a streaming replica (DATABASE_REPLICA_URLS)', () => {
  it('sends reads to the replica once it has replayed the data version, and /ready reports its state and lag', async () => {
    await until(async () => (await readiness()).replicas[0]?.state === 'streaming', 'the replica to be streaming');
    const before = await gateway.metric('refgraph_db_reads_total', { target: replicaName });
    for (let i = 0; i < 5; i++) expect(await description(fresh())).toEqual({ status: 200, text: OLD });
    expect(await gateway.metric('refgraph_db_reads_total', { target: replicaName })).toBeGreaterThanOrEqual(before + 5);
    const { ready, replicas } = await readiness();
    expect(ready).toBe(true);
    expect(replicas).toEqual([
      expect.objectContaining({ name: replicaName, state: 'streaming', lagBytes: expect.any(Number) }),
    ]);
  });

  it.skipIf(!dataDir)(
    'with replay paused on the replica, a load committed on the primary: no request answers from the older release',
    async () => {
      // A HCPCS release holding A9597 with a new short description (the rest of the row as CMS publishes it).
      const csv = readFileSync(path.join(dataDir!, 'hcpcs/2025_oct/HCPC2025_OCT_ANWEB_v4.csv'), 'utf8').split('\n');
      const a9597 = csv.find((line) => line.startsWith('A9597,'))!;
      const file = path.join(scratch, 'HCPC2025_OCT_replica.csv');
      writeFileSync(file, [csv[0], a9597.replace(`"${OLD}"`, `"${NEW}"`), ''].join('\n'));

      expect(await description(cached)).toEqual({ status: 200, text: OLD });
      await replication.query('replica', 'SELECT pg_wal_replay_pause()');
      let committedAt = Infinity;
      const answers = await underLoad(3, async () => {
        await new Promise((resolve) => setTimeout(resolve, 500));
        await loadFile(primaryDb, file, { release: '2026-01', effective: new Date('2026-01-01T00:00:00Z') });
        committedAt = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 1_500));
      });
      expect(answers.every((answer) => answer.status === 200)).toBe(true);
      const after = answers.filter((answer) => answer.sentAt > committedAt);
      expect(after.length).toBeGreaterThan(10);
      expect(after.filter((answer) => answer.text !== NEW)).toEqual([]);
      // The replica has not replayed the load, so it is behind and reads went to the primary.
      expect((await readiness()).replicas[0]).toEqual(expect.objectContaining({ state: 'behind' }));
      const [state] = await replication.query<{ paused: boolean }>(
        'replica',
        'SELECT pg_is_wal_replay_paused() AS paused',
      );
      expect(state?.paused).toBe(true);

      // Replay resumes: the replica catches up and reads go back to it.
      await replication.query('replica', 'SELECT pg_wal_replay_resume()');
      await until(async () => (await readiness()).replicas[0]?.state === 'streaming', 'the replica to catch up');
      const before = await gateway.metric('refgraph_db_reads_total', { target: replicaName });
      expect(await description(fresh())).toEqual({ status: 200, text: NEW });
      expect(await gateway.metric('refgraph_db_reads_total', { target: replicaName })).toBeGreaterThan(before);
    },
    60_000,
  );

  it('stopping the replica under load moves reads to the primary without an error', async () => {
    const expected = (await description(cached)).text;
    const primaryBefore = await gateway.metric('refgraph_db_reads_total', { target: 'primary' });
    const answers = await underLoad(3, async () => {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await replication.stopReplica();
      await new Promise((resolve) => setTimeout(resolve, 1_500));
    });
    expect(answers.length).toBeGreaterThan(20);
    expect(answers.filter((answer) => answer.status !== 200 || answer.text !== expected)).toEqual([]);
    expect(await gateway.metric('refgraph_db_reads_total', { target: 'primary' })).toBeGreaterThan(primaryBefore);
    await until(async () => (await readiness()).replicas[0]?.state === 'down', '/ready to report the replica down');
    expect(
      gateway.logs().filter((line) => line.msg === 'read replica unavailable: its reads go to the primary'),
    ).toHaveLength(1);
  }, 60_000);
});
