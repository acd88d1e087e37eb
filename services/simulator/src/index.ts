// The simulator as a library: for integration tests, the orchestrator (`npm start`) and benchmarks.
export { DynsecAccessAdmin } from './adapters/dynsec/dynsec-access-admin.js';
export { CredentialsFile } from './adapters/file/credentials-file.js';
export { JsonlLedgerFile } from './adapters/file/jsonl-ledger-file.js';
export { writeSeedFile } from './adapters/file/seed-file.js';
export { KafkaRegistrySink, type RecordProducer } from './adapters/kafka/kafka-registry-sink.js';
export { LeanMqttConnector, type LeanMqttConnectorOptions } from './adapters/mqtt/lean-mqtt-connector.js';
export {
  MqttDeviceConnector,
  type MqttDeviceConnectorOptions,
} from './adapters/mqtt/mqtt-device-connector.js';
export {
  createSimulator,
  type Simulator,
  type SimulatorDeps,
  type SimulatorSummary,
  type SimulatorTask,
} from './app.js';
export { type CliOptions, parseCliArgs } from './cli-options.js';
export { loadConfig, type SimulatorConfig } from './config.js';
export { type FaultRate, type FaultSpec, parseFaultSpec } from './domain/faults.js';
export { type ExpectedOutcome, FAULT_KINDS, type FaultKind, type LedgerEntry } from './domain/ledger.js';
export { createReadingGenerator, readingsAt, readingsPerTick } from './domain/profiles.js';
export { replayGrid, replayReadings } from './domain/schedule.js';
export { buildTerritory, type Site, type Territory, type TerritoryOptions } from './domain/territory.js';
export type { DeviceProfile, SimDevice, SimReading, Tick } from './domain/types.js';
export {
  deprovisionFleet,
  deviceRoleName,
  type ProvisionOptions,
  type ProvisionResult,
  provisionFleet,
} from './engine/provision-fleet.js';
export { publishRegistry, registryRecords } from './engine/publish-registry.js';
export type { TimeMode } from './engine/run-plan.js';
export { runSimulation, type SimulationOptions, type SimulationRun } from './engine/simulation.js';
export type { SimulationStats } from './engine/stats.js';
export { FleetConnectError, PublishError } from './errors.js';
export { createSimulatorMetrics, type SimulatorMetrics } from './metrics.js';
export type { CredentialStore } from './ports/credential-store.js';
export type { DeviceConnection, DeviceConnector, DeviceCredentials } from './ports/device-connector.js';
export type { LedgerSink } from './ports/ledger-sink.js';
export type { AccessRule, MqttAccessAdmin } from './ports/mqtt-access-admin.js';
export type { RegistrySink } from './ports/registry-sink.js';
