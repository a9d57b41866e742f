import { jsonByteLength, toJsonText } from './json-value.js';
import { renderJsonata } from './jsonata-evaluator.js';
import { renderPayloadTemplate } from './payload-template.js';
import { randomUuid } from './random-source.js';
import { StateData } from './state-data.js';
import { StateFailure, StatesError, dataLimitCause, queryEvaluationFailure, runtimeFailure } from './state-errors.js';
import { taskEventDetails, taskEventType } from './task-events.js';
import { parseTaskResource } from './task-resource.js';
import { MAX_PAYLOAD_BYTES, failState, guarded, stateOf } from './state-transitions.js';
import type { TaskState } from './definition.js';
import type { PendingTask, StateRun } from './execution-state.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { TaskResource } from './task-resource.js';
import type { FrameCursor, StepContext } from './step-context.js';

/**
 * Task: computes the effective input, logs the scheduled event and asks the
 * host to run the work; the host reports back with task signals. The engine
 * keeps the TimeoutSeconds and HeartbeatSeconds deadlines itself
 * (https://docs.aws.amazon.com/step-functions/latest/dg/state-task.html).
 */
export function runTask(ctx: StepContext, cursor: FrameCursor, run: StateRun): boolean {
  if (run.phase === 'entered' || (run.phase === 'retrying' && (run.retryAt ?? 0) <= ctx.now)) {
    scheduleTask(ctx, cursor, run);
    return true;
  }
  const task = run.task;
  if (run.phase !== 'task' || task === undefined) return false;
  const timedOut = task.timeoutAt !== undefined && task.timeoutAt <= ctx.now;
  const heartbeatMissed = !timedOut && task.heartbeatAt !== undefined && task.heartbeatAt <= ctx.now;
  if (!timedOut && !heartbeatMissed) return false;
  timeOutTask(ctx, cursor, run, task, heartbeatMissed);
  return true;
}

/**
 * A heartbeat that stops also fails the task with States.Timeout, as AWS
 * reports it; States.HeartbeatTimeout still matches it in Retry and Catch.
 */
function timeOutTask(ctx: StepContext, cursor: FrameCursor, run: StateRun, task: PendingTask, heartbeat: boolean): void {
  ctx.emit(cursor.frame, taskEventType(task.kind, 'timedOut')!, taskEventDetails(task, { error: StatesError.Timeout }));
  ctx.command({ type: 'cancelTask', taskId: task.taskId });
  run.task = undefined;
  failState(ctx, cursor, run, new StateFailure(StatesError.Timeout, { heartbeat }));
}

function scheduleTask(ctx: StepContext, cursor: FrameCursor, run: StateRun): void {
  const state = stateOf(cursor, run.name) as TaskState;
  guarded(ctx, cursor, run, () => {
    const data = new StateData(ctx, cursor, run, state);
    const resource = parseTaskResource(state.Resource);
    const taskToken = resource.pattern === 'waitForTaskToken' ? (ctx.env.taskToken?.() ?? randomUuid(ctx.env.random)) : undefined;
    const effectiveInput = data.effectiveInput();
    const input = data.payload(effectiveInput, { taskToken: resource.kind === 'service' ? taskToken : undefined });
    if (jsonByteLength(input) > MAX_PAYLOAD_BYTES) {
      throw new StateFailure(StatesError.DataLimitExceeded, { cause: dataLimitCause(run.name), terminal: true });
    }
    const timeoutSeconds = positiveInteger(data, 'TimeoutSeconds', effectiveInput);
    const heartbeatSeconds = positiveInteger(data, 'HeartbeatSeconds', effectiveInput);
    const roleArn = credentialsRoleArn(state, data, effectiveInput);
    ctx.state.taskCounter += 1;
    const task: PendingTask = {
      taskId: String(ctx.state.taskCounter),
      kind: resource.kind,
      arn: resource.arn,
      resourceType: resource.resourceType,
      resource: resource.resource,
      taskToken,
      timeoutSeconds,
      heartbeatSeconds,
      started: false,
    };
    // Activities start when a worker picks them up; integrations and functions start at once.
    if (resource.kind !== 'activity') startClocks(task, ctx.now);
    run.task = task;
    run.phase = 'task';
    run.retryAt = undefined;
    const region = resource.region ?? ctx.state.info.region;
    ctx.emit(cursor.frame, taskEventType(task.kind, 'scheduled')!, scheduledDetails(task, resource, input, region, roleArn));
    ctx.command({
      type: 'scheduleTask',
      taskId: task.taskId,
      kind: resource.kind,
      resource: resource.arn,
      service: resource.resourceType,
      action: resource.action,
      pattern: resource.pattern,
      region,
      input,
      taskToken,
      timeoutSeconds,
      heartbeatSeconds,
      roleArn,
      stateName: run.name,
    });
  });
}

/** Starts the TimeoutSeconds and HeartbeatSeconds clocks, which count from the task's start. */
export function startClocks(task: PendingTask, now: number): void {
  if (task.timeoutSeconds !== undefined) task.timeoutAt = now + task.timeoutSeconds * 1000;
  if (task.heartbeatSeconds !== undefined) task.heartbeatAt = now + task.heartbeatSeconds * 1000;
}

function scheduledDetails(task: PendingTask, resource: TaskResource, input: JsonValue, region: string, roleArn: string | undefined): JsonObject {
  const details: JsonObject =
    task.kind === 'service'
      ? { resourceType: resource.resourceType, resource: resource.resource, region, parameters: toJsonText(input) }
      : { resource: resource.arn, input: toJsonText(input), inputDetails: { truncated: false } };
  if (task.timeoutSeconds !== undefined) details.timeoutInSeconds = task.timeoutSeconds;
  // Lambda function events have no heartbeat field in the API.
  if (task.heartbeatSeconds !== undefined && task.kind !== 'lambda') details.heartbeatInSeconds = task.heartbeatSeconds;
  if (roleArn !== undefined && task.kind !== 'activity') details.taskCredentials = { roleArn };
  return taskEventDetails(task, details);
}

function positiveInteger(data: StateData, field: 'TimeoutSeconds' | 'HeartbeatSeconds', effectiveInput: JsonValue): number | undefined {
  const value = data.dynamicField(field, effectiveInput);
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0) return value;
  const detail = `The ${field} value must be a positive integer, but was ${toJsonText(value)}.`;
  throw data.isJsonata ? queryEvaluationFailure(detail, field) : runtimeFailure(detail);
}

function credentialsRoleArn(state: TaskState, data: StateData, effectiveInput: JsonValue): string | undefined {
  if (state.Credentials === undefined) return undefined;
  const rendered = data.isJsonata
    ? renderJsonata(state.Credentials, 'Credentials', data.jsonataScope())
    : renderPayloadTemplate(state.Credentials, data.pathScope(effectiveInput), data.ctx.env.random);
  const roleArn = (rendered as JsonObject).RoleArn;
  if (typeof roleArn !== 'string') throw runtimeFailure('The Credentials field must resolve to an object with a string RoleArn.');
  return roleArn;
}
