// The real `refgraph keys` commands, as an administrator runs them against DATABASE_URL: the key
// is printed once, listings never show it, and a revoked key is refused by a running server within
// about a second.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyChangeSubscription, hashApiKey } from '../../src/auth/api-keys.js';
import type { Db } from '../../src/db/client.js';
import { listen, type DatabaseListener } from '../../src/db/listener.js';
import { useTestDatabase } from '../support/database.js';
import { graphql } from '../support/graphql.js';

let db: Db;
let url: string;
let listener: DatabaseListener;

beforeAll(async () => {
  ({ db, url } = await useTestDatabase());
  // As serve does: key changes are announced, so a revocation reaches this process at once.
  listener = await listen(url, [apiKeyChangeSubscription()]);
});

afterAll(async () => {
  await listener.stop();
});

async function refgraph(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', ...args],
      {
        env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' },
      },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

const profile = (key: string) => graphql(`{ code(code: "A9597") { code } }`, undefined, { 'x-api-key': key });

describe('refgraph keys', () => {
  let key: string;
  let prefix: string;

  it('create prints the key once on stdout; only its hash is stored', async () => {
    const created = await refgraph('keys', 'create', '--scope', 'steward', '--name', 'x');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/^rg_[\w-]{32}\n$/);
    key = created.stdout.trim();
    prefix = key.slice(0, 11);
    expect(created.stderr).toContain(
      `API key "x" (${prefix}…, scopes: steward) created. It is shown once: store it now.`,
    );
    expect(created.stderr).not.toContain(key);
    const row = await db.apiKey.findUniqueOrThrow({ where: { prefix } });
    expect(row).toMatchObject({ name: 'x', scopes: ['steward'], hash: hashApiKey(key), revokedAt: null });
    expect(JSON.stringify(row)).not.toContain(key);
    expect(await profile(key)).toEqual({ status: 200, data: { code: { code: 'A9597' } } });
  });

  it('list shows prefix, name and scopes, never the key', async () => {
    const listed = await refgraph('keys', 'list');
    expect(listed.code).toBe(0);
    const line = listed.stdout.split('\n').find((l) => l.startsWith(prefix))!;
    expect(line.split('\t').slice(0, 3)).toEqual([prefix, 'x', 'steward']);
    expect(line).toMatch(/\tactive$/);
    expect(listed.stdout + listed.stderr).not.toContain(key);
  });

  it('revoke <prefix> makes the key fail with UNAUTHENTICATED', async () => {
    const revoked = await refgraph('keys', 'revoke', prefix);
    expect(revoked).toMatchObject({
      code: 0,
      stdout: `revoked ${prefix} (running servers stop accepting it within about a second)\n`,
    });
    // The server had verified the key (and remembers it for a minute); the revocation's NOTIFY
    // makes it forget within about a second.
    const started = Date.now();
    let refused = await profile(key);
    while (refused.status !== 401 && Date.now() - started < 1_500) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      refused = await profile(key);
    }
    expect(refused.status).toBe(401);
    expect(refused.errors).toEqual([
      { message: 'The API key is unknown or revoked.', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect((await refgraph('keys', 'list')).stdout).toMatch(
      new RegExp(`^${prefix}\\tx\\tsteward\\t.*\\trevoked \\d{4}-`, 'm'),
    );
    // Revoking again finds no active key: exit 1, said on stderr.
    expect(await refgraph('keys', 'revoke', prefix)).toEqual({
      code: 1,
      stdout: '',
      stderr: `refgraph: no active key with prefix ${prefix}\n`,
    });
  }, 90_000);
});
