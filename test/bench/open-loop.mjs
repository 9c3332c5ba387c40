// Open-loop load for `npm run bench`: sends requests at a fixed rate whether or not earlier ones
// were answered, and counts each latency from the time the request was due, not from when it
// went out, so a slow server cannot hide its queue (coordinated omission). wrk cannot do this.
// Usage: node open-loop.mjs <base url> <request file (see wrk/replay.lua)> <requests/s> <seconds> [warm-up seconds]
// The warm-up runs at the same rate just before, and is not counted: a server's first seconds at a
// new load (connections opened, statements planned on each) are start-up, not its latency.
// Prints one "OPENLOOP {json}" line.
import { readFileSync } from 'node:fs';
import http from 'node:http';

const [base, file, rateArg, secondsArg, warmupArg = '0'] = process.argv.slice(2);
const url = new URL(base);
const rate = Number(rateArg);
const seconds = Number(secondsArg);
/** How long to wait for answers after the last request was due. */
const DRAIN_MS = 15_000;

const lines = readFileSync(file, 'utf8').split('\n');
const templateCount = Number(lines[0]);
const templates = lines.slice(1, 1 + templateCount).map((line) => {
  const [path, head, tail] = line.split('\t');
  return { path, head, tail };
});
const requests = lines
  .slice(1 + templateCount)
  .filter((line) => line.length > 0)
  .map((line) => {
    const tab = line.indexOf('\t');
    const template = templates[Number(line.slice(0, tab)) - 1];
    return { path: template.path, body: Buffer.from(`${template.head}${line.slice(tab + 1)}${template.tail}`) };
  });

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const warmup = Math.round(rate * Number(warmupArg));
const total = warmup + Math.round(rate * seconds);
const interval = 1000 / rate;
const latencies = new Float64Array(total).fill(-1);
let sent = 0;
let completed = 0;
let errors = 0;
const start = performance.now() + 50;
const due = (i) => start + i * interval;

function finish() {
  const now = performance.now();
  let unfinished = 0;
  for (let i = 0; i < total; i++) {
    if (latencies[i] < 0) {
      latencies[i] = now - due(i);
      unfinished += 1;
    }
  }
  const sorted = Array.from(latencies.subarray(warmup)).sort((a, b) => a - b);
  const at = (p) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] * 100) / 100;
  const result = {
    rate,
    sent: sent - warmup,
    completed: completed - warmup,
    warmup,
    p50Ms: at(50),
    p99Ms: at(99),
    maxMs: at(100),
    errors,
    unfinished,
  };
  process.stdout.write(`OPENLOOP ${JSON.stringify(result)}\n`);
  agent.destroy();
  process.exit(0);
}

function answered(i, failed) {
  latencies[i] = performance.now() - due(i);
  completed += 1;
  if (failed) errors += 1;
  if (completed === total) finish();
}

function send(i) {
  const request = requests[i % requests.length];
  const outgoing = http.request(
    {
      host: url.hostname,
      port: url.port,
      path: request.path,
      method: 'POST',
      agent,
      headers: {
        'content-type': 'application/json',
        accept: 'application/json',
        'content-length': request.body.length,
      },
    },
    (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () => answered(i, response.statusCode !== 200 || Buffer.concat(chunks).includes('"errors"')));
    },
  );
  outgoing.on('error', () => answered(i, true));
  outgoing.end(request.body);
}

function tick() {
  const now = performance.now();
  while (sent < total && due(sent) <= now) send(sent++);
  if (sent < total) setTimeout(tick, Math.max(0, due(sent) - performance.now()));
  else setTimeout(finish, DRAIN_MS);
}

setTimeout(tick, 50);
