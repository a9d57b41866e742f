/**
 * AWS service integrations of HTTP APIs (`AWS_PROXY` with an IntegrationSubtype): the integration's
 * RequestParameters, mapped from the request, become the action's parameters, and the service's answer
 * goes back to the client as the service sent it: a JSON body, or the service's error with its status
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-aws-services.html).
 *
 * Nimbus serves the Step Functions subtypes through its own Step Functions. The other subtypes (SQS-*,
 * EventBridge-PutEvents, Kinesis-PutRecord, AppConfig-GetConfiguration) answer a 500 that names the
 * subtype, until Nimbus serves those services.
 */
import { ServiceError } from '../../../shared/errors.js';
import type { ServiceRuntime } from '../../service.js';
import type { IntegrationV2 } from '../../apigatewayv2/records.js';
import type { GatewayResponse } from '../invoke/context.js';
import { jsonResponse } from '../invoke/context.js';
import type { HttpInvocation } from './context.js';
import type { IntegrationReport } from './integrations.js';
import { mappedValue } from './parameter-mapping.js';

interface Action {
  operation: string;
  /** The integration's parameter names -> the operation's input members. */
  members: Record<string, string>;
}

const STEP_FUNCTIONS: Record<string, Action> = {
  'StepFunctions-StartExecution': { operation: 'StartExecution', members: { StateMachineArn: 'stateMachineArn', Name: 'name', Input: 'input' } },
  'StepFunctions-StartSyncExecution': { operation: 'StartSyncExecution', members: { StateMachineArn: 'stateMachineArn', Name: 'name', Input: 'input', TraceHeader: 'traceHeader' } },
  'StepFunctions-StopExecution': { operation: 'StopExecution', members: { ExecutionArn: 'executionArn', Cause: 'cause', Error: 'error' } },
};

// Step Functions speaks JSON 1.0: timestamps are epoch seconds.
const AMZ_JSON = { 'Content-Type': 'application/x-amz-json-1.0' };

function wireJson(value: unknown): unknown {
  if (value instanceof Date) return value.getTime() / 1000;
  if (Array.isArray(value)) return value.map(wireJson);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined).map(([key, member]) => [key, wireJson(member)]));
  return value;
}

export async function callAwsService(runtime: ServiceRuntime, invocation: HttpInvocation, integration: IntegrationV2, report: IntegrationReport): Promise<GatewayResponse> {
  const subtype = integration.IntegrationSubtype ?? '';
  const action = STEP_FUNCTIONS[subtype] as Action | undefined;
  if (!action) return jsonResponse(500, { message: `Internal Server Error: integration subtype ${subtype} is not served by Nimbus yet` });
  const parameters: Record<string, string> = {};
  for (const [name, value] of Object.entries(integration.RequestParameters ?? {})) {
    const mapped = mappedValue(value, invocation, invocation.request);
    if (mapped !== undefined) parameters[name] = mapped;
  }
  const input = Object.fromEntries(Object.entries(action.members).filter(([name]) => parameters[name] !== undefined).map(([name, member]) => [member, parameters[name]]));
  const region = parameters.Region ?? invocation.location.region;
  try {
    const output = await runtime.client.call(
      'stepfunctions', action.operation, input, { account: invocation.location.account, region },
    );
    Object.assign(report, { status: 200, answered: true });
    return { statusCode: 200, headers: AMZ_JSON, body: Buffer.from(JSON.stringify(wireJson(output))) };
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const status = error.status ?? 400;
    Object.assign(report, { status, answered: true });
    return { statusCode: status, headers: AMZ_JSON, body: Buffer.from(JSON.stringify({ __type: error.code, message: error.message })) };
  }
}
