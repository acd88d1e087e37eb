import { bridgeSharedSubscription } from '@terrapulse/contracts';
import type { Logger } from '@terrapulse/service-kit';
import type { AckMode, MqttClientKind } from '../../config.js';
import type { BridgeMetrics } from '../../metrics.js';
import type {
  DeliveryHandler,
  StopSourceOptions,
  UplinkSource,
  UplinkSourceStatus,
} from '../../ports/uplink-source.js';
import {
  BridgeConnection,
  type BridgeConnectionOptions,
  type UplinkConnection,
} from './bridge-connection.js';
import { LeanBridgeConnection } from './lean-bridge-connection.js';

/**
 * Largest packet the bridge accepts from the broker. Above the contract's payload limit on
 * purpose: an oversized uplink the broker let through is still forwarded, so the validator
 * dead-letters it with its bytes; but under Kafka's default message.max.bytes (1 MiB), beyond
 * which forwarding is impossible anyway. MQTT 5 has the broker discard bigger messages for us.
 */
export const MAX_FORWARDED_PACKET_BYTES = 1_000_000;

export interface MqttUplinkSourceOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  readonly instanceId: string;
  readonly shareGroup: string;
  readonly connections: number;
  readonly ackMode: AckMode;
  /** `lean` (the bridge's own MQTT 5 client) or `mqttjs`. @default 'lean' */
  readonly client?: MqttClientKind;
  readonly receiveMaximum: number;
  readonly keepaliveS: number;
  readonly sessionExpiryS: number;
  /** Delay between reconnect attempts. Default 1 s. */
  readonly reconnectPeriodMs?: number;
  readonly logger: Logger;
  readonly metrics: Pick<BridgeMetrics, 'pubacks' | 'staleAcks' | 'mqttReconnects'>;
}

/**
 * The instance's N connections, client ids `{instanceId}-{index}`, all in one share group: the
 * broker spreads uplinks over them (and over other instances), so N connections give N times the
 * in-flight capacity one MQTT.js connection has.
 */
export class MqttUplinkSource implements UplinkSource {
  private readonly connections: UplinkConnection[];

  constructor(options: MqttUplinkSourceOptions) {
    const subscription = bridgeSharedSubscription(options.shareGroup);
    this.connections = Array.from({ length: options.connections }, (_, index) =>
      connection(options.client ?? 'lean', {
        url: options.url,
        username: options.username,
        password: options.password,
        clientId: `${options.instanceId}-${index}`,
        subscription,
        ackMode: options.ackMode,
        receiveMaximum: options.receiveMaximum,
        keepaliveS: options.keepaliveS,
        sessionExpiryS: options.sessionExpiryS,
        maximumPacketSize: MAX_FORWARDED_PACKET_BYTES,
        reconnectPeriodMs: options.reconnectPeriodMs ?? 1_000,
        logger: options.logger.child({ component: 'mqtt' }),
        metrics: options.metrics,
      }),
    );
  }

  async start(handler: DeliveryHandler): Promise<void> {
    const started = await Promise.allSettled(this.connections.map((connection) => connection.start(handler)));
    const failure = started.find((result) => result.status === 'rejected');
    if (failure) {
      await this.stop();
      throw failure.reason;
    }
  }

  pause(): void {
    for (const connection of this.connections) connection.pause();
  }

  async stop(options: StopSourceOptions = {}): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.stop(options.endSessions === true)));
  }

  status(): UplinkSourceStatus {
    return {
      connected: this.connections.filter((connection) => connection.connected).length,
      total: this.connections.length,
    };
  }
}

function connection(client: MqttClientKind, options: BridgeConnectionOptions): UplinkConnection {
  return client === 'lean' ? new LeanBridgeConnection(options) : new BridgeConnection(options);
}
