/**
 * Why a publish did not end with a success PUBACK. `refused`: the broker answered with an error
 * reason code (e.g. 0x87 not authorized), so the message is certainly not delivered. Otherwise the
 * connection went away first and nobody knows: the simulator counts it as unacknowledged.
 */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly refused: boolean,
    readonly reasonCode?: number,
  ) {
    super(message);
    this.name = 'PublishError';
  }
}

/** Raised when no device of the fleet could connect: the broker is down or the credentials are stale. */
export class FleetConnectError extends Error {
  constructor(
    readonly attempted: number,
    cause: unknown,
  ) {
    super(
      `none of the ${attempted} devices could connect to the broker: ${String((cause as Error)?.message ?? cause)}`,
      {
        cause,
      },
    );
    this.name = 'FleetConnectError';
  }
}
