// Validation of argument values shared by several domain files.
import { badUserInput } from '../errors.js';
import { HCPCS_CODE, HCPCS_CODE_EXAMPLE } from '../rules/code-patterns.js';

/** Upper-cases and checks a HCPCS Level II code argument (a letter and four digits). */
export function hcpcsCodeArgument(value: string, argument = 'code'): string {
  const code = value.trim().toUpperCase();
  if (!HCPCS_CODE.test(code)) {
    throw badUserInput(argument, `must be a HCPCS Level II code: ${HCPCS_CODE_EXAMPLE} (got "${value.slice(0, 20)}")`);
  }
  return code;
}

export const MAX_PAGE_SIZE = 100;

/** Rejects page sizes outside 0..MAX_PAGE_SIZE with a message naming the argument. */
export function pageSizeArgument(value: number | null | undefined, argument: string): void {
  if (value === null || value === undefined) return;
  if (value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(argument, `must be between 0 and ${MAX_PAGE_SIZE} (got ${value})`, { http: { status: 400 } });
  }
}

/**
 * The cost of a paged field: its selection times the page asked for (`first` or `last`; the
 * largest page when neither is given). A page over the limit is refused here, at validation,
 * before any SQL.
 */
export function pagedComplexity(args: { first?: number | null; last?: number | null }, fallback = MAX_PAGE_SIZE) {
  pageSizeArgument(args.first, 'first');
  pageSizeArgument(args.last, 'last');
  return { field: 1, multiplier: Math.max(args.first ?? args.last ?? fallback, 0) };
}
