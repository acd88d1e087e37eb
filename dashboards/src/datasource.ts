import type { DataSourceRef } from '@grafana/grafana-foundation-sdk/common';

/** uid of the datasource provisioned by provisioning/datasources/terrapulse.yaml. */
export const DATASOURCE_UID = 'terrapulse-influxdb';

/** Every panel, target and variable names this datasource, so an import binds to one place. */
export const DATASOURCE: DataSourceRef = Object.freeze({ type: 'influxdb', uid: DATASOURCE_UID });

/**
 * Time zone days are cut in: the aggregator's and the indicators' (AGGREGATOR_TIMEZONE), so
 * `GROUP BY time(1d)` buckets fall on the same local midnights as the stored daily points.
 */
export const TERRITORY_TIMEZONE = 'Europe/Paris';
