/**
 * Request validation of WebSocket routes
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/websocket-api-request-validation.html): a
 * route with a ModelSelectionExpression validates each message's body against the model its RequestModels
 * names for the expression's value, or for `$default`; no model to validate against fails the message too.
 * Models are JSON Schema draft 4, as for REST APIs, and are compiled by the same validator.
 */
import type { ModelV2, RouteV2 } from '../../../apigatewayv2/records.js';
import { validatorFor } from '../../invoke/validate.js';
import { evaluateSelection } from './selection.js';

/** Whether the message fails its route's request validation (false when the route asks for none). */
export function failsValidation(route: RouteV2, models: Record<string, ModelV2> | undefined, body: string): boolean {
  if (route.ModelSelectionExpression === undefined) return false;
  const key = evaluateSelection(route.ModelSelectionExpression, { requestBody: body });
  const name = route.RequestModels?.[key] ?? route.RequestModels?.$default;
  const model = name === undefined ? undefined : Object.values(models ?? {}).find((candidate) => candidate.Name === name);
  if (model?.Schema === undefined) return true;
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch {
    return true;
  }
  return !validatorFor(model.Schema)(data);
}
