import { createHash } from 'node:crypto';
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
  /**
   * The definition the execution started with (updates to the machine do not change it), as its key in
   * `definitions`: the record is read and rewritten at every step, and a long definition would dominate
   * that cost. Records written before definitions were shared carry the text itself in `definition`.
   */
  readonly definitionKey?: string;
  readonly definition?: string;
  /** The role the execution started with. */
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
  /**
   * Set on a child workflow execution of a Distributed Map's Map Run: the parent's engine state runs it,
   * and this record mirrors its progress (it has no engine state of its own). itemCount: how many items it processed.
   */
  readonly mapRunArn?: string;
  readonly itemCount?: number;
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
   * Written with packHistory and read with unpackHistory.
   */
  readonly history: Collection<HistoryEvent[]>;
  /** History as stored before chunks: one event per record under the same keys. Read only, for those executions. */
  readonly legacyHistory: Collection<HistoryEvent>;
  readonly taskTokens: Collection<TaskTokenRecord>;
  readonly mapRuns: Collection<MapRunRecord>;
  /** Definition texts executions started with, by `definitionKeyOf`: written once, shared by every execution of it. */
  readonly definitions: Collection<string>;
}

export function stepFunctionsCollections(store: Store): StepFunctionsCollections {
  return {
    store,
    stateMachines: store.collection<StateMachineRecord>('stepfunctions/global/-/state-machines'),
    versions: store.collection<StateMachineVersionRecord>('stepfunctions/global/-/state-machine-versions'),
    aliases: store.collection<StateMachineAliasRecord>('stepfunctions/global/-/state-machine-aliases'),
    executions: store.collection<ExecutionRecord>('stepfunctions/global/-/executions'),
    history: store.collection<HistoryEvent[]>('stepfunctions/global/-/history-chunks'),
    legacyHistory: store.collection<HistoryEvent>('stepfunctions/global/-/history'),
    taskTokens: store.collection<TaskTokenRecord>('stepfunctions/global/-/task-tokens'),
    mapRuns: store.collection<MapRunRecord>('stepfunctions/global/-/map-runs'),
    definitions: store.collection<string>('stepfunctions/global/-/definitions'),
  };
}

/** Content addressing: equal texts share one record, and a key never has to change. */
export function definitionKeyOf(definition: string): string {
  return createHash('sha256').update(definition).digest('hex');
}

/** Stores a definition text under its key unless it is already there (one cheap count, no rewrite). */
export function shareDefinition(records: StepFunctionsCollections, definition: string): string {
  const key = definitionKeyOf(definition);
  if (records.definitions.count(key) === 0) records.definitions.put(key, definition);
  return key;
}

/** The definition text an execution started with; undefined only if its shared record is gone. */
export function executionDefinition(records: StepFunctionsCollections, record: ExecutionRecord): string | undefined {
  return record.definition ?? (record.definitionKey === undefined ? undefined : records.definitions.get(record.definitionKey));
}

export function historyKey(executionArn: string, eventId: number): string {
  return `${executionArn}/${String(eventId).padStart(10, '0')}`;
}

/**
 * A state's entered event carries the same input text as the exited event just before it (the previous
 * state's output), which is most of a chain's history; a stored chunk keeps that text once, with `input: null`
 * on the entered event (a real input is always JSON text, never null). Chunks stored before carry every input.
 */
export function packHistory(events: readonly HistoryEvent[]): HistoryEvent[] {
  return events.map((event, i) => {
    const entered = event.stateEnteredEventDetails;
    if (entered === undefined || i === 0 || typeof entered.input !== 'string') return event;
    return entered.input === events[i - 1].stateExitedEventDetails?.output ? { ...event, stateEnteredEventDetails: { ...entered, input: null } } : event;
  });
}

/** The events of a stored chunk as the engine emitted them. */
export function unpackHistory(chunk: HistoryEvent[]): HistoryEvent[] {
  for (let i = 1; i < chunk.length; i++) {
    const entered = chunk[i].stateEnteredEventDetails;
    if (entered?.input === null) chunk[i] = { ...chunk[i], stateEnteredEventDetails: { ...entered, input: chunk[i - 1].stateExitedEventDetails?.output ?? null } };
  }
  return chunk;
}
