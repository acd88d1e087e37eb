import { connect as connectTcp, type Socket } from 'node:net';
import type { Logger } from '@terrapulse/service-kit';
import { PublishError } from '../../errors.js';
import type { DeviceConnection, DeviceConnector, DeviceCredentials } from '../../ports/device-connector.js';
import {
  DISCONNECT,
  encodeConnect,
  markDuplicate,
  PACKET,
  PacketReader,
  type PacketVisitor,
  PINGREQ,
  parseConnack,
  parseDisconnect,
  pubackPacketId,
  pubackReasonCode,
  publishLength,
  writePublish,
} from './mqtt-packets.js';
import { joinPackets, PacketSlab } from './packet-slab.js';

export interface LeanMqttConnectorOptions {
  /** mqtt://host:port (plain TCP; use the MQTT.js connector for TLS). */
  readonly url: string;
  readonly logger: Logger;
  /** @default 60 */
  readonly keepaliveS?: number;
  /** @default 10000 */
  readonly connectTimeoutMs?: number;
  /** Delay before reconnecting after a lost connection. @default 2000 */
  readonly reconnectPeriodMs?: number;
}

const REASONS: Readonly<Record<number, string>> = {
  128: 'unspecified error',
  131: 'implementation specific error',
  134: 'bad user name or password',
  135: 'not authorized',
  142: 'session taken over',
  144: 'topic name invalid',
  151: 'quota exceeded',
  153: 'payload format invalid',
};
const reason = (code: number): string => REASONS[code] ?? `reason code 0x${code.toString(16)}`;

/**
 * The one buffer every device socket reads into (net's `onread`): a read is handled whole before
 * the next one starts, and PacketReader copies out the bytes of a partial packet, so sharing it
 * is safe. It spares a Buffer and the Readable stream's push/emit per read, which cost the
 * simulator more than its PUBACK handling: a device reads a PUBACK per publish.
 */
const READ_BUFFER = Buffer.allocUnsafe(64 * 1024);
/** Where every device's PUBLISHes are encoded: one device's packets of a turn end up adjacent. */
const PUBLISH_SLAB = new PacketSlab();

/**
 * A minimal MQTT 5 publisher, one TCP connection per device: what a device's firmware does, and
 * no more. It exists for throughput: MQTT.js spends most of a publish in generic machinery
 * (stores, streams, tracing), while a device that only publishes at QoS 1 needs one buffer per
 * PUBLISH, one socket write per turn of the event loop and a map of packet ids awaiting PUBACK.
 * Unacknowledged publishes survive a lost connection and are resent with DUP after reconnecting.
 */
export class LeanMqttConnector implements DeviceConnector {
  private readonly host: string;
  private readonly port: number;

  constructor(private readonly options: LeanMqttConnectorOptions) {
    const url = new URL(options.url);
    if (url.protocol !== 'mqtt:')
      throw new RangeError(`the lean MQTT client speaks mqtt:// only, got ${url.protocol}`);
    this.host = url.hostname;
    this.port = Number(url.port || 1883);
  }

  async connect(credentials: DeviceCredentials): Promise<DeviceConnection> {
    const connection = new LeanConnection(credentials, this.host, this.port, this.options);
    await connection.open();
    return connection;
  }
}

interface InFlight {
  packet: Buffer;
  readonly onAck: (error?: PublishError) => void;
}

class LeanConnection implements DeviceConnection {
  readonly deviceId: string;
  private socket: Socket | undefined;
  private connected = false;
  private closing = false;
  private readonly inFlight = new Map<number, InFlight>();
  /** Packet ids published but not yet written: the broker's Receive Maximum is reached. */
  private held: number[] = [];
  private written = 0;
  private receiveMaximum = 65_535;
  private nextPacketId = 1;
  private writes: Buffer[] = [];
  private flushScheduled = false;
  private topic = '';
  private topicBytes = Buffer.alloc(0);
  private lastSent = 0;
  private lastReceived = 0;
  private keepaliveTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private errors = 0;

  constructor(
    private readonly credentials: DeviceCredentials,
    private readonly host: string,
    private readonly port: number,
    private readonly options: LeanMqttConnectorOptions,
  ) {
    this.deviceId = credentials.deviceId;
  }

  /** Connects and waits for a successful CONNACK. */
  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      const timeoutMs = this.options.connectTimeoutMs ?? 10_000;
      const reader = new PacketReader();
      const socket = connectTcp({
        host: this.host,
        port: this.port,
        noDelay: true,
        onread: {
          buffer: READ_BUFFER,
          callback: (length: number, buffer: Uint8Array): boolean => {
            this.lastReceived = Date.now();
            try {
              reader.visit(buffer as Buffer, onPacket, length);
            } catch (error) {
              socket.destroy(error as Error);
            }
            return true;
          },
        },
      });
      this.socket = socket;
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error === undefined) resolve();
        else {
          socket.destroy();
          reject(error);
        }
      };
      const timer = setTimeout(() => settle(new Error(`no CONNACK within ${timeoutMs} ms`)), timeoutMs);
      socket.on('connect', () => {
        const keepaliveS = this.options.keepaliveS ?? 60;
        socket.write(
          encodeConnect({
            ...this.credentials,
            clientId: this.deviceId,
            username: this.deviceId,
            keepaliveS,
          }),
        );
      });
      const onPacket: PacketVisitor = (type, _flags, data, start, end) => {
        if (type === PACKET.PUBACK) {
          this.onPuback(pubackPacketId(data, start), pubackReasonCode(data, start, end));
        } else if (type === PACKET.CONNACK) {
          const { reasonCode, receiveMaximum } = parseConnack(data.subarray(start, end));
          if (reasonCode >= 0x80) settle(new Error(`connection refused: ${reason(reasonCode)}`));
          else {
            this.onConnected(receiveMaximum ?? 65_535);
            settle();
          }
        } else if (type === PACKET.DISCONNECT) {
          this.options.logger.warn('broker disconnected the device', {
            deviceId: this.deviceId,
            reason: reason(parseDisconnect(data.subarray(start, end))),
          });
        }
      };
      socket.on('error', (error) => {
        settle(error);
        if (this.errors++ < 3)
          this.options.logger.warn('device connection error', { deviceId: this.deviceId, error });
      });
      socket.on('close', () => {
        settle(new Error('connection closed before CONNACK'));
        this.onClosed(socket);
      });
    });
  }

  publish(topic: string, payload: string, onAck: (error?: PublishError) => void): void {
    if (this.closing) {
      onAck(new PublishError('connection closing', false));
      return;
    }
    if (topic !== this.topic) {
      this.topic = topic;
      this.topicBytes = Buffer.from(topic, 'utf8');
    }
    const packetId = this.allocatePacketId();
    const payloadLength = Buffer.byteLength(payload, 'utf8');
    const packet = PUBLISH_SLAB.take(publishLength(this.topicBytes.length, payloadLength));
    writePublish(packet, 0, this.topicBytes, packetId, payload, payloadLength, false);
    this.inFlight.set(packetId, { packet, onAck });
    if (this.connected && this.written < this.receiveMaximum) this.send(packet);
    else this.held.push(packetId);
  }

  /** Writes a PUBLISH, counting it against the broker's Receive Maximum until its PUBACK. */
  private send(packet: Buffer): void {
    this.written++;
    this.write(packet);
  }

  batch(publishes: () => void): void {
    // Writes are already gathered per turn of the event loop.
    publishes();
  }

  isConnected(): boolean {
    return this.connected;
  }

  async close(force = false): Promise<void> {
    this.closing = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepaliveTimer);
    const socket = this.socket;
    if (socket !== undefined && !socket.destroyed) {
      await new Promise<void>((resolve) => {
        socket.once('close', () => resolve());
        if (force || !this.connected) socket.destroy();
        else {
          this.flush();
          socket.end(DISCONNECT);
        }
      });
    }
    this.abandonInFlight();
  }

  private write(packet: Buffer): void {
    this.writes.push(packet);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    process.nextTick(() => this.flush());
  }

  /** One socket write for everything published during this turn of the event loop. */
  private flush(): void {
    this.flushScheduled = false;
    if (this.writes.length === 0 || this.socket === undefined || !this.connected) return;
    const data = joinPackets(this.writes);
    this.writes = [];
    this.lastSent = Date.now();
    this.socket.write(data);
  }

  private onConnected(receiveMaximum: number): void {
    this.connected = true;
    this.receiveMaximum = receiveMaximum;
    this.lastSent = Date.now();
    // After a reconnection, what the broker never acknowledged goes again, in order; what was
    // written before is flagged as a resend.
    const wasWritten = new Set(this.inFlight.keys());
    for (const id of this.held) wasWritten.delete(id);
    this.held = [...this.inFlight.keys()];
    this.written = 0;
    while (this.held.length > 0 && this.written < this.receiveMaximum) {
      const id = this.held.shift() as number;
      const entry = this.inFlight.get(id);
      if (entry !== undefined) this.send(wasWritten.has(id) ? markDuplicate(entry.packet) : entry.packet);
    }
    const keepaliveMs = (this.options.keepaliveS ?? 60) * 1000;
    clearInterval(this.keepaliveTimer);
    this.keepaliveTimer = setInterval(() => this.keepAlive(keepaliveMs), keepaliveMs / 4);
    this.keepaliveTimer.unref();
  }

  private keepAlive(keepaliveMs: number): void {
    const now = Date.now();
    if (now - this.lastReceived > keepaliveMs * 1.5) this.socket?.destroy(new Error('keep alive timed out'));
    else if (now - this.lastSent >= keepaliveMs / 2) this.write(PINGREQ);
  }

  private onPuback(packetId: number, reasonCode: number): void {
    const entry = this.inFlight.get(packetId);
    if (entry === undefined) return;
    this.inFlight.delete(packetId);
    this.written--;
    this.sendHeld();
    if (reasonCode < 0x80) entry.onAck();
    else entry.onAck(new PublishError(`publish refused: ${reason(reasonCode)}`, true, reasonCode));
  }

  private sendHeld(): void {
    while (this.held.length > 0 && this.written < this.receiveMaximum && this.connected) {
      const entry = this.inFlight.get(this.held.shift() as number);
      if (entry !== undefined) this.send(entry.packet);
    }
  }

  private onClosed(socket: Socket): void {
    if (socket !== this.socket) return;
    const wasConnected = this.connected;
    this.connected = false;
    this.writes = [];
    clearInterval(this.keepaliveTimer);
    if (this.closing || !wasConnected) return;
    this.reconnectTimer = setTimeout(() => this.reconnect(), this.options.reconnectPeriodMs ?? 2_000);
  }

  private reconnect(): void {
    if (this.closing) return;
    this.open().catch(() => {
      // open() failed before CONNACK; its close handler does not schedule: try again later.
      if (!this.closing)
        this.reconnectTimer = setTimeout(() => this.reconnect(), this.options.reconnectPeriodMs ?? 2_000);
    });
  }

  private allocatePacketId(): number {
    for (let tries = 0; tries < 65_535; tries++) {
      const id = this.nextPacketId;
      this.nextPacketId = id === 65_535 ? 1 : id + 1;
      if (!this.inFlight.has(id)) return id;
    }
    throw new RangeError('65535 publishes awaiting PUBACK on one connection');
  }

  private abandonInFlight(): void {
    const entries = [...this.inFlight.values()];
    this.inFlight.clear();
    this.held = [];
    for (const entry of entries) entry.onAck(new PublishError('connection closed before the PUBACK', false));
  }
}
