import { evaluateJsonata, jsonataExpressionOf, renderJsonata } from './jsonata-evaluator.js';
import { toJsonText } from './json-value.js';
import { batchItems, openMapRun } from './map-run.js';
import { resolveMapSettings, selectItem } from './map-settings.js';
import { renderPayloadTemplate } from './payload-template.js';
import { queryPathField } from './path-query.js';
import { StateData } from './state-data.js';
import { StateFailure, StatesError, runtimeFailure } from './state-errors.js';
import { guarded } from './state-transitions.js';
import type { MapState } from './definition.js';
import type { MapProgress, StateRun } from './execution-state.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { FrameCursor, StepContext } from './step-context.js';

/**
 * Starts a Distributed Map (ItemProcessor.ProcessorConfig.Mode DISTRIBUTED,
 * https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html):
 * items come from the state input (ItemsPath, or Items in JSONata), each is
 * shaped by ItemSelector, ItemBatcher groups them, and a Map Run accounts for
 * them. Each iteration is a child workflow execution (map-run-children): it
 * runs as a frame of this execution, with its events kept out of this history
 * and in its own. ItemReader and ResultWriter read
 * and write Amazon S3, which Nimbus does not serve: they fail the state with
 * States.ItemReaderFailed / States.ResultWriterFailed naming the resource.
 */
export function startDistributedMap(ctx: StepContext, cursor: FrameCursor, run: StateRun, state: MapState): void {
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    if (state.ItemReader !== undefined) {
      throw new StateFailure(StatesError.ItemReaderFailed, { cause: `${unservedS3(state.ItemReader)} The ItemReader cannot read items from it; pass the items in the state input (ItemsPath or Items) instead.` });
    }
    if (state.ResultWriter !== undefined) {
      throw new StateFailure(StatesError.ResultWriterFailed, { cause: `${unservedS3(state.ResultWriter)} The ResultWriter cannot write the Map Run results to it.` });
    }
    const effectiveInput = data.effectiveInput();
    const settings = resolveMapSettings(state, data, effectiveInput);
    let items = settings.items;
    let batchSizes: number[] | undefined;
    if (state.ItemBatcher !== undefined) {
      const selected = items.map((value, index) => selectItem(state, data, effectiveInput, value, index));
      const batcher = resolveBatcher(state.ItemBatcher, data, effectiveInput);
      const batched = batchItems(selected, batcher.maxItems, batcher.maxBytes, batcher.batchInput);
      items = batched.batches;
      batchSizes = batched.sizes;
    }
    const started = ctx.emit(cursor.frame, 'MapStateStarted', { length: settings.items.length });
    const progress: MapProgress = {
      ...settings,
      items,
      effectiveInput,
      running: {},
      nextIndex: 0,
      results: items.map(() => null),
      failures: 0,
      anchorEventId: started,
      lastIterationEventId: started,
      ...(batchSizes === undefined ? {} : { batchSizes }),
    };
    progress.mapRunArn = openMapRun(ctx, state, run.name, progress, settings.items.length);
    ctx.emit(cursor.frame, 'MapRunStarted', { mapRunArn: progress.mapRunArn });
    run.map = progress;
    run.phase = 'children';
    run.retryAt = undefined;
  });
}

function unservedS3(config: JsonObject): string {
  const resource = typeof config.Resource === 'string' ? config.Resource : toJsonText(config.Resource ?? null);
  return `The resource '${resource}' is an Amazon S3 integration, and Nimbus does not serve Amazon S3 yet.`;
}

interface Batcher {
  readonly maxItems?: number;
  readonly maxBytes?: number;
  readonly batchInput?: JsonValue;
}

/** MaxItemsPerBatch / MaxInputBytesPerBatch (literal, ...Path, or JSONata) and BatchInput. */
function resolveBatcher(batcher: JsonObject, data: StateData, effectiveInput: JsonValue): Batcher {
  const maxItems = batchLimit(batcher, 'MaxItemsPerBatch', data, effectiveInput);
  const maxBytes = batchLimit(batcher, 'MaxInputBytesPerBatch', data, effectiveInput);
  const template = batcher.BatchInput;
  let batchInput: JsonValue | undefined;
  if (template !== undefined) {
    batchInput = data.isJsonata ? renderJsonata(template, 'BatchInput', data.jsonataScope()) : renderPayloadTemplate(template, data.pathScope(effectiveInput), data.ctx.env.random);
  }
  return { maxItems, maxBytes, batchInput };
}

function batchLimit(batcher: JsonObject, field: 'MaxItemsPerBatch' | 'MaxInputBytesPerBatch', data: StateData, effectiveInput: JsonValue): number | undefined {
  const literal = batcher[field];
  const path = batcher[`${field}Path`];
  let value: JsonValue | undefined = literal;
  if (typeof path === 'string') value = queryPathField(path, data.pathScope(effectiveInput));
  else if (typeof literal === 'string' && data.isJsonata) {
    const expression = jsonataExpressionOf(literal);
    if (expression !== undefined) value = evaluateJsonata(expression, field, data.jsonataScope());
  }
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  throw runtimeFailure(`The ${field} value must be a positive integer, but was ${toJsonText(value)}.`);
}
