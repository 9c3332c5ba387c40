// refgraph as the benchmark runs it: `node --import tsx refgraph-server.ts <port> <database url>
// <cached|uncached> <join|query>`. Same Yoga as `refgraph serve`; the cost limit is raised so a
// page of 50 codes with their coverage fits (the default estimates it above 5,000).
import { createServer } from 'node:http';
import { pino } from 'pino';
import { createPrismaClient, usePrismaClient } from '../../src/db/client.js';
import { watchDataVersion } from '../../src/db/data-version.js';
import type { PrismaClient } from '../../src/generated/prisma/client.js';
import { createRefgraphYoga } from '../../src/yoga.js';

const READS = new Set(['findMany', 'findUnique', 'findFirst', 'findUniqueOrThrow', 'findFirstOrThrow']);

async function main(): Promise<void> {
  const [port, url, cache, strategy] = process.argv.slice(2) as [string, string, 'cached' | 'uncached', 'join' | 'query'];
  const client = createPrismaClient(url, { poolSize: 10 });
  // relationJoins makes 'join' the default; 'query' loads each relation with a statement of its own.
  const db =
    strategy === 'query'
      ? (client.$extends({
          query: {
            $allModels: {
              $allOperations({ operation, args, query }) {
                return query(READS.has(operation) ? { ...(args as object), relationLoadStrategy: 'query' } : args);
              },
            },
          },
        }) as unknown as PrismaClient)
      : client;
  usePrismaClient(db);
  const responseCache = cache === 'cached';
  // As `refgraph serve` does: the data version keys the response cache and the release memo.
  await watchDataVersion(url);
  // As production serve runs it: no N+1 guard, default limits.
  const yoga = createRefgraphYoga({ logger: pino({ level: 'silent' }), responseCache, strictQueries: false });
  const server = createServer(yoga);
  server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
  process.on('SIGTERM', () => process.exit(0));
}

main().catch((error) => {
  process.stderr.write(`${(error as Error).stack}\n`);
  process.exit(1);
});
