/**
 * Execution logs: with a method's logging/loglevel at INFO (every line) or ERROR (error lines only),
 * each invocation writes `(requestId) ...` lines to the group `API-Gateway-Execution-Logs_{restApiId}/{stageName}`;
 * logging/dataTrace adds the request and response data
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/set-up-logging.html).
 */
import type { GatewayResponse } from '../invoke/context.js';
import { effectiveSetting } from '../stage-settings.js';
import type { Trace, TraceLine } from './trace.js';

/** Java's Map.toString, which API Gateway's lines use: `{a=1, b=2}`. */
function javaMap(map: Record<string, string>): string {
  return `{${Object.entries(map).map(([name, value]) => `${name}=${value}`).join(', ')}}`;
}

export function executionLogGroup(apiId: string, stageName: string): string {
  return `API-Gateway-Execution-Logs_${apiId}/${stageName}`;
}

/** The invocation's execution log lines at its method's level, or none when logging is off. */
export function executionLogLines(trace: Trace, result: GatewayResponse): string[] {
  const { invocation, stage } = trace;
  const { request, route } = invocation;
  const setting = effectiveSetting(stage, route.resource.path, route.method.httpMethod ?? request.httpMethod);
  if (setting.loggingLevel !== 'INFO' && setting.loggingLevel !== 'ERROR') return [];
  const line = (message: string, options: Partial<TraceLine> = {}): TraceLine => ({ level: 'INFO', data: false, admission: false, ...options, message });
  const lines: TraceLine[] = [
    line(`Extended Request Id: ${request.requestId}`),
    ...trace.lines.filter((entry) => entry.admission),
    line(`Starting execution for request: ${request.requestId}`),
    line(`HTTP Method: ${request.httpMethod}, Resource Path: ${request.path}`),
    line(`Method request path: ${javaMap(route.pathParameters)}`),
    line(`Method request query string: ${javaMap(request.query)}`),
    line(`Method request headers: ${javaMap(request.headers)}`, { data: true }),
    line(`Method request body before transformations: ${request.body.toString('utf8')}`, { data: true }),
    ...trace.lines.filter((entry) => !entry.admission),
  ];
  if (trace.integration) lines.push(line(`Received response. Status: ${String(trace.integration.status)}, Integration latency: ${String(trace.integration.latencyMs)} ms`));
  lines.push(line(`Method response body after transformations: ${result.body.toString('utf8')}`, { data: true }));
  lines.push(line(`Method response headers: ${javaMap(result.headers)}`));
  if (!result.gatewayError) lines.push(line('Successfully completed execution'));
  else if (result.statusCode >= 500) lines.push(line(`Execution failed due to configuration error: ${result.gatewayError.message ?? ''}`, { level: 'ERROR' }));
  lines.push(line(`Method completed with status: ${String(result.statusCode)}`, { level: result.statusCode >= 400 ? 'ERROR' : 'INFO' }));
  return lines
    .filter((entry) => (setting.loggingLevel === 'INFO' || entry.level === 'ERROR') && (setting.dataTraceEnabled || !entry.data))
    .map((entry) => `(${request.requestId}) ${entry.message}`);
}
