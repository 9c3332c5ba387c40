// The SQL migrations (applied by our migrator) must produce exactly what schema.prisma describes:
// every model a table, every field a column of the right type and nullability, every enum,
// unique index, primary key and foreign key.
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIGRATIONS_DIR, migrate, readMigrations } from '../../src/db/migrator.js';
import { createTestDatabase } from '../support/database.js';
import { readDmmf, unsupportedFields, type DmmfField } from '../support/prisma-dmmf.js';

const dmmf = readDmmf();
let client: pg.Client;
let url: string;

beforeAll(async () => {
  const database = await createTestDatabase();
  await database.db.$disconnect();
  url = database.url;
  client = new pg.Client({ connectionString: url });
  await client.connect();
});
afterAll(() => client.end());

function expectedSqlType(field: DmmfField): string {
  if (field.kind === 'enum') return field.type;
  const native = field.nativeType?.[0];
  switch (field.type) {
    case 'Int':
      return 'int4';
    case 'String':
      return 'text';
    case 'Boolean':
      return 'bool';
    case 'Json':
      return 'jsonb';
    case 'Decimal':
      return 'numeric';
    case 'DateTime':
      return native === 'Date' ? 'date' : native === 'Timestamptz' ? 'timestamptz' : 'timestamp';
    default:
      throw new Error(`no SQL type mapping for ${field.type}`);
  }
}

describe('the migrated database matches schema.prisma', () => {
  it('has a table for every model, with exactly its fields as columns', async () => {
    const { rows } = await client.query<{
      table_name: string;
      column_name: string;
      is_nullable: string;
      udt_name: string;
      data_type: string;
    }>(
      `SELECT table_name, column_name, is_nullable, udt_name, data_type FROM information_schema.columns WHERE table_schema = 'public'`,
    );
    const tables = new Map<string, Map<string, (typeof rows)[number]>>();
    for (const row of rows) {
      if (!tables.has(row.table_name)) tables.set(row.table_name, new Map());
      tables.get(row.table_name)!.set(row.column_name, row);
    }
    const expectedTables = dmmf.datamodel.models.map((model) => model.dbName ?? model.name).sort();
    expect([...tables.keys()].filter((name) => name !== '_prisma_migrations').sort()).toEqual(expectedTables);

    for (const model of dmmf.datamodel.models) {
      const columns = tables.get(model.dbName ?? model.name)!;
      const fields = model.fields.filter((field) => field.kind === 'scalar' || field.kind === 'enum');
      const unsupported = unsupportedFields(model.name);
      expect([...columns.keys()].sort(), model.name).toEqual(
        [...fields.map((f) => f.dbName ?? f.name), ...unsupported.map((f) => f.column)].sort(),
      );
      for (const field of unsupported) {
        const column = columns.get(field.column)!;
        expect(column.udt_name, `${model.name}.${field.name}`).toBe(field.type);
        expect(column.is_nullable, `${model.name}.${field.name}`).toBe(field.isRequired ? 'NO' : 'YES');
      }
      for (const field of fields) {
        const column = columns.get(field.dbName ?? field.name)!;
        const where = `${model.name}.${field.name}`;
        if (field.isList) {
          expect(column.data_type, where).toBe('ARRAY');
          expect(column.udt_name, where).toBe(`_${expectedSqlType(field)}`);
        } else {
          expect(column.udt_name, where).toBe(expectedSqlType(field));
          expect(column.is_nullable, where).toBe(field.isRequired ? 'NO' : 'YES');
        }
      }
    }
  });

  it('has every enum with exactly its values, in order', async () => {
    const { rows } = await client.query<{ typname: string; labels: string[] }>(
      `SELECT t.typname, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((row) => [row.typname, row.labels]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.name, e.values.map((v) => v.name)]));
    expect(actual).toEqual(expected);
  });

  it('has the primary keys, unique indexes and foreign keys the models declare', async () => {
    const { rows: indexes } = await client.query<{
      table: string;
      unique: boolean;
      primary: boolean;
      columns: string[];
    }>(
      `SELECT c.relname AS table, i.indisunique AS unique, i.indisprimary AS primary,
              array_agg(a.attname ORDER BY k.ord)::text[] AS columns
       FROM pg_index i
       JOIN pg_class c ON c.oid = i.indrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum
       GROUP BY c.relname, i.indexrelid, i.indisunique, i.indisprimary`,
    );
    const { rows: foreignKeys } = await client.query<{ table: string; columns: string[]; target: string }>(
      `SELECT c.relname AS table, t.relname AS target,
              (SELECT array_agg(a.attname ORDER BY k.ord)::text[] FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
               JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum) AS columns
       FROM pg_constraint con JOIN pg_class c ON c.oid = con.conrelid JOIN pg_class t ON t.oid = con.confrelid
       WHERE con.contype = 'f'`,
    );
    const has = (table: string, columns: string[], kind: 'primary' | 'unique') =>
      indexes.some((index) => index.table === table && index[kind] && index.columns.join(',') === columns.join(','));

    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;
      const column = (name: string) => {
        const field = model.fields.find((f) => f.name === name)!;
        return field.dbName ?? field.name;
      };
      const idFields = model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name);
      expect(has(table, idFields.map(column), 'primary'), `${model.name} primary key`).toBe(true);
      for (const unique of [...model.uniqueFields, ...model.fields.filter((f) => f.isUnique).map((f) => [f.name])]) {
        expect(has(table, unique.map(column), 'unique'), `${model.name} unique ${unique.join(',')}`).toBe(true);
      }
      for (const relation of model.fields.filter((f) => f.kind === 'object' && f.relationFromFields?.length)) {
        const target = dmmf.datamodel.models.find((m) => m.name === relation.type)!;
        const columns = relation.relationFromFields!.map(column);
        expect(
          foreignKeys.some(
            (fk) =>
              fk.table === table &&
              fk.target === (target.dbName ?? target.name) &&
              fk.columns.join(',') === columns.join(','),
          ),
          `${model.name}.${relation.name} foreign key`,
        ).toBe(true);
      }
    }
  });
});

describe('the migrator', () => {
  it('records each migration with the sha256 of its file, like prisma migrate', async () => {
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    const files = readMigrations();
    expect(rows.map((r) => r.migration_name)).toEqual(files.map((f) => f.name));
    expect(rows[0]!.checksum).toBe(createHash('sha256').update(files[0]!.sql).digest('hex'));
  });

  it('applies nothing the second time, and two runs at once do not interleave', async () => {
    expect(await migrate(url)).toEqual([]);
    const both = await Promise.all([migrate(url), migrate(url)]);
    expect(both).toEqual([[], []]);
  });

  it('refuses to run when an applied migration file was changed, and changes nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refgraph-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    const first = readMigrations(dir)[0]!;
    appendFileSync(join(dir, first.name, 'migration.sql'), '\n-- edited\n');
    await expect(migrate(url, dir)).rejects.toThrow(/was changed after it was applied/);
    const { rows } = await client.query('SELECT count(*)::int AS n FROM "_prisma_migrations"');
    expect(rows[0].n).toBe(readMigrations().length);
  });

  it('rolls back a failing migration entirely', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'refgraph-migrations-'));
    cpSync(MIGRATIONS_DIR, dir, { recursive: true });
    mkdirSync(join(dir, '29990101000000_broken'));
    writeFileSync(
      join(dir, '29990101000000_broken', 'migration.sql'),
      'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n',
    );
    await expect(migrate(url, dir)).rejects.toThrow(
      /migration 29990101000000_broken failed: relation "no_such_table" does not exist/,
    );
    const { rows } = await client.query(`SELECT to_regclass('public.half_done') AS t`);
    expect(rows[0].t).toBeNull();
  });
});
