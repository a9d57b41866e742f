import type { StepfunctionsApi } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { ServiceRuntime } from '../service.js';
import type { ExecutionDriver } from './driver.js';
import { executionDoesNotExist, requireArn } from './names.js';
import { redriveVerdict } from './redrive-rules.js';
import type { StepFunctionsCollections } from './records.js';

/**
 * RedriveExecution (https://docs.aws.amazon.com/step-functions/latest/apireference/API_RedriveExecution.html):
 * a Standard execution that FAILED, TIMED_OUT or was ABORTED in the last 14
 * days continues from its unsuccessful states, under the same ARN, with its
 * history kept and an ExecutionRedriven event appended. A repeated
 * clientToken while the redrive runs answers the same redriveDate.
 */
export function redriveOperations(runtime: ServiceRuntime, records: StepFunctionsCollections, driver: ExecutionDriver): Pick<StepfunctionsApi, 'RedriveExecution'> {
  return {
    RedriveExecution(input, ctx) {
      const parsed = requireArn(input.executionArn, 'execution', ctx.region, ctx.account);
      if (parsed.resourceType === 'express') throw new ServiceError('ExecutionNotRedrivable', 'Execution with type EXPRESS cannot be redriven.');
      const record = records.executions.get(input.executionArn);
      if (record === undefined) throw executionDoesNotExist(input.executionArn);
      // A Map Run's child runs again only through its Map Run (https://docs.aws.amazon.com/step-functions/latest/dg/redrive-map-run.html).
      if (record.mapRunArn !== undefined) throw new ServiceError('ExecutionNotRedrivable', 'Execution cannot be redriven: a Map Run child execution is redriven by redriving its parent execution.');
      if (input.clientToken !== undefined && record.redriveClientToken === input.clientToken && record.status === 'RUNNING' && record.redriveDate !== undefined) {
        return { redriveDate: new Date(record.redriveDate) };
      }
      const verdict = redriveVerdict(record, () => records.stateMachines.get(record.stateMachineArn) !== undefined, runtime.clock.now());
      if (verdict.status !== 'REDRIVABLE') throw new ServiceError('ExecutionNotRedrivable', verdict.reason ?? 'Execution cannot be redriven.');
      if (!driver.redrive(record.executionArn, input.clientToken)) throw new ServiceError('ExecutionNotRedrivable', 'Execution cannot be redriven.');
      const redriven = records.executions.get(record.executionArn);
      return { redriveDate: new Date(redriven?.redriveDate ?? runtime.clock.now()) };
    },
  };
}
