import type { EventDetails, HistoryEvent, StepResult } from '../../engines/asl/index.js';
import { historyKey, packHistory, shareDefinition } from './records.js';
import type { ExecutionRecord, StepFunctionsCollections } from './records.js';

/**
 * Keeps the records of a Map Run's Standard child workflow executions: the
 * engine runs each child as a frame of its parent and reports the child's
 * start and the events of its own history; this writes them as an execution
 * record (DescribeExecution, ListExecutions by mapRunArn) and history chunks
 * (GetExecutionHistory), inside the parent step's transaction so a restart
 * finds the parent state and its children's records in step.
 */
export function recordChildren(records: StepFunctionsCollections, parent: ExecutionRecord, result: StepResult, now: number): void {
  // An Express parent keeps no records or history, so neither do its children.
  if (result.childEvents.size === 0 || parent.type === 'EXPRESS') return;
  const definitionKeys = new Map<string, string>();
  const started = new Map<string, ExecutionRecord>();
  for (const start of result.childStarts) {
    let definitionKey = definitionKeys.get(start.definition);
    if (definitionKey === undefined) {
      definitionKey = shareDefinition(records, start.definition);
      definitionKeys.set(start.definition, definitionKey);
    }
    const name = start.executionArn.slice(start.executionArn.lastIndexOf(':') + 1);
    const input = detailsOf(result.childEvents.get(start.executionArn)?.[0]).input;
    started.set(start.executionArn, {
      executionArn: start.executionArn, stateMachineArn: childMachineArn(start.executionArn), name, type: 'STANDARD', definitionKey,
      roleArn: parent.roleArn, input: typeof input === 'string' ? input : '{}', startDate: now, status: 'RUNNING', inflight: {}, children: {},
      mapRunArn: start.mapRunArn, itemCount: start.itemCount,
    });
  }
  for (const [executionArn, events] of result.childEvents) {
    if (events.length === 0) continue;
    const record = started.get(executionArn) ?? records.executions.get(executionArn);
    if (record === undefined) continue;
    records.history.put(historyKey(executionArn, events[0].id), packHistory(events));
    for (const event of events) apply(record, event);
    records.executions.put(executionArn, record);
  }
}

/**
 * A child runs "stateMachine:<machine>/<Map Run label>", the state machine ARN AWS shows for a
 * Map Run's children (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html).
 */
export function childMachineArn(childArn: string): string {
  const parts = childArn.split(':');
  return `${parts.slice(0, 5).join(':')}:stateMachine:${parts[6]}`;
}

/** Moves a child's record along with an event of its history. */
function apply(record: ExecutionRecord, event: HistoryEvent): void {
  const details = detailsOf(event);
  switch (event.type) {
    case 'ExecutionSucceeded':
      record.status = 'SUCCEEDED';
      record.stopDate = event.timestamp;
      if (typeof details.output === 'string') record.output = details.output;
      return;
    case 'ExecutionFailed':
    case 'ExecutionAborted':
      record.status = event.type === 'ExecutionFailed' ? 'FAILED' : 'ABORTED';
      record.stopDate = event.timestamp;
      if (typeof details.error === 'string') record.error = details.error;
      if (typeof details.cause === 'string') record.cause = details.cause;
      return;
    case 'ExecutionRedriven':
      record.status = 'RUNNING';
      delete record.stopDate;
      delete record.output;
      delete record.error;
      delete record.cause;
      record.redriveCount = (record.redriveCount ?? 0) + 1;
      record.redriveDate = event.timestamp;
      return;
    default:
  }
}

/** The details member of an event (`<type>EventDetails`), empty when it has none. */
export function detailsOf(event: HistoryEvent | undefined): EventDetails {
  if (event === undefined) return {};
  for (const [key, value] of Object.entries(event) as [string, unknown][]) {
    if (key.endsWith('EventDetails') && typeof value === 'object' && value !== null) return value as EventDetails;
  }
  return {};
}
