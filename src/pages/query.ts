// What a page's address may carry, checked before any SQL: a malformed value is a 400 page that
// names it, never a database error. One rule each, shared with GraphQL where GraphQL has one.
import { hcpcsCodeArgument } from '../graphql/arguments.js';
import { parseCalendarDate } from '../graphql/scalars.js';
import { MAX_SEARCH_TEXT } from '../db/search.js';

/** A page address that cannot be answered as asked; its message names the problem. */
export class BadPageRequest extends Error {
  override name = 'BadPageRequest';
}

/** `?asOf=YYYY-MM-DD`; absent or empty (an unfilled date field) means today. */
export function asOfParam(url: URL): Date | undefined {
  const value = url.searchParams.get('asOf');
  if (!value) return undefined;
  const date = parseCalendarDate(value);
  if (!date)
    throw new BadPageRequest(
      `"asOf" must be a calendar date in the form YYYY-MM-DD, e.g. 2026-01-01 (got "${value.slice(0, 40)}").`,
    );
  return date;
}

/** The search text of `?q=`, trimmed; undefined when there is none. */
export function searchTextParam(url: URL): string | undefined {
  const text = url.searchParams.get('q')?.trim();
  if (!text) return undefined;
  if (text.length > MAX_SEARCH_TEXT)
    throw new BadPageRequest(`The search text must be at most ${MAX_SEARCH_TEXT} characters (got ${text.length}).`);
  // URL decoding turns bad UTF-8 into U+FFFD, so a NUL is the one character PostgreSQL cannot take.
  if (text.includes('\u0000')) throw new BadPageRequest('The search text must not contain NUL characters (%00).');
  return text;
}

/** The code of `/codes/<code>`, upper-cased, by the same rule as GraphQL's `code` arguments. */
export function codeParam(segment: string): string {
  let raw: string;
  try {
    raw = decodeURIComponent(segment);
  } catch {
    throw new BadPageRequest('The code in the address is not valid percent-encoding.');
  }
  try {
    return hcpcsCodeArgument(raw);
  } catch {
    throw new BadPageRequest(
      `"${raw.slice(0, 20)}" is not a HCPCS Level II code: a letter and four digits, e.g. A9597.`,
    );
  }
}
