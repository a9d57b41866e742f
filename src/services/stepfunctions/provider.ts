/**
 * AWS Step Functions on the pure ASL engine (src/engines/asl): state machines,
 * durable Standard executions driven off the request path (state and history
 * persisted after every step, timers on the runtime clock, RUNNING executions
 * resumed when the provider is created), task integrations through the
 * internal client, callbacks with task tokens, nested executions and
 * synchronous Express executions, activities with long-polling workers,
 * versions and aliases, and execution logs in CloudWatch Logs.
 *
 * Also RedriveExecution (redrive-operations), TestState (test-state) and
 * Distributed Map with the Map Run API (map-run-operations) and its child
 * workflow executions (map-run-children: ListExecutions by mapRunArn,
 * DescribeExecution, GetExecutionHistory).
 *
 * Known limitations: a Map Run's children run inside the parent execution's
 * engine state (StopExecution of a child goes through the parent), and
 * ExecutionType EXPRESS children keep no record at all; Distributed Map's
 * ItemReader and ResultWriter fail because Amazon S3 is not served; TestState ignores `context` and `stateConfiguration`
 * and does not run Parallel or Map states; IAM roles are not assumed or checked;
 * encryptionConfiguration is ignored; DeleteStateMachine removes the machine
 * at once while running executions finish; .sync is supported for
 * states:startExecution only; after a restart, request-response tasks whose
 * results were lost are sent again (at least once), and executions resume
 * when the service is first loaded (providers load on first use).
 */
import type { StepfunctionsApi } from '../../generated/stepfunctions.js';
import type { ServiceRuntime } from '../service.js';
import { activityOperations } from './activity-operations.js';
import { ActivityQueue } from './activity-queue.js';
import { ExecutionDriver } from './driver.js';
import { executionOperations } from './execution-operations.js';
import { mapRunOperations } from './map-run-operations.js';
import { redriveOperations } from './redrive-operations.js';
import { stepFunctionsCollections } from './records.js';
import { aliasOperations } from './state-machine-aliases.js';
import { stateMachineOperations } from './state-machine-operations.js';
import { versionOperations } from './state-machine-versions.js';
import { tagOperations } from './tag-operations.js';
import { testStateOperation } from './test-state.js';

export function createStepFunctionsProvider(runtime: ServiceRuntime): Partial<StepfunctionsApi> {
  const records = stepFunctionsCollections(runtime.store);
  const activities = new ActivityQueue(runtime.store, runtime.clock);
  const driver = new ExecutionDriver(runtime, records, activities);
  const provider = {
    ...stateMachineOperations(runtime, records),
    ...versionOperations(runtime, records),
    ...aliasOperations(runtime, records),
    ...executionOperations(runtime, records, driver),
    ...redriveOperations(runtime, records, driver),
    ...mapRunOperations(records, driver),
    ...testStateOperation(runtime),
    ...activityOperations(runtime, records, activities, driver),
    ...tagOperations({ stateMachine: records.stateMachines, activity: activities.activities }),
  };
  driver.resumeAll();
  return provider;
}
