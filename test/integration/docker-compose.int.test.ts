import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repositoryRoot } from '@terrapulse/infra-runner';
import { AGGREGATOR_NODE_ARGS, pipelineServices } from '@terrapulse/infra-runner/pipeline';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureComposeCli, runCompose } from '../support/compose-cli.js';

// The Docker path cannot run here (no engine), but Compose's own CLI can parse, interpolate and
// validate the file: what a city's operator runs first is checked by the real tool.
const SECRETS: Record<string, string> = {
  MQTT_ADMIN_USERNAME: 'tp-admin',
  MQTT_ADMIN_PASSWORD: 'admin-secret-for-the-test',
  MQTT_BRIDGE_USERNAME: 'tp-bridge',
  MQTT_BRIDGE_PASSWORD: 'bridge-secret-for-the-test',
  INFLUX_USERNAME: 'tp-admin',
  INFLUX_PASSWORD: 'influx-secret-for-the-test',
  REDIS_PASSWORD: 'redis-secret-for-the-test',
  GRAFANA_ADMIN_PASSWORD: 'grafana-secret-for-the-test',
  REGISTRY_ADMIN_TOKEN: 'registry-admin-token-for-the-test-0123456789',
};

interface ComposeModel {
  services: Record<
    string,
    {
      command?: string[];
      environment?: Record<string, string>;
      volumes?: Array<{ type: string; source?: string; target: string }>;
      depends_on?: Record<string, { condition: string }>;
    }
  >;
}

let compose: string;

beforeAll(() => {
  compose = ensureComposeCli();
}, 900_000);

describe('docker-compose.yml', () => {
  it('should be a valid Compose file once every secret is set', () => {
    const run = runCompose(compose, ['config', '--quiet'], SECRETS);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it.each(Object.keys(SECRETS))('should refuse to start without %s, naming it', (name) => {
    const { [name]: _omitted, ...others } = SECRETS;
    const run = runCompose(compose, ['config', '--quiet'], others);
    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain(name);
  });

  it('should run every service from a built entry point, after the topics exist, with the secrets it needs', () => {
    const run = runCompose(compose, ['config', '--format', 'json'], SECRETS);
    expect(run.status).toBe(0);
    const model = JSON.parse(run.stdout) as ComposeModel;
    const services = ['mqtt-bridge', 'validator', 'aggregator', 'influx-writer', 'registry', 'indicators'];
    for (const name of services) {
      const service = model.services[name];
      expect(service, name).toBeDefined();
      // node, its flags, then the script.
      const script = service?.command?.slice(1).find((arg) => !arg.startsWith('-')) ?? '';
      expect(script, name).toMatch(/^(services\/[a-z-]+|infra\/runner)\/dist\/[a-z-]+\.js$/);
      // The image builds every workspace; the entry point must be one the build produces.
      expect(
        existsSync(join(repositoryRoot, script.replace('/dist/', '/src/').replace(/\.js$/, '.ts'))),
        name,
      ).toBe(true);
      expect(service?.depends_on?.['kafka-init']?.condition, name).toBe('service_completed_successfully');
    }
    expect(model.services['kafka-init']?.command?.[1]).toBe('infra/runner/dist/create-topics-cli.js');
    // The flags `npm start` and the tests run each service with.
    for (const spec of pipelineServices(repositoryRoot)) {
      expect(model.services[spec.name]?.command?.slice(1, -1), spec.name).toEqual([...(spec.nodeArgs ?? [])]);
    }
    expect(model.services.aggregator?.command?.slice(1, -1)).toEqual([...AGGREGATOR_NODE_ARGS]);
    expect(model.services.registry?.environment?.REGISTRY_ADMIN_TOKEN).toBe(SECRETS.REGISTRY_ADMIN_TOKEN);
    expect(model.services.registry?.environment?.REDIS_URL).toContain(SECRETS.REDIS_PASSWORD);
    expect(model.services['mqtt-bridge']?.environment?.MQTT_BRIDGE_PASSWORD).toBe(
      SECRETS.MQTT_BRIDGE_PASSWORD,
    );
  });

  it('should mount only files and folders the repository has', () => {
    const run = runCompose(compose, ['config', '--format', 'json'], SECRETS);
    const model = JSON.parse(run.stdout) as ComposeModel;
    const binds = Object.values(model.services).flatMap((s) =>
      (s.volumes ?? []).filter((m) => m.type === 'bind'),
    );
    expect(binds.length).toBeGreaterThan(0);
    for (const bind of binds) expect(existsSync(bind.source ?? ''), bind.source).toBe(true);
  });

  it('should give Grafana the provisioned datasource and the generated dashboards', () => {
    const run = runCompose(compose, ['config', '--format', 'json'], SECRETS);
    const model = JSON.parse(run.stdout) as ComposeModel;
    const mounts = model.services.grafana?.volumes ?? [];
    const dashboards = mounts.find((m) => m.target === '/var/lib/grafana/dashboards/terrapulse');
    expect(dashboards?.source).toBe(join(repositoryRoot, 'dashboards', 'generated'));
    const provider = readFileSync(
      join(repositoryRoot, 'dashboards', 'provisioning', 'dashboards', 'terrapulse.yaml'),
      'utf8',
    );
    expect(provider).toContain('path: /var/lib/grafana/dashboards/terrapulse');
    const datasource = readFileSync(
      join(repositoryRoot, 'dashboards', 'provisioning', 'datasources', 'terrapulse.yaml'),
      'utf8',
    );
    expect(datasource).toContain('uid: terrapulse-influxdb');
    expect(mounts.some((m) => m.target === '/etc/grafana/provisioning/datasources')).toBe(true);
  });
});
