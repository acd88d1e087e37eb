import { BrokerConnection } from './broker-connection.js';
import { KafkaErrorCode, kafkaErrorName } from './kafka-error-codes.js';
import { LeanProduceError } from './produce-error.js';
import { API, type BrokerAddress, decodeMetadata, encodeMetadataRequest } from './protocol.js';

export interface BrokerPoolOptions {
  /** Bootstrap brokers, host:port. */
  readonly brokers: readonly string[];
  readonly clientId: string;
  readonly requestTimeoutMs: number;
  /** Leaders are re-read at least this often, and after any error. */
  readonly metadataMaxAgeMs: number;
}

/**
 * The connections to the cluster's brokers, one per broker, and the leader of every partition of
 * the topics produced to, re-read when stale (an error marked it so) or old.
 */
export class BrokerPool {
  private readonly connections = new Map<string, BrokerConnection>();
  private readonly brokers = new Map<number, BrokerAddress>();
  /** Leader node of each partition, by topic then partition index (-1: none right now). */
  private readonly leaders = new Map<string, number[]>();
  private metadataAt = 0;
  private stale = true;
  private closed = false;

  constructor(private readonly options: BrokerPoolOptions) {}

  /** The next leader lookup reads the metadata again. */
  markStale(): void {
    this.stale = true;
  }

  /** Partition leaders of every topic, fresh enough. */
  async leadersOf(topics: readonly string[]): Promise<ReadonlyMap<string, readonly number[]>> {
    const fresh = !this.stale && Date.now() - this.metadataAt < this.options.metadataMaxAgeMs;
    if (fresh && topics.every((topic) => this.leaders.has(topic))) return this.leaders;
    const wanted = [...new Set([...this.leaders.keys(), ...topics])];
    const connection = await this.anyConnection();
    const metadata = decodeMetadata(
      await connection.request(API.metadata, [encodeMetadataRequest(wanted)], this.options.requestTimeoutMs),
    );
    for (const broker of metadata.brokers) this.brokers.set(broker.nodeId, broker);
    this.leaders.clear();
    for (const topic of metadata.topics) {
      if (topic.errorCode !== KafkaErrorCode.NONE) continue;
      const leaders: number[] = [];
      for (const partition of topic.partitions) leaders[partition.index] = partition.leader;
      this.leaders.set(
        topic.name,
        Array.from({ length: leaders.length }, (_, index) => leaders[index] ?? -1),
      );
    }
    this.metadataAt = Date.now();
    this.stale = false;
    for (const name of topics) {
      if (this.leaders.has(name)) continue;
      const topic = metadata.topics.find((candidate) => candidate.name === name);
      const reason = topic === undefined ? 'absent from metadata' : kafkaErrorName(topic.errorCode);
      this.stale = true;
      throw new LeanProduceError('UNAVAILABLE', `kafka topic ${name}: ${reason}`);
    }
    return this.leaders;
  }

  async connectionTo(nodeId: number): Promise<BrokerConnection> {
    const broker = this.brokers.get(nodeId);
    if (broker === undefined) {
      this.stale = true;
      throw new LeanProduceError('UNAVAILABLE', `kafka broker ${nodeId} unknown`);
    }
    return this.open(broker.host, broker.port);
  }

  /** A live connection to any broker: a known one first, else the bootstrap list in order. */
  async anyConnection(): Promise<BrokerConnection> {
    for (const connection of this.connections.values()) if (connection.alive) return connection;
    let lastError: unknown;
    for (const address of this.options.brokers) {
      const [host = '', port = '9092'] = address.split(':');
      try {
        return await this.open(host, Number(port));
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError instanceof LeanProduceError
      ? lastError
      : new LeanProduceError('UNAVAILABLE', 'no kafka broker reachable');
  }

  close(): void {
    this.closed = true;
    for (const connection of this.connections.values()) connection.close();
    this.connections.clear();
  }

  private async open(host: string, port: number): Promise<BrokerConnection> {
    const address = `${host}:${port}`;
    const existing = this.connections.get(address);
    if (existing?.alive) return existing;
    const connection = await BrokerConnection.open(host, port, this.options.clientId, 10_000);
    if (this.closed) {
      connection.close();
      throw new LeanProduceError('UNAVAILABLE', 'kafka producer closed');
    }
    this.connections.set(address, connection);
    return connection;
  }
}
