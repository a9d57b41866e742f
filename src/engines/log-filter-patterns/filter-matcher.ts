/** A compiled filter pattern, ready to test log event messages. */
export interface FilterMatcher {
  /** True when the log event message satisfies the pattern. */
  matches(message: string): boolean;
}

/** The empty pattern (and a few equivalents) select every event. */
export const MATCH_EVERY_EVENT: FilterMatcher = { matches: () => true };
