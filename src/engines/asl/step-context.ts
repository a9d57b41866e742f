import { detailsKeyOf } from './history-events.js';
import type { StateMachineDefinition, StatesBlock } from './definition.js';
import type { ExecutionState, Frame } from './execution-state.js';
import type { EventDetails, HistoryEvent, HistoryEventType } from './history-events.js';
import type { JsonValue } from './json-value.js';
import type { JsonataEvaluator } from './jsonata-evaluator.js';
import type { RandomSource } from './random-source.js';
import type { IntegrationPattern, TaskKind } from './task-resource.js';

/** What the host injects into every step: the engine reads no clock and draws no randomness of its own. */
export interface EngineEnvironment {
  /** The current time, epoch milliseconds. */
  readonly now: number;
  /** Uniform numbers in [0, 1): retry jitter, States.MathRandom without a seed, States.UUID. */
  readonly random: RandomSource;
  /** Makes a task token for .waitForTaskToken and activity tasks; defaults to a UUID drawn from `random`. */
  readonly taskToken?: () => string;
  /** Evaluates JSONata expressions; required only by JSONata states. */
  readonly jsonata?: JsonataEvaluator;
  /** Sees each stage of the top-level states' data processing and error handling (TestState's inspectionData). */
  readonly inspect?: Inspector;
}

/** The stages TestState reports, named as InspectionData's fields; `retry` and `catch` carry the handler taken. */
export type InspectionStage = 'afterInputPath' | 'afterParameters' | 'afterArguments' | 'result' | 'afterResultSelector' | 'afterResultPath' | 'retry' | 'catch';

export type Inspector = (stage: InspectionStage, value: JsonValue, stateName: string) => void;

/** Reports a stage of a top-level state to the environment's inspector, if any. */
export function inspectStage(ctx: StepContext, cursor: FrameCursor, stateName: string, stage: InspectionStage, value: JsonValue): void {
  if (cursor.parent === undefined) ctx.env.inspect?.(stage, value, stateName);
}

/** Work the host must do after a step. */
export type HostCommand = ScheduleTaskCommand | CancelTaskCommand;

export interface ScheduleTaskCommand {
  readonly type: 'scheduleTask';
  readonly taskId: string;
  readonly kind: TaskKind;
  /** The state's Resource ARN. */
  readonly resource: string;
  /** For integrations: the service ("lambda", "aws-sdk:s3") and the action without its pattern suffix. */
  readonly service: string;
  readonly action: string;
  readonly pattern: IntegrationPattern;
  readonly region: string;
  /** The effective input (Parameters or Arguments). */
  readonly input: JsonValue;
  readonly taskToken?: string;
  readonly timeoutSeconds?: number;
  readonly heartbeatSeconds?: number;
  readonly roleArn?: string;
  readonly stateName: string;
}

export interface CancelTaskCommand {
  readonly type: 'cancelTask';
  readonly taskId: string;
}

/** A child workflow execution a Distributed Map's Map Run started (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html). */
export interface ChildExecutionStart {
  readonly executionArn: string;
  readonly mapRunArn: string;
  /** How many items it processes: its batch's size with ItemBatcher, else one. */
  readonly itemCount: number;
  /** The ItemProcessor it runs, as definition text. */
  readonly definition: string;
}

/** A frame with what it takes to evaluate its states: where its states live and its enclosing frames. */
export interface FrameCursor {
  readonly frame: Frame;
  readonly block: StatesBlock;
  readonly parent?: FrameCursor;
}

/** The mutable working set of one step: the state being advanced and what the step produced. */
export class StepContext {
  readonly events: HistoryEvent[] = [];
  readonly commands: HostCommand[] = [];
  /** Events of Map Run child executions this step wrote, by child execution ARN, each list in id order. */
  readonly childEvents = new Map<string, HistoryEvent[]>();
  /** Map Run child executions this step started. */
  readonly childStarts: ChildExecutionStart[] = [];

  constructor(
    readonly definition: StateMachineDefinition,
    readonly state: ExecutionState,
    readonly env: EngineEnvironment,
  ) {}

  get now(): number {
    return this.env.now;
  }

  /** Appends an event whose previousEventId is given explicitly; returns its id. */
  record(type: HistoryEventType, previousEventId: number, details?: EventDetails): number {
    this.state.lastEventId += 1;
    const id = this.state.lastEventId;
    const event: Record<string, unknown> = { id, previousEventId, timestamp: this.now, type };
    if (details !== undefined) event[detailsKeyOf(type)] = details;
    this.events.push(event as unknown as HistoryEvent);
    return id;
  }

  /**
   * Appends an event to a frame's chain: it points at the frame's last event and becomes it.
   * Frames of Distributed Map iterations are detached: their events go to the child execution's history, if it keeps one.
   */
  emit(frame: Frame, type: HistoryEventType, details?: EventDetails): number {
    if (frame.detached === true && frame.child === undefined) return frame.lastEventId;
    const id = frame.child === undefined ? this.record(type, frame.lastEventId, details) : this.recordChild(frame.child, type, frame.lastEventId, details);
    frame.lastEventId = id;
    return id;
  }

  /**
   * `record` into the history the frame belongs to: the execution's, a Map Run child's, or none
   * for an Express child (then nothing is written and `previousEventId` comes back).
   */
  recordFor(frame: Frame, type: HistoryEventType, previousEventId: number, details?: EventDetails): number {
    if (frame.detached !== true) return this.record(type, previousEventId, details);
    return frame.child === undefined ? previousEventId : this.recordChild(frame.child, type, previousEventId, details);
  }

  /** Appends an event to a Map Run child execution's own history, numbered from 1; returns its id. */
  recordChild(childArn: string, type: HistoryEventType, previousEventId: number, details?: EventDetails): number {
    const ids = (this.state.childEventIds ??= {});
    const id = (ids[childArn] ?? 0) + 1;
    ids[childArn] = id;
    const event: Record<string, unknown> = { id, previousEventId, timestamp: this.now, type };
    if (details !== undefined) event[detailsKeyOf(type)] = details;
    let log = this.childEvents.get(childArn);
    if (log === undefined) {
      log = [];
      this.childEvents.set(childArn, log);
    }
    log.push(event as unknown as HistoryEvent);
    return id;
  }

  command(command: HostCommand): void {
    this.commands.push(command);
  }
}

/** Looks a variable up in the frame's scope, then in each enclosing scope. */
export function lookupVariable(cursor: FrameCursor, name: string): JsonValue | undefined {
  for (let current: FrameCursor | undefined = cursor; current !== undefined; current = current.parent) {
    if (name in current.frame.variables) return current.frame.variables[name];
  }
  return undefined;
}

/** Every variable visible from a frame, inner scopes shadowing none (names are unique across scopes). */
export function visibleVariables(cursor: FrameCursor): Record<string, JsonValue> {
  const chain: FrameCursor[] = [];
  for (let current: FrameCursor | undefined = cursor; current !== undefined; current = current.parent) chain.unshift(current);
  return Object.assign({}, ...chain.map((item) => item.frame.variables)) as Record<string, JsonValue>;
}
