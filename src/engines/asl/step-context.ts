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
   * Frames of Distributed Map iterations are detached: their events are not the parent's history.
   */
  emit(frame: Frame, type: HistoryEventType, details?: EventDetails): number {
    if (frame.detached === true) return frame.lastEventId;
    const id = this.record(type, frame.lastEventId, details);
    frame.lastEventId = id;
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
