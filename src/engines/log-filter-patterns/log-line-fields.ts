/**
 * Splits a log line into the fields a space-delimited pattern sees.
 *
 * "Characters between brackets ("[]") and double quotation marks ("") are
 * considered single fields"
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#matching-term-space-delimited-log-events),
 * and AWS's extraction example shows the field values without those
 * delimiters: `[10/Oct/2000:13:25:15 -0700]` becomes
 * `10/Oct/2000:13:25:15 -0700`, `"GET /index.html HTTP/1.0"` becomes
 * `GET /index.html HTTP/1.0`.
 */
export interface LogLineField {
  /** The field's text, without enclosing quotes or brackets. */
  readonly value: string;
  /** Offset in the line where the field (including its delimiter) starts. */
  readonly start: number;
}

const WHITESPACE = /\s/;

export function splitLogLine(line: string): LogLineField[] {
  const fields: LogLineField[] = [];
  let index = 0;
  while (index < line.length) {
    if (WHITESPACE.test(line.charAt(index))) {
      index += 1;
      continue;
    }
    const start = index;
    const opening = line.charAt(index);
    if (opening === '"' || opening === '[') {
      const closing = line.indexOf(opening === '"' ? '"' : ']', index + 1);
      // An unclosed quote or bracket runs to the end of the line.
      const end = closing === -1 ? line.length : closing;
      fields.push({ value: line.slice(index + 1, end), start });
      index = closing === -1 ? line.length : closing + 1;
      continue;
    }
    while (index < line.length && !WHITESPACE.test(line.charAt(index))) index += 1;
    fields.push({ value: line.slice(start, index), start });
  }
  return fields;
}
