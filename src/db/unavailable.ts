// Recognises errors that mean "the database cannot be reached" (as opposed to a bad query), so
// they reach clients as DATABASE_UNAVAILABLE rather than a generic masked error.
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08006',
  'P1001',
  'P1002',
  'P1017',
  'P2024',
]);
const CONNECTION_MESSAGES =
  /connect(ion)? (refused|terminated|timeout|ended)|timeout exceeded when trying to connect|Can't reach database|the database system is (shutting down|starting up)|Connection terminated|terminating connection due to administrator command|Query read timeout|Cannot use a pool after calling end/i;

type ErrorLike = {
  code?: unknown;
  message?: unknown;
  kind?: unknown;
  cause?: unknown;
  originalError?: unknown;
  meta?: { code?: unknown; driverAdapterError?: unknown };
};

/**
 * Looks through the error and everything it wraps: GraphQL's originalError, `cause`, and what
 * Prisma keeps in `meta` (the SQLSTATE of a failed raw query, the driver adapter's own error,
 * e.g. `{ kind: 'ConnectionClosed' }` when the server closed the connection mid-query).
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const seen = new Set<unknown>();
  const pending: unknown[] = [error];
  while (pending.length > 0) {
    const current = pending.pop();
    if (!current || typeof current !== 'object' || seen.has(current)) continue;
    seen.add(current);
    const candidate = current as ErrorLike;
    if (typeof candidate.code === 'string' && CONNECTION_CODES.has(candidate.code)) return true;
    if (typeof candidate.meta?.code === 'string' && CONNECTION_CODES.has(candidate.meta.code)) return true;
    if (candidate.kind === 'DatabaseNotReachable' || candidate.kind === 'ConnectionClosed') return true;
    if (typeof candidate.message === 'string' && CONNECTION_MESSAGES.test(candidate.message)) return true;
    pending.push(candidate.originalError, candidate.cause, candidate.meta?.driverAdapterError);
  }
  return false;
}
