import type { Logger } from '@terrapulse/service-kit';
import {
  deviceStatus,
  deviceStatusPoint,
  fleetCounts,
  fleetPoint,
  type MeasurementNames,
  pipelineLagPoint,
} from './domain/index.js';
import type { AggregateReader, DeviceCatalog, LagProbe, PointWriter } from './ports/index.js';

export interface FleetSnapshotDeps {
  readonly devices: DeviceCatalog;
  readonly reader: Pick<AggregateReader, 'lastSeen'>;
  readonly writer: PointWriter;
  readonly names: MeasurementNames;
  readonly silenceFactor: number;
  readonly lastSeenLookbackMs: number;
  readonly logger: Logger;
}

/** Floors an instant to its period, so a retried snapshot lands on the same points. */
export function snapshotTime(now: number, periodMs: number): number {
  return now - (now % periodMs);
}

/** fleet_devices and device_status at `time` from the registry and the last stored readings. */
export async function writeFleetSnapshot(
  deps: FleetSnapshotDeps,
  now: number,
  time: number,
): Promise<number> {
  const records = [...deps.devices.all()];
  const seen = await deps.reader.lastSeen(now, deps.lastSeenLookbackMs);
  const points = [
    ...fleetCounts(records).map((c) => fleetPoint(deps.names, c, time)),
    ...records.map((r) =>
      deviceStatusPoint(deps.names, deviceStatus(r, seen.get(r.deviceId), now, deps.silenceFactor), time),
    ),
  ];
  await deps.writer.write(points);
  deps.logger.debug('fleet snapshot written', { devices: records.length, time });
  return records.length;
}

export interface LagSnapshotDeps {
  readonly probe: LagProbe;
  readonly writer: PointWriter;
  readonly names: MeasurementNames;
}

/** pipeline_lag at `time`, one point per consumer group and topic. */
export async function writeLagSnapshot(deps: LagSnapshotDeps, time: number): Promise<number> {
  const lags = await deps.probe.lags();
  await deps.writer.write(lags.map((l) => pipelineLagPoint(deps.names, l, time)));
  return lags.length;
}
