import { z } from 'zod';
import { RecentReading } from '../../domain/device-health.js';
import { parseOr400 } from '../errors.js';
import type { RouteModule } from '../route-context.js';
import { DeviceIdParams } from '../schemas/device.js';
import { DeviceHealth } from '../schemas/device-health.js';

/** The health store's view these routes need (RedisDeviceHealthStore). */
export interface RecentReadingsSource {
  recentReadings(deviceId: string, limit: number): Promise<RecentReading[]>;
}

const ReadingsQuery = z.strictObject({ limit: z.coerce.number().int().min(1).max(100).default(20) });
const ReadingsList = z.object({ items: z.array(RecentReading) }).describe('Last readings, newest first');

/** GET /api/v1/devices/:id/health and /readings; another tenant's device is a 404. */
export function healthRoutes(readings: RecentReadingsSource): RouteModule {
  return (app, ctx) => {
    ctx.openapi.add({
      method: 'get',
      path: '/api/v1/devices/{id}/health',
      tag: 'devices',
      summary: 'Last seen, reading rate against expected, rejections',
      params: DeviceIdParams,
      responses: {
        200: { description: 'Health', schema: DeviceHealth },
        404: { description: 'No such device' },
      },
    });
    app.get('/api/v1/devices/:id/health', async (request) => {
      const { device } = await ctx.requestedDevice(request, 'read');
      return ctx.health.get(device);
    });

    ctx.openapi.add({
      method: 'get',
      path: '/api/v1/devices/{id}/readings',
      tag: 'devices',
      summary: 'Last valid readings of a device (the registry keeps the last 20), newest first',
      params: DeviceIdParams,
      query: ReadingsQuery,
      responses: {
        200: { description: 'Readings', schema: ReadingsList },
        404: { description: 'No such device' },
      },
    });
    app.get('/api/v1/devices/:id/readings', async (request) => {
      const { limit } = parseOr400(ReadingsQuery, request.query, 'query');
      const { device } = await ctx.requestedDevice(request, 'read');
      return { items: await readings.recentReadings(device.deviceId, limit) };
    });
  };
}
