// The refgraph command line (commander). Each subcommand lives in its own module; this file only
// wires them up. It never exits the process: main.ts does.
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { createLogger } from '../logger.js';
import { registerBriefCommand } from './brief.js';
import { registerIngestCommands } from './ingest.js';
import { registerKeyCommands } from './keys.js';
import { migrateCommand } from './migrate.js';
import { runPostgres } from './postgres.js';
import { serve } from './serve.js';

export interface ProgramHooks {
  /** Aborted (with the signal's name) when the process is asked to stop; main.ts listens for the signals. */
  stopSignal(): AbortSignal;
}

export function buildProgram(hooks: ProgramHooks): Command {
  const program = new Command('refgraph')
    .description('GraphQL gateway for US healthcare billing reference data')
    .showHelpAfterError();

  program
    .command('serve', { isDefault: true })
    .description('serve GraphQL at http://localhost:$PORT/graphql (embedded PostgreSQL unless DATABASE_URL is set)')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const server = await serve(config, logger, hooks.stopSignal());
      await server.stopped;
    });

  program
    .command('postgres')
    .description(
      'run the embedded PostgreSQL of DATA_DIR alone on POSTGRES_PORT, migrated and seeded, and print DATABASE_URL=... for gateways',
    )
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      await runPostgres(config, logger, hooks.stopSignal());
    });

  program
    .command('migrate')
    .description('apply pending database migrations')
    .action(async () => {
      const config = loadConfig();
      const logger = createLogger(config.logLevel);
      const applied = await migrateCommand(config, logger);
      process.stdout.write(applied.length ? `applied: ${applied.join(', ')}\n` : 'database is up to date\n');
    });

  program
    .command('print-schema')
    .description('print the GraphQL SDL (the file committed as schema/schema.graphql)')
    .option('-o, --out <file>', 'write to a file instead of standard output')
    .action(async (options: { out?: string }) => {
      const { printedSchema } = await import('../graphql/print-schema.js');
      if (options.out) writeFileSync(options.out, printedSchema());
      else process.stdout.write(printedSchema());
    });

  registerIngestCommands(program);
  registerKeyCommands(program);
  registerBriefCommand(program);

  return program;
}
