import type { Logger } from '@terrapulse/service-kit';
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { PublishError } from '../../errors.js';
import type { DeviceConnection, DeviceConnector, DeviceCredentials } from '../../ports/device-connector.js';

export interface MqttDeviceConnectorOptions {
  /** Broker URL, e.g. mqtt://127.0.0.1:1883. */
  readonly url: string;
  readonly logger: Logger;
  /** @default 60 */
  readonly keepaliveS?: number;
  /** @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Delay between reconnection attempts after a connection is lost. @default 2000 */
  readonly reconnectPeriodMs?: number;
}

type Ack = (error?: PublishError) => void;

const CLOSE_TIMEOUT_MS = 5_000;
const noTrace = (): void => {};

/**
 * One MQTT 5 connection per device with MQTT.js, client id and username = device id, as a real
 * device would connect. MQTT.js keeps unacknowledged QoS 1 publishes across a reconnection, and
 * this adapter settles their callbacks itself when it closes (MQTT.js does not when it reconnects).
 */
export class MqttDeviceConnector implements DeviceConnector {
  constructor(private readonly options: MqttDeviceConnectorOptions) {}

  async connect(credentials: DeviceCredentials): Promise<DeviceConnection> {
    const connectTimeout = this.options.connectTimeoutMs ?? 10_000;
    const options: IClientOptions = {
      protocolVersion: 5,
      clientId: credentials.deviceId,
      username: credentials.deviceId,
      password: credentials.password,
      clean: true,
      keepalive: this.options.keepaliveS ?? 60,
      connectTimeout,
      reconnectPeriod: this.options.reconnectPeriodMs ?? 2_000,
      resubscribe: false,
      // MQTT.js traces every packet through `debug`; even disabled, that costs ~5% of a publish.
      log: noTrace,
    };
    const client = mqtt.connect(this.options.url, options);
    try {
      await firstConnect(client, connectTimeout);
    } catch (error) {
      client.end(true);
      throw error;
    }
    return new MqttDeviceConnection(credentials.deviceId, client, this.options.logger);
  }
}

function firstConnect(client: MqttClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => settle(new Error(`no CONNACK within ${timeoutMs} ms`)), timeoutMs);
    const onConnect = () => settle();
    const onError = (error: Error) => settle(error);
    const settle = (error?: Error) => {
      clearTimeout(timer);
      client.off('connect', onConnect);
      client.off('error', onError);
      if (error === undefined) resolve();
      else reject(error);
    };
    client.once('connect', onConnect);
    client.once('error', onError);
  });
}

class MqttDeviceConnection implements DeviceConnection {
  private readonly pending = new Set<Ack>();
  private errors = 0;

  constructor(
    readonly deviceId: string,
    private readonly client: MqttClient,
    logger: Logger,
  ) {
    // An emitter without an 'error' listener throws; a lost connection is logged and retried.
    client.on('error', (error) => {
      if (this.errors++ < 3) logger.warn('device connection error', { deviceId, error });
    });
  }

  publish(topic: string, payload: string, onAck: Ack): void {
    let settled = false;
    const ack: Ack = (error) => {
      if (settled) return;
      settled = true;
      this.pending.delete(ack);
      onAck(error);
    };
    this.pending.add(ack);
    this.client.publish(topic, payload, { qos: 1 }, (error) => {
      if (!error) ack();
      else ack(toPublishError(error));
    });
  }

  batch(publishes: () => void): void {
    const stream = this.client.stream;
    if (typeof stream?.cork !== 'function') {
      publishes();
      return;
    }
    stream.cork();
    try {
      publishes();
    } finally {
      process.nextTick(() => stream.uncork());
    }
  }

  isConnected(): boolean {
    return this.client.connected;
  }

  async close(force = false): Promise<void> {
    await new Promise<void>((resolve) => {
      // end() calls back once the socket is closed; a socket already gone may never call back.
      const timer = setTimeout(resolve, CLOSE_TIMEOUT_MS);
      this.client.end(force, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
    for (const ack of [...this.pending]) ack(new PublishError('connection closed before the PUBACK', false));
  }
}

function toPublishError(error: Error): PublishError {
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === 'number' && code >= 0x80
    ? new PublishError(error.message, true, code)
    : new PublishError(error.message, false);
}
