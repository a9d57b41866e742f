/**
 * Integrations with mapping templates on WebSocket routes: `MOCK`, `HTTP` and `AWS`. The integration's
 * TemplateSelectionExpression picks the request template that shapes what the backend gets; its
 * IntegrationResponseSelectionExpression (the backend's status code by default) picks the integration
 * response, whose TemplateSelectionExpression picks the response template that shapes what a two-way route
 * sends back (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-responses.html,
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-data-transformations.html).
 *
 * A MOCK backend answers the status its request template asks for (`{"statusCode": 200}`, 200 without one)
 * and no body. When integration responses exist and none is selected, the client gets an error frame;
 * with none at all, nothing is sent back and the status alone decides a $connect.
 */
import { renderMappingTemplate } from '../../../../engines/vtl/template.js';
import type { IntegrationResponseV2, IntegrationV2 } from '../../../apigatewayv2/records.js';
import type { ServiceRuntime } from '../../../service.js';
import { withStageVariables } from '../../invoke/context.js';
import { callServiceAction } from './aws-backend.js';
import { callFunction, functionOf } from './functions.js';
import type { BackendAnswer } from './http-backend.js';
import { callHttpBackend } from './http-backend.js';
import type { IntegrationTarget, RouteEvent } from './integration.js';
import type { IntegrationOutcome } from './outcome.js';
import { gatewayFailure } from './outcome.js';
import type { SelectionScope } from './selection.js';
import { evaluateSelection, selectKey } from './selection.js';

const STATUS_EXPRESSION = '${integration.response.statuscode}';

/**
 * The template a selection expression picks among `templates`. With no expression and a single template,
 * that template applies: templates keyed by a content type (`application/json`, as CDK and the console
 * write them) then still shape the payload, which is Nimbus's reading of an unset expression.
 */
function selectTemplate(templates: Record<string, string> | undefined, expression: string | undefined, scope: SelectionScope): string | undefined {
  const keys = Object.keys(templates ?? {});
  const key = selectKey(keys, expression === undefined ? undefined : evaluateSelection(expression, scope));
  if (key !== undefined) return templates?.[key];
  return expression === undefined && keys.length === 1 ? templates?.[keys[0]] : undefined;
}

function render(template: string, event: RouteEvent, target: IntegrationTarget, body: string): string {
  return renderMappingTemplate(template, { input: { body, path: {}, querystring: {}, header: {} }, context: event.requestContext, stageVariables: target.stageVariables });
}

/** What the backend gets: the selected request template's rendering, else the message as it came when PassthroughBehavior lets it. */
function requestPayload(integration: IntegrationV2, event: RouteEvent, target: IntegrationTarget): string | undefined {
  const message = event.body ?? '';
  const template = selectTemplate(integration.RequestTemplates, integration.TemplateSelectionExpression, { requestBody: message });
  if (template !== undefined) return render(template, event, target, message);
  const behavior = integration.PassthroughBehavior ?? 'WHEN_NO_MATCH';
  const passes = behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && Object.keys(integration.RequestTemplates ?? {}).length === 0);
  return passes ? message : undefined;
}

/** The status a MOCK request template asks for, 200 without one. */
function mockStatus(payload: string): number {
  try {
    const status = (JSON.parse(payload) as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? status : 200;
  } catch {
    return 200;
  }
}

/**
 * A Lambda function behind an AWS integration gets the payload as its event and answers 200 with what it
 * returns. A function error answers 500 with the function's error document, so `/5\d\d/` can map it: AWS
 * selects by `errorMessage` instead, but its control plane (and Nimbus's) sets the status code expression.
 */
async function invokeFunction(runtime: ServiceRuntime, target: IntegrationTarget, functionArn: string, payload: string): Promise<BackendAnswer | undefined> {
  let event: unknown = payload;
  try {
    event = JSON.parse(payload);
  } catch {
    // A payload that is no JSON reaches the function as a JSON string.
  }
  const result = await callFunction(runtime, target, functionArn, event);
  if (!result) return undefined;
  return { statusCode: result.functionError ? 500 : 200, headers: { 'content-type': 'application/json' }, body: result.payload };
}

type BackendResult = { answer: BackendAnswer } | { failure: IntegrationOutcome };

async function callBackend(runtime: ServiceRuntime, integration: IntegrationV2, target: IntegrationTarget, payload: string): Promise<BackendResult> {
  switch (integration.IntegrationType) {
    case 'MOCK':
      return { answer: { statusCode: mockStatus(payload), headers: {}, body: '' } };
    case 'HTTP': {
      const call = await callHttpBackend(integration, target.stageVariables, payload);
      if (call.answered) return { answer: call.answer };
      return { failure: call.timedOut ? gatewayFailure(504, 'Endpoint request timed out') : gatewayFailure(500, 'Internal server error') };
    }
    default: {
      const functionArn = functionOf(withStageVariables(integration.IntegrationUri ?? '', target.stageVariables));
      const answer = functionArn ? await invokeFunction(runtime, target, functionArn, payload) : await callServiceAction(runtime, target, integration.IntegrationUri ?? '', payload);
      return answer ? { answer } : { failure: gatewayFailure(500, 'Internal server error') };
    }
  }
}

function selectResponse(integration: IntegrationV2, responses: IntegrationResponseV2[], scope: SelectionScope): IntegrationResponseV2 | undefined {
  const value = evaluateSelection(integration.IntegrationResponseSelectionExpression ?? STATUS_EXPRESSION, scope);
  const key = selectKey(responses.map((response) => response.IntegrationResponseKey), value);
  return responses.find((response) => response.IntegrationResponseKey === key);
}

/** Runs a MOCK, HTTP or AWS integration with the route's event. */
export async function mappedOutcome(runtime: ServiceRuntime, integration: IntegrationV2, responses: IntegrationResponseV2[], event: RouteEvent, target: IntegrationTarget): Promise<IntegrationOutcome> {
  const payload = requestPayload(integration, event, target);
  // No template applies and PassthroughBehavior forbids passing the message on (Nimbus's wording: AWS documents none for WebSocket APIs).
  if (payload === undefined) return gatewayFailure(415, 'Unsupported Media Type');
  const backend = await callBackend(runtime, integration, target, payload);
  if ('failure' in backend) return backend.failure;
  const { answer } = backend;
  const scope: SelectionScope = { requestBody: event.body ?? '', statusCode: answer.statusCode, responseBody: answer.body };
  const response = selectResponse(integration, responses, scope);
  // Integration responses that all miss (no `$default`) are a configuration error, answered as REST APIs
  // answer "No match for output mapping and no default output mapping"; with none set up, the status decides.
  if (!response && responses.length) return gatewayFailure(500, 'Internal server error');
  if (!response) return { statusCode: answer.statusCode, headers: answer.headers };
  const template = selectTemplate(response.ResponseTemplates, response.TemplateSelectionExpression, scope);
  const body = template === undefined ? answer.body : render(template, event, target, answer.body);
  return body === '' ? { statusCode: answer.statusCode, headers: answer.headers } : { statusCode: answer.statusCode, headers: answer.headers, body };
}
