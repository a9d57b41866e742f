import { randomBytes } from 'node:crypto';
import { redriveExecution, resumeExecution, startExecution, validateDefinition } from '../../engines/asl/index.js';
import type { EngineEnvironment, ExecutionSignal, ExecutionState, JsonValue, ScheduleTaskCommand, StateMachineDefinition, StepResult } from '../../engines/asl/index.js';
import type { ServiceRuntime } from '../service.js';
import type { ActivityQueue } from './activity-queue.js';
import { ExecutionLogger } from './execution-logs.js';
import { runTask } from './integrations.js';
import type { IntegrationHost } from './integrations.js';
import { jsonataEvaluator } from './jsonata-adapter.js';
import { detailsOf, recordChildren } from './map-run-children.js';
import { executionDefinition, historyKey, packHistory } from './records.js';
import type { ExecutionRecord, StepFunctionsCollections } from './records.js';

const MAX_CACHED_DEFINITIONS = 100;

/** Frames of the engine state whose running task waits for the host. */
type Frame = ExecutionState['root'];

/** Starts a child execution for a states:startExecution task; given to the driver by the provider. */
export type ChildStarter = (command: ScheduleTaskCommand, parentArn: string) => { executionArn: string; startDate: number };

/**
 * Runs executions off the request path. Every step is synchronous (the engine
 * is pure), and its result — the engine state, the new history events, the
 * task tokens it handed out — is written in one store transaction before any
 * task runs, so a restart resumes from exactly what was persisted: on
 * creation the driver re-arms every RUNNING execution's timer and re-sends
 * request-response tasks whose results never arrived (at least once).
 */
export class ExecutionDriver {
  private readonly timers = new Map<string, () => void>();
  private readonly definitions = new Map<string, StateMachineDefinition>();
  private readonly waiters = new Map<string, ((record: ExecutionRecord) => void)[]>();
  private readonly logger: ExecutionLogger;
  private stopped = false;
  private startChild: ChildStarter = () => {
    throw new Error('no child starter');
  };

  constructor(
    private readonly runtime: ServiceRuntime,
    private readonly records: StepFunctionsCollections,
    private readonly activities: ActivityQueue,
  ) {
    this.logger = new ExecutionLogger(runtime.client);
    runtime.lifecycle.onStop(() => {
      this.stopped = true;
      this.cancelAllTimers();
      activities.release();
    });
    runtime.lifecycle.onReset(() => {
      this.cancelAllTimers();
      this.waiters.clear();
      this.logger.forget();
      activities.release();
    });
  }

  setChildStarter(starter: ChildStarter): void {
    this.startChild = starter;
  }

  /** Re-arms every execution a previous process left RUNNING. */
  resumeAll(): void {
    for (const [arn, record] of this.records.executions.list()) {
      // A Map Run's children run inside their parent, which resumes them.
      if (record.status !== 'RUNNING' || record.mapRunArn !== undefined) continue;
      if (record.engine === undefined) {
        this.later(() => {
          this.begin(arn);
        });
        continue;
      }
      this.arm(arn, record.wakeAt);
      for (const command of Object.values(record.inflight)) {
        // Callbacks and child executions outlive the process; only direct calls are lost with it,
        // and the news of a child that ended just before the stop.
        const childArn = record.children[command.taskId];
        const child = childArn === undefined ? undefined : this.records.executions.get(childArn);
        if (child !== undefined && child.status !== 'RUNNING') this.notifyParent(child);
        else if (command.pattern === 'request-response' && childArn === undefined) this.dispatch(arn, command);
      }
    }
  }

  /** Runs the first step of a freshly stored execution on a later turn of the event loop. */
  launch(executionArn: string): void {
    this.later(() => {
      this.begin(executionArn);
    });
  }

  /** Resolves once the execution has ended (StartSyncExecution, .sync parents). */
  completion(executionArn: string): Promise<ExecutionRecord> {
    return new Promise((resolve) => {
      const list = this.waiters.get(executionArn) ?? [];
      list.push(resolve);
      this.waiters.set(executionArn, list);
    });
  }

  /** Applies a signal now; false when the execution or task no longer takes it. */
  signal(executionArn: string, signal: ExecutionSignal): boolean {
    // A signal can beat the first step (a StopExecution right after StartExecution): start first.
    this.begin(executionArn);
    return this.step(executionArn, (definition, record, env) => (record.engine === undefined ? undefined : resumeExecution(definition, record.engine, signal, env)));
  }

  /**
   * Runs a FAILED, TIMED_OUT or ABORTED execution again from where it stopped;
   * the caller has checked that it may. False when the execution was not there to redrive.
   */
  redrive(executionArn: string, clientToken: string | undefined): boolean {
    return this.step(
      executionArn,
      (definition, record, env) => (record.engine === undefined ? undefined : redriveExecution(definition, record.engine, env)),
      (record, now) => {
        delete record.stopDate;
        delete record.output;
        delete record.error;
        delete record.cause;
        record.redriveCount = (record.redriveCount ?? 0) + 1;
        record.redriveDate = now;
        if (clientToken === undefined) delete record.redriveClientToken;
        else record.redriveClientToken = clientToken;
      },
    );
  }

  private begin(executionArn: string): void {
    const record = this.records.executions.get(executionArn);
    if (record === undefined || record.engine !== undefined || record.mapRunArn !== undefined) return;
    this.step(executionArn, (definition, record, env) =>
      startExecution(definition, { executionArn, stateMachineArn: record.stateMachineArn, roleArn: record.roleArn, input: JSON.parse(record.input) as JsonValue }, env),
    );
  }

  /** `redriving` is given for a redrive, which starts from an ended record and resets it first. */
  private step(
    executionArn: string,
    advance: (definition: StateMachineDefinition, record: ExecutionRecord, env: EngineEnvironment) => StepResult | undefined,
    redriving?: (record: ExecutionRecord, now: number) => void,
  ): boolean {
    if (this.stopped) return false;
    const record = this.records.executions.get(executionArn);
    if (record === undefined || record.mapRunArn !== undefined || (record.status !== 'RUNNING' && redriving === undefined)) return false;
    const definition = this.definitionOf(record);
    const random = Math.random;
    const env: EngineEnvironment = { now: this.runtime.clock.now(), random, jsonata: jsonataEvaluator(random), taskToken: newTaskToken };
    const result = advance(definition, record, env);
    if (result === undefined || (!result.accepted && result.events.length === 0)) return false;
    const scheduled = result.commands.filter((command): command is ScheduleTaskCommand => command.type === 'scheduleTask');
    const cancelledChildren: string[] = [];
    this.runtime.store.transaction(() => {
      redriving?.(record, env.now);
      // Express executions keep no history (AWS logs them only); their events go to the logger below.
      if (record.type !== 'EXPRESS' && result.events.length > 0) this.records.history.put(historyKey(executionArn, result.events[0].id), packHistory(result.events));
      for (const event of result.events) {
        const mapRunArn = event.type === 'MapRunStarted' ? event.mapRunStartedEventDetails?.mapRunArn : undefined;
        if (typeof mapRunArn === 'string') this.records.mapRuns.put(mapRunArn, { mapRunArn, executionArn });
      }
      recordChildren(this.records, record, result, env.now);
      for (const command of scheduled) {
        record.inflight[command.taskId] = command;
        if (command.taskToken !== undefined) this.records.taskTokens.put(command.taskToken, { executionArn, taskId: command.taskId });
      }
      // Tasks the engine no longer waits for (done, timed out, cancelled) give up their tokens and children.
      const pending = result.status === 'RUNNING' ? pendingTaskIds(result.state.root) : new Set<string>();
      for (const [taskId, command] of Object.entries(record.inflight)) {
        if (pending.has(taskId)) continue;
        if (command.taskToken !== undefined) this.records.taskTokens.delete(command.taskToken);
        const child = record.children[taskId];
        if (child !== undefined) cancelledChildren.push(child);
      }
      record.inflight = keepKeys(record.inflight, pending);
      record.children = keepKeys(record.children, pending);
      record.engine = result.state;
      record.status = result.status;
      record.wakeAt = result.wakeAt;
      if (result.status !== 'RUNNING') {
        record.stopDate = env.now;
        if (result.state.output !== undefined) record.output = JSON.stringify(result.state.output);
        // A stop or timeout leaves no error on the engine state; its terminal event carries them.
        const details = detailsOf(result.events.at(-1));
        const error = result.state.error?.error ?? (typeof details.error === 'string' ? details.error : undefined);
        const cause = result.state.error?.cause ?? (typeof details.cause === 'string' ? details.cause : undefined);
        if (error !== undefined) record.error = error;
        if (cause !== undefined) record.cause = cause;
      }
      this.records.executions.put(executionArn, record);
    });
    this.logger.write(record, result.events, result.status !== 'RUNNING');
    if (result.status === 'RUNNING') {
      this.arm(executionArn, result.wakeAt);
      for (const command of scheduled) this.dispatch(executionArn, command);
    } else {
      this.finished(record);
    }
    for (const child of cancelledChildren) {
      this.later(() => {
        this.signal(child, { type: 'stop' });
      });
    }
    return true;
  }

  /** Parsed definitions by their key: many executions share one, and validating a long one costs more than running it. */
  private definitionOf(record: ExecutionRecord): StateMachineDefinition {
    const key = record.definitionKey ?? record.definition ?? '';
    let definition = this.definitions.get(key);
    if (definition === undefined) {
      const text = executionDefinition(this.records, record);
      if (text === undefined) throw new Error(`the definition of ${record.executionArn} is missing`);
      const validation = validateDefinition(text);
      if (!validation.ok) throw new Error(`stored definition no longer validates: ${validation.message}`);
      definition = validation.definition;
      if (this.definitions.size >= MAX_CACHED_DEFINITIONS) this.definitions.clear();
      this.definitions.set(key, definition);
    }
    return definition;
  }

  private finished(record: ExecutionRecord): void {
    const arn = record.executionArn;
    this.disarm(arn);
    for (const resolve of this.waiters.get(arn) ?? []) resolve(record);
    this.waiters.delete(arn);
    this.notifyParent(record);
    // Express executions are not kept: AWS records them only in CloudWatch Logs.
    if (record.type === 'EXPRESS') this.records.executions.delete(arn);
  }

  /** Ends the .sync task that waits for this child execution. */
  private notifyParent(child: ExecutionRecord): void {
    const parent = child.parent;
    if (parent === undefined) return;
    this.later(() => {
      const outcome = childOutcome(child, parent.pattern);
      this.signal(parent.executionArn, child.status === 'SUCCEEDED'
        ? { type: 'taskSucceeded', taskId: parent.taskId, output: outcome }
        : { type: 'taskFailed', taskId: parent.taskId, error: 'States.TaskFailed', cause: JSON.stringify(outcome) });
    });
  }

  private dispatch(executionArn: string, command: ScheduleTaskCommand): void {
    if (command.kind === 'activity') {
      this.later(() => {
        this.scheduleActivity(executionArn, command);
      });
      return;
    }
    const host: IntegrationHost = { client: this.runtime.client, startChild: (cmd, parentArn) => this.startChildFor(cmd, parentArn) };
    this.later(() => {
      if (!this.signal(executionArn, { type: 'taskStarted', taskId: command.taskId }) && !this.stillPending(executionArn, command.taskId)) return;
      void runTask(host, command, executionArn).then((outcome) => {
        if (outcome.type === 'waiting') return;
        this.signal(executionArn, outcome.type === 'succeeded'
          ? { type: 'taskSucceeded', taskId: command.taskId, output: outcome.output }
          : { type: 'taskFailed', taskId: command.taskId, error: outcome.error, cause: outcome.cause });
      });
    });
  }

  /** An activity task waits for a worker; one naming no activity fails to schedule (ActivityScheduleFailed). */
  private scheduleActivity(executionArn: string, command: ScheduleTaskCommand): void {
    if (this.activities.activities.get(command.resource) === undefined) {
      this.signal(executionArn, { type: 'taskStartFailed', taskId: command.taskId, error: 'States.Runtime', cause: `Activity Does Not Exist: '${command.resource}'` });
      return;
    }
    if (this.stillPending(executionArn, command.taskId)) this.activities.enqueue(executionArn, command);
  }

  private startChildFor(command: ScheduleTaskCommand, parentArn: string): { executionArn: string; startDate: number } {
    const child = this.startChild(command, parentArn);
    const parent = this.records.executions.get(parentArn);
    if (parent !== undefined && command.pattern !== 'request-response') {
      parent.children[command.taskId] = child.executionArn;
      this.records.executions.put(parentArn, parent);
    }
    return child;
  }

  private stillPending(executionArn: string, taskId: string): boolean {
    return this.records.executions.get(executionArn)?.inflight[taskId] !== undefined;
  }

  /** Timers run on the runtime clock, so a ManualClock moves Wait states in tests; overdue ones run at once. */
  private arm(executionArn: string, wakeAt: number | undefined): void {
    this.disarm(executionArn);
    if (wakeAt === undefined) return;
    const delay = wakeAt - this.runtime.clock.now();
    const fire = (): void => {
      this.timers.delete(executionArn);
      this.signal(executionArn, { type: 'tick' });
    };
    if (delay <= 0) {
      const handle = setImmediate(fire);
      this.timers.set(executionArn, () => {
        clearImmediate(handle);
      });
      return;
    }
    this.timers.set(executionArn, this.runtime.clock.schedule(delay, fire));
  }

  private disarm(executionArn: string): void {
    this.timers.get(executionArn)?.();
    this.timers.delete(executionArn);
  }

  private cancelAllTimers(): void {
    for (const cancel of this.timers.values()) cancel();
    this.timers.clear();
    this.definitions.clear();
  }

  private later(fn: () => void): void {
    setImmediate(() => {
      if (!this.stopped) fn();
    });
  }
}

function keepKeys<T>(entries: Record<string, T>, keep: ReadonlySet<string>): Record<string, T> {
  return Object.fromEntries(Object.entries(entries).filter(([key]) => keep.has(key)));
}

function pendingTaskIds(frame: Frame, into = new Set<string>()): Set<string> {
  const run = frame.run;
  if (frame.status !== 'running' || run === undefined) return into;
  if (run.task !== undefined) into.add(run.task.taskId);
  for (const child of [...(run.parallel?.branches ?? []), ...Object.values(run.map?.running ?? {})]) pendingTaskIds(child, into);
  return into;
}

/**
 * What a .sync task receives: the child's DescribeExecution fields, with Input
 * and Output as JSON text for .sync and parsed JSON for .sync:2
 * (https://docs.aws.amazon.com/step-functions/latest/dg/connect-stepfunctions.html).
 */
function childOutcome(record: ExecutionRecord, pattern: 'sync' | 'sync:2'): JsonValue {
  const parse = (text: string | undefined): JsonValue => (text === undefined ? null : (JSON.parse(text) as JsonValue));
  const outcome: Record<string, JsonValue> = {
    ExecutionArn: record.executionArn,
    Input: pattern === 'sync' ? record.input : parse(record.input),
    InputDetails: { Included: true },
    Name: record.name,
    StartDate: record.startDate,
    StateMachineArn: record.stateMachineArn,
    Status: record.status,
    StopDate: record.stopDate ?? null,
  };
  if (record.output !== undefined) {
    outcome.Output = pattern === 'sync' ? record.output : parse(record.output);
    outcome.OutputDetails = { Included: true };
  }
  if (record.error !== undefined) outcome.Error = record.error;
  if (record.cause !== undefined) outcome.Cause = record.cause;
  return outcome;
}

/** Opaque tokens in the shape of AWS's (long base64 text starting with "AQ"). */
function newTaskToken(): string {
  return `AQ${randomBytes(96).toString('base64url')}`;
}
