import { randomUUID } from 'node:crypto';
import { resumeExecution, startExecution, validateDefinition } from '../../engines/asl/index.js';
import type { EngineEnvironment, ExecutionSignal, HistoryEvent, InspectionStage, JsonObject, JsonValue, ScheduleTaskCommand, StateMachineDefinition, StepResult } from '../../engines/asl/index.js';
import type { InspectionData, StepfunctionsApi, TestStateInput, TestStateOutput } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { runTask } from './integrations.js';
import { jsonataEvaluator } from './jsonata-adapter.js';
import { checkRoleArn } from './names.js';

/**
 * TestState (https://docs.aws.amazon.com/step-functions/latest/apireference/API_TestState.html):
 * runs one state on the engine, as the only state of a machine whose
 * transition targets are placeholders, and stops as soon as it leaves the
 * state (nextState), fails (FAILED), is caught (CAUGHT_ERROR) or would be
 * retried (RETRIABLE). Tasks really run through the integrations Nimbus
 * serves; a `mock` answers them instead. DEBUG and TRACE return the data
 * flow (TRACE's HTTP request/response only exists for HTTP Tasks, which
 * Nimbus does not run). A Wait state is not waited for.
 *
 * Not supported: `context` and `stateConfiguration` are ignored; Parallel
 * and Map states are refused even with a mock; mock.fieldValidationMode is
 * not checked.
 */
export function testStateOperation(runtime: ServiceRuntime): Pick<StepfunctionsApi, 'TestState'> {
  return {
    async TestState(input, ctx) {
      if (input.roleArn !== undefined) checkRoleArn(input.roleArn);
      const { definition, stateName } = testMachine(input);
      const stateInput = parseJsonField(input.input ?? '{}', 'InvalidExecutionInput', 'Invalid State Input');
      const variables = input.variables === undefined ? undefined : parseJsonField(input.variables, 'ValidationException', 'Invalid variables');
      if (variables !== undefined && (typeof variables !== 'object' || variables === null || Array.isArray(variables))) {
        throw new ServiceError('ValidationException', 'The variables must be a JSON object.');
      }
      const mock = mockReply(input);
      const run = new TestRun(runtime, definition, stateName, ctx);
      return run.execute(stateInput, variables ?? undefined, mock, input.inspectionLevel ?? 'INFO');
    },
  };
}

type MockReply = { readonly output: JsonValue } | { readonly error?: string; readonly cause?: string };

function parseJsonField(text: string, code: 'InvalidExecutionInput' | 'ValidationException' | 'InvalidDefinition', label: string): JsonValue {
  try {
    return JSON.parse(text) as JsonValue;
  } catch (error) {
    throw new ServiceError(code, `${label}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function mockReply(input: TestStateInput): MockReply | undefined {
  const mock = input.mock;
  if (mock === undefined) return undefined;
  if ((mock.result === undefined) === (mock.errorOutput === undefined)) {
    throw new ServiceError('ValidationException', 'Exactly one of result or errorOutput must be specified in the mock.');
  }
  if (mock.result !== undefined) return { output: parseJsonField(mock.result, 'ValidationException', 'Invalid mock result') };
  return { error: mock.errorOutput?.error, cause: mock.errorOutput?.cause };
}

/** The state to test, alone in a machine whose transition targets are Wait placeholders that never fire. */
function testMachine(input: TestStateInput): { definition: StateMachineDefinition; stateName: string } {
  const parsed = parseJsonField(input.definition, 'InvalidDefinition', 'Invalid State Machine Definition');
  if (!isObject(parsed)) throw new ServiceError('InvalidDefinition', "Invalid State Machine Definition: 'The definition must be a JSON object'");
  let state: JsonObject;
  let stateName: string;
  let queryLanguage: JsonValue | undefined;
  if (isObject(parsed.States)) {
    // A whole machine: test the named state (or StartAt) with the machine's query language.
    stateName = input.stateName ?? (typeof parsed.StartAt === 'string' ? parsed.StartAt : '');
    const named = parsed.States[stateName];
    if (!isObject(named)) throw new ServiceError('ValidationException', `State '${stateName}' is not defined in the state machine definition.`);
    state = named;
    queryLanguage = parsed.QueryLanguage;
  } else {
    state = parsed;
    stateName = input.stateName ?? 'TestState';
  }
  if (state.Type === 'Parallel' || state.Type === 'Map') {
    throw new ServiceError('ValidationException', `Nimbus's TestState does not run ${state.Type} states.`);
  }
  const placeholders: Record<string, JsonValue> = {};
  for (const target of transitionTargets(state)) {
    if (target !== stateName) placeholders[target] = { Type: 'Wait', Seconds: 1, End: true };
  }
  const machine: JsonObject = { StartAt: stateName, States: { ...placeholders, [stateName]: state } };
  if (queryLanguage !== undefined) machine.QueryLanguage = queryLanguage;
  const validation = validateDefinition(machine);
  if (!validation.ok) throw new ServiceError('InvalidDefinition', validation.message);
  return { definition: validation.definition, stateName };
}

function transitionTargets(state: JsonObject): string[] {
  const targets: (JsonValue | undefined)[] = [state.Next, state.Default];
  for (const list of [state.Choices, state.Catch]) {
    if (Array.isArray(list)) targets.push(...list.map((item) => (isObject(item) ? item.Next : undefined)));
  }
  return targets.filter((target): target is string => typeof target === 'string');
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_STEPS = 100;

/** One TestState call: drives the engine until the tested state is done with, collecting the inspection data. */
class TestRun {
  private readonly stages = new Map<InspectionStage, JsonValue>();
  private readonly random = Math.random;
  private now: number;

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly definition: StateMachineDefinition,
    private readonly stateName: string,
    private readonly ctx: RequestContext,
  ) {
    this.now = runtime.clock.now();
  }

  async execute(input: JsonValue, variables: JsonObject | undefined, mock: MockReply | undefined, level: NonNullable<TestStateInput['inspectionLevel']>): Promise<TestStateOutput> {
    const executionArn = `arn:aws:states:${this.ctx.region}:${this.ctx.account}:execution:TestState:${randomUUID()}`;
    const events: HistoryEvent[] = [];
    let result = startExecution(this.definition, {
      executionArn, stateMachineArn: `arn:aws:states:${this.ctx.region}:${this.ctx.account}:stateMachine:TestState`, roleArn: '', input, ...(variables === undefined ? {} : { variables }),
    }, this.env());
    events.push(...result.events);
    for (let steps = 0; steps < MAX_STEPS && !this.settled(result, events); steps++) {
      const signal = await this.nextSignal(result, mock, executionArn);
      if (signal === undefined) break;
      result = resumeExecution(this.definition, result.state, signal, this.env());
      events.push(...result.events);
    }
    return this.report(result, events, input, level);
  }

  private env(): EngineEnvironment {
    return {
      now: this.now, random: this.random, jsonata: jsonataEvaluator(this.random),
      inspect: (stage, value, name) => {
        if (name === this.stateName) this.stages.set(stage, value);
      },
    };
  }

  /** Done once the tested state has exited or failed, or waits to be retried. */
  private settled(result: StepResult, events: readonly HistoryEvent[]): boolean {
    if (result.status !== 'RUNNING') return true;
    if (this.exitEvent(events) !== undefined) return true;
    return result.state.root.run?.phase === 'retrying';
  }

  private exitEvent(events: readonly HistoryEvent[]): HistoryEvent | undefined {
    return events.find((event) => event.type.endsWith('StateExited') && event.stateExitedEventDetails?.name === this.stateName);
  }

  /** What moves the state on: a task's outcome (mocked or real), or the end of a Wait without waiting. */
  private async nextSignal(result: StepResult, mock: MockReply | undefined, executionArn: string): Promise<ExecutionSignal | undefined> {
    const command = result.commands.find((candidate): candidate is ScheduleTaskCommand => candidate.type === 'scheduleTask');
    if (command !== undefined) return this.taskOutcome(command, mock, executionArn);
    const run = result.state.root.run;
    if (run?.phase === 'waiting' && run.waitUntil !== undefined) {
      this.now = Math.max(this.now, run.waitUntil);
      return { type: 'tick' };
    }
    return undefined;
  }

  private async taskOutcome(command: ScheduleTaskCommand, mock: MockReply | undefined, executionArn: string): Promise<ExecutionSignal> {
    const taskId = command.taskId;
    if (mock !== undefined) return 'output' in mock ? { type: 'taskSucceeded', taskId, output: mock.output } : { type: 'taskFailed', taskId, error: mock.error, cause: mock.cause };
    if (command.kind === 'activity' || command.pattern !== 'request-response') {
      throw new ServiceError('ValidationException', 'TestState only supports Activity tasks and the .sync or .waitForTaskToken service integration patterns when a mock is specified.');
    }
    const host = { client: this.runtime.client, startChild: () => ({ executionArn: '', startDate: 0 }) };
    const outcome = await runTask(host, command, executionArn);
    this.now = Math.max(this.now, this.runtime.clock.now());
    if (outcome.type === 'succeeded') return { type: 'taskSucceeded', taskId, output: outcome.output };
    if (outcome.type === 'failed') return { type: 'taskFailed', taskId, error: outcome.error, cause: outcome.cause };
    return { type: 'taskFailed', taskId, error: 'States.Runtime', cause: 'The task did not answer.' };
  }

  private report(result: StepResult, events: readonly HistoryEvent[], input: JsonValue, level: NonNullable<TestStateInput['inspectionLevel']>): TestStateOutput {
    const inspection = level === 'INFO' ? undefined : this.inspectionData(input, result);
    const withInspection = (output: TestStateOutput): TestStateOutput => (inspection === undefined ? output : { ...output, inspectionData: inspection });
    const retry = this.stages.get('retry');
    if (result.status === 'RUNNING' && result.state.root.run?.phase === 'retrying' && isObject(retry)) {
      return withInspection({ status: 'RETRIABLE', ...errorFields(retry) });
    }
    if (result.status === 'FAILED') {
      const failure = result.state.error;
      return withInspection({ status: 'FAILED', ...(failure?.error === undefined ? {} : { error: failure.error }), ...(failure?.cause === undefined ? {} : { cause: failure.cause }) });
    }
    const exited = this.exitEvent(events);
    if (exited === undefined) return withInspection({ status: 'FAILED', error: 'States.Runtime', cause: 'The state did not finish.' });
    const entered = events.find((event) => event.id > exited.id && event.type.endsWith('StateEntered'));
    const nextState = typeof entered?.stateEnteredEventDetails?.name === 'string' ? entered.stateEnteredEventDetails.name : undefined;
    const output = exited.stateExitedEventDetails?.output;
    const caught = this.stages.get('catch');
    return withInspection({
      status: isObject(caught) ? 'CAUGHT_ERROR' : 'SUCCEEDED',
      ...(typeof output === 'string' ? { output } : {}),
      ...(nextState === undefined ? {} : { nextState }),
      ...(isObject(caught) ? errorFields(caught) : {}),
    });
  }

  private inspectionData(input: JsonValue, result: StepResult): InspectionData {
    const data: InspectionData = { input: JSON.stringify(input) };
    for (const stage of ['afterInputPath', 'afterParameters', 'afterArguments', 'result', 'afterResultSelector', 'afterResultPath'] as const) {
      const value = this.stages.get(stage);
      if (value !== undefined) data[stage] = JSON.stringify(value);
    }
    const variables = result.state.root.variables;
    if (Object.keys(variables).length > 0) data.variables = JSON.stringify(variables);
    const handled = this.stages.get('catch') ?? this.stages.get('retry');
    if (isObject(handled)) {
      data.errorDetails = {
        ...(typeof handled.catchIndex === 'number' ? { catchIndex: handled.catchIndex } : {}),
        ...(typeof handled.retryIndex === 'number' ? { retryIndex: handled.retryIndex } : {}),
        ...(typeof handled.retryBackoffIntervalSeconds === 'number' ? { retryBackoffIntervalSeconds: handled.retryBackoffIntervalSeconds } : {}),
      };
    }
    return data;
  }
}

function errorFields(details: JsonObject): { error?: string; cause?: string } {
  return {
    ...(typeof details.error === 'string' ? { error: details.error } : {}),
    ...(typeof details.cause === 'string' ? { cause: details.cause } : {}),
  };
}
