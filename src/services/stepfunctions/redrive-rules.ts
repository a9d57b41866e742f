import type { ExecutionRedriveStatus } from '../../generated/stepfunctions.js';
import type { ExecutionRecord } from './records.js';

/** An execution can be redriven for 14 days after it stopped. */
export const REDRIVABLE_PERIOD_MS = 14 * 24 * 3_600_000;

export interface RedriveVerdict {
  readonly status: ExecutionRedriveStatus;
  /** Why not, in the words DescribeExecution's redriveStatusReason uses. */
  readonly reason?: string;
}

/**
 * Whether RedriveExecution may restart an execution, and why not, with the
 * reasons AWS lists for redriveStatusReason
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_DescribeExecution.html#StepFunctions-DescribeExecution-response-redriveStatusReason
 * and https://docs.aws.amazon.com/step-functions/latest/dg/redrive-executions.html).
 * Express executions are never kept, so they never reach this check. The machine is looked up only
 * when it matters (it is a large record to read on every DescribeExecution).
 */
export function redriveVerdict(record: ExecutionRecord, machineExists: () => boolean, now: number): RedriveVerdict {
  if (record.status === 'RUNNING' || record.status === 'SUCCEEDED') {
    return { status: 'NOT_REDRIVABLE', reason: `Execution is ${record.status} and cannot be redriven.` };
  }
  if (!machineExists()) return { status: 'NOT_REDRIVABLE', reason: 'State machine is in DELETING status.' };
  if (now - (record.stopDate ?? record.startDate) > REDRIVABLE_PERIOD_MS) return { status: 'NOT_REDRIVABLE', reason: 'Execution redrivable period exceeded.' };
  return { status: 'REDRIVABLE' };
}
