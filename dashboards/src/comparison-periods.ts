// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Grafana's ${__from} syntax in plain strings, on purpose
/**
 * The three periods a comparison panel shows. The dashboard's range is "this period"; the two
 * others are written as InfluxQL time conditions from Grafana's global variables, so one panel
 * shows the three values side by side whatever range the user picks:
 * - previous period: the range of the same length that ends where this one starts
 *   (`${__from}` and `$__range_ms` are Grafana's range start and length in ms);
 * - same period last year: 52 weeks earlier, so weekdays line up (a school week against a
 *   school week), which matters more to energy and traffic than the calendar date.
 */
export interface ComparisonPeriod {
  readonly key: 'current' | 'previous' | 'last_year';
  /** Legend and stat label. */
  readonly label: string;
  /** InfluxQL condition on `time`. */
  readonly time: string;
}

export const THIS_PERIOD = '$timeFilter';

export const COMPARISON_PERIODS: readonly ComparisonPeriod[] = [
  { key: 'current', label: 'This period', time: THIS_PERIOD },
  {
    key: 'previous',
    label: 'Previous period',
    time: 'time >= ${__from}ms - ${__range_ms}ms AND time < ${__from}ms',
  },
  {
    key: 'last_year',
    label: 'Same period last year',
    time: 'time >= ${__from}ms - 52w AND time <= ${__to}ms - 52w',
  },
];
