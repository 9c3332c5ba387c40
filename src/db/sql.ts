// The little the loader and the diff need from a database connection: run SQL with positional
// parameters. Loads run on a plain `pg` client (Prisma's runtime would add ~75 MB to a load's
// memory for nothing); the GraphQL side runs the same diff SQL through Prisma.
import pg from 'pg';
import type { PrismaClient } from '../generated/prisma/client.js';

export interface Sql {
  query<T>(text: string, ...params: unknown[]): Promise<T[]>;
  /** Returns the number of rows the statement affected. */
  execute(text: string, ...params: unknown[]): Promise<number>;
}

const DATE_OID = 1082;

/** A pg client that returns `date` columns as YYYY-MM-DD text (never shifted by the time zone). */
export function createPgClient(connectionString: string): pg.Client {
  return new pg.Client({
    connectionString,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === DATE_OID
          ? (value: string) => value
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
}

export function pgSql(client: pg.ClientBase): Sql {
  return {
    query: async <T>(text: string, ...params: unknown[]) => (await client.query(text, params)).rows as T[],
    execute: async (text: string, ...params: unknown[]) => (await client.query(text, params)).rowCount ?? 0,
  };
}

export function prismaSql(db: Pick<PrismaClient, '$queryRawUnsafe' | '$executeRawUnsafe'>): Sql {
  return {
    query: <T>(text: string, ...params: unknown[]) => db.$queryRawUnsafe<T[]>(text, ...params),
    execute: (text: string, ...params: unknown[]) => db.$executeRawUnsafe(text, ...params),
  };
}
