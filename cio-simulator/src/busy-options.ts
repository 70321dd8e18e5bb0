// Busy mode's options and figures (busy.ts), apart so options.ts can name them without an import cycle.
export interface BusyOptions {
  /** New deliveries per simulated second (average; each second draws 0.5…1.5 × this). */
  deliveriesPerSecond: number;
  /** Other activities (`event`) per simulated second (average). */
  eventsPerSecond: number;
  peoplePerMinute: number;
  deletesPerMinute: number;
  changesPerMinute: number;
  lateMetricsPerMinute: number;
  /** Simulated seconds per real second. */
  speed: number;
}

export const BUSY_DEFAULTS: Readonly<BusyOptions> = {
  deliveriesPerSecond: 8, eventsPerSecond: 3, peoplePerMinute: 6, deletesPerMinute: 2, changesPerMinute: 12, lateMetricsPerMinute: 6, speed: 1,
};

export interface BusyStats { seconds: number; deliveries: number; events: number; people: number; deletes: number; changes: number; lateMetrics: number }
