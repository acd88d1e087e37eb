import type { DeviceRecord } from '@terrapulse/contracts';
import type { Logger } from '@terrapulse/service-kit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { canSeeTenant, type Permission } from '../domain/access.js';
import type { ProvisionJobs } from '../jobs/provision-job.js';
import type { QueueFactory } from '../jobs/queue-factory.js';
import type { RegistryMetrics } from '../metrics.js';
import type { Principal } from '../ports/actor.js';
import type { AuditLog } from '../ports/audit-log.js';
import type { DeviceHealthSource } from '../ports/device-health.js';
import type { DeviceStore } from '../ports/device-store.js';
import type { MqttAccess } from '../ports/mqtt-access.js';
import type { TokenStore } from '../ports/token-store.js';
import { principalOf } from './auth.js';
import { notFound, parseOr400 } from './errors.js';
import type { OpenApiRegistry } from './openapi.js';
import { DeviceIdParams } from './schemas/device.js';

/** What every route module receives: the ports, the jobs and a few helpers. */
export interface RouteContext {
  readonly store: DeviceStore;
  readonly audit: AuditLog;
  readonly tokens: TokenStore;
  readonly access: MqttAccess;
  readonly provision: ProvisionJobs;
  readonly queues: QueueFactory;
  readonly health: DeviceHealthSource;
  readonly logger: Logger;
  readonly metrics: RegistryMetrics;
  readonly openapi: OpenApiRegistry;
  readonly now: () => Date;
  /** The authenticated caller, checked for a permission (401/403 otherwise). */
  principal(request: FastifyRequest, permission?: Permission): Principal;
  /** A device the caller may see, or a 404 (another tenant's device does not exist for them). */
  visibleDevice(principal: Principal, deviceId: string): Promise<DeviceRecord>;
  /** The preamble of a `/devices/:id/...` route: the caller (checked) and the id (400 if malformed). */
  deviceRequest(request: FastifyRequest, permission: Permission): { principal: Principal; id: string };
  /** deviceRequest, then the device itself as the caller may see it (404 otherwise). */
  requestedDevice(
    request: FastifyRequest,
    permission: Permission,
  ): Promise<{ principal: Principal; device: DeviceRecord }>;
}

/** A route module (devices, tokens, and A2's imports and health): registers routes and their docs. */
export type RouteModule = (app: FastifyInstance, ctx: RouteContext) => void | Promise<void>;

type RouteHelpers = Pick<RouteContext, 'principal' | 'visibleDevice' | 'deviceRequest' | 'requestedDevice'>;

export function routeHelpers(store: DeviceStore): RouteHelpers {
  async function visibleDevice(principal: Principal, deviceId: string): Promise<DeviceRecord> {
    const device = await store.get(deviceId);
    if (device === undefined || !canSeeTenant(principal, device.tenant)) throw notFound(`device ${deviceId}`);
    return device;
  }
  function deviceRequest(request: FastifyRequest, permission: Permission) {
    const principal = principalOf(request, permission);
    const { id } = parseOr400(DeviceIdParams, request.params, 'device id');
    return { principal, id };
  }
  return {
    principal: principalOf,
    visibleDevice,
    deviceRequest,
    async requestedDevice(request, permission) {
      const { principal, id } = deviceRequest(request, permission);
      return { principal, device: await visibleDevice(principal, id) };
    },
  };
}
