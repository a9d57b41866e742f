/**
 * `AWS` integrations of WebSocket routes: `arn:aws:apigateway:{region}:{service}:action/{Action}` runs the
 * service action through Nimbus's internal client with the (templated) payload as its JSON input, and
 * answers what the service would have answered over HTTP: 200 with the output as JSON, or the error's
 * status with `{"__type", "message"}` (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-requests.html).
 * `{service}` is the endpoint prefix (`dynamodb`, `states`, `logs`, ...).
 */
import { isServiceError, ServiceError } from '../../../../shared/errors.js';
import { jsonErrorBody } from '../../../../protocols/json-rpc.js';
import { readJsonValue, writeJsonValue } from '../../../../protocols/json-values.js';
import type { ServiceModel } from '../../../../protocols/model.js';
import { loadCatalog, loadServiceModel } from '../../../../protocols/model.js';
import { errorWireInfo } from '../../../../protocols/protocol.js';
import { isServed } from '../../../registry.js';
import type { ServiceRuntime } from '../../../service.js';
import { withStageVariables } from '../../invoke/context.js';
import type { BackendAnswer } from './http-backend.js';
import type { IntegrationTarget } from './integration.js';

const ACTION_URI = /^arn:aws[a-z-]*:apigateway:([a-z0-9-]*):([a-z0-9-]+):action\/([A-Za-z0-9]+)$/;

interface ServiceAction {
  service: string;
  model: ServiceModel;
  action: string;
  region: string;
}

/** The Nimbus service whose endpoint prefix the URI names, with its model, or undefined. */
function serviceAction(uri: string, target: IntegrationTarget): ServiceAction | undefined {
  const [, region, prefix, action] = ACTION_URI.exec(uri) ?? [];
  if (prefix === undefined) return undefined;
  const service = Object.entries(loadCatalog()).find(([name, metadata]) => metadata.endpointPrefix === prefix && isServed(name))?.[0];
  if (service === undefined) return undefined;
  return { service, model: loadServiceModel(service), action, region: region || target.location.region };
}

function answerOf(statusCode: number, body: unknown): BackendAnswer {
  return { statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function errorAnswer(model: ServiceModel, error: ServiceError): BackendAnswer {
  const { code, status, shapeName } = errorWireInfo(model, error);
  return answerOf(status, jsonErrorBody(model, error, code, shapeName));
}

/** Undefined when the URI names no action Nimbus can run (a `path/` URI, a service Nimbus does not serve). */
export async function callServiceAction(runtime: ServiceRuntime, target: IntegrationTarget, integrationUri: string, payload: string): Promise<BackendAnswer | undefined> {
  const resolved = serviceAction(withStageVariables(integrationUri, target.stageVariables), target);
  if (!resolved) return undefined;
  const { model, service, action } = resolved;
  const operation = Object.hasOwn(model.operations, action) ? model.operations[action] : undefined;
  if (!operation) return errorAnswer(model, new ServiceError('UnknownOperationException', `${service} has no operation ${action}`, 400));
  try {
    let parsed: unknown = {};
    if (payload.trim() !== '') {
      try {
        parsed = JSON.parse(payload);
      } catch {
        throw new ServiceError('SerializationException', 'The request body is not valid JSON', 400);
      }
    }
    const input = operation.input ? (readJsonValue(model, operation.input.shape, parsed) as Record<string, unknown> | undefined) ?? {} : {};
    const output = await runtime.client.call(service, action, input, { account: target.location.account, region: resolved.region });
    return answerOf(200, operation.output ? (writeJsonValue(model, operation.output.shape, output) ?? {}) : {});
  } catch (error) {
    if (isServiceError(error)) return errorAnswer(model, error);
    throw error;
  }
}
