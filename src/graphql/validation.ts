// Validation of steward input (zod): the first problem becomes a BAD_USER_INPUT naming the field,
// e.g. `Field "input.sourceUrl" must be an http(s) URL`, with extensions.field.
import { z } from 'zod';
import { badField, badUserInput } from '../errors.js';
import { HCPCS_CODE, HCPCS_CODE_EXAMPLE } from '../rules/code-patterns.js';

export function parseInput<T>(schema: z.ZodType<T>, value: unknown, prefix = 'input'): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw badField([prefix, ...issue.path.map(String)].join('.'), issue.message);
}

/** Optional text: trimmed, empty means none. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `must be at most ${max} characters`)
    .nullish()
    .transform((value) => (value ? value : null));

export const requiredText = (max: number) =>
  z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`);

export const httpUrl = requiredText(2_000).refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}, 'must be an http(s) URL, e.g. https://www.cms.gov/...');

function endOfTodayUtc(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), 23, 59, 59, 999));
}

export const pastDate = z.date().refine((value) => value <= endOfTodayUtc(), 'must not be in the future');

/** Why a change is made: required on every write. */
export function reasonArgument(value: string): string {
  const reason = value.trim();
  if (!reason) throw badUserInput('reason', 'must say why the change is made (not empty)');
  if (reason.length > 2_000) throw badUserInput('reason', 'must be at most 2000 characters');
  return reason;
}

/** A HCPCS Level II code field: a letter and four digits, upper-cased. */
export const hcpcsCode = z
  .string()
  .trim()
  .toUpperCase()
  .regex(HCPCS_CODE, `must be a HCPCS Level II code: ${HCPCS_CODE_EXAMPLE}`);

/** Fields every curated link has: an optional note and a required source. */
export const linkFields = { note: optionalText(2_000), source: requiredText(500) };

/** What a link row's revision snapshot records besides its own fields. */
export function linkSnapshot(row: {
  codeId: number;
  note: string | null;
  source: string;
  retiredAt: Date | null;
}): Record<string, unknown> {
  return { codeId: row.codeId, note: row.note, source: row.source, retiredAt: row.retiredAt?.toISOString() ?? null };
}
