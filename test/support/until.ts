// Waiting for what a test cannot be told about (a process's state, a metric, a replica catching
// up): polls `check` until it holds, and fails naming what it waited for.

export async function until(
  check: () => Promise<boolean> | boolean,
  what: string,
  ms = 20_000,
  everyMs = 50,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
