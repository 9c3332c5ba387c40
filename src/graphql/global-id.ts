// Global IDs are base64 of "Type:key". They come from clients, so every one is decoded here, with
// one rule per kind of key: a made-up ID (not base64, no type, a NUL, a number past Postgres's
// integer) is a BAD_USER_INPUT naming the argument, never a database error.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { badUserInput } from '../errors.js';

/** Keys of SERIAL columns are Postgres integers. */
const MAX_ROW_ID = 2_147_483_647;
/** Keys that are codes (a place of service, a taxonomy) are short. */
const MAX_CODE_KEY_LENGTH = 20;

const shown = (value: unknown) => JSON.stringify(String(value).slice(0, 40));

/** `Type:key` from a global ID, for the relay plugin (node, nodes) and our own ID arguments. */
export function decodeId(globalID: string, argument = 'id'): { typename: string; id: string } {
  try {
    const decoded = decodeGlobalID(globalID);
    if (/^[A-Za-z]\w{0,63}$/.test(decoded.typename) && decoded.id.length > 0) return decoded;
  } catch {
    // reported below
  }
  throw badUserInput(argument, `must be a refgraph ID, as a field \`id\` returns it (got ${shown(globalID)})`);
}

/** Whether `value` is a global ID of `typename` (whatever its key). */
export function isIdOf(value: string, typename: string): boolean {
  try {
    return decodeGlobalID(value).typename === typename;
  } catch {
    return false;
  }
}

/** The row id inside a global ID's key: a positive integer that fits the column. */
export function rowId(key: string | number, argument = 'id'): number {
  const text = String(key);
  if (/^[1-9][0-9]{0,9}$/.test(text) && Number(text) <= MAX_ROW_ID) return Number(text);
  throw badUserInput(
    argument,
    `does not name a row: the key after the type must be a whole number from 1 to ${MAX_ROW_ID} (got ${shown(text)})`,
  );
}

/** A code key inside a global ID (places of service, taxonomies): short, letters, digits and dots. */
export function codeKey(key: string | number, argument = 'id'): string {
  const text = String(key);
  if (text.length <= MAX_CODE_KEY_LENGTH && /^[0-9A-Za-z.]+$/.test(text)) return text;
  throw badUserInput(
    argument,
    `does not name a code: the key after the type must be a code such as 22 or 207Q00000X (got ${shown(text)})`,
  );
}

/** The row id of a global ID of `typename`, or BAD_USER_INPUT naming the argument. */
export function rowIdOf(value: string | number, typename: string, argument = 'id'): number {
  const decoded = decodeId(String(value), argument);
  if (decoded.typename !== typename)
    throw badUserInput(argument, `must be the ID of a ${typename} (got ${shown(value)})`);
  return rowId(decoded.id, argument);
}

// Node types pair `id: rowIdNode` (or codeNode) with `nullable: true`: node(id:) of a row that
// does not exist answers null, as Relay has it, rather than failing.

/** `id` of a node type keyed by a SERIAL `id` column: its global ID parsed by `rowId`. */
export const rowIdNode = { field: 'id', parse: (key: string) => rowId(key) } as const;

/** `id` of a node type keyed by its `code` column (places of service, taxonomies). */
export const codeNode = { field: 'code', parse: (key: string) => codeKey(key) } as const;
