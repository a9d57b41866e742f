import type { JsonValue } from './json-value.js';

/**
 * History events in the shape GetExecutionHistory returns them
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_HistoryEvent.html):
 * an id, the id of the event that led to it, a timestamp (epoch milliseconds
 * here; the service renders it) and one "...EventDetails" member named after
 * the type. Inputs and outputs are JSON text, as in the API.
 */
export type HistoryEventType =
  | 'ExecutionStarted'
  | 'ExecutionSucceeded'
  | 'ExecutionFailed'
  | 'ExecutionAborted'
  | 'ExecutionTimedOut'
  | 'ExecutionRedriven'
  | 'PassStateEntered'
  | 'PassStateExited'
  | 'TaskStateEntered'
  | 'TaskStateExited'
  | 'TaskStateAborted'
  | 'ChoiceStateEntered'
  | 'ChoiceStateExited'
  | 'WaitStateEntered'
  | 'WaitStateExited'
  | 'WaitStateAborted'
  | 'SucceedStateEntered'
  | 'SucceedStateExited'
  | 'FailStateEntered'
  | 'ParallelStateEntered'
  | 'ParallelStateStarted'
  | 'ParallelStateSucceeded'
  | 'ParallelStateFailed'
  | 'ParallelStateAborted'
  | 'ParallelStateExited'
  | 'MapStateEntered'
  | 'MapStateStarted'
  | 'MapStateSucceeded'
  | 'MapStateFailed'
  | 'MapStateAborted'
  | 'MapStateExited'
  | 'MapIterationStarted'
  | 'MapIterationSucceeded'
  | 'MapIterationFailed'
  | 'MapIterationAborted'
  | 'MapRunStarted'
  | 'MapRunSucceeded'
  | 'MapRunFailed'
  | 'MapRunAborted'
  | 'MapRunRedriven'
  | 'TaskScheduled'
  | 'TaskStarted'
  | 'TaskStartFailed'
  | 'TaskSubmitted'
  | 'TaskSucceeded'
  | 'TaskFailed'
  | 'TaskTimedOut'
  | 'LambdaFunctionScheduled'
  | 'LambdaFunctionStarted'
  | 'LambdaFunctionStartFailed'
  | 'LambdaFunctionSucceeded'
  | 'LambdaFunctionFailed'
  | 'LambdaFunctionTimedOut'
  | 'ActivityScheduled'
  | 'ActivityScheduleFailed'
  | 'ActivityStarted'
  | 'ActivitySucceeded'
  | 'ActivityFailed'
  | 'ActivityTimedOut'
  | 'EvaluationFailed';

/** One "...EventDetails" object; its fields follow the API's (e.g. input, inputDetails, name). */
export type EventDetails = Readonly<Record<string, JsonValue>>;

export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: HistoryEventType;
  readonly [detailsKey: `${string}EventDetails`]: EventDetails | undefined;
}

/** detailsKeyOf's answers: it runs for every event. */
const detailsKeys = new Map<HistoryEventType, `${string}EventDetails`>();

/** The API member that carries an event type's details, e.g. stateEnteredEventDetails for PassStateEntered. */
export function detailsKeyOf(type: HistoryEventType): `${string}EventDetails` {
  let key = detailsKeys.get(type);
  if (key === undefined) {
    if (type.endsWith('StateEntered')) key = 'stateEnteredEventDetails';
    else if (type.endsWith('StateExited')) key = 'stateExitedEventDetails';
    else key = `${type[0].toLowerCase()}${type.slice(1)}EventDetails`;
    detailsKeys.set(type, key);
  }
  return key;
}
