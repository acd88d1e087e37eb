import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { energyDashboard } from './dashboards/energy.js';
import { mobilityDashboard } from './dashboards/mobility.js';
import { pipelineHealthDashboard } from './dashboards/pipeline-health.js';
import { territoryOverview } from './dashboards/territory-overview.js';
import { waterDashboard } from './dashboards/water.js';

/** Every Terrapulse dashboard, in the order of the provisioned folder. */
export function buildDashboards(): Dashboard[] {
  return [
    territoryOverview(),
    energyDashboard(),
    waterDashboard(),
    mobilityDashboard(),
    pipelineHealthDashboard(),
  ];
}
