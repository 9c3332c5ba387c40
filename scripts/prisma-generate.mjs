// Generates the Prisma client and Pothos types on install (they are never committed).
// `prisma generate` only checks that the native engines exist; it does not run them. Where they
// cannot be downloaded (offline machines), point both variables at an existing file.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';

const require = createRequire(import.meta.url);
const env = { ...process.env };
const placeholder = require.resolve('prisma/package.json');
for (const name of ['PRISMA_SCHEMA_ENGINE_BINARY', 'PRISMA_QUERY_ENGINE_LIBRARY']) {
  if (!env[name] || !existsSync(env[name])) env[name] = placeholder;
}
// The Pothos generator is an npm bin; put ours on PATH when run outside npm scripts.
env.PATH = [join(process.cwd(), 'node_modules', '.bin'), env.PATH].join(delimiter);
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], { env, stdio: 'inherit' });
process.exit(result.status ?? 1);
