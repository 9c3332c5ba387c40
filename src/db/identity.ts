// Which database this is, as a string that two different databases never share: PostgreSQL's system
// identifier (chosen by initdb, the same on a primary and its physical replicas) and the database's
// name. Keys in a Redis shared by several refgraph deployments carry it, so they never see each
// other's answers.
import pg from 'pg';

export async function readDatabaseIdentity(connectionString: string): Promise<string> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  try {
    const { rows } = await client
      .query<{ system: string | null; database: string }>(
        // pg_control_system() may be refused to roles without pg_read_all_stats; then the server's address stands in.
        `SELECT (SELECT system_identifier::text FROM pg_control_system()) AS system, current_database() AS database`,
      )
      .catch(() =>
        client.query<{ system: string | null; database: string }>(
          `SELECT coalesce(host(inet_server_addr()), 'local') || ':' || current_setting('port') AS system, current_database() AS database`,
        ),
      );
    const { system, database } = rows[0]!;
    return `${system}:${database}`;
  } finally {
    await client.end();
  }
}
