// Validation of argument values shared by several domain files.
import { badUserInput } from './errors.js';

const HCPCS_CODE = /^[A-Z][0-9]{4}$/;

/** Upper-cases and checks a HCPCS Level II code argument (a letter and four digits). */
export function hcpcsCodeArgument(value: string, argument = 'code'): string {
  const code = value.trim().toUpperCase();
  if (!HCPCS_CODE.test(code)) {
    throw badUserInput(argument, `must be a HCPCS Level II code: a letter and four digits, e.g. A9597 (got "${value.slice(0, 20)}")`);
  }
  return code;
}

export const MAX_PAGE_SIZE = 100;

/** Rejects page sizes outside 1..MAX_PAGE_SIZE with a message naming the argument. */
export function pageSizeArgument(value: number | null | undefined, argument: string): void {
  if (value === null || value === undefined) return;
  if (value < 0 || value > MAX_PAGE_SIZE) {
    throw badUserInput(argument, `must be between 0 and ${MAX_PAGE_SIZE} (got ${value})`);
  }
}
