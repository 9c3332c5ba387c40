import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// .ci/run sets REFGRAPH_TEST_REPORT to collect a JSON report next to the usual output.
const report = process.env.REFGRAPH_TEST_REPORT;

export default defineConfig({
  resolve: {
    // graphql 16 ships CommonJS and ESM builds. Node (and so Yoga and Pothos) loads the CommonJS
    // one; without this alias Vite would give our sources the ESM one, and a GraphQLError from
    // one copy is not an instanceof the other (Yoga would then mask our expected errors).
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    reporters: report ? ['default', ['json', { outputFile: report }]] : ['default'],
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    // Each file gets its own database cloned from a migrated template, so files run in parallel.
    pool: 'forks',
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Servers the tests start never seed the official data (slow); the seeding test turns it on.
    env: { NODE_ENV: 'test', SEED_OFFICIAL_DATA: 'false' },
  },
});
