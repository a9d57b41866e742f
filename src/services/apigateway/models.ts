/** Models (JSON Schema draft 4 documents) and request validators of a REST API. */
import type {
  ApigatewayApi, CreateModelRequest, CreateRequestValidatorRequest, DeleteModelRequest, DeleteRequestValidatorRequest, GetModelRequest,
  GetModelsRequest, GetRequestValidatorRequest, GetRequestValidatorsRequest, Model, RequestValidator,
} from '../../generated/apigateway.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, conflict, newId, notFound, omitKey, requireApi } from './api-record.js';
import { page, updateApi } from './rest-apis.js';

type Ops = Pick<ApigatewayApi,
  'CreateModel' | 'GetModel' | 'GetModels' | 'DeleteModel' | 'CreateRequestValidator' | 'GetRequestValidator' | 'GetRequestValidators' | 'DeleteRequestValidator'>;

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

/** Every new REST API comes with the Empty and Error models (https://docs.aws.amazon.com/apigateway/latest/developerguide/models-mappings-models.html). */
export function defaultModels(): Record<string, Model> {
  const model = (name: string, description: string, schema: object): Model => ({
    id: newId(), name, description, contentType: 'application/json', schema: JSON.stringify({ $schema: DRAFT_04, title: `${name} Schema`, ...schema }),
  });
  return {
    Empty: model('Empty', 'This is a default empty schema model', { type: 'object' }),
    Error: model('Error', 'This is a default error schema model', { type: 'object', properties: { message: { type: 'string' } } }),
  };
}

export function checkSchema(schema: string | undefined): void {
  if (schema === undefined) return;
  let parsed: unknown;
  try {
    parsed = JSON.parse(schema);
  } catch {
    parsed = undefined;
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw badRequest('Invalid model specified: Validation Result: warnings : [], errors : [Invalid model schema specified]');
  }
}

export function modelOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateModel(input: CreateModelRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        if (!/^[a-zA-Z0-9]+$/.test(input.name)) throw badRequest('Model name must be alphanumeric');
        if (api.models[input.name]) throw conflict('Model name already exists for this REST API');
        checkSchema(input.schema);
        const model: Model = { id: newId(), name: input.name, description: input.description, schema: input.schema, contentType: input.contentType };
        api.models[model.name!] = model;
        return model;
      });
    },
    GetModel(input: GetModelRequest, ctx) {
      const model = requireApi(runtime, ctx, input.restApiId).models[input.modelName];
      if (!model) throw notFound(`Invalid model name specified: ${input.modelName}`);
      return model;
    },
    GetModels(input: GetModelsRequest, ctx) {
      const all = Object.values(requireApi(runtime, ctx, input.restApiId).models);
      return page(all, (model) => model.name ?? '', input.position, input.limit);
    },
    DeleteModel(input: DeleteModelRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        if (!api.models[input.modelName]) throw notFound(`Invalid model name specified: ${input.modelName}`);
        const inUse = Object.values(api.resources).some((resource) => Object.values(resource.methods).some((method) => Object.values(method.requestModels ?? {}).includes(input.modelName)));
        if (inUse) throw conflict(`Cannot delete model '${input.modelName}', is referenced in method request or method response`);
        api.models = omitKey(api.models, input.modelName);
        return {};
      });
    },
    CreateRequestValidator(input: CreateRequestValidatorRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        const validator: RequestValidator = {
          id: newId().slice(0, 6), name: input.name, validateRequestBody: input.validateRequestBody ?? false, validateRequestParameters: input.validateRequestParameters ?? false,
        };
        api.requestValidators[validator.id!] = validator;
        return validator;
      });
    },
    GetRequestValidator(input: GetRequestValidatorRequest, ctx) {
      const validator = requireApi(runtime, ctx, input.restApiId).requestValidators[input.requestValidatorId];
      if (!validator) throw notFound('Invalid Request Validator identifier specified');
      return validator;
    },
    GetRequestValidators(input: GetRequestValidatorsRequest, ctx) {
      const all = Object.values(requireApi(runtime, ctx, input.restApiId).requestValidators);
      return page(all, (validator) => validator.id ?? '', input.position, input.limit);
    },
    DeleteRequestValidator(input: DeleteRequestValidatorRequest, ctx) {
      return updateApi(runtime, ctx, input.restApiId, (api) => {
        if (!api.requestValidators[input.requestValidatorId]) throw notFound('Invalid Request Validator identifier specified');
        api.requestValidators = omitKey(api.requestValidators, input.requestValidatorId);
        return {};
      });
    },
  };
}
