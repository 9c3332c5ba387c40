// The floor: a minimal HTTP server answering each benchmark question with one hand-written SQL
// statement through `pg` (Postgres builds the JSON). Usage:
// node floor-server.mjs <port> <database url> <questions.json: { name: { text, values } }>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import pg from 'pg';

const [port, connectionString, questionsFile] = process.argv.slice(2);
const questions = JSON.parse(readFileSync(questionsFile, 'utf8'));
const pool = new pg.Pool({ connectionString, max: 10 });

const server = createServer(async (request, response) => {
  const question = questions[request.url.slice(1)];
  if (!question) {
    response.writeHead(404).end();
    return;
  }
  try {
    const { rows } = await pool.query(question.text, question.values);
    response.writeHead(200, { 'content-type': 'application/json' }).end(rows[0].json);
  } catch (error) {
    response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
  }
});
server.listen(Number(port), '127.0.0.1', () => process.stdout.write(`listening ${port}\n`));
process.on('SIGTERM', () => pool.end().finally(() => process.exit(0)));
