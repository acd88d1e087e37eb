import { randomBytes } from 'node:crypto';
import { deviceUplinkTopic } from '@terrapulse/contracts';
import { type ApplyResult, applyTransition } from '../../commands/apply-transition.js';
import { canSeeTenant } from '../../domain/access.js';
import type { LifecycleEvent } from '../../domain/lifecycle.js';
import type { Principal } from '../../ports/actor.js';
import type { AuditAction } from '../../ports/audit-log.js';
import { ApiError, parseOr400 } from '../errors.js';
import type { RouteContext, RouteModule } from '../route-context.js';
import { DeviceIdParams, DeviceView, ProvisionResponse, ReasonBody } from '../schemas/device.js';
import { viewOf } from './devices.js';

/** 144 random bits, URL-safe: fits any MQTT client's password field. */
const newPassword = (): string => randomBytes(18).toString('base64url');

function unwrap(result: ApplyResult) {
  if (result.ok) return result;
  throw new ApiError(result.code, result.reason);
}

async function apply(
  ctx: RouteContext,
  principal: Principal,
  id: string,
  event: LifecycleEvent,
  action: AuditAction,
  beforeCommit?: () => Promise<void>,
) {
  const result = unwrap(
    await applyTransition({
      store: ctx.store,
      deviceId: id,
      event,
      actor: principal,
      action,
      visible: (d) => canSeeTenant(principal, d.tenant),
      ...(beforeCommit ? { beforeCommit } : {}),
      now: ctx.now,
    }),
  );
  ctx.metrics.lifecycleChanges.inc({ action });
  return result;
}

export const lifecycleRoutes: RouteModule = (app, ctx) => {
  const transitionDoc = (path: string, summary: string, body = true) =>
    ctx.openapi.add({
      method: 'post',
      path: `/api/v1/devices/{id}/${path}`,
      tag: 'lifecycle',
      summary,
      params: DeviceIdParams,
      ...(body ? { body: ReasonBody } : {}),
      responses: {
        200: { description: 'Done', schema: DeviceView },
        404: { description: 'Unknown' },
        409: { description: 'Not allowed from the current state (the message says why)' },
        503: { description: 'Mosquitto or Redis unreachable; nothing changed' },
      },
    });

  ctx.openapi.add({
    method: 'post',
    path: '/api/v1/devices/{id}/provision',
    tag: 'lifecycle',
    summary: 'Issue MQTT credentials (or rotate them); the password is shown once',
    params: DeviceIdParams,
    responses: {
      202: { description: 'Credentials issued; a job applies them', schema: ProvisionResponse },
      404: { description: 'Unknown' },
      409: { description: 'Suspended or decommissioned' },
    },
  });
  app.post('/api/v1/devices/:id/provision', async (request, reply) => {
    const { principal, id } = ctx.deviceRequest(request, 'write');
    const password = newPassword();
    let jobId = '';
    const result = await apply(ctx, principal, id, { type: 'provision' }, 'device.provision', async () => {
      jobId = await ctx.provision.enqueue(id, password, principal);
    });
    reply.code(202);
    return {
      device: result.record,
      credentials: {
        username: id,
        password,
        topics: { json: deviceUplinkTopic(id, 'json'), senml: deviceUplinkTopic(id, 'senml') },
      },
      jobId,
    };
  });

  /** suspend and decommission: an operator's reason, a Mosquitto change before the record's. */
  const withReason = (
    type: 'suspend' | 'decommission',
    summary: string,
    onBroker: (id: string) => Promise<unknown>,
  ) => {
    transitionDoc(type, summary);
    app.post(`/api/v1/devices/:id/${type}`, async (request) => {
      const { principal, id } = ctx.deviceRequest(request, 'write');
      const { reason } = parseOr400(ReasonBody, request.body, 'body');
      const result = await apply(ctx, principal, id, { type, reason }, `device.${type}`, async () => {
        await onBroker(id);
      });
      return viewOf(ctx, result.record);
    });
  };

  withReason('suspend', 'Revoke MQTT access at once (disconnects the device)', (id) =>
    ctx.access.disable(id),
  );

  transitionDoc('resume', 'Give a suspended device its MQTT access back', false);
  app.post('/api/v1/devices/:id/resume', async (request) => {
    const { principal, device } = await ctx.requestedDevice(request, 'write');
    const id = device.deviceId;
    if (device.state !== 'suspended')
      throw new ApiError('conflict', `device ${id} is ${device.state}, not suspended`);
    const hasCredentials = await ctx.access.enable(id);
    const result = await apply(ctx, principal, id, { type: 'resume', hasCredentials }, 'device.resume');
    return viewOf(ctx, result.record);
  });

  withReason('decommission', 'Remove MQTT credentials for good (data is kept); final', (id) =>
    ctx.access.revoke(id),
  );
};
