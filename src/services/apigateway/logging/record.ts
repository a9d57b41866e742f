/** Once an invocation is answered: its execution and access log lines, queued for delivery. */
import type { IncomingMessage } from 'node:http';
import type { ServiceRuntime } from '../../service.js';
import type { GatewayResponse } from '../invoke/context.js';
import { accessLogLine, logGroupOfArn } from './access-log.js';
import { executionLogGroup, executionLogLines } from './execution-log.js';
import { logDelivery } from './log-delivery.js';
import { takeTrace } from './trace.js';

export function recordInvocation(runtime: ServiceRuntime, request: IncomingMessage, result: GatewayResponse): void {
  const trace = takeTrace(request);
  if (!trace) return;
  const delivery = logDelivery(runtime);
  const now = runtime.clock.now();
  const { apiId, location } = trace.invocation;
  const stageName = trace.stage.stageName;
  const execution = executionLogLines(trace, result);
  if (execution.length > 0) {
    delivery.enqueue({ target: location, group: executionLogGroup(apiId, stageName), stream: delivery.streamFor(`execution ${apiId}/${stageName}`), createGroup: true }, execution, now);
  }
  const { destinationArn, format } = trace.stage.accessLogSettings ?? {};
  const destination = destinationArn ? logGroupOfArn(destinationArn) : undefined;
  if (destination && format) {
    delivery.enqueue({ ...destination, stream: delivery.streamFor(`access ${apiId}/${stageName}`), createGroup: false }, [accessLogLine(format, trace, result, now)], now);
  }
}
