// The floor: a minimal HTTP server answering each request with one hand-written SQL statement
// through `pg` (Postgres builds the JSON). `POST /<statement name>` with a JSON array of the
// statement's parameters as the body; the statements are named, so each connection prepares each
// once, as refgraph and PostGraphile do. Usage:
// node floor-server.mjs <port> <database url> <statements.json: { name: text }>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import pg from 'pg';

const [port, connectionString, statementsFile] = process.argv.slice(2);
const statements = JSON.parse(readFileSync(statementsFile, 'utf8'));
const pool = new pg.Pool({ connectionString, max: 10 });

const server = createServer((request, response) => {
  const name = request.url.slice(1);
  const text = statements[name];
  if (!text) {
    response.writeHead(404).end();
    return;
  }
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', async () => {
    try {
      const values = chunks.length ? JSON.parse(Buffer.concat(chunks).toString()) : [];
      const { rows } = await pool.query({ name, text, values });
      response.writeHead(200, { 'content-type': 'application/json' }).end(rows[0].json);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => pool.end().finally(() => process.exit(0)));
