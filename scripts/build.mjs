// `npm run build`: compiles src/ to dist/ with esbuild, one .js file per .ts file in the same
// folders, so paths relative to a module (../../prisma/migrations) hold in both. Takes well under
// a second; `npm start` runs it first, so the server always runs what is in src/.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const entryPoints = readdirSync(join(root, 'src'), { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))
  .map((file) => join(root, 'src', file));

await build({
  entryPoints,
  outdir: join(root, 'dist'),
  outbase: join(root, 'src'),
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
});
process.stderr.write(
  `compiled ${entryPoints.length} files to ${relative(process.cwd(), join(root, 'dist')) || 'dist'}/\n`,
);
