// docker-compose.yml and the Dockerfile cannot run here (no Docker engine), so their structure is
// checked: the services and how they depend on each other, ports, health checks on /ready, every
// gateway variable one config.ts knows, URLs that name services of the file, and an image that
// runs compiled JavaScript as a non-root user without installing anything at start.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: string | { context: string };
  command?: string | string[];
  entrypoint?: string | string[];
  environment?: Record<string, string>;
  ports?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  init?: boolean;
  configs?: { source: string; target: string }[];
}

const compose = parse(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  configs: Record<string, { content: string }>;
};
const services = compose.services;
const gateways = Object.entries(services).filter(([, service]) => service.build !== undefined);
const text = (value: string | string[] | undefined) => (Array.isArray(value) ? value.join(' ') : (value ?? ''));

describe('docker-compose.yml', () => {
  it('has a PostgreSQL primary, a streaming replica of it, Redis, three gateways and a load balancer', () => {
    expect(Object.keys(services).sort()).toEqual([
      'gateway-1',
      'gateway-2',
      'gateway-3',
      'load-balancer',
      'postgres',
      'postgres-replica',
      'redis',
    ]);
    expect(gateways.map(([name]) => name)).toEqual(['gateway-1', 'gateway-2', 'gateway-3']);
    expect(text(services.postgres!.command)).toContain('wal_level=replica');
    expect(compose.configs['allow-replication']!.content).toMatch(/host replication/);
    // The replica starts from a base backup of the primary, written as a standby (-R), then runs the server.
    const replica = text(services['postgres-replica']!.command);
    expect(replica).toMatch(/pg_basebackup -h postgres .*-R/);
    expect(replica).toMatch(/exec postgres/);
    expect(text(services.redis!.command)).toContain('redis-server');
  });

  it('runs each gateway from the built image (compiled JS, no npm ci at start), with tini forwarding SIGTERM', () => {
    for (const [, gateway] of gateways) {
      expect(gateway.build).toBe('.');
      expect(gateway.image).toBeUndefined();
      // No command or entrypoint of its own: the image's CMD (node dist/main.js serve) runs.
      expect(gateway.command).toBeUndefined();
      expect(gateway.entrypoint).toBeUndefined();
      expect(gateway.init).toBe(true);
      expect(gateway.ports).toBeUndefined();
    }
    expect(readFileSync(path.join(ROOT, 'docker-compose.yml'), 'utf8')).not.toMatch(/npm (ci|install|start)/);
  });

  it('gives the gateways only variables config.ts knows, valid together, naming services of this file', () => {
    for (const [, gateway] of gateways) {
      const environment = gateway.environment!;
      expect(Object.keys(environment).filter((name) => !CONFIG_VARIABLES.includes(name))).toEqual([]);
      const config = loadConfig(environment);
      expect(new URL(config.databaseUrl!).hostname).toBe('postgres');
      expect(config.databaseReplicaUrls.map((url) => new URL(url).hostname)).toEqual(['postgres-replica']);
      expect(new URL(config.redisUrl!).hostname).toBe('redis');
      expect(config.trustProxy).toEqual(['uniquelocal']);
      expect(config.nodeEnv).toBe('production');
      for (const dependency of ['postgres', 'postgres-replica', 'redis'])
        expect(gateway.depends_on?.[dependency]?.condition).toBe('service_healthy');
    }
  });

  it('checks gateway health on /ready, and the balancer sends traffic only to healthy gateways on their PORT', () => {
    for (const [, gateway] of gateways)
      expect(text(gateway.healthcheck!.test)).toContain(`127.0.0.1:${gateway.environment!.PORT}/ready`);
    for (const name of ['postgres', 'postgres-replica'])
      expect(text(services[name]!.healthcheck!.test)).toContain('pg_isready -U refgraph -d refgraph');
    expect(text(services.redis!.healthcheck!.test)).toContain('redis-cli ping');
    const balancer = services['load-balancer']!;
    expect(balancer.ports).toEqual(['4000:80']);
    const nginx = compose.configs[balancer.configs![0]!.source]!.content;
    expect(nginx).toMatch(/listen 80;/);
    for (const [name, gateway] of gateways) {
      expect(nginx).toContain(`server ${name}:${gateway.environment!.PORT}`);
      expect(balancer.depends_on?.[name]?.condition).toBe('service_healthy');
    }
    // The client's address reaches the gateways, which trust it from the balancer only (TRUST_PROXY).
    expect(nginx).toMatch(/X-Forwarded-For \$\$proxy_add_x_forwarded_for/);
  });
});

describe('Dockerfile', () => {
  const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
  const instructions = dockerfile
    .split('\n')
    .filter((line) => line.trim() && !line.trimStart().startsWith('#'))
    .map((line) => line.trim());
  const stages: string[][] = [];
  for (const line of instructions) {
    if (line.startsWith('FROM ')) stages.push([line]);
    else stages.at(-1)!.push(line);
  }
  const final = stages.at(-1)!;

  it('builds in one stage and runs in another, from the same Node line the project supports', () => {
    expect(stages).toHaveLength(2);
    expect(stages[0]![0]).toMatch(/^FROM node:22\S* AS build$/);
    expect(stages[0]!.some((line) => /RUN npm ci\b/.test(line))).toBe(true);
    expect(stages[0]!.some((line) => /npm run build/.test(line))).toBe(true);
    expect(stages[0]!.some((line) => /npm prune --omit=dev/.test(line))).toBe(true);
  });

  it('runs compiled JS as a non-root user, installing nothing at start', () => {
    expect(final.find((line) => line.startsWith('USER '))).toMatch(/^USER (?!root\b|0\b)\S+/);
    expect(final.at(-1)).toBe('CMD ["node", "dist/main.js", "serve"]');
    expect(final.filter((line) => /^RUN\b/.test(line))).toEqual([]);
    expect(final.some((line) => line.startsWith('COPY --from=build /app/dist'))).toBe(true);
    expect(final.find((line) => line.startsWith('HEALTHCHECK'))).toContain('/ready');
  });

  it('copies only files that exist, and keeps the host node_modules out of the build context', () => {
    for (const line of stages[0]!.filter((entry) => entry.startsWith('COPY '))) {
      for (const source of line.split(/\s+/).slice(1, -1))
        expect(existsSync(path.join(ROOT, source)), source).toBe(true);
    }
    const ignored = readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', 'dist', 'src/generated', '.data']) expect(ignored).toContain(entry);
  });
});
