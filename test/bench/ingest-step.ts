// One step of `npm run bench:ingest`, run in a process of its own so that its peak memory is what
// a user's `refgraph ingest` process would use: load a file (or a folder) into the database at
// the given URL, then print one JSON line with seconds, peak RSS and what happened.
import { performance } from 'node:perf_hooks';
import { ingestDirectory } from '../../src/cli/ingest.js';
import { loadFile } from '../../src/ingest/load-release.js';

async function main(): Promise<void> {
  const [url, mode, target] = process.argv.slice(2);
  if (!url || (mode !== 'file' && mode !== 'dir') || !target)
    throw new Error('usage: ingest-step.ts <database url> file|dir <path>');
  const rssBefore = process.memoryUsage.rss();
  const started = performance.now();
  let detail: string;
  if (mode === 'file') {
    const s = await loadFile(url, target);
    detail =
      s.status === 'loaded'
        ? `loaded: ${s.records} records, ${s.added} added, ${s.changed} changed, ${s.unchanged} unchanged`
        : s.status;
  } else {
    const summaries = await ingestDirectory(url, target, { tty: false, write: () => {} });
    const loaded = summaries.filter((s) => s.status === 'loaded');
    detail = `${loaded.length} releases loaded (${loaded.reduce((n, s) => n + s.records, 0)} records), ${summaries.length - loaded.length} files already loaded`;
  }
  const seconds = Math.round(performance.now() - started) / 1000;
  process.stdout.write(
    `${JSON.stringify({ seconds, rssBeforeMb: Math.round(rssBefore / 1048576), peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), detail })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
