/** Kafka protocol error codes the lean clients act on (https://kafka.apache.org/protocol#protocol_error_codes). */
export const KafkaErrorCode = Object.freeze({
  NONE: 0,
  OFFSET_OUT_OF_RANGE: 1,
  CORRUPT_MESSAGE: 2,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  LEADER_NOT_AVAILABLE: 5,
  NOT_LEADER_OR_FOLLOWER: 6,
  REQUEST_TIMED_OUT: 7,
  MESSAGE_TOO_LARGE: 10,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  COORDINATOR_NOT_AVAILABLE: 15,
  NOT_COORDINATOR: 16,
  RECORD_LIST_TOO_LARGE: 18,
  NOT_ENOUGH_REPLICAS: 19,
  NOT_ENOUGH_REPLICAS_AFTER_APPEND: 20,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  UNKNOWN_MEMBER_ID: 25,
  REBALANCE_IN_PROGRESS: 27,
  TOPIC_AUTHORIZATION_FAILED: 29,
  GROUP_AUTHORIZATION_FAILED: 30,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
  DUPLICATE_SEQUENCE_NUMBER: 46,
  INVALID_PRODUCER_EPOCH: 47,
  UNKNOWN_PRODUCER_ID: 59,
  FENCED_LEADER_EPOCH: 74,
  UNKNOWN_LEADER_EPOCH: 75,
  MEMBER_ID_REQUIRED: 79,
  INVALID_RECORD: 87,
  UNSTABLE_OFFSET_COMMIT: 88,
} as const);

const NAMES = new Map<number, string>(Object.entries(KafkaErrorCode).map(([name, code]) => [code, name]));

export function kafkaErrorName(code: number): string {
  return NAMES.get(code) ?? `KAFKA_ERROR_${code}`;
}

/**
 * Refused for what the records are, so the same records can never succeed. Only size: a bad
 * CRC or an invalid record from this client is a bug, and a bug must stop the flow (visible in
 * /healthz, messages kept by the broker) rather than skip messages.
 */
export function isRecordError(code: number): boolean {
  return code === KafkaErrorCode.MESSAGE_TOO_LARGE || code === KafkaErrorCode.RECORD_LIST_TOO_LARGE;
}

/** The broker forgot or fenced our producer id: get a new one (sequence numbers restart at 0). */
export function isProducerStateError(code: number): boolean {
  return (
    code === KafkaErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER ||
    code === KafkaErrorCode.INVALID_PRODUCER_EPOCH ||
    code === KafkaErrorCode.UNKNOWN_PRODUCER_ID
  );
}

/** Our view of the partition leaders is out of date. */
export function isMetadataError(code: number): boolean {
  return (
    code === KafkaErrorCode.UNKNOWN_TOPIC_OR_PARTITION ||
    code === KafkaErrorCode.LEADER_NOT_AVAILABLE ||
    code === KafkaErrorCode.NOT_LEADER_OR_FOLLOWER ||
    code === KafkaErrorCode.FENCED_LEADER_EPOCH ||
    code === KafkaErrorCode.UNKNOWN_LEADER_EPOCH
  );
}

/** The coordinator moved or is not ready: look it up again. */
export function isCoordinatorError(code: number): boolean {
  return (
    code === KafkaErrorCode.COORDINATOR_LOAD_IN_PROGRESS ||
    code === KafkaErrorCode.COORDINATOR_NOT_AVAILABLE ||
    code === KafkaErrorCode.NOT_COORDINATOR
  );
}

/** This member's generation is over: it must join the group again. */
export function isRejoinError(code: number): boolean {
  return (
    code === KafkaErrorCode.REBALANCE_IN_PROGRESS ||
    code === KafkaErrorCode.ILLEGAL_GENERATION ||
    code === KafkaErrorCode.UNKNOWN_MEMBER_ID
  );
}
