// Files that ship beside the code (migrations, seed data) are found from the project root, the
// nearest folder with a package.json: the same code then reads them whether it runs from src/
// (tsx, tests) or bundled into dist/main.js (`npm run build`), where paths relative to the source
// file would point elsewhere.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findProjectRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}: cannot find refgraph's project files`);
  }
}

const PROJECT_ROOT = findProjectRoot(dirname(fileURLToPath(import.meta.url)));

/** A path inside the project, e.g. `projectFile('prisma', 'migrations')`. */
export function projectFile(...segments: string[]): string {
  return join(PROJECT_ROOT, ...segments);
}
