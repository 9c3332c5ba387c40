// createYoga(...) and its plugins. Exported as a factory so tests call yoga.fetch in-process.
import { randomUUID } from 'node:crypto';
import { createYoga, maskError, useReadinessCheck, type YogaServerInstance } from 'graphql-yoga';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { prisma } from './db/client.js';
import { readMigrations } from './db/migrator.js';
import { isDatabaseUnavailable } from './db/unavailable.js';
import type { Context } from './graphql/context.js';
import { databaseUnavailable, labelArgumentError } from './graphql/errors.js';
import { GRAPHIQL_HEADERS, GRAPHIQL_TABS, PROFILE_QUERY } from './graphql/graphiql-examples.js';
import { schema } from './graphql/schema.js';
import type { Logger } from './logger.js';

export interface YogaOptions {
  logger: Logger;
  /** Show error details (development only). */
  development?: boolean;
}

export type RefgraphYoga = YogaServerInstance<Record<string, never>, Context>;

export function createRefgraphYoga({ logger, development = false }: YogaOptions): RefgraphYoga {
  const expectedMigrations = readMigrations().map((m) => m.name);
  return createYoga<Record<string, never>, Context>({
    schema,
    graphqlEndpoint: '/graphql',
    healthCheckEndpoint: '/health',
    landingPage: false,
    renderGraphiQL,
    graphiql: {
      title: 'refgraph',
      defaultQuery: PROFILE_QUERY,
      // Example tabs (a profile, a search, a coverage summary, a code as of 2019); the header
      // editor starts with an empty x-api-key for the analyst's key.
      defaultTabs: GRAPHIQL_TABS,
      headers: GRAPHIQL_HEADERS,
      defaultEditorToolsVisibility: 'headers',
    },
    logging: {
      debug: (...args) => logger.debug(args.map(String).join(' ')),
      info: (...args) => logger.info(args.map(String).join(' ')),
      warn: (...args) => logger.warn(args.map(String).join(' ')),
      error: (...args) => logger.error(args.map(String).join(' ')),
    },
    maskedErrors: {
      isDev: development,
      maskError: (error, message, isDev) => {
        if (isDatabaseUnavailable(error)) return databaseUnavailable();
        const argumentError = labelArgumentError(error);
        if (argumentError) return argumentError;
        logger.error({ err: error }, 'unexpected error while executing a request');
        return maskError(error, message, isDev);
      },
    },
    context: ({ request }): Context => ({
      requestId: request.headers.get('x-request-id') ?? randomUUID(),
    }),
    plugins: [
      useReadinessCheck({
        endpoint: '/ready',
        // Ready only when the database answers and every migration on disk is applied.
        check: async () => {
          try {
            const rows = await prisma().$queryRaw<{ migration_name: string }[]>`
              SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
            const applied = new Set(rows.map((row) => row.migration_name));
            return expectedMigrations.every((name) => applied.has(name));
          } catch (error) {
            logger.warn({ err: error }, 'readiness check failed');
            return false;
          }
        },
      }),
    ],
  });
}
