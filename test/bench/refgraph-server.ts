// How `npm run bench` runs refgraph: as production does, `node dist/main.js serve` (the compiled
// JS of `npm run build`), configured through the environment only, in one of two modes:
//
//   default  the configuration `refgraph serve` ships with, every cache on; only the rate limit is
//            off (one client address sends all the load)
//   cold     every cache of data or answers off, so each request does all of its work again
//            (what depends on the document alone, such as plans and prepared statements, may stay)
//
// A new cache of data or answers (entities, rows, ...) gets a configuration switch (config.ts and
// .env.example) and adds it to COLD below, so the cold figures keep meaning "nothing cached".
import { readFileSync } from 'node:fs';
import path from 'node:path';

export type RefgraphMode = 'cold' | 'default';

const ROOT = path.resolve(import.meta.dirname, '../..');
export const REFGRAPH_ENTRY = path.join(ROOT, 'dist/main.js');

/** Every switch that turns off a cache of data or answers. */
const COLD: Record<string, string> = {
  RESPONSE_CACHE: 'false',
  ENTITY_CACHE: 'false',
};

const MODES: Record<RefgraphMode, Record<string, string>> = { default: {}, cold: COLD };

/** The variables config.ts reads (as listed in .env.example): none leaks in from the shell running the bench. */
function configVariables(): Set<string> {
  const example = readFileSync(path.join(ROOT, '.env.example'), 'utf8');
  return new Set([...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]!));
}

export interface ServerCommand {
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The command line (after the node binary) and environment of a refgraph bench server. */
export function refgraphServer(mode: RefgraphMode, url: string, port: number, nodeFlags: string[] = []): ServerCommand {
  const ours = configVariables();
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !ours.has(name) && name !== 'NODE_ENV'),
  );
  return {
    args: [...nodeFlags, REFGRAPH_ENTRY, 'serve'],
    env: {
      ...inherited,
      NODE_ENV: 'production',
      DATABASE_URL: url,
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '0',
      // The bench loads its own data.
      SEED_OFFICIAL_DATA: 'false',
      ...MODES[mode],
    },
  };
}
