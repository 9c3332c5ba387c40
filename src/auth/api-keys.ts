// API keys: `rg_<random>` strings handed out once; only their sha256 hash is stored. A key carries
// scopes (read, steward, admin); a higher scope includes the lower ones.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../db/client.js';
import { prisma } from '../db/client.js';
import { unauthenticated } from '../graphql/errors.js';

export const SCOPES = ['read', 'steward', 'admin'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: the key's name (recorded as `changedBy` on revisions) and its scopes. */
export interface Caller {
  readonly keyName: string;
  readonly keyPrefix: string;
  readonly scopes: readonly Scope[];
}

const KEY_PREFIX = 'rg_';
/** Characters of the key kept in clear to recognise it in listings (`rg_` + 8). */
const SHOWN_LENGTH = 11;
/** How long a verified (or refused) key is remembered; a revocation takes effect within this time. */
export const KEY_CACHE_MS = 10_000;
const KEY_CACHE_MAX = 10_000;
/** `lastUsedAt` is written at most this often per key: bookkeeping, not a write per request. */
export const LAST_USED_EVERY_MS = 60_000;

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** True when `caller` holds `scope` or a higher one (admin > steward > read). */
export function hasScope(caller: Caller | null, scope: Scope): boolean {
  if (!caller) return false;
  const needed = SCOPES.indexOf(scope);
  return caller.scopes.some((held) => SCOPES.indexOf(held) >= needed);
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
  cache.set(hash, { caller, expires: now + KEY_CACHE_MS });
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

/** The key a request presents: `x-api-key: <key>` or `Authorization: Bearer <key>`. */
export function presentedApiKey(headers: Headers): string | null {
  const direct = headers.get('x-api-key')?.trim();
  if (direct) return direct;
  const authorization = headers.get('authorization')?.trim();
  const match = authorization ? /^Bearer\s+(\S+)$/i.exec(authorization) : null;
  return match ? match[1]! : null;
}

/**
 * The caller of a request: null for an anonymous read (allowed unless `requireApiKey`).
 * An unknown or revoked key is refused rather than treated as anonymous.
 */
export async function resolveCaller(headers: Headers, requireApiKey: boolean): Promise<Caller | null> {
  const key = presentedApiKey(headers);
  if (!key) {
    if (requireApiKey) throw unauthenticated('An API key is required (header x-api-key or Authorization: Bearer).');
    return null;
  }
  const caller = await verifyApiKey(key);
  if (!caller) throw unauthenticated('The API key is unknown or revoked.');
  return caller;
}
