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
  readonly maxConcurrency: number;
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
  /** Running iterations by item index. */
  running: Record<string, Frame>;
  nextIndex: number;
  results: JsonValue[];
  failures: number;
  anchorEventId: number;
  lastIterationEventId: number;
}
