import { redriveExecution, resumeExecution, startExecution } from './engine.js';
import { seededRandom } from './random-source.js';
import { validateDefinition } from './validate-definition.js';
import type { ExecutionSignal, StepResult } from './engine.js';
import type { ExecutionState, ExecutionStatus } from './execution-state.js';
import type { HistoryEvent } from './history-events.js';
import type { JsonValue } from './json-value.js';
import type { JsonataEvaluator } from './jsonata-evaluator.js';
import type { ChildExecutionStart, EngineEnvironment, HostCommand, ScheduleTaskCommand } from './step-context.js';

/**
 * A small synchronous host for tests: it answers every scheduled task from a
 * table of fakes, advances a fake clock to each `wakeAt`, and runs the
 * execution until it ends or nothing more can happen.
 */
export type TaskReply =
  | { readonly output: JsonValue; readonly heartbeats?: number }
  | { readonly error: string; readonly cause?: string }
  | { readonly hang: true };

export type FakeTask = (command: ScheduleTaskCommand, attempt: number) => TaskReply;

export interface DriverOptions {
  readonly input?: JsonValue;
  /** Fakes by Task state name; a state without one hangs (waits for a token forever). */
  readonly tasks?: Readonly<Record<string, FakeTask>>;
  readonly startTime?: number;
  readonly seed?: number;
  readonly jsonata?: JsonataEvaluator;
  /** Signals to send once the execution first blocks, e.g. a stop. */
  readonly afterStart?: readonly ExecutionSignal[];
  /** Redrive this ended execution instead of starting a new one. */
  readonly redrive?: ExecutionState;
}

export interface DriverRun {
  readonly status: ExecutionStatus;
  readonly state: ExecutionState;
  readonly events: HistoryEvent[];
  readonly commands: HostCommand[];
  /** Map Run child executions started, and every event written to their histories, by child ARN. */
  readonly childStarts: ChildExecutionStart[];
  readonly childEvents: Map<string, HistoryEvent[]>;
  readonly output?: JsonValue;
  readonly error?: string;
  readonly cause?: string;
  /** Clock reading when the run stopped. */
  readonly endTime: number;
}

export const TEST_START_TIME = Date.UTC(2024, 0, 15, 10, 0, 0);
export const TEST_EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:TestMachine:run-1';
export const TEST_STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:TestMachine';
export const TEST_ROLE_ARN = 'arn:aws:iam::123456789012:role/TestRole';

export function runWorkflow(definitionSource: JsonValue, options: DriverOptions = {}): DriverRun {
  const validation = validateDefinition(definitionSource);
  if (!validation.ok) throw new Error(validation.message);
  const definition = validation.definition;
  const random = seededRandom(options.seed ?? 7);
  let clock = options.startTime ?? TEST_START_TIME;
  let tokenCounter = 0;
  const env = (): EngineEnvironment => ({ now: clock, random, jsonata: options.jsonata, taskToken: () => `token-${++tokenCounter}` });
  const events: HistoryEvent[] = [];
  const commands: HostCommand[] = [];
  const childStarts: ChildExecutionStart[] = [];
  const childEvents = new Map<string, HistoryEvent[]>();
  const attempts = new Map<string, number>();
  const queue: ExecutionSignal[] = [];
  const pendingAfterStart = [...(options.afterStart ?? [])];

  const absorb = (result: StepResult): StepResult => {
    events.push(...result.events);
    commands.push(...result.commands);
    childStarts.push(...result.childStarts);
    for (const [executionArn, written] of result.childEvents) childEvents.set(executionArn, [...(childEvents.get(executionArn) ?? []), ...written]);
    for (const command of result.commands) {
      if (command.type === 'scheduleTask') queue.push(...answer(command));
    }
    return result;
  };
  const answer = (command: ScheduleTaskCommand): ExecutionSignal[] => {
    const fake = options.tasks?.[command.stateName];
    const attempt = attempts.get(command.stateName) ?? 0;
    attempts.set(command.stateName, attempt + 1);
    const reply: TaskReply = fake === undefined ? { hang: true } : fake(command, attempt);
    const taskId = command.taskId;
    if ('hang' in reply) return [{ type: 'taskStarted', taskId }];
    if ('error' in reply) return [{ type: 'taskStarted', taskId }, { type: 'taskFailed', taskId, error: reply.error, cause: reply.cause }];
    const heartbeats: ExecutionSignal[] = Array.from({ length: reply.heartbeats ?? 0 }, () => ({ type: 'taskHeartbeat', taskId }));
    return [{ type: 'taskStarted', taskId }, ...heartbeats, { type: 'taskSucceeded', taskId, output: reply.output }];
  };

  let result = absorb(options.redrive === undefined
    ? startExecution(definition, { executionArn: TEST_EXECUTION_ARN, stateMachineArn: TEST_STATE_MACHINE_ARN, roleArn: TEST_ROLE_ARN, input: options.input }, env())
    : redriveExecution(definition, options.redrive, env()));
  for (let steps = 0; result.status === 'RUNNING' && steps < 10_000; steps++) {
    const signal = queue.shift() ?? pendingAfterStart.shift();
    if (signal !== undefined) {
      result = absorb(resumeExecution(definition, result.state, signal, env()));
      continue;
    }
    if (result.wakeAt === undefined) break;
    clock = Math.max(clock, result.wakeAt);
    result = absorb(resumeExecution(definition, result.state, { type: 'tick' }, env()));
  }
  const state = result.state;
  return { status: state.status, state, events, commands, childStarts, childEvents, output: state.output, error: state.error?.error, cause: state.error?.cause, endTime: clock };
}

/** The event types of a history, for compact sequence assertions. */
export function eventTypes(events: readonly HistoryEvent[]): string[] {
  return events.map((event) => event.type);
}

/** The details object of an event (its single "...EventDetails" member). */
export function detailsOf(event: HistoryEvent): Readonly<Record<string, JsonValue>> {
  const key = Object.keys(event).find((name) => name.endsWith('EventDetails'));
  return key === undefined ? {} : (event[key as `${string}EventDetails`] ?? {});
}

/** Always answers with the given output. */
export function succeedWith(output: JsonValue): FakeTask {
  return () => ({ output });
}

/** Echoes the task's input as its output. */
export const echoTask: FakeTask = (command) => ({ output: command.input });

/** Fails `times` times with the error, then echoes the input. */
export function failTimes(times: number, error: string, cause?: string): FakeTask {
  return (command, attempt) => (attempt < times ? { error, cause } : { output: command.input });
}
