// API keys: `rg_<random>` strings handed out once; only their sha256 hash is stored. A key carries
// scopes (read, steward, admin, metrics); steward includes read, admin includes all the others.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { prisma } from '../db/client.js';
import type { Subscription } from '../db/listener.js';

export const SCOPES = ['read', 'steward', 'admin', 'metrics'] as const;
export type Scope = (typeof SCOPES)[number];

/** What each scope allows: `metrics` is for a Prometheus scraper and reads nothing else. */
const GRANTS: Record<Scope, readonly Scope[]> = {
  read: ['read'],
  steward: ['read', 'steward'],
  admin: ['read', 'steward', 'admin', 'metrics'],
  metrics: ['metrics'],
};

/** Who is calling: the key's name (recorded as `changedBy` on revisions) and its scopes. */
export interface Caller {
  readonly keyName: string;
  readonly keyPrefix: string;
  readonly scopes: readonly Scope[];
}

const KEY_PREFIX = 'rg_';
/** Characters of the key kept in clear to recognise it in listings (`rg_` + 8). */
const SHOWN_LENGTH = 11;
/**
 * How long a verified (or refused) key is remembered. While the server listens for key changes
 * (refgraph_api_key_changed, migration 20261201090000) a revocation reaches it within about a
 * second whatever this is; without that connection a key is checked again after a second.
 */
export const KEY_CACHE_MS = 60_000;
const UNWATCHED_KEY_CACHE_MS = 1_000;
export const API_KEY_CHANGED_CHANNEL = 'refgraph_api_key_changed';
const KEY_CACHE_MAX = 10_000;
/** `lastUsedAt` is written at most this often per key: bookkeeping, not a write per request. */
export const LAST_USED_EVERY_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** True when `caller` holds `scope` or a scope that includes it. */
export function hasScope(caller: Caller | null, scope: Scope): boolean {
  return caller?.scopes.some((held) => GRANTS[held].includes(scope)) ?? false;
}

export interface CreatedApiKey {
  /** The key itself: shown once, never stored. */
  key: string;
  prefix: string;
  name: string;
  scopes: Scope[];
}

export async function createApiKey(db: Db, name: string, scopes: Scope[]): Promise<CreatedApiKey> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('a key needs a non-empty --name');
  if (scopes.length === 0) throw new Error(`a key needs at least one --scope (${SCOPES.join(', ')})`);
  const key = `${KEY_PREFIX}${randomBytes(24).toString('base64url')}`;
  const prefix = key.slice(0, SHOWN_LENGTH);
  const unique = [...new Set(scopes)];
  await db.apiKey.create({ data: { name: trimmed, prefix, hash: hashApiKey(key), scopes: unique } });
  return { key, prefix, name: trimmed, scopes: unique };
}

export interface ApiKeyListing {
  prefix: string;
  name: string;
  scopes: string[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export async function listApiKeys(db: Db): Promise<ApiKeyListing[]> {
  return db.apiKey.findMany({
    select: { prefix: true, name: true, scopes: true, createdAt: true, lastUsedAt: true, revokedAt: true },
    orderBy: { id: 'asc' },
  });
}

/** Revokes the key whose shown prefix is `prefix`; false when there is no such live key. */
export async function revokeApiKey(db: Db, prefix: string): Promise<boolean> {
  const { count } = await db.apiKey.updateMany({ where: { prefix, revokedAt: null }, data: { revokedAt: new Date() } });
  return count > 0;
}

const cache = new Map<string, { caller: Caller | null; expires: number }>();
let changesWatched = false;

/** Forget keys as their rows change (see KEY_CACHE_MS); everything on a (re)connection. */
export function apiKeyChangeSubscription(): Subscription {
  return {
    channel: API_KEY_CHANGED_CHANNEL,
    onNotify: (hash) => {
      cache.delete(hash);
    },
    onConnect: () => {
      cache.clear();
      changesWatched = true;
    },
    onDisconnect: () => {
      changesWatched = false;
    },
  };
}

/** The caller a key belongs to, or null when the key is unknown or revoked. Cached briefly. */
export async function verifyApiKey(key: string): Promise<Caller | null> {
  const hash = hashApiKey(key);
  const now = Date.now();
  const hit = cache.get(hash);
  if (hit && hit.expires > now) return hit.caller;
  const row = await prisma().apiKey.findUnique({
    where: { hash },
    select: { id: true, name: true, prefix: true, scopes: true, revokedAt: true, lastUsedAt: true },
  });
  const caller: Caller | null =
    row && !row.revokedAt ? { keyName: row.name, keyPrefix: row.prefix, scopes: row.scopes.filter(isScope) } : null;
  // Only on a cache miss (at most every KEY_CACHE_MS per key and process), and only when the
  // recorded use is a minute old; the condition in the update keeps other processes from repeating it.
  if (caller && row && (!row.lastUsedAt || now - row.lastUsedAt.getTime() >= LAST_USED_EVERY_MS)) {
    const stale = new Date(now - LAST_USED_EVERY_MS);
    await prisma().apiKey.updateMany({
      where: { id: row.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lte: stale } }] },
      data: { lastUsedAt: new Date(now) },
    });
  }
  // Bounded: a flood of made-up keys cannot grow the cache without limit.
  if (cache.size >= KEY_CACHE_MAX) cache.clear();
  cache.set(hash, { caller, expires: now + (changesWatched ? KEY_CACHE_MS : UNWATCHED_KEY_CACHE_MS) });
  return caller;
}

/**
 * What this process last learned about a key, without asking the database: its caller, null when
 * refused, undefined when never checked (or forgotten). The rate limit uses it to tell real keys
 * from made-up ones; an expired answer still tells that much.
 */
export function knownCaller(key: string): Caller | null | undefined {
  return cache.get(hashApiKey(key))?.caller;
}

/** Forget cached verifications (tests, and after revoking in-process). */
export function clearApiKeyCache(): void {
  cache.clear();
}

/**
 * The key a request presents: `x-api-key: <key>`, `Authorization: Bearer <key>`, or HTTP Basic
 * with the key as the password (what a browser sends for the pages, which cannot set headers on a
 * page visit; it then sends the same to GraphiQL and /metrics). The user name is ignored.
 */
export function presentedApiKey(headers: Headers): string | null {
  const direct = headers.get('x-api-key')?.trim();
  if (direct) return direct;
  const authorization = headers.get('authorization')?.trim();
  const bearer = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  if (bearer) return bearer[1]!;
  const basic = authorization ? /^Basic\s+([A-Za-z0-9+/]+={0,2})$/i.exec(authorization) : null;
  if (!basic) return null;
  const credentials = Buffer.from(basic[1]!, 'base64').toString('utf8');
  const password = credentials.slice(credentials.indexOf(':') + 1).trim();
  return credentials.includes(':') && password ? password : null;
}

export type Authentication = { caller: Caller | null } | { refused: string };

/**
 * Who sends a request: `{ caller: null }` for an anonymous read (allowed unless `requireApiKey`).
 * An unknown or revoked key is refused rather than treated as anonymous.
 */
export async function authenticate(headers: Headers, requireApiKey: boolean): Promise<Authentication> {
  const key = presentedApiKey(headers);
  if (!key)
    return requireApiKey
      ? { refused: 'An API key is required (header x-api-key or Authorization: Bearer).' }
      : { caller: null };
  const caller = await verifyApiKey(key);
  return caller ? { caller } : { refused: 'The API key is unknown or revoked.' };
}
