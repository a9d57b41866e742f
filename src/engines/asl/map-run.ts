import { jsonByteLength } from './json-value.js';
import { randomUuid } from './random-source.js';
import type { MapState } from './definition.js';
import type { ExecutionState, Frame, MapProgress, MapRunStatus, MapRunSummary } from './execution-state.js';
import type { JsonValue } from './json-value.js';
import type { StepContext } from './step-context.js';

/**
 * The bookkeeping of a Distributed Map's Map Run: its ARN, the settings
 * UpdateMapRun may change, and item counts, kept in the execution state so
 * DescribeMapRun reads what the engine persisted
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeMapRun.html).
 * Counts are in items, not batches.
 */
export function isDistributed(state: MapState): boolean {
  return (state.ItemProcessor ?? state.Iterator)?.ProcessorConfig?.Mode === 'DISTRIBUTED';
}

/** arn:aws:states:<region>:<account>:mapRun:<machine name>/<Label or state name>:<uuid>. */
function mapRunArnFor(ctx: StepContext, state: MapState, stateName: string): string {
  const parts = ctx.state.info.executionArn.split(':');
  return `arn:aws:states:${parts[3]}:${parts[4]}:mapRun:${ctx.state.info.stateMachineName}/${state.Label ?? stateName}:${randomUuid(ctx.env.random)}`;
}

export function openMapRun(ctx: StepContext, state: MapState, stateName: string, progress: Omit<MapProgress, 'mapRunArn'>, itemCount: number): string {
  const mapRunArn = mapRunArnFor(ctx, state, stateName);
  ctx.state.mapRuns = {
    ...ctx.state.mapRuns,
    [mapRunArn]: {
      mapRunArn,
      stateName,
      startTime: ctx.now,
      status: 'RUNNING',
      maxConcurrency: progress.maxConcurrency,
      toleratedFailureCount: progress.toleratedFailureCount ?? 0,
      toleratedFailurePercentage: progress.toleratedFailurePercentage ?? 0,
      items: { total: itemCount, started: 0, succeeded: 0, failed: 0, aborted: 0 },
      executions: { total: progress.items.length, started: 0, succeeded: 0, failed: 0, aborted: 0 },
    },
  };
  return mapRunArn;
}

export function mapRunOf(state: ExecutionState, progress: MapProgress): MapRunSummary | undefined {
  return progress.mapRunArn === undefined ? undefined : state.mapRuns?.[progress.mapRunArn];
}

/** How many items the iteration at `index` carries: a batch's size, or one. */
export function itemsAt(progress: MapProgress, index: number): number {
  return progress.batchSizes?.[index] ?? 1;
}

export type IterationOutcome = 'started' | 'succeeded' | 'failed' | 'aborted';

export function countIteration(state: ExecutionState, progress: MapProgress, index: number, outcome: IterationOutcome): void {
  const summary = mapRunOf(state, progress);
  if (summary === undefined) return;
  summary.items[outcome] += itemsAt(progress, index);
  summary.executions[outcome] += 1;
}

export function closeMapRun(ctx: StepContext, progress: MapProgress, status: Exclude<MapRunStatus, 'RUNNING'>): void {
  const summary = mapRunOf(ctx.state, progress);
  if (summary === undefined || summary.status !== 'RUNNING') return;
  summary.status = status;
  summary.stopTime = ctx.now;
}

/** A redrive runs the unsuccessful iterations again: they go back to pending. */
export function reopenMapRun(ctx: StepContext, progress: MapProgress, rerun: readonly [number, Frame][]): void {
  const summary = mapRunOf(ctx.state, progress);
  if (summary === undefined) return;
  for (const [index, frame] of rerun) {
    for (const [counts, size] of [[summary.items, itemsAt(progress, index)], [summary.executions, 1]] as const) {
      counts.started -= size;
      if (frame.status === 'failed') counts.failed -= size;
      else counts.aborted -= size;
    }
  }
  summary.status = 'RUNNING';
  summary.stopTime = undefined;
  summary.redriveCount = (summary.redriveCount ?? 0) + 1;
  summary.redriveTime = ctx.now;
}

/** What UpdateMapRun may change while a Map Run is running. */
export interface MapRunUpdate {
  readonly maxConcurrency?: number;
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
}

export function applyMapRunUpdate(summary: MapRunSummary, progress: MapProgress | undefined, update: MapRunUpdate): void {
  if (update.maxConcurrency !== undefined) {
    summary.maxConcurrency = update.maxConcurrency;
    if (progress !== undefined) progress.maxConcurrency = update.maxConcurrency;
  }
  if (update.toleratedFailureCount !== undefined) {
    summary.toleratedFailureCount = update.toleratedFailureCount;
    if (progress !== undefined) progress.toleratedFailureCount = update.toleratedFailureCount;
  }
  if (update.toleratedFailurePercentage !== undefined) {
    summary.toleratedFailurePercentage = update.toleratedFailurePercentage;
    if (progress !== undefined) progress.toleratedFailurePercentage = update.toleratedFailurePercentage;
  }
}

/** ItemBatcher groups the selected items: { Items: [...] } plus BatchInput when given. */
export function batchItems(items: readonly JsonValue[], maxItems: number | undefined, maxBytes: number | undefined, batchInput: JsonValue | undefined): { batches: JsonValue[]; sizes: number[] } {
  const batches: JsonValue[] = [];
  const sizes: number[] = [];
  let current: JsonValue[] = [];
  let bytes = 0;
  const flush = (): void => {
    if (current.length === 0) return;
    batches.push(batchInput === undefined ? { Items: current } : { BatchInput: batchInput, Items: current });
    sizes.push(current.length);
    current = [];
    bytes = 0;
  };
  for (const item of items) {
    const size = jsonByteLength(item);
    if (current.length > 0 && ((maxItems !== undefined && current.length >= maxItems) || (maxBytes !== undefined && bytes + size > maxBytes))) flush();
    current.push(item);
    bytes += size;
  }
  flush();
  return { batches, sizes };
}
