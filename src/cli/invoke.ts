/**
 * nimbus invoke NAME [--payload JSON|@file|@-] [--qualifier Q] [--log] [--endpoint URL] [--region R]
 *
 * A synchronous Lambda Invoke (https://docs.aws.amazon.com/lambda/latest/api/API_Invoke.html): prints the
 * response payload on stdout and, with --log, the invocation's log tail on stderr. Exits 1 when the
 * function failed (X-Amz-Function-Error), after printing its error payload.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { awsRequest, resolveTarget } from './aws-http.js';
import { EXIT, UsageError } from './command.js';

/** The payload flag: inline JSON, `@path` for a file, `@-` for standard input. */
export function readPayload(value: string | undefined): Buffer {
  if (value === undefined) return Buffer.alloc(0);
  if (!value.startsWith('@')) return Buffer.from(value);
  const path = value.slice(1);
  if (!path) throw new UsageError("--payload @ needs a file name, or '@-' for standard input");
  try {
    return readFileSync(path === '-' ? 0 : path);
  } catch (error) {
    throw new UsageError(`cannot read the payload from ${path === '-' ? 'standard input' : path}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export async function run(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      payload: { type: 'string' },
      qualifier: { type: 'string' },
      log: { type: 'boolean' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
    },
    strict: true,
  });
  if (positionals.length !== 1) throw new UsageError('name exactly one function to invoke');
  const [name] = positionals;
  const target = resolveTarget(values, process.env);
  const query = values.qualifier === undefined ? '' : `?Qualifier=${encodeURIComponent(values.qualifier)}`;
  const response = await awsRequest(target, 'lambda', {
    method: 'POST',
    path: `/2015-03-31/functions/${encodeURIComponent(name)}/invocations${query}`,
    headers: { 'content-type': 'application/json', 'x-amz-invocation-type': 'RequestResponse', ...(values.log ? { 'x-amz-log-type': 'Tail' } : {}) },
    body: readPayload(values.payload),
  });
  const payload = response.body;
  const logTail = response.headers['x-amz-log-result'];
  if (values.log && typeof logTail === 'string') process.stderr.write(Buffer.from(logTail, 'base64'));
  process.stdout.write(payload);
  if (payload.length && payload.at(-1) !== 0x0a) process.stdout.write('\n');
  return response.headers['x-amz-function-error'] === undefined ? EXIT.ok : EXIT.failed;
}
