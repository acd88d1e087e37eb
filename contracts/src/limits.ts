/**
 * Bounds that are part of the contract with device makers: a payload beyond them is rejected,
 * whatever its content, so that no device can make a service buffer or walk unbounded input.
 */

/** Largest MQTT payload the pipeline accepts. Mosquitto's `message_size_limit` should be set to it. */
export const MAX_UPLINK_PAYLOAD_BYTES = 64 * 1024;

/** Readings in one envelope, and records in one SenML pack. */
export const MAX_READINGS_PER_MESSAGE = 100;

/** Deepest JSON nesting a valid envelope or SenML pack needs is 4; beyond 8 it is an attack or a bug. */
export const MAX_JSON_DEPTH = 8;

/** Longest MQTT topic the bridge forwards; valid uplink topics are under 100 characters. */
export const MAX_MQTT_TOPIC_LENGTH = 256;

/** Original bytes kept in a dead letter; only a payload over the uplink limit is cut. */
export const MAX_REJECTED_RAW_BYTES = MAX_UPLINK_PAYLOAD_BYTES;

/** Validation issues kept in a dead letter, so one absurd payload cannot produce a huge record. */
export const MAX_REJECTION_ISSUES = 20;
