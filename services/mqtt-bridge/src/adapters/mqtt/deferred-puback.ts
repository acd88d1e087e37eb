import type { MqttClient } from 'mqtt';

/**
 * MQTT.js 5.16 reads one packet at a time per connection, and its PUBACK for a QoS 1 message is
 * written when `handleMessage`'s callback succeeds (lib/handlers/publish.ts): acknowledging after
 * Kafka through the supported path means one message in flight per connection. Two facts of
 * that same code let a connection keep many messages in flight:
 *
 * - calling the callback with an error makes MQTT.js move to the next packet without writing the
 *   PUBACK (`if (err) return done(err)`), and the packet loop ignores that error;
 * - the PUBACK can then be written later through the client's internal `_sendPacket`.
 *
 * Both are internals, not API: this module is the one place that relies on them, checks what it
 * can when a connection is built, and `BRIDGE_ACK_MODE=serial` avoids it altogether.
 */
export const PUBACK_DEFERRED: Error = new Error('PUBACK deferred until Kafka acknowledged the message');

interface PubackPacket {
  readonly cmd: 'puback';
  readonly messageId: number;
  readonly reasonCode: number;
}

interface MqttClientInternals {
  _sendPacket?: (packet: PubackPacket) => void;
}

/** Returns a function that writes the PUBACK of `messageId` on the client's current connection. */
export function deferredPubackWriter(client: MqttClient): (messageId: number) => void {
  const internals = client as unknown as MqttClientInternals;
  const sendPacket = internals._sendPacket;
  if (typeof sendPacket !== 'function') {
    throw new Error(
      'BRIDGE_ACK_MODE=pipelined relies on MQTT.js internals (5.x `_sendPacket`) this version lacks; use serial',
    );
  }
  return (messageId) => sendPacket.call(client, { cmd: 'puback', messageId, reasonCode: 0 });
}
