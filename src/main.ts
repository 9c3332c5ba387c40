// The only file that listens for signals or exits the process.
import { ConfigError } from './config.js';
import { buildProgram } from './cli/program.js';
import { StoppedBeforeServing } from './cli/serve.js';

const EXIT_CONFIG = 2;

const program = buildProgram({
  // Only `serve` and `postgres` ask: other commands keep Node's default (a signal ends them; an interrupted
  // load rolls back because its transaction never commits).
  stopSignal() {
    const controller = new AbortController();
    // SIGTERM from a process manager, a container runtime or npm (which forwards it); SIGINT from
    // Ctrl-C (the whole foreground group). A second signal changes nothing: the first one drains.
    for (const signal of ['SIGTERM', 'SIGINT'] as const) {
      process.on(signal, () => {
        if (!controller.signal.aborted) controller.abort(signal);
      });
    }
    return controller.signal;
  },
});

program
  .parseAsync(process.argv)
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    if (error instanceof StoppedBeforeServing) process.exit(0);
    if (error instanceof ConfigError) {
      process.stderr.write(`refgraph: ${error.message}\n`);
      process.exit(EXIT_CONFIG);
    }
    process.stderr.write(`refgraph: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
