/** One stored aggregate point the indicators read: a device's window and one of its fields. */
export interface AggregateRow {
  readonly device: string;
  readonly tenant: string;
  readonly site: string;
  readonly metric: string;
  /** Window start, epoch ms. */
  readonly time: number;
  /** `consumption` of a cumulative index, or `mean` of a rate, in the metric's canonical unit. */
  readonly value: number;
}
