import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      logLevel: 'info',
      nodeEnv: 'development',
    });
    expect(config.dataDir).toMatch(/\/\.data$/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      DATA_DIR: '/tmp/refgraph-data',
      DATABASE_URL: 'postgresql://u:p@db.internal:5432/refgraph',
      LOG_LEVEL: 'warn',
      NODE_ENV: 'production',
    });
    expect(config).toMatchObject({
      port: 8080,
      dataDir: '/tmp/refgraph-data',
      databaseUrl: 'postgresql://u:p@db.internal:5432/refgraph',
      logLevel: 'warn',
      nodeEnv: 'production',
    });
  });

  it('treats empty values as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' })).toMatchObject({ port: 4000, databaseUrl: undefined });
  });

  it('reports every bad value at once, naming each variable', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: '70000', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PORT="70000": must be a whole number from 1 to 65535',
      'DATABASE_URL="mysql://x": must be a postgresql:// URL, e.g. postgresql://user:password@localhost:5432/refgraph',
      'LOG_LEVEL="loud": must be one of trace, debug, info, warn, error, fatal, silent',
    ]);
  });

  it('rejects a port that is not a number', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT="abc": must be a whole number from 1 to 65535/);
  });
});

describe('refgraph serve with a bad configuration', () => {
  it('prints one clear message and exits with status 2', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'serve'], {
      env: { ...process.env, PORT: 'abc', LOG_LEVEL: 'loud', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      'refgraph: Invalid configuration:\n' +
        '  - PORT="abc": must be a whole number from 1 to 65535\n' +
        '  - LOG_LEVEL="loud": must be one of trace, debug, info, warn, error, fatal, silent\n',
    );
  });
});

describe('.env.example', () => {
  it('lists every variable refgraph reads, and no other', async () => {
    const { readFileSync } = await import('node:fs');
    const { CONFIG_VARIABLES } = await import('../src/config.js');
    const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
    const listed = [...example.matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((match) => match[1]);
    expect([...new Set(listed)].sort()).toEqual([...CONFIG_VARIABLES].sort());
  });
});
