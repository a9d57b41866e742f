/**
 * Numbers in filter patterns: "an integer with an optional + or - sign, a
 * decimal with an optional + or - sign, or a number in scientific notation"
 * (older revision of
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html),
 * e.g. `10e3`, `1e-3`, `+1000`, `55.5`.
 */
const PATTERN_NUMBER = /^[+-]?\d+(\.\d+)?([eE][+-]?\d+)?$/;

/**
 * Values taken from the log event as text (space-delimited fields, JSON
 * strings) only count as numbers in plain decimal form: AWS notes that
 * "strings don't support scientific notation".
 */
const PLAIN_DECIMAL = /^[+-]?\d+(\.\d+)?$/;

/** The numeric value of a pattern literal, or `undefined` when it is not a number. */
export function parsePatternNumber(text: string): number | undefined {
  return PATTERN_NUMBER.test(text) ? Number(text) : undefined;
}

/** The numeric value of text found in a log event, or `undefined` when it is not a plain decimal. */
export function parseEventNumber(text: string): number | undefined {
  return PLAIN_DECIMAL.test(text) ? Number(text) : undefined;
}
