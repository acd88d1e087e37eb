export { loadConfig, RunnerConfig, type RunnerPaths } from './config.js';
export { type DynsecAcl, DynsecClient, DynsecCommandError, type DynsecResponse } from './dynsec-client.js';
export { createServers, down, reset, ServerStartError, status, up } from './infra.js';
export { readLocalEnvironment, repositoryRoot, writeLocalEnvironment } from './local-environment.js';
export type { NativeServer, ServerStatus } from './native-server.js';
export { isAlive, runningPid, stopDaemon } from './process-supervisor.js';
export { ensureSecrets, LocalSecrets, readSecrets } from './secrets.js';
export { INFLUX_DATABASE } from './servers/influxdb.js';
export { MQTT_MAX_PACKET_BYTES } from './servers/mosquitto.js';
