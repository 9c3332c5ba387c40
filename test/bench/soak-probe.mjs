// Preloaded into the soak bench's server (`node --expose-gc --import ./test/bench/soak-probe.mjs`):
// on the bench's request over the IPC channel it collects garbage and answers with
// process.memoryUsage(), so the bench can tell a leak (live heap grows) from a heap that settles.
if (process.send && typeof globalThis.gc === 'function') {
  process.on('message', (message) => {
    if (message !== 'memory') return;
    globalThis.gc();
    globalThis.gc();
    process.send({ memory: process.memoryUsage() });
  });
  // The channel must not keep the server alive once it is asked to stop.
  process.channel?.unref();
}
