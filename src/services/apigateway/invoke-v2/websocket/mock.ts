/**
 * MOCK integrations of WebSocket routes: the request template's `statusCode` picks the integration
 * response (keys `$default` or a status pattern such as `/4\d\d/`), whose template renders what a two-way
 * route sends back (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-websocket-api-integration-responses.html).
 * Templates are chosen by the `$default` key; template selection expressions are not evaluated.
 */
import { renderMappingTemplate } from '../../../../engines/vtl/template.js';
import type { IntegrationResponseV2, IntegrationV2 } from '../../../apigatewayv2/records.js';
import type { IntegrationOutcome } from './integration.js';

export interface MockRequest {
  /** The event's requestContext: `$context` in templates. */
  context: Record<string, unknown>;
  /** The client's message (empty for $connect and $disconnect): `$input.body`. */
  body: string;
  stageVariables: Record<string, string>;
}

function render(template: string | undefined, request: MockRequest, body: string): string | undefined {
  if (template === undefined) return undefined;
  return renderMappingTemplate(template, { input: { body, path: {}, querystring: {}, header: {} }, context: request.context, stageVariables: request.stageVariables });
}

/** The status the request template asks for, 200 without one. */
function requestedStatus(rendered: string | undefined): number {
  try {
    const status = (JSON.parse(rendered ?? '{}') as { statusCode?: unknown }).statusCode;
    return typeof status === 'number' ? status : 200;
  } catch {
    return 200;
  }
}

/** A response key matches a status as a whole: `$default` matches any, `/2\d\d/` a pattern. */
function selectResponse(responses: IntegrationResponseV2[], status: number): IntegrationResponseV2 | undefined {
  const patterned = responses.find((response) => {
    const pattern = /^\/(.+)\/$/.exec(response.IntegrationResponseKey)?.[1];
    return pattern !== undefined && new RegExp(`^(?:${pattern})$`).test(String(status));
  });
  return patterned ?? responses.find((response) => response.IntegrationResponseKey === '$default');
}

export function mockOutcome(integration: IntegrationV2, responses: IntegrationResponseV2[], request: MockRequest): IntegrationOutcome {
  const statusCode = requestedStatus(render(integration.RequestTemplates?.$default, request, request.body));
  const response = selectResponse(responses, statusCode);
  const body = render(response?.ResponseTemplates?.$default, request, '');
  return body === undefined ? { statusCode, headers: {} } : { statusCode, headers: {}, body };
}
