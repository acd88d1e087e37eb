import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { Delivery, DeliveryHandler } from '../../ports/uplink-source.js';
import type { BridgeConnectionOptions, UplinkConnection } from './bridge-connection.js';
import { PacketFramer } from './packet-framer.js';
import {
  encodeConnect,
  encodeDisconnect,
  encodePubacks,
  encodeSubscribe,
  MalformedPacketError,
  PACKET,
  PINGREQ,
  parseConnack,
  parseDisconnectReason,
  parsePublish,
  parseSuback,
} from './subscriber-packets.js';

/** CONNACK reason codes no retry fixes: bad credentials, not authorized, banned, bad client id. */
const FATAL_CONNACK_CODES = new Set([4, 5, 133, 134, 135, 138, 140]);

const REASONS: Readonly<Record<number, string>> = {
  4: 'bad user name or password',
  5: 'not authorized',
  128: 'unspecified error',
  133: 'client identifier not valid',
  134: 'bad user name or password',
  135: 'not authorized',
  137: 'server busy',
  138: 'banned',
  140: 'bad authentication method',
  141: 'keep alive timeout',
  142: 'session taken over',
  143: 'topic filter invalid',
  151: 'quota exceeded',
  158: 'shared subscriptions not supported',
};
const reason = (code: number): string => REASONS[code] ?? `reason code 0x${code.toString(16)}`;

/** A refusal from the broker, with its MQTT 5 reason code (as MQTT.js reports it). */
class BrokerRefusal extends Error {
  constructor(
    message: string,
    readonly code: number,
    /** No retry fixes it: start() gives up instead of trying again. */
    readonly fatal: boolean,
  ) {
    super(message);
    this.name = 'BrokerRefusal';
  }
}

const SUBSCRIBE_PACKET_ID = 1;

/**
 * One MQTT 5 connection of the bridge, speaking the protocol itself: the same contract as the
 * MQTT.js connection (persistent session, shared subscription at QoS 1, PUBACK only once the
 * forwarder settles the message, stale acks of an earlier connection dropped), at a fraction of
 * the CPU per message. MQTT.js parses through a generic stream pipeline and writes one PUBACK
 * per message; here a packet is decoded in place from the socket's chunk, and the PUBACKs one
 * Kafka batch releases go out in one socket write.
 *
 * Backpressure: while the forwarder is full (its admission promise pending) or the connection
 * holds Receive Maximum unacknowledged messages, the socket is paused and the packets already
 * read wait in the framer; the broker queues the rest in the session.
 */
export class LeanBridgeConnection implements UplinkConnection {
  private readonly url: URL;
  private socket: Socket | undefined;
  private isConnected = false;
  /** Bumped when the network connection closes; acks from an older generation are stale. */
  private generation = 0;
  private handler: DeliveryHandler | undefined;
  private paused = false;
  private stopping = false;
  private unacked = 0;
  private waitingForAdmission = false;
  private readonly window: number;
  private readonly framer = new PacketFramer();
  private pubackIds = new Uint16Array(64);
  private pubackCount = 0;
  private flushScheduled = false;
  private lastSent = 0;
  private lastReceived = 0;
  private receivedAt = 0;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private onSubscribed: ((error?: Error) => void) | undefined;
  private onConnackReceived: (() => void) | undefined;

  constructor(private readonly options: BridgeConnectionOptions) {
    this.url = new URL(options.url);
    if (!['mqtt:', 'tcp:', 'mqtts:', 'ssl:'].includes(this.url.protocol))
      throw new RangeError(`the lean MQTT client speaks mqtt:// and mqtts:// only, got ${this.url.protocol}`);
    // Serial keeps MQTT.js's supported behaviour: one message in flight per connection.
    this.window = options.ackMode === 'serial' ? 1 : options.receiveMaximum;
  }

  get connected(): boolean {
    return this.isConnected;
  }

  /** Connects and subscribes; rejects when the broker refuses the credentials or the subscription. */
  async start(handler: DeliveryHandler): Promise<void> {
    this.handler = handler;
    for (;;) {
      try {
        await this.open();
        return;
      } catch (error) {
        if (this.stopping || (error instanceof BrokerRefusal && error.fatal)) throw error;
        await new Promise((resolve) => setTimeout(resolve, this.options.reconnectPeriodMs));
        this.options.metrics.mqttReconnects.inc();
      }
    }
  }

  pause(): void {
    this.paused = true;
    this.socket?.pause();
  }

  async stop(endSession: boolean): Promise<void> {
    this.paused = true;
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepaliveTimer);
    const socket = this.socket;
    if (socket === undefined || socket.destroyed) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => socket.destroy(), 5_000);
      socket.once('close', () => {
        clearTimeout(timer);
        resolve();
      });
      if (!this.isConnected) {
        socket.destroy();
        return;
      }
      this.flushPubacks();
      socket.end(encodeDisconnect(endSession));
    });
  }

  /** The ack of one delivery; dropped (counted as stale) when its connection is gone. */
  settle(delivery: LeanDelivery): void {
    if (delivery.qos === 0) return;
    if (delivery.generation !== this.generation || !this.isConnected) {
      this.options.metrics.staleAcks.inc();
      return;
    }
    this.options.metrics.pubacks.inc();
    this.queuePuback(delivery.packetId);
    this.unacked -= 1;
    // Not from inside the forwarder's settling loop: new deliveries go to it on the next tick.
    if (this.unacked === this.window - 1) process.nextTick(() => this.readOn());
  }

  isAbandoned(delivery: LeanDelivery): boolean {
    return delivery.qos !== 0 && delivery.generation !== this.generation;
  }

  private open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const port = Number(this.url.port || (this.isTls() ? 8883 : 1883));
      const host = this.url.hostname;
      const socket = this.isTls()
        ? connectTls({ host, port, servername: host })
        : connectTcp({ host, port, noDelay: true });
      this.socket = socket;
      let settled = false;
      const settle = (error?: Error): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.onSubscribed = undefined;
        if (error === undefined) resolve();
        else {
          socket.destroy();
          reject(error);
        }
      };
      const timer = setTimeout(() => settle(new Error('no CONNACK within 10000 ms')), 10_000);
      // Only the CONNACK is timed: a resumed session's backlog may hold the SUBACK behind
      // messages the bridge cannot take yet (Kafka down), and the broker is alive meanwhile.
      this.onConnackReceived = () => clearTimeout(timer);
      this.onSubscribed = settle;
      socket.once(this.isTls() ? 'secureConnect' : 'connect', () => {
        socket.setNoDelay(true);
        this.send(
          encodeConnect({
            clientId: this.options.clientId,
            username: this.options.username,
            password: this.options.password,
            keepaliveS: this.options.keepaliveS,
            sessionExpiryS: this.options.sessionExpiryS,
            receiveMaximum: this.options.receiveMaximum,
            maximumPacketSize: this.options.maximumPacketSize,
          }),
        );
      });
      socket.on('data', (chunk: Buffer) => this.onData(socket, chunk));
      socket.on('error', (error) => {
        settle(error);
        this.options.logger.warn('mqtt connection error', {
          clientId: this.options.clientId,
          error: error.message,
        });
      });
      socket.on('close', () => {
        settle(new Error('connection closed before the subscription was granted'));
        this.onClose(socket);
      });
    });
  }

  private isTls(): boolean {
    return this.url.protocol === 'mqtts:' || this.url.protocol === 'ssl:';
  }

  private onData(socket: Socket, chunk: Buffer): void {
    if (socket !== this.socket) return;
    this.lastReceived = Date.now();
    this.framer.push(chunk);
    this.handlePackets();
  }

  private handlePackets(): void {
    this.receivedAt = Date.now();
    try {
      this.framer.drain(this.onPacket, this.canRead);
    } catch (error) {
      if (!(error instanceof MalformedPacketError)) throw error;
      this.options.logger.warn('malformed packet from the broker: reconnecting', {
        clientId: this.options.clientId,
        error: error.message,
      });
      this.socket?.destroy();
    }
  }

  private readonly canRead = (): boolean =>
    !this.paused && !this.waitingForAdmission && this.unacked < this.window;

  /** Reads again once nothing holds the connection: an admission or an ack made room. */
  private readOn(): void {
    if (!this.canRead() || this.socket === undefined) return;
    this.handlePackets();
    if (this.canRead()) this.socket.resume();
  }

  private readonly onPacket = (
    type: number,
    flags: number,
    data: Buffer,
    start: number,
    end: number,
  ): void => {
    if (type === PACKET.PUBLISH) this.onPublish(flags, data, start, end);
    else if (type === PACKET.CONNACK) this.onConnack(data, start, end);
    else if (type === PACKET.SUBACK) this.onSuback(data, start, end);
    else if (type === PACKET.DISCONNECT) {
      this.options.logger.warn('broker disconnected the bridge', {
        clientId: this.options.clientId,
        reason: reason(parseDisconnectReason(data, start, end)),
      });
    }
    // PINGRESP needs nothing beyond lastReceived; nothing else is sent to a subscriber.
  };

  private onConnack(data: Buffer, start: number, end: number): void {
    const { sessionPresent, reasonCode } = parseConnack(data, start, end);
    if (reasonCode >= 0x80) {
      const fatal = FATAL_CONNACK_CODES.has(reasonCode);
      this.onSubscribed?.(new BrokerRefusal(`connection refused: ${reason(reasonCode)}`, reasonCode, fatal));
      return;
    }
    this.isConnected = true;
    this.onConnackReceived?.();
    this.options.logger.info('mqtt connected', { clientId: this.options.clientId, sessionPresent });
    this.startKeepalive();
    // Also on a resumed session: it is idempotent, and the session may have expired meanwhile.
    this.send(encodeSubscribe(SUBSCRIBE_PACKET_ID, this.options.subscription));
  }

  private onSuback(data: Buffer, start: number, end: number): void {
    const { reasonCodes } = parseSuback(data, start, end);
    const refused = reasonCodes.find((code) => code !== 0 && code !== 1);
    if (refused === undefined) {
      this.onSubscribed?.();
      return;
    }
    const error = new BrokerRefusal(
      `broker refused subscription ${this.options.subscription} (${reason(refused)})`,
      refused,
      true,
    );
    if (this.onSubscribed !== undefined) this.onSubscribed(error);
    else
      this.options.logger.error('broker refused the subscription after a reconnect', {
        error: error.message,
      });
  }

  private onPublish(flags: number, data: Buffer, start: number, end: number): void {
    const handler = this.handler;
    if (handler === undefined) return;
    const publish = parsePublish(flags, data, start, end);
    const delivery = new LeanDelivery(this, publish, this.generation, this.receivedAt);
    if (publish.qos > 0) this.unacked += 1;
    const admission = handler(delivery);
    if (admission !== undefined) {
      this.waitingForAdmission = true;
      this.socket?.pause();
      const generation = this.generation;
      void admission.then(() => {
        if (generation !== this.generation) return;
        this.waitingForAdmission = false;
        this.readOn();
      });
    } else if (!this.canRead()) {
      this.socket?.pause();
    }
  }

  private queuePuback(packetId: number): void {
    if (this.pubackCount === this.pubackIds.length) {
      const grown = new Uint16Array(this.pubackIds.length * 2);
      grown.set(this.pubackIds);
      this.pubackIds = grown;
    }
    this.pubackIds[this.pubackCount++] = packetId;
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => this.flushPubacks());
  }

  /** Every PUBACK settled during this turn of the event loop, in one socket write. */
  private flushPubacks(): void {
    this.flushScheduled = false;
    if (this.pubackCount === 0) return;
    const packets = encodePubacks(this.pubackIds, this.pubackCount);
    this.pubackCount = 0;
    if (this.isConnected) this.send(packets);
  }

  private send(packet: Buffer): void {
    this.lastSent = Date.now();
    this.socket?.write(packet);
  }

  private startKeepalive(): void {
    const keepaliveMs = this.options.keepaliveS * 1000;
    this.lastReceived = Date.now();
    clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = setInterval(() => {
      const now = Date.now();
      // While the bridge itself holds the socket paused, the PINGRESP waits unread behind the
      // held packets: silence is then ours, not the broker's.
      const reading = this.canRead();
      if (reading && now - this.lastReceived > keepaliveMs * 1.5)
        this.socket?.destroy(new Error('keep alive timed out'));
      else if (now - this.lastSent >= keepaliveMs / 2) this.send(PINGREQ);
      if (!reading) this.lastReceived = now;
    }, keepaliveMs / 4);
    this.keepaliveTimer.unref();
  }

  private onClose(socket: Socket): void {
    if (socket !== this.socket) return;
    const wasConnected = this.isConnected;
    this.isConnected = false;
    this.generation += 1;
    this.unacked = 0;
    this.waitingForAdmission = false;
    this.pubackCount = 0;
    this.framer.clear();
    clearInterval(this.keepaliveTimer);
    if (this.stopping || !wasConnected) return;
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    this.reconnectTimer = setTimeout(() => {
      if (this.stopping) return;
      this.options.metrics.mqttReconnects.inc();
      this.open().catch((error: Error) => {
        this.options.logger.warn('mqtt reconnect failed', {
          clientId: this.options.clientId,
          error: error.message,
        });
        if (!this.stopping) this.scheduleReconnect();
      });
    }, this.options.reconnectPeriodMs);
  }
}

/** One message in flight: a class, not closures, because there is one per message at full rate. */
class LeanDelivery implements Delivery {
  readonly topic: string;
  readonly payload: Buffer;
  readonly qos: 0 | 1 | 2;
  readonly retain: boolean;
  readonly packetId: number;

  constructor(
    private readonly connection: LeanBridgeConnection,
    publish: { topic: string; payload: Buffer; qos: 0 | 1 | 2; retain: boolean; packetId: number },
    readonly generation: number,
    readonly receivedAt: number,
  ) {
    this.topic = publish.topic;
    this.payload = publish.payload;
    this.qos = publish.qos;
    this.retain = publish.retain;
    this.packetId = publish.packetId;
  }

  settle(): void {
    this.connection.settle(this);
  }

  abandoned(): boolean {
    return this.connection.isAbandoned(this);
  }
}
