import type { MapRunSummary } from '../../engines/asl/index.js';
import type { MapRunExecutionCounts, StepfunctionsApi } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ExecutionDriver } from './driver.js';
import { executionDoesNotExist, requireArn } from './names.js';
import { paginate } from './pagination.js';
import type { ExecutionRecord, StepFunctionsCollections } from './records.js';

type MapRunOperations = Pick<StepfunctionsApi, 'DescribeMapRun' | 'ListMapRuns' | 'UpdateMapRun'>;

/**
 * The Map Run API over the Map Runs the engine keeps in each execution's
 * state (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-examine-map-run.html).
 * executionCounts count the child executions (one per item, or per batch with
 * ItemBatcher), Express ones included; Standard children are also kept as
 * execution records (map-run-children.ts).
 */
export function mapRunOperations(records: StepFunctionsCollections, driver: ExecutionDriver): MapRunOperations {
  const find = (mapRunArn: string, ctx: RequestContext): { summary: MapRunSummary; execution: ExecutionRecord } => {
    requireArn(mapRunArn, 'mapRun', ctx.region, ctx.account);
    const index = records.mapRuns.get(mapRunArn);
    const execution = index === undefined ? undefined : records.executions.get(index.executionArn);
    const summary = execution?.engine?.mapRuns?.[mapRunArn];
    if (execution === undefined || summary === undefined) throw new ServiceError('ResourceNotFound', `Resource not found: '${mapRunArn}'`);
    return { summary, execution };
  };

  return {
    DescribeMapRun(input, ctx) {
      const { summary, execution } = find(input.mapRunArn, ctx);
      return {
        mapRunArn: summary.mapRunArn, executionArn: execution.executionArn, status: summary.status, startDate: new Date(summary.startTime),
        ...(summary.stopTime === undefined ? {} : { stopDate: new Date(summary.stopTime) }),
        maxConcurrency: summary.maxConcurrency, toleratedFailureCount: summary.toleratedFailureCount, toleratedFailurePercentage: summary.toleratedFailurePercentage,
        itemCounts: countsOf(summary.items), executionCounts: countsOf(summary.executions),
        redriveCount: summary.redriveCount ?? 0, ...(summary.redriveTime === undefined ? {} : { redriveDate: new Date(summary.redriveTime) }),
      };
    },

    /** Newest first, like executions. */
    ListMapRuns(input, ctx) {
      requireArn(input.executionArn, 'execution', ctx.region, ctx.account);
      const execution = records.executions.get(input.executionArn);
      if (execution === undefined || execution.type === 'EXPRESS') throw executionDoesNotExist(input.executionArn);
      const runs = Object.values(execution.engine?.mapRuns ?? {}).sort((a, b) => b.startTime - a.startTime || b.mapRunArn.localeCompare(a.mapRunArn));
      const page = paginate(runs, input.maxResults, input.nextToken);
      return {
        mapRuns: page.items.map((summary) => ({
          executionArn: execution.executionArn, mapRunArn: summary.mapRunArn, stateMachineArn: mapRunMachineArn(summary.mapRunArn), startDate: new Date(summary.startTime),
          ...(summary.stopTime === undefined ? {} : { stopDate: new Date(summary.stopTime) }),
        })),
        ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
      };
    },

    /** Only a Map Run in progress takes new settings (https://docs.aws.amazon.com/step-functions/latest/apireference/API_UpdateMapRun.html). */
    UpdateMapRun(input, ctx) {
      const { summary, execution } = find(input.mapRunArn, ctx);
      if (input.maxConcurrency === undefined && input.toleratedFailureCount === undefined && input.toleratedFailurePercentage === undefined) {
        throw new ServiceError('ValidationException', 'At least one of the parameters maxConcurrency, toleratedFailurePercentage or toleratedFailureCount must be provided.');
      }
      if (summary.status !== 'RUNNING') throw new ServiceError('ValidationException', `Map Run '${input.mapRunArn}' is ${summary.status} and cannot be updated.`);
      const update = {
        ...(input.maxConcurrency === undefined ? {} : { maxConcurrency: input.maxConcurrency }),
        ...(input.toleratedFailureCount === undefined ? {} : { toleratedFailureCount: input.toleratedFailureCount }),
        ...(input.toleratedFailurePercentage === undefined ? {} : { toleratedFailurePercentage: input.toleratedFailurePercentage }),
      };
      driver.signal(execution.executionArn, { type: 'updateMapRun', mapRunArn: input.mapRunArn, update });
      return {};
    },
  };
}

/** A Map Run runs "stateMachine:<machine>/<label>", named like its ARN without the run id. */
function mapRunMachineArn(mapRunArn: string): string {
  const parts = mapRunArn.split(':');
  return `${parts.slice(0, 5).join(':')}:stateMachine:${parts[6]}`;
}

function countsOf(counts: MapRunSummary['items']): MapRunExecutionCounts {
  const running = counts.started - counts.succeeded - counts.failed - counts.aborted;
  return {
    pending: counts.total - counts.started, running, succeeded: counts.succeeded, failed: counts.failed, timedOut: 0, aborted: counts.aborted,
    total: counts.total, resultsWritten: 0, failuresNotRedrivable: 0, pendingRedrive: 0,
  };
}
