// `refgraph keys create|list|revoke`: API key administration on the configured database. The key
// is printed once by `create`; only its sha256 hash is stored.
import { type Command, InvalidArgumentError, Option } from 'commander';
import { pino } from 'pino';
import { createApiKey, isScope, listApiKeys, revokeApiKey, SCOPES, type Scope } from '../auth/api-keys.js';
import { loadConfig } from '../config.js';
import { createPrismaClient, type Db } from '../db/client.js';
import { migrateDatabase, openDatabase } from '../db/connect.js';

/** Where output goes; tests pass their own. */
export type Write = (text: string) => void;

async function withDb<T>(fn: (db: Db) => Promise<T>): Promise<T> {
  const config = loadConfig();
  // Logs to stderr: stdout carries only the command's answer (e.g. the new key).
  const logger = pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }, pino.destination(2));
  const database = await openDatabase(config, logger);
  try {
    await migrateDatabase(database.url, logger);
    const db = createPrismaClient(database.url);
    try {
      return await fn(db);
    } finally {
      await db.$disconnect();
    }
  } finally {
    await database.close();
  }
}

function scopeArgument(value: string, previous: Scope[] = []): Scope[] {
  const scopes = value.split(',').map((scope) => scope.trim());
  for (const scope of scopes)
    if (!isScope(scope)) throw new InvalidArgumentError(`"${scope}" is not one of ${SCOPES.join(', ')}`);
  return [...previous, ...(scopes as Scope[])];
}

export async function keysCreate(db: Db, name: string, scopes: Scope[], write: Write): Promise<string> {
  const created = await createApiKey(db, name, scopes);
  write(`${created.key}\n`);
  process.stderr.write(
    `API key "${created.name}" (${created.prefix}…, scopes: ${created.scopes.join(', ')}) created. It is shown once: store it now.\n`,
  );
  return created.key;
}

export async function keysList(db: Db, write: Write): Promise<void> {
  const keys = await listApiKeys(db);
  if (keys.length === 0) {
    write('no API keys\n');
    return;
  }
  for (const key of keys) {
    const state = key.revokedAt ? `revoked ${key.revokedAt.toISOString()}` : 'active';
    const used = key.lastUsedAt ? `last used ${key.lastUsedAt.toISOString()}` : 'never used';
    write(
      `${key.prefix}\t${key.name}\t${key.scopes.join(',')}\tcreated ${key.createdAt.toISOString()}\t${used}\t${state}\n`,
    );
  }
}

/** Revokes the key; throws (exit 1, message on stderr) when no active key has that prefix. */
export async function keysRevoke(db: Db, prefix: string, write: Write): Promise<void> {
  // Thrown: main.ts reports it on stderr and exits 1.
  if (!(await revokeApiKey(db, prefix))) throw new Error(`no active key with prefix ${prefix}`);
  write(`revoked ${prefix} (running servers stop accepting it within about a second)\n`);
}

export function registerKeyCommands(program: Command): void {
  const keys = program.command('keys').description('create, list and revoke API keys');
  const write: Write = (text) => process.stdout.write(text);
  keys
    .command('create')
    .description('create an API key and print it once')
    .requiredOption('--name <name>', 'who or what the key is for (recorded as changedBy on revisions)')
    .addOption(
      new Option(
        '--scope <scope...>',
        `scopes: ${SCOPES.join(', ')} (steward includes read; admin includes every scope; metrics only reads /metrics)`,
      )
        .argParser(scopeArgument)
        .makeOptionMandatory(),
    )
    .action(async (options: { name: string; scope: Scope[] }) => {
      await withDb((db) => keysCreate(db, options.name, options.scope, write));
    });
  keys
    .command('list')
    .description('list keys (prefix, name, scopes, state); keys themselves are never shown')
    .action(async () => withDb((db) => keysList(db, write)));
  keys
    .command('revoke <prefix>')
    .description('revoke the key with this prefix (as `keys list` shows it)')
    .action(async (prefix: string) => withDb((db) => keysRevoke(db, prefix, write)));
}
