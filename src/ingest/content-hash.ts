import { createHash } from 'node:crypto';

/**
 * A stable hash of a record's published fields, so a load can tell "changed" from "unchanged"
 * without comparing column by column. Keys are sorted; Dates hash as YYYY-MM-DD.
 */
export function contentHash(fields: Record<string, unknown>): string {
  const normalised = Object.keys(fields)
    .filter((key) => key !== 'at')
    .sort()
    .map((key) => {
      const value = fields[key];
      return [key, value instanceof Date ? value.toISOString().slice(0, 10) : value];
    });
  return createHash('sha256').update(JSON.stringify(normalised)).digest('hex');
}

/** The sha256 of a file as published (hex): what a release records, and how a load knows a file it has seen. */
export function sha256Of(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
