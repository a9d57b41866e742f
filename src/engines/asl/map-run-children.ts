import { processorOf } from './definition.js';
import { toJsonText } from './json-value.js';
import { itemsAt } from './map-run.js';
import { randomUuid } from './random-source.js';
import { abortFrame } from './state-transitions.js';
import type { MapState } from './definition.js';
import type { Frame, MapProgress } from './execution-state.js';
import type { EventDetails } from './history-events.js';
import type { JsonValue } from './json-value.js';
import type { ErrorInfo } from './state-errors.js';
import type { StepContext } from './step-context.js';

/**
 * The child workflow executions of a Map Run: each iteration of a Distributed
 * Map (each batch with ItemBatcher) is one, with the item as its input and a
 * history of its own that starts with ExecutionStarted and ends with
 * ExecutionSucceeded, ExecutionFailed or ExecutionAborted
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-map-distributed.html).
 * The engine still runs the iteration as a frame of the parent execution, so
 * a child lives and dies with the parent's state: stopping the parent aborts
 * it and redriving the parent runs it again when it did not succeed. Express
 * children keep no history (AWS sends theirs to CloudWatch Logs only), so
 * only Standard ones are reported to the host.
 */

/** arn:aws:states:<region>:<account>:execution:<machine name>/<Map Run label>:<uuid>, under its Map Run's label. */
export function childExecutionArn(mapRunArn: string, ctx: StepContext): string {
  const parts = mapRunArn.split(':');
  return [...parts.slice(0, 5), 'execution', parts[6], randomUuid(ctx.env.random)].join(':');
}

/** The definition a Standard child runs, as text; undefined when children are Express and keep no history. */
export function childDefinition(state: MapState): string | undefined {
  const processor = processorOf(state);
  return processor.ProcessorConfig?.ExecutionType === 'EXPRESS' ? undefined : JSON.stringify(processor);
}

/** Makes a fresh iteration frame a child execution: detached from the parent's history, with its own when Standard. */
export function openChild(ctx: StepContext, progress: MapProgress, frame: Frame, index: number, input: JsonValue, definition: string | undefined): void {
  frame.detached = true;
  const mapRunArn = progress.mapRunArn;
  if (definition === undefined || mapRunArn === undefined) return;
  const executionArn = childExecutionArn(mapRunArn, ctx);
  frame.child = executionArn;
  // The first state's entered event points back at 0, as at the top of any execution.
  frame.lastEventId = 0;
  ctx.recordChild(executionArn, 'ExecutionStarted', 0, { input: toJsonText(input), inputDetails: { truncated: false }, roleArn: ctx.state.info.roleArn });
  ctx.childStarts.push({ executionArn, mapRunArn, itemCount: itemsAt(progress, index), definition });
}

/** Ends a child's history the way its frame ended. A child that succeeded writes nothing more, so its counter goes. */
export function closeChild(ctx: StepContext, frame: Frame): void {
  const executionArn = frame.child;
  if (executionArn === undefined) return;
  if (frame.status === 'succeeded') {
    ctx.recordChild(executionArn, 'ExecutionSucceeded', frame.lastEventId, { output: toJsonText(frame.output ?? null), outputDetails: { truncated: false } });
    if (ctx.state.childEventIds !== undefined) Reflect.deleteProperty(ctx.state.childEventIds, executionArn);
  } else if (frame.status === 'failed') {
    ctx.recordChild(executionArn, 'ExecutionFailed', frame.lastEventId, errorDetails(frame.failure));
  } else if (frame.status === 'aborted') {
    ctx.recordChild(executionArn, 'ExecutionAborted', lastChildEventId(ctx, executionArn), errorDetails(frame.failure));
  }
}

/**
 * StopExecution of one child: it ends ABORTED (with the stop's error and cause) at once, and the Map Run
 * counts it as aborted (API_MapRunExecutionCounts: "stopped by the user"). Its Map state then settles it as
 * an unsuccessful child, which a redrive reruns; that it also counts against the tolerated failures is
 * Nimbus's reading, as the documentation does not say.
 */
export function stopChild(ctx: StepContext, frame: Frame, failure: ErrorInfo): void {
  abortFrame(ctx, frame, lastChildEventId(ctx, frame.child ?? ''));
  frame.failure = failure;
  closeChild(ctx, frame);
}

function errorDetails(failure: ErrorInfo | undefined): EventDetails {
  return {
    ...(failure?.error === undefined ? {} : { error: failure.error }),
    ...(failure?.cause === undefined ? {} : { cause: failure.cause }),
  };
}

/** A redrive of the parent runs an unsuccessful child again under the same ARN; returns the ExecutionRedriven event id to chain from. */
export function redriveChild(ctx: StepContext, frame: Frame): number | undefined {
  const executionArn = frame.child;
  if (executionArn === undefined) return undefined;
  frame.childRedriveCount = (frame.childRedriveCount ?? 0) + 1;
  return ctx.recordChild(executionArn, 'ExecutionRedriven', lastChildEventId(ctx, executionArn), { redriveCount: frame.childRedriveCount });
}

function lastChildEventId(ctx: StepContext, executionArn: string): number {
  return ctx.state.childEventIds?.[executionArn] ?? 0;
}
