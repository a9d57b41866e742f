/**
 * nimbus logs NAME [--since 10m] [--follow] [--endpoint URL] [--region R]
 *
 * Prints a function's log events, oldest first, one line each: timestamp, log stream, message (the layout
 * of `aws logs tail`). The group is the function's (LoggingConfig.LogGroup, by default /aws/lambda/NAME);
 * a deleted function's logs are still read from /aws/lambda/NAME. --follow polls once a second for new
 * events until Ctrl-C. Events come from CloudWatch Logs FilterLogEvents
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html).
 */
import { setTimeout as delay } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import type { Target } from './aws-http.js';
import { awsRequest, resolveTarget, ServiceCallError } from './aws-http.js';
import { EXIT, UsageError } from './command.js';

const POLL_MS = 1000;
const DEFAULT_SINCE = '10m';
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

export interface LogEvent {
  logStreamName: string;
  timestamp: number;
  message: string;
  eventId: string;
}

/** --since: a duration back from `now` (30s, 10m, 2h, 1d, 1w) or a timestamp; epoch milliseconds. */
export function parseSince(value: string, now: number): number {
  const duration = /^(\d+)([smhdw])$/.exec(value);
  if (duration) return now - Number(duration[1]) * UNIT_MS[duration[2]];
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new UsageError(`--since takes a duration such as 30s, 10m, 2h, 1d or 1w, or a timestamp such as 2024-05-01T12:00:00Z; got '${value}'`);
  return time;
}

export function formatEvent(event: LogEvent): string {
  return `${new Date(event.timestamp).toISOString()} ${event.logStreamName} ${event.message.replace(/\n+$/, '')}\n`;
}

async function logGroupOf(target: Target, name: string): Promise<string> {
  try {
    const response = await awsRequest(target, 'lambda', { method: 'GET', path: `/2015-03-31/functions/${encodeURIComponent(name)}/configuration` });
    const configuration = JSON.parse(response.body.toString('utf8')) as { LoggingConfig?: { LogGroup?: string } };
    return configuration.LoggingConfig?.LogGroup ?? `/aws/lambda/${name}`;
  } catch (error) {
    if (error instanceof ServiceCallError && error.code === 'ResourceNotFoundException') return `/aws/lambda/${name}`;
    throw error;
  }
}

/** Every event of the group from `startTime` on, across all pages; undefined while the group does not exist. */
async function eventsSince(target: Target, group: string, startTime: number, signal: AbortSignal): Promise<LogEvent[] | undefined> {
  const events: LogEvent[] = [];
  let nextToken: string | undefined;
  do {
    let page: { events?: LogEvent[]; nextToken?: string };
    try {
      const response = await awsRequest(target, 'logs', {
        method: 'POST',
        path: '/',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Logs_20140328.FilterLogEvents' },
        body: JSON.stringify({ logGroupName: group, startTime, nextToken }),
        signal,
      });
      page = JSON.parse(response.body.toString('utf8')) as typeof page;
    } catch (error) {
      if (error instanceof ServiceCallError && error.code === 'ResourceNotFoundException') return undefined;
      throw error;
    }
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      since: { type: 'string', default: DEFAULT_SINCE },
      follow: { type: 'boolean' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
    },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('name exactly one function');
  const [name] = positionals;
  let from = parseSince(values.since, Date.now());
  const target = resolveTarget(values, process.env);
  const group = await logGroupOf(target, name);

  const stop = new AbortController();
  const interrupt = (): void => {
    stop.abort();
  };
  process.once('SIGINT', interrupt);
  try {
    // Each poll asks again from the newest timestamp printed: the events printed at exactly that time are skipped.
    let printedAtFrom = new Set<string>();
    let toldMissing = false;
    for (;;) {
      const events = await eventsSince(target, group, from, stop.signal);
      if (events === undefined) {
        if (!values.follow) {
          process.stderr.write(`nimbus: log group ${group} does not exist: the function has not written logs yet\n`);
          return EXIT.failed;
        }
        if (!toldMissing) process.stderr.write(`nimbus: waiting for log group ${group} to appear\n`);
        toldMissing = true;
      }
      for (const event of events ?? []) {
        if (!printedAtFrom.has(event.eventId)) process.stdout.write(formatEvent(event));
      }
      if (!values.follow) return EXIT.ok;
      if (events?.length) {
        from = Math.max(from, ...events.map((event) => event.timestamp));
        printedAtFrom = new Set(events.filter((event) => event.timestamp === from).map((event) => event.eventId));
      }
      await delay(POLL_MS, undefined, { signal: stop.signal });
    }
  } catch (error) {
    // Ctrl-C ends --follow: a normal way out.
    if (stop.signal.aborted) return EXIT.ok;
    throw error;
  } finally {
    process.off('SIGINT', interrupt);
  }
}
