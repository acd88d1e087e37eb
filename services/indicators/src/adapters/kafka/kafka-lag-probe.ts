import { consumerGroupLag } from '@terrapulse/infra-runner/pipeline';
import type { Admin } from 'kafkajs';
import type { GroupLag, LagProbe } from '../../ports/index.js';

export interface WatchedGroup {
  readonly group: string;
  readonly topics: readonly string[];
}

/**
 * Committed offsets against high watermarks, per consumer group and topic, with the runner's
 * consumerGroupLag (the same numbers `npm start` prints). A group that never committed counts
 * the whole retained log as lag, which is what it has to catch up.
 */
export class KafkaLagProbe implements LagProbe {
  constructor(
    private readonly admin: Admin,
    private readonly groups: readonly WatchedGroup[],
  ) {}

  async lags(): Promise<GroupLag[]> {
    const lags: GroupLag[] = [];
    for (const { group, topics } of this.groups) {
      for (const topic of topics) {
        lags.push({ group, topic, lag: await consumerGroupLag(this.admin, group, [topic]) });
      }
    }
    return lags;
  }
}
