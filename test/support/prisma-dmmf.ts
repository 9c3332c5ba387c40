// Reads prisma/schema.prisma through Prisma's own schema parser (WebAssembly, works offline).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface DmmfField {
  name: string;
  dbName: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  isId: boolean;
  isUnique: boolean;
  nativeType: [string, string[]] | null;
  relationFromFields?: string[];
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
  uniqueFields: string[][];
}

export interface Dmmf {
  datamodel: { models: DmmfModel[]; enums: { name: string; values: { name: string }[] }[] };
}

const require = createRequire(import.meta.url);
const SCHEMA = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));

export function readDmmf(): Dmmf {
  const wasm = require('@prisma/prisma-schema-wasm') as { get_dmmf(params: string): string };
  const schema = readFileSync(SCHEMA, 'utf8');
  return JSON.parse(wasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as Dmmf;
}

export interface UnsupportedField {
  name: string;
  /** The column name (@map) or the field name. */
  column: string;
  /** The Postgres type inside Unsupported("..."), e.g. tsvector. */
  type: string;
  isRequired: boolean;
}

/**
 * The `Unsupported("...")` fields of `model` (by its Prisma name). The DMMF leaves them out, so
 * they are read from the schema text: `name Unsupported("type")? @map("column")`.
 */
export function unsupportedFields(model: string): UnsupportedField[] {
  const schema = readFileSync(SCHEMA, 'utf8');
  const block = new RegExp(`^model ${model} \\{\\n([\\s\\S]*?)^\\}`, 'm').exec(schema)?.[1] ?? '';
  return [...block.matchAll(/^\s*(\w+)\s+Unsupported\("([^"]+)"\)(\?)?(?:.*@map\("([^"]+)"\))?/gm)].map(
    ([, name, type, optional, column]) => ({
      name: name!,
      column: column ?? name!,
      type: type!,
      isRequired: optional !== '?',
    }),
  );
}
