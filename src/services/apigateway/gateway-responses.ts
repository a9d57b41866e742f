/**
 * Gateway responses: what API Gateway itself answers when a request fails before or around the
 * integration (https://docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html).
 * Every API has the default set; Put/UpdateGatewayResponse store a customized copy, Delete restores the default.
 */
import type {
  ApigatewayApi, DeleteGatewayResponseRequest, GatewayResponse, GatewayResponseType, GetGatewayResponseRequest, GetGatewayResponsesRequest,
  PutGatewayResponseRequest, UpdateGatewayResponseRequest,
} from '../../generated/apigateway.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, notFound, omitKey, requireApi } from './api-record.js';
import type { PatchRule } from './patch.js';
import { applyPatch, stringField } from './patch.js';
import { page, updateApi } from './rest-apis.js';

type Ops = Pick<ApigatewayApi, 'PutGatewayResponse' | 'GetGatewayResponse' | 'GetGatewayResponses' | 'UpdateGatewayResponse' | 'DeleteGatewayResponse'>;

/** Default status codes by type; DEFAULT_4XX and DEFAULT_5XX have none (each error keeps its own). */
export const DEFAULT_STATUS: Record<GatewayResponseType, string | undefined> = {
  DEFAULT_4XX: undefined,
  DEFAULT_5XX: undefined,
  ACCESS_DENIED: '403',
  API_CONFIGURATION_ERROR: '500',
  AUTHORIZER_CONFIGURATION_ERROR: '500',
  AUTHORIZER_FAILURE: '500',
  BAD_REQUEST_PARAMETERS: '400',
  BAD_REQUEST_BODY: '400',
  EXPIRED_TOKEN: '403',
  INTEGRATION_FAILURE: '504',
  INTEGRATION_TIMEOUT: '504',
  INVALID_API_KEY: '403',
  INVALID_SIGNATURE: '403',
  MISSING_AUTHENTICATION_TOKEN: '403',
  QUOTA_EXCEEDED: '429',
  REQUEST_TOO_LARGE: '413',
  RESOURCE_NOT_FOUND: '404',
  THROTTLED: '429',
  UNAUTHORIZED: '401',
  UNSUPPORTED_MEDIA_TYPE: '415',
  WAF_FILTERED: '403',
};

export const RESPONSE_TYPES = Object.keys(DEFAULT_STATUS) as GatewayResponseType[];

/** The body template of every default gateway response. */
export const DEFAULT_TEMPLATE = '{"message":$context.error.messageString}';

export function defaultGatewayResponse(responseType: GatewayResponseType): GatewayResponse {
  return {
    responseType,
    statusCode: DEFAULT_STATUS[responseType],
    responseParameters: {},
    responseTemplates: { 'application/json': DEFAULT_TEMPLATE },
    defaultResponse: true,
  };
}

/** The API's response of this type: its customization, else the default. */
export function gatewayResponseOf(customized: Record<string, GatewayResponse> | undefined, responseType: GatewayResponseType): GatewayResponse {
  return customized?.[responseType] ?? defaultGatewayResponse(responseType);
}

function requireType(responseType: string): GatewayResponseType {
  if (!(RESPONSE_TYPES as string[]).includes(responseType)) throw badRequest(`Invalid response type specified: ${responseType}`);
  return responseType as GatewayResponseType;
}

function checkStatus(statusCode: string | undefined): void {
  if (statusCode !== undefined && !/^[1-5]\d\d$/.test(statusCode)) throw badRequest(`Invalid status code specified: ${statusCode}`);
}

// Response parameters name a header of the answer: gatewayresponse.header.<name> (the only target AWS allows).
function checkParameters(parameters: Record<string, string> | undefined): void {
  for (const key of Object.keys(parameters ?? {})) {
    if (!/^gatewayresponse\.header\.[^.\s]+$/.test(key)) {
      throw badRequest(`Invalid mapping expression specified: Validation Result: warnings : [], errors : [Invalid mapping expression parameter specified: ${key}]`);
    }
  }
}

const PATCH: PatchRule<GatewayResponse>[] = [
  stringField('/statusCode', (response, value) => {
    checkStatus(value);
    response.statusCode = value;
  }),
  {
    path: '/responseParameters/',
    apply: (response, op, value, key) => {
      checkParameters({ [key]: value ?? '' });
      response.responseParameters = op === 'remove' ? omitKey(response.responseParameters ?? {}, key) : { ...response.responseParameters, [key]: value ?? '' };
    },
  },
  {
    path: '/responseTemplates/',
    apply: (response, op, value, key) => {
      response.responseTemplates = op === 'remove' ? omitKey(response.responseTemplates ?? {}, key) : { ...response.responseTemplates, [key]: value ?? '' };
    },
  },
];

export function gatewayResponseOperations(runtime: ServiceRuntime): Ops {
  return {
    PutGatewayResponse(input: PutGatewayResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const responseType = requireType(input.responseType);
        checkStatus(input.statusCode);
        checkParameters(input.responseParameters);
        const response: GatewayResponse = {
          responseType,
          statusCode: input.statusCode ?? DEFAULT_STATUS[responseType],
          responseParameters: input.responseParameters ?? {},
          responseTemplates: input.responseTemplates ?? {},
          defaultResponse: false,
        };
        api.gatewayResponses = { ...api.gatewayResponses, [responseType]: response };
        return response;
      });
    },
    GetGatewayResponse(input: GetGatewayResponseRequest, ctx) {
      return gatewayResponseOf(requireApi(runtime, ctx, input.restApiId).gatewayResponses, requireType(input.responseType));
    },
    GetGatewayResponses(input: GetGatewayResponsesRequest, ctx) {
      const api = requireApi(runtime, ctx, input.restApiId);
      const all = RESPONSE_TYPES.map((responseType) => gatewayResponseOf(api.gatewayResponses, responseType));
      return page(all, (response) => response.responseType ?? '', input.position, input.limit);
    },
    UpdateGatewayResponse(input: UpdateGatewayResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const responseType = requireType(input.responseType);
        // Updating a default response customizes it, starting from what it was.
        const response = { ...structuredClone(gatewayResponseOf(api.gatewayResponses, responseType)), defaultResponse: false };
        applyPatch(response, input.patchOperations, PATCH);
        api.gatewayResponses = { ...api.gatewayResponses, [responseType]: response };
        return response;
      });
    },
    DeleteGatewayResponse(input: DeleteGatewayResponseRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const responseType = requireType(input.responseType);
        if (!api.gatewayResponses?.[responseType]) throw notFound('Invalid Gateway Response identifier specified');
        api.gatewayResponses = omitKey(api.gatewayResponses, responseType);
        return {};
      });
    },
  };
}
