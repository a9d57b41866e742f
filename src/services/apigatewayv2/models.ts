/**
 * Models (WebSocket APIs only): Create/Get/Update/Delete Model and GetModels. A model is a JSON schema that
 * routes name in RequestModels; names are alphanumeric and unique within the API.
 */
import type {
  Apigatewayv2Api, CreateModelRequest, DeleteModelRequest, GetModelRequest, GetModelsRequest, UpdateModelRequest,
} from '../../generated/apigatewayv2.js';
import type { ServiceRuntime } from '../service.js';
import { badRequest, changeApi, conflict, isWebSocket, newChildId, requireApi, requireModel, without } from './api-store.js';
import { paginate } from './pagination.js';
import type { ApiV2Record, ModelV2 } from './records.js';

type Ops = Pick<Apigatewayv2Api, 'CreateModel' | 'GetModel' | 'GetModels' | 'UpdateModel' | 'DeleteModel'>;

const MODEL_NAME = /^[A-Za-z0-9]+$/;

function checkModel(record: ApiV2Record, model: ModelV2): ModelV2 {
  if (!MODEL_NAME.test(model.Name)) throw badRequest('Model name must be alphanumeric');
  const twin = Object.values(record.models).find((other) => other.Name === model.Name && other.ModelId !== model.ModelId);
  if (twin) throw conflict(`Model name ${model.Name} already exists for this API`);
  if (model.Schema !== undefined) {
    try {
      JSON.parse(model.Schema);
    } catch {
      throw badRequest('Invalid model schema specified: the schema must be a JSON document');
    }
  }
  return model;
}

export function modelOperations(runtime: ServiceRuntime): Ops {
  return {
    CreateModel(input: CreateModelRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        if (!isWebSocket(record)) throw badRequest('Models are supported only for WebSocket APIs');
        const model = checkModel(record, { ModelId: newChildId(), Name: input.Name, Schema: input.Schema, ContentType: input.ContentType, Description: input.Description });
        record.models[model.ModelId] = model;
        return structuredClone(model);
      }, { redeploy: true });
    },
    GetModel(input: GetModelRequest, ctx) {
      return structuredClone(requireModel(requireApi(runtime, ctx, input.ApiId), input.ModelId));
    },
    GetModels(input: GetModelsRequest, ctx) {
      const record = requireApi(runtime, ctx, input.ApiId);
      return structuredClone(paginate(Object.values(record.models), (model) => model.ModelId, input.NextToken, input.MaxResults));
    },
    UpdateModel(input: UpdateModelRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const current = requireModel(record, input.ModelId);
        const changes = Object.fromEntries(Object.entries({ Name: input.Name, Schema: input.Schema, ContentType: input.ContentType, Description: input.Description }).filter(([, value]) => value !== undefined));
        const model = checkModel(record, { ...current, ...changes });
        record.models[model.ModelId] = model;
        return structuredClone(model);
      }, { redeploy: true });
    },
    DeleteModel(input: DeleteModelRequest, ctx) {
      return changeApi(runtime, ctx, input.ApiId, (record) => {
        const model = requireModel(record, input.ModelId);
        const user = Object.values(record.routes).find((route) => Object.values(route.RequestModels ?? {}).includes(model.Name));
        if (user) throw conflict(`Model ${model.Name} is in use by route ${user.RouteKey}`);
        record.models = without(record.models, input.ModelId);
        return {};
      }, { redeploy: true });
    },
  };
}
