// Place of Service codes scraped from the CMS web page in 2017: a JSON array of
// `{placeOfServiceCode, placeOfServiceName, placeOfServiceDescription}` (mixed case, unassigned
// codes already removed). Positions are given as `row` = 1-based index in the array.

import { IngestError } from '../errors.js';
import type { ParsedFile, PlaceOfServiceRecord, SourcePosition } from '../records.js';
import { DuplicateGuard, clean, decodeUtf8, optional, quoteList } from './common.js';
import { PLACE_OF_SERVICE_CODE } from '../../rules/code-patterns.js';

export const POS_JSON_KEYS = ['placeOfServiceCode', 'placeOfServiceName', 'placeOfServiceDescription'] as const;

const JSON_POSITION = /position (\d+)/;

export function parsePosJson(bytes: Buffer, fileName: string): Extract<ParsedFile, { kind: 'pos' }> {
  const text = decodeUtf8(bytes, fileName);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const offset = JSON_POSITION.exec(message);
    const line = offset ? lineOfOffset(text, Number(offset[1])) : undefined;
    throw new IngestError({ file: fileName, line }, `invalid JSON (truncated file?): ${message}`);
  }
  if (!Array.isArray(data)) {
    throw new IngestError({ file: fileName }, `expected a JSON array of objects with keys ${POS_JSON_KEYS.join(', ')}`);
  }
  if (data.length === 0) throw new IngestError({ file: fileName }, 'the JSON array is empty');
  const duplicates = new DuplicateGuard('place of service code');
  const places = data.map((item: unknown, i): PlaceOfServiceRecord => {
    const at: SourcePosition = { file: fileName, row: i + 1 };
    const get = objectReader(item, at);
    const code = clean(get('placeOfServiceCode'));
    if (!PLACE_OF_SERVICE_CODE.test(code))
      throw new IngestError(at, `"${code}" is not a 2-digit place of service code`, 'placeOfServiceCode');
    duplicates.check(code, at, 'placeOfServiceCode');
    const name = clean(get('placeOfServiceName'));
    if (name === '') throw new IngestError(at, 'value is required but empty', 'placeOfServiceName');
    const assigned = name.toLowerCase() !== 'unassigned';
    return { at, code, name, description: optional(get('placeOfServiceDescription')), assigned };
  });
  return { kind: 'pos', release: {}, recordCount: places.length, places };
}

function objectReader(item: unknown, at: SourcePosition): (key: (typeof POS_JSON_KEYS)[number]) => string {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) {
    throw new IngestError(at, 'expected an object');
  }
  const missing = POS_JSON_KEYS.filter((k) => !(k in item));
  if (missing.length > 0) {
    throw new IngestError(at, `missing ${quoteList(missing)}; expected keys: ${POS_JSON_KEYS.join(', ')}`);
  }
  return (key) => {
    const value: unknown = Reflect.get(item, key);
    if (value === null || value === undefined) return '';
    if (typeof value !== 'string') throw new IngestError(at, `expected a string, found ${typeof value}`, key);
    return value;
  };
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
