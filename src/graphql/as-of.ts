// The date a Code is answered for. `code(asOf:)`, `codes(asOf:)` and `search(asOf:)` hand their
// rows on as copies that carry the date, so fields such as `status` answer for that date: the date
// travels with the parent object of this request, never in a side table, and a row shared across
// requests (a cached one) is never marked with one request's date.
const AS_OF = Symbol('asOf');

export type Dated<T> = T & { readonly [AS_OF]?: Date };

/** `rows` answered as of `asOf` (today when undefined: the rows themselves). */
export function atDate<T extends object>(rows: T[], asOf: Date | undefined): Dated<T>[] {
  return asOf ? rows.map((row) => ({ ...row, [AS_OF]: asOf })) : rows;
}

/** The date `row` is answered for: the one it carries, else today (UTC). */
export function dateOf(row: object): Date {
  return (row as Dated<object>)[AS_OF] ?? today();
}

/** The date `row` was asked as of, if one was given (undefined: today). */
export function askedAsOf(row: object): Date | undefined {
  return (row as Dated<object>)[AS_OF];
}

export function today(): Date {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
