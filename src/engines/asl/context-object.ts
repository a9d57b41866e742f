import { formatTimestamp } from './timestamps.js';
import type { ExecutionInfo, StateRun } from './execution-state.js';
import type { JsonObject, JsonValue } from './json-value.js';

/**
 * The Context Object ("$$" in JSONPath, $states.context in JSONata)
 * (https://docs.aws.amazon.com/step-functions/latest/dg/input-output-contextobject.html).
 * Task.Token exists only while a task waits for a token, and Map.Item only
 * while a Map state's ItemSelector is evaluated.
 */
export interface ContextExtras {
  readonly taskToken?: string;
  readonly mapItem?: { readonly index: number; readonly value: JsonValue };
}

export function buildContextObject(info: ExecutionInfo, run: StateRun, extras: ContextExtras = {}): JsonObject {
  const context: JsonObject = {
    Execution: {
      Id: info.executionArn,
      Input: info.input,
      Name: info.name,
      RoleArn: info.roleArn,
      StartTime: formatTimestamp(info.startTime),
    },
    State: {
      EnteredTime: formatTimestamp(run.enteredTime),
      Name: run.name,
      RetryCount: run.retryCount,
    },
    StateMachine: {
      Id: info.stateMachineArn,
      Name: info.stateMachineName,
    },
  };
  if (extras.taskToken !== undefined) context.Task = { Token: extras.taskToken };
  if (extras.mapItem !== undefined) {
    context.Map = { Item: { Index: extras.mapItem.index, Value: extras.mapItem.value, Source: 'STATE_DATA' } };
  }
  return context;
}
