import { z } from 'zod';

/**
 * The parts of Grafana's dashboard JSON model (schemaVersion 3x-4x, the classic model file
 * provisioning loads) that Grafana needs to load a dashboard and run its panels. Written from
 * Grafana's documented model, independently of the foundation SDK that generates the JSON.
 */

const DataSourceRef = z.object({ type: z.string().min(1), uid: z.string().min(1) });

const GridPos = z.object({
  x: z.int().min(0).max(23),
  y: z.int().min(0),
  w: z.int().min(1).max(24),
  h: z.int().min(1),
});

export const InfluxQlTarget = z.object({
  refId: z.string().regex(/^[A-Z]$/),
  datasource: DataSourceRef,
  rawQuery: z.literal(true),
  query: z.string().min(1),
  resultFormat: z.enum(['time_series', 'table']),
  alias: z.string().min(1).optional(),
});

const PanelBase = z.object({
  id: z.int().positive(),
  type: z.string().min(1),
  title: z.string().min(1),
  gridPos: GridPos,
});

export const DataPanel = PanelBase.extend({
  type: z.enum(['timeseries', 'stat', 'bargauge', 'table', 'barchart']),
  description: z.string().min(1),
  datasource: DataSourceRef,
  targets: z.array(InfluxQlTarget).min(1),
  fieldConfig: z.object({
    defaults: z.object({ unit: z.string().min(1) }).loose(),
    overrides: z.array(z.unknown()),
  }),
  options: z.record(z.string(), z.unknown()),
  interval: z
    .string()
    .regex(/^\d+[smhd]$/)
    .optional(),
});

export const RowPanel = PanelBase.extend({
  type: z.literal('row'),
  collapsed: z.boolean(),
  panels: z.array(DataPanel),
});

export const QueryVariable = z.object({
  type: z.literal('query'),
  name: z.string().regex(/^\w+$/),
  label: z.string().min(1),
  datasource: DataSourceRef,
  query: z.string().min(1),
  definition: z.string().min(1),
  refresh: z.union([z.literal(1), z.literal(2)]),
  multi: z.boolean(),
  includeAll: z.boolean(),
  allValue: z.string().optional(),
  current: z.object({
    text: z.union([z.string(), z.array(z.string())]),
    value: z.union([z.string(), z.array(z.string())]),
  }),
});

export const GrafanaDashboard = z.object({
  uid: z.string().regex(/^[a-zA-Z0-9_-]{1,40}$/),
  title: z.string().min(1),
  schemaVersion: z.int().min(36),
  editable: z.boolean(),
  timezone: z.string().min(1),
  tags: z.array(z.string()),
  time: z.object({ from: z.string().min(1), to: z.string().min(1) }),
  templating: z.object({ list: z.array(QueryVariable) }),
  annotations: z.object({ list: z.array(z.unknown()) }),
  panels: z.array(z.union([RowPanel, DataPanel])).min(1),
});
export type GrafanaDashboard = z.infer<typeof GrafanaDashboard>;
export type GrafanaPanel = GrafanaDashboard['panels'][number];
