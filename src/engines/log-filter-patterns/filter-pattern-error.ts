/**
 * Errors raised while compiling a CloudWatch Logs filter pattern.
 *
 * The message of every `FilterPatternError` is the text CloudWatch Logs puts
 * in the `InvalidParameterException` it answers with, so the API layer can
 * forward `error.message` to the client unchanged. AWS does not document these
 * strings; the ones used here are the ones clients have reported seeing:
 *
 * - "Invalid filter pattern" — the catch-all answer (e.g.
 *   https://github.com/aws/aws-toolkit-jetbrains/issues/3219,
 *   https://github.com/awsdocs/amazon-cloudwatch-logs-user-guide/issues/21).
 * - "Invalid character(s) in term '…'" — an unquoted term holds a character
 *   that needs double quotes (e.g. https://github.com/dougmoscrop/serverless-plugin-log-subscription/issues/47).
 * - "If a filter pattern starts with '{' it must end with '}'" — see
 *   https://github.com/jorgebastida/awslogs/issues/210; the '[' / ']' twin is
 *   the same rule for space-delimited patterns.
 */
export class FilterPatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FilterPatternError';
  }
}

/** The catch-all message CloudWatch Logs returns for a malformed pattern. */
export const INVALID_FILTER_PATTERN_MESSAGE = 'Invalid filter pattern';

export function invalidFilterPattern(): FilterPatternError {
  return new FilterPatternError(INVALID_FILTER_PATTERN_MESSAGE);
}

/**
 * `term` is what CloudWatch quotes back: for a plain word it is the first
 * offending character (clients report `'('`, `':'`, `'\'`), for a JSON
 * selector it is the selector up to and including that character (clients
 * report `'$."'` for `$."sc-status"`).
 */
export function invalidCharactersInTerm(term: string): FilterPatternError {
  return new FilterPatternError(`Invalid character(s) in term '${term}'`);
}

export function unclosedPattern(opening: '{' | '[', closing: '}' | ']'): FilterPatternError {
  return new FilterPatternError(
    `If a filter pattern starts with '${opening}' it must end with '${closing}'`,
  );
}
