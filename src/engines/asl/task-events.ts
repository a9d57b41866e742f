import { toJsonText } from './json-value.js';
import type { PendingTask } from './execution-state.js';
import type { HistoryEventType } from './history-events.js';
import type { JsonObject, JsonValue } from './json-value.js';
import type { TaskKind } from './task-resource.js';

/**
 * The history events of a task's lifecycle depend on its kind: a Lambda
 * function ARN logs LambdaFunction*, an activity Activity*, an integration
 * Task* with resourceType and resource
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html).
 */
export type TaskPhase = 'scheduled' | 'startFailed' | 'started' | 'submitted' | 'succeeded' | 'failed' | 'timedOut';

const EVENT_TYPES: Readonly<Record<TaskKind, Readonly<Record<TaskPhase, HistoryEventType | undefined>>>> = {
  lambda: {
    scheduled: 'LambdaFunctionScheduled',
    startFailed: 'LambdaFunctionStartFailed',
    started: 'LambdaFunctionStarted',
    submitted: undefined,
    succeeded: 'LambdaFunctionSucceeded',
    failed: 'LambdaFunctionFailed',
    timedOut: 'LambdaFunctionTimedOut',
  },
  activity: {
    scheduled: 'ActivityScheduled',
    startFailed: 'ActivityScheduleFailed',
    started: 'ActivityStarted',
    submitted: undefined,
    succeeded: 'ActivitySucceeded',
    failed: 'ActivityFailed',
    timedOut: 'ActivityTimedOut',
  },
  service: {
    scheduled: 'TaskScheduled',
    startFailed: 'TaskStartFailed',
    started: 'TaskStarted',
    submitted: 'TaskSubmitted',
    succeeded: 'TaskSucceeded',
    failed: 'TaskFailed',
    timedOut: 'TaskTimedOut',
  },
};

export function taskEventType(kind: TaskKind, phase: TaskPhase): HistoryEventType | undefined {
  return EVENT_TYPES[kind][phase];
}

/** Integration events name the service and action; Lambda and activity events carry neither. */
export function taskEventDetails(task: PendingTask, fields: JsonObject = {}): JsonObject {
  return task.kind === 'service' ? { resourceType: task.resourceType, resource: task.resource, ...fields } : fields;
}

export function outputFields(output: JsonValue): JsonObject {
  return { output: toJsonText(output), outputDetails: { truncated: false } };
}
