import type { ExecutionState, HistoryEvent, ScheduleTaskCommand } from '../../engines/asl/index.js';
import type { LoggingConfiguration, StateMachineType, Tag } from '../../generated/stepfunctions.js';
import type { Collection, Store } from '../../store/store.js';

/**
 * The records Step Functions keeps. Every collection is keyed by ARN, and an
 * ARN already carries its account and region, so the collections are global:
 * that lets the execution driver find every RUNNING execution at start-up
 * without knowing which accounts and regions exist.
 */
export interface StateMachineRecord {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: StateMachineType;
  definition: string;
  roleArn: string;
  loggingConfiguration: LoggingConfiguration;
  tracingEnabled: boolean;
  /** Epoch milliseconds. */
  readonly creationDate: number;
  updateDate: number;
  revisionId: string;
  status: 'ACTIVE' | 'DELETING';
  tags: Tag[];
  /** The highest version number published so far; numbers are never reused. */
  latestVersion?: number;
}

/** An immutable snapshot of a machine, `${stateMachineArn}:${version}`. */
export interface StateMachineVersionRecord {
  readonly stateMachineVersionArn: string;
  readonly stateMachineArn: string;
  readonly version: number;
  readonly definition: string;
  readonly roleArn: string;
  readonly type: StateMachineType;
  readonly loggingConfiguration: LoggingConfiguration;
  readonly tracingEnabled: boolean;
  readonly revisionId: string;
  readonly description?: string;
  readonly creationDate: number;
}

/** A named pointer that splits executions between one or two versions by weight. */
export interface StateMachineAliasRecord {
  readonly stateMachineAliasArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  description?: string;
  routingConfiguration: { stateMachineVersionArn: string; weight: number }[];
  readonly creationDate: number;
  updateDate: number;
}

/** Who waits for an execution started by a `states:startExecution.sync` task. */
export interface ParentTask {
  readonly executionArn: string;
  readonly taskId: string;
  readonly pattern: 'sync' | 'sync:2';
}

export interface ExecutionRecord {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: StateMachineType;
  /** The definition and role the execution started with: updates to the machine do not change it. */
  readonly definition: string;
  readonly roleArn: string;
  /** Set when the execution was started through a version ARN. */
  readonly stateMachineVersionArn?: string;
  /** Set when the execution was started through an alias ARN. */
  readonly stateMachineAliasArn?: string;
  readonly input: string;
  readonly startDate: number;
  status: ExecutionState['status'];
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** Absent until the driver has run the first step (StartExecution returns before that). */
  engine?: ExecutionState;
  /** Epoch ms of the next tick the engine asked for. */
  wakeAt?: number;
  /** Tasks handed to an integration whose outcome the execution still waits for, by task id. */
  inflight: Record<string, ScheduleTaskCommand>;
  /** Child executions started with .sync, by task id: stopped when the task is cancelled. */
  children: Record<string, string>;
  readonly parent?: ParentTask;
  /** The machine's logging configuration when the execution started. */
  readonly logging?: LoggingConfiguration;
  /** RedriveExecution: how many times, the last time (epoch ms), and the clientToken it carried. */
  redriveCount?: number;
  redriveDate?: number;
  redriveClientToken?: string;
}

/** Finds the execution that owns a Map Run; the Map Run itself lives in that execution's engine state. */
export interface MapRunRecord {
  readonly mapRunArn: string;
  readonly executionArn: string;
}

export interface TaskTokenRecord {
  readonly executionArn: string;
  readonly taskId: string;
}

export interface StepFunctionsCollections {
  readonly store: Store;
  readonly stateMachines: Collection<StateMachineRecord>;
  readonly versions: Collection<StateMachineVersionRecord>;
  readonly aliases: Collection<StateMachineAliasRecord>;
  readonly executions: Collection<ExecutionRecord>;
  /**
   * The events of one step in one record, keyed by `${executionArn}/${zero-padded id of its first event}`,
   * so one execution's chunks list in id order: a step that runs a thousand states writes one record, not two thousand.
   */
  readonly history: Collection<HistoryEvent[]>;
  readonly taskTokens: Collection<TaskTokenRecord>;
  readonly mapRuns: Collection<MapRunRecord>;
}

export function stepFunctionsCollections(store: Store): StepFunctionsCollections {
  return {
    store,
    stateMachines: store.collection<StateMachineRecord>('stepfunctions/global/-/state-machines'),
    versions: store.collection<StateMachineVersionRecord>('stepfunctions/global/-/state-machine-versions'),
    aliases: store.collection<StateMachineAliasRecord>('stepfunctions/global/-/state-machine-aliases'),
    executions: store.collection<ExecutionRecord>('stepfunctions/global/-/executions'),
    history: store.collection<HistoryEvent[]>('stepfunctions/global/-/history-chunks'),
    taskTokens: store.collection<TaskTokenRecord>('stepfunctions/global/-/task-tokens'),
    mapRuns: store.collection<MapRunRecord>('stepfunctions/global/-/map-runs'),
  };
}

export function historyKey(executionArn: string, eventId: number): string {
  return `${executionArn}/${String(eventId).padStart(10, '0')}`;
}
