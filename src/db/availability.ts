// Whether PostgreSQL accepts new connections, from a fresh connection opened every second.
//
// The pool's connections cannot tell: when Postgres is asked to shut down in "smart" mode (SIGTERM
// to the postmaster) it refuses new sessions but waits, without a word to them, for the existing
// ones to end. A gateway that keeps its pool and its LISTEN connection open holds it up forever
// while /ready still says 200. So readiness asks this probe, and when Postgres starts refusing,
// serve lets go of every connection it holds (see src/cli/serve.ts).
import pg from 'pg';

export interface AvailabilityProbe {
  /** False once a probe was refused or failed, until one succeeds again. */
  accepting(): boolean;
  stop(): void;
}

export interface AvailabilityOptions {
  intervalMs?: number;
  /** Called when Postgres stops accepting new connections (shutting down, starting up, gone). */
  onRefusing(reason: string): void;
  /** Called when it accepts them again. */
  onAccepting(): void;
}

export function probeAvailability(
  connectionString: string,
  { intervalMs = 1_000, onRefusing, onAccepting }: AvailabilityOptions,
): AvailabilityProbe {
  let accepting = true;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const probe = async () => {
    const client = new pg.Client({
      connectionString,
      connectionTimeoutMillis: Math.max(intervalMs, 1_000),
      query_timeout: Math.max(intervalMs, 1_000),
    });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query('SELECT 1');
      if (!accepting && !stopped) {
        accepting = true;
        onAccepting();
      }
    } catch (error) {
      if (accepting && !stopped) {
        accepting = false;
        onRefusing((error as Error).message);
      }
    } finally {
      await client.end().catch(() => {});
    }
  };

  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      probe().finally(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();

  return {
    accepting: () => accepting,
    stop: () => {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}
