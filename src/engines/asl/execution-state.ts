import type { StateType } from './definition.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { ErrorInfo } from './state-errors.js';
import type { TaskKind } from './task-resource.js';

/**
 * Everything the engine needs to continue an execution, as plain JSON: the
 * host persists it after every step and hands it back with the next signal,
 * so an execution survives restarts of the process that drives it.
 */
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

export interface ExecutionInfo {
  readonly executionArn: string;
  readonly name: string;
  readonly roleArn: string;
  readonly stateMachineArn: string;
  readonly stateMachineName: string;
  /** Region that service integrations run in, taken from the execution ARN. */
  readonly region: string;
  /** Epoch milliseconds. */
  readonly startTime: number;
  readonly input: JsonValue;
}

export interface ExecutionState {
  readonly info: ExecutionInfo;
  status: ExecutionStatus;
  /** Id of the last history event written; the next one is this plus one. */
  lastEventId: number;
  /** Counter behind task ids. */
  taskCounter: number;
  root: Frame;
  output?: JsonValue;
  error?: ErrorInfo;
  /** How many times RedriveExecution restarted the execution, and when it last did (epoch ms). */
  redriveCount?: number;
  redriveTime?: number;
  /** Distributed Map runs by Map Run ARN: their settings and item counts, for DescribeMapRun. */
  mapRuns?: Record<string, MapRunSummary>;
  /**
   * The id of the last history event of each Map Run child execution that still may write one
   * (running, or unsuccessful and so redrivable), by child execution ARN: child histories number from 1.
   */
  childEventIds?: Record<string, number>;
}

/** How many there are, and how many started and ended each way; pending and running are derived. */
export interface MapRunCounts {
  total: number;
  started: number;
  succeeded: number;
  failed: number;
  aborted: number;
}

export type MapRunStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'ABORTED';

export interface MapRunSummary {
  readonly mapRunArn: string;
  readonly stateName: string;
  readonly startTime: number;
  stopTime?: number;
  status: MapRunStatus;
  maxConcurrency: number;
  toleratedFailureCount: number;
  toleratedFailurePercentage: number;
  /** Counted in items, and in iterations (each one a child execution in AWS; a batch with ItemBatcher). */
  items: MapRunCounts;
  executions: MapRunCounts;
  redriveCount?: number;
  redriveTime?: number;
}

/** Where a frame's states are defined: the path of Parallel branches and Map processors from the top. */
export interface ScopeStep {
  readonly state: string;
  /** Branch index inside a Parallel state; absent for a Map's ItemProcessor. */
  readonly branch?: number;
}

export type FrameStatus = 'running' | 'succeeded' | 'failed' | 'aborted';

/**
 * One thread of control: the top level, a Parallel branch or a Map iteration.
 * Each has its own variable scope and its own chain of previousEventId.
 */
export interface Frame {
  readonly scope: readonly ScopeStep[];
  status: FrameStatus;
  variables: JsonObject;
  lastEventId: number;
  run?: StateRun;
  output?: JsonValue;
  failure?: ErrorInfo;
  /** The state a failed or aborted frame was in, kept so RedriveExecution can restart it there. */
  interrupted?: StateRun;
  /** Iterations of a Distributed Map and every frame inside them: their events stay out of the parent's history. */
  detached?: boolean;
  /**
   * Set on detached frames of a child workflow execution that keeps a history (ExecutionType STANDARD):
   * the child's execution ARN, whose history gets their events. Express children keep none.
   */
  child?: string;
  /** On a child's own frame: how many times a redrive of the parent ran it again. */
  childRedriveCount?: number;
}

export type RunPhase = 'entered' | 'waiting' | 'task' | 'children' | 'retrying';

/** The state a frame is executing. */
export interface StateRun {
  readonly name: string;
  readonly type: StateType;
  readonly enteredEventId: number;
  readonly enteredTime: number;
  /** The raw state input. */
  readonly input: JsonValue;
  phase: RunPhase;
  retryCount: number;
  retrierAttempts: number[];
  retryAt?: number;
  waitUntil?: number;
  task?: PendingTask;
  parallel?: ParallelProgress;
  map?: MapProgress;
}

export interface PendingTask {
  readonly taskId: string;
  readonly kind: TaskKind;
  readonly arn: string;
  readonly resourceType: string;
  readonly resource: string;
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  started: boolean;
  timeoutAt?: number;
  heartbeatAt?: number;
}

export interface ParallelProgress {
  readonly branches: Frame[];
  /** The event later Parallel-level events point back to. */
  anchorEventId: number;
}

export interface MapProgress {
  readonly items: JsonValue[];
  /** The state's effective input, which ItemSelector reads. */
  readonly effectiveInput: JsonValue;
  /** UpdateMapRun may change these while a Distributed Map runs. */
  maxConcurrency: number;
  toleratedFailureCount?: number;
  toleratedFailurePercentage?: number;
  /** Running iterations by item (or batch) index. */
  running: Record<string, Frame>;
  /** Failed and aborted iterations by index, which a redrive runs again. */
  unsuccessful?: Record<string, Frame>;
  /** Set for a Distributed Map: the Map Run that accounts for its items. */
  mapRunArn?: string;
  /** ItemBatcher: `items` then holds the batches, already selected; this is how many items each holds. */
  batchSizes?: number[];
  nextIndex: number;
  results: JsonValue[];
  failures: number;
  anchorEventId: number;
  lastIterationEventId: number;
}

