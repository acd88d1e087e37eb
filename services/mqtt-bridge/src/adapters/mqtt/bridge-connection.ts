import type { Logger } from '@terrapulse/service-kit';
import mqtt, { type MqttClient } from 'mqtt';
import type { AckMode } from '../../config.js';
import type { BridgeMetrics } from '../../metrics.js';
import type { Delivery, DeliveryHandler } from '../../ports/uplink-source.js';
import { deferredPubackWriter, PUBACK_DEFERRED } from './deferred-puback.js';

type PublishPacket = Parameters<MqttClient['handleMessage']>[0];
type DoneCallback = Parameters<MqttClient['handleMessage']>[1];

export interface BridgeConnectionOptions {
  readonly url: string;
  readonly username: string;
  readonly password: string;
  /** Stable across restarts: the broker keeps this session's queue while the bridge is away. */
  readonly clientId: string;
  readonly subscription: string;
  readonly ackMode: AckMode;
  readonly receiveMaximum: number;
  readonly keepaliveS: number;
  readonly sessionExpiryS: number;
  /** Largest packet the broker may send us; bigger messages are discarded by the broker. */
  readonly maximumPacketSize: number;
  readonly reconnectPeriodMs: number;
  readonly logger: Logger;
  readonly metrics: Pick<BridgeMetrics, 'pubacks' | 'staleAcks' | 'mqttReconnects'>;
}

/** What the uplink source needs of one connection, whichever MQTT client speaks for it. */
export interface UplinkConnection {
  readonly connected: boolean;
  start(handler: DeliveryHandler): Promise<void>;
  pause(): void;
  stop(endSession: boolean): Promise<void>;
}

/** CONNACK reason codes no retry fixes: bad credentials, not authorized, banned, bad client id. */
const FATAL_CONNACK_CODES = new Set([4, 5, 133, 134, 135, 138, 140]);

const noLog = (): void => {};

/**
 * One MQTT 5 connection of the bridge: persistent session, shared subscription at QoS 1, and an
 * acknowledgement to the broker only when the forwarder settles a message, i.e. once Kafka has it.
 *
 * An acknowledgement is tied to the connection that received the message. After a reconnect the
 * broker delivers the un-acknowledged messages again, possibly under packet ids it has since
 * reused, so a late PUBACK from an earlier connection could acknowledge a message Kafka never saw:
 * such acks are dropped (counted as stale) and the redelivered copy is forwarded again.
 */
export class BridgeConnection implements UplinkConnection {
  private readonly client: MqttClient;
  private readonly writePuback: ((messageId: number) => void) | undefined;
  /** Bumped when the network connection closes; acks from an older generation are stale. */
  private generation = 0;
  private handler: DeliveryHandler | undefined;
  private paused = false;
  /** Pipelined mode: messages of this generation handed over and not yet acknowledged. */
  private unacked = 0;
  private resumeReading: (() => void) | undefined;

  constructor(private readonly options: BridgeConnectionOptions) {
    this.client = mqtt.connect(options.url, {
      clientId: options.clientId,
      username: options.username,
      password: options.password,
      protocolVersion: 5,
      clean: false,
      keepalive: options.keepaliveS,
      reconnectPeriod: options.reconnectPeriodMs,
      // A broker that refuses a reconnect (busy, restarting) is retried; start() still fails fast
      // on the codes no retry fixes.
      reconnectOnConnackError: true,
      connectTimeout: 10_000,
      manualConnect: true,
      queueQoSZero: false,
      // MQTT.js calls its logger about ten times per packet; `debug`'s checks alone cost ~3% CPU.
      log: noLog,
      properties: {
        sessionExpiryInterval: options.sessionExpiryS,
        receiveMaximum: options.receiveMaximum,
        maximumPacketSize: options.maximumPacketSize,
      },
    });
    this.writePuback = options.ackMode === 'pipelined' ? deferredPubackWriter(this.client) : undefined;
    this.client.handleMessage = (packet, done) => this.onPublish(packet, done);
    this.client.on('close', () => this.onClose());
    this.client.on('reconnect', () => options.metrics.mqttReconnects.inc());
    this.client.on('error', (error) =>
      options.logger.warn('mqtt connection error', { clientId: options.clientId, error: error.message }),
    );
    this.client.on('connect', (connack) =>
      options.logger.info('mqtt connected', {
        clientId: options.clientId,
        sessionPresent: connack.sessionPresent,
      }),
    );
  }

  get connected(): boolean {
    return this.client.connected;
  }

  /** Connects and subscribes; rejects when the broker refuses the credentials or the subscription. */
  async start(handler: DeliveryHandler): Promise<void> {
    this.handler = handler;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error & { code?: unknown }): void => {
        if (typeof error.code !== 'number' || !FATAL_CONNACK_CODES.has(error.code)) return;
        this.client.off('connect', onConnect);
        this.client.off('error', onError);
        reject(error);
      };
      const onConnect = (): void => {
        this.client.off('error', onError);
        resolve();
      };
      this.client.once('connect', onConnect);
      this.client.on('error', onError);
      this.client.connect();
    });
    // Also on a resumed session: it is idempotent, and the session may have expired meanwhile.
    const granted = await this.client.subscribeAsync(this.options.subscription, { qos: 1 });
    const refused = granted.find((grant) => grant.qos !== 1 && grant.qos !== 0);
    if (refused) throw new Error(`broker refused subscription ${this.options.subscription} (${refused.qos})`);
  }

  /** Reads nothing more: messages stay un-acknowledged with the broker. Pending acks still go out. */
  pause(): void {
    this.paused = true;
  }

  async stop(endSession: boolean): Promise<void> {
    this.paused = true;
    const disconnect = endSession
      ? { reasonCode: 0, properties: { sessionExpiryInterval: 0 } }
      : { reasonCode: 0 };
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => this.client.end(true, () => resolve()), 5_000);
      this.client.end(false, disconnect, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private onClose(): void {
    this.generation += 1;
    this.unacked = 0;
    // The packet loop of the closed connection is gone; nothing is left to resume.
    this.resumeReading = undefined;
  }

  /** Called by MQTT.js for each PUBLISH, one at a time; `done` lets it read the next packet. */
  private onPublish(packet: PublishPacket, done: DoneCallback): void {
    const handler = this.handler;
    // Paused: never call done, so this connection reads nothing more and acks nothing.
    if (this.paused || handler === undefined) return;
    const delivery = new MqttDelivery(this, packet, this.generation, done);
    if (packet.qos === 0 || this.writePuback === undefined) {
      // QoS 0: nothing to ack, read on once admitted. Serial: MQTT.js writes the PUBACK and reads
      // the next packet when done() is called, from settle().
      const admission = handler(delivery);
      if (packet.qos === 0) whenAdmitted(admission, () => done());
      return;
    }
    this.unacked += 1;
    whenAdmitted(handler(delivery), () => {
      // The broker honours our Receive Maximum; this guard keeps the bound if one does not.
      if (this.unacked < this.options.receiveMaximum) done(PUBACK_DEFERRED);
      else this.resumeReading = () => done(PUBACK_DEFERRED);
    });
  }

  /** The ack of one delivery; dropped (counted as stale) when its connection is gone. */
  settle(delivery: MqttDelivery): void {
    if (delivery.qos === 0) return;
    if (delivery.generation !== this.generation || !this.client.connected) {
      this.options.metrics.staleAcks.inc();
      return;
    }
    this.options.metrics.pubacks.inc();
    if (this.writePuback === undefined) {
      delivery.done();
      return;
    }
    this.writePuback(delivery.messageId);
    this.unacked -= 1;
    const resume = this.resumeReading;
    if (resume !== undefined && this.unacked < this.options.receiveMaximum) {
      this.resumeReading = undefined;
      resume();
    }
  }

  isAbandoned(delivery: MqttDelivery): boolean {
    return delivery.qos !== 0 && delivery.generation !== this.generation;
  }
}

function whenAdmitted(admission: undefined | Promise<void>, next: () => void): void {
  if (admission === undefined) next();
  else void admission.then(next);
}

/** One message in flight: a class, not closures, because there is one per message at full rate. */
class MqttDelivery implements Delivery {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly receivedAt: number;
  readonly messageId: number;

  constructor(
    private readonly connection: BridgeConnection,
    packet: PublishPacket,
    readonly generation: number,
    readonly done: DoneCallback,
  ) {
    this.topic = packet.topic;
    this.payload = typeof packet.payload === 'string' ? Buffer.from(packet.payload) : packet.payload;
    this.qos = packet.qos;
    this.retain = packet.retain;
    this.receivedAt = Date.now();
    this.messageId = packet.messageId ?? 0;
  }

  settle(): void {
    this.connection.settle(this);
  }

  abandoned(): boolean {
    return this.connection.isAbandoned(this);
  }
}
