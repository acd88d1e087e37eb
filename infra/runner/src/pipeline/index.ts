export { consumerGroupLag } from './consumer-lag.js';
export { countersFrom, type PipelineCounters, statusLine } from './live-status.js';
export {
  AGGREGATOR_NODE_ARGS,
  DATA_PLANE_NODE_ARGS,
  instanceEnv,
  type PipelineServiceSpec,
  pipelineServices,
} from './pipeline-services.js';
export { type PromSample, parsePrometheusText, sumBy, total } from './prometheus-text.js';
export {
  type ServiceProcess,
  type ServiceProcessSpec,
  scrapeMetrics,
  startServiceProcess,
  stopServiceProcess,
  waitHealthy,
} from './service-process.js';
