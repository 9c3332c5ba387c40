// A least-recently-used map bounded in bytes whose entries belong to one data version (see
// src/db/data-version.ts): reference data changes only when a release loads or a steward edits,
// and every such change moves the version, so work done for a version can be reused until it
// moves. When it does, the whole map is dropped; an entry computed while the version moved is
// never stored (it may mix data from both), so no answer computed from older data is served.
//
// Only while a watcher holds the version in memory (serve, tests that start one): without one,
// knowing the version would cost a statement per request, and nothing is cached.
import { LRUCache } from 'lru-cache';
import { watchedDataVersion } from '../db/data-version.js';

export interface CacheStats {
  name: string;
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
  maxBytes: number;
}

const everyCache = new Set<VersionedLru<unknown>>();

/** Counters of every cache of this process, for /metrics. */
export function cacheStats(): CacheStats[] {
  return [...everyCache].map((cache) => cache.stats());
}

export class VersionedLru<V> {
  private entries: LRUCache<string, { value: V }>;
  private version: string | undefined;
  private hits = 0;
  private misses = 0;

  constructor(
    readonly name: string,
    private readonly maxBytes: number,
    /** Bytes an entry holds, about (strings count one byte a character). */
    private readonly sizeOf: (value: V, key: string) => number,
  ) {
    this.entries = this.empty();
    everyCache.add(this as VersionedLru<unknown>);
  }

  private empty(): LRUCache<string, { value: V }> {
    return new LRUCache<string, { value: V }>({
      maxSize: this.maxBytes,
      // An entry larger than the whole cache is not kept at all.
      maxEntrySize: this.maxBytes,
      sizeCalculation: (entry, key) => Math.max(1, this.sizeOf(entry.value, key) + key.length),
    });
  }

  /** The data version entries are kept for now, or undefined when nothing may be cached. */
  current(): string | undefined {
    const version = watchedDataVersion();
    if (version !== this.version) {
      this.version = version;
      this.entries.clear();
    }
    return version;
  }

  /** The value for `key` in the current data version, if known. */
  get(key: string): V | undefined {
    if (this.current() === undefined) return undefined;
    const entry = this.entries.get(key);
    if (entry) this.hits += 1;
    else this.misses += 1;
    return entry?.value;
  }

  /** Keep `value`, computed while the data version was `version` (what `current()` said before computing it). */
  set(key: string, value: V, version: string | undefined): void {
    if (version === undefined || this.current() !== version) return;
    this.entries.set(key, { value });
  }

  stats(): CacheStats {
    return {
      name: this.name,
      hits: this.hits,
      misses: this.misses,
      entries: this.entries.size,
      bytes: this.entries.calculatedSize,
      maxBytes: this.maxBytes,
    };
  }
}

/** Bytes a JSON-like value holds, roughly: its JSON text. Used on misses only. */
export function jsonSize(value: unknown): number {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? String(v) : v))?.length ?? 0;
}
