import type { StepfunctionsApi } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import type { ActivityQueue, ActivityRecord } from './activity-queue.js';
import type { ExecutionDriver } from './driver.js';
import { checkName, requireArn } from './names.js';
import { paginate } from './pagination.js';
import type { StepFunctionsCollections } from './records.js';
import { mergeTags } from './tag-operations.js';

type ActivityOperations = Pick<StepfunctionsApi, 'CreateActivity' | 'DescribeActivity' | 'ListActivities' | 'DeleteActivity' | 'GetActivityTask'>;

function activityArn(ctx: RequestContext, name: string): string {
  return `arn:aws:states:${ctx.region}:${ctx.account}:activity:${name}`;
}

export function activityOperations(runtime: ServiceRuntime, records: StepFunctionsCollections, queue: ActivityQueue, driver: ExecutionDriver): ActivityOperations {
  const find = (arn: string, ctx: RequestContext): ActivityRecord => {
    requireArn(arn, 'activity', ctx.region, ctx.account);
    const record = queue.activities.get(arn);
    if (record === undefined) throw new ServiceError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);
    return record;
  };

  return {
    /** Idempotent for a name that exists (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateActivity.html). */
    CreateActivity(input, ctx) {
      checkName(input.name);
      const arn = activityArn(ctx, input.name);
      const existing = queue.activities.get(arn);
      if (existing !== undefined) return { activityArn: arn, creationDate: new Date(existing.creationDate) };
      const record: ActivityRecord = { activityArn: arn, name: input.name, creationDate: runtime.clock.now(), tags: mergeTags([], input.tags ?? [], arn) };
      queue.activities.put(arn, record);
      return { activityArn: arn, creationDate: new Date(record.creationDate) };
    },

    DescribeActivity(input, ctx) {
      const record = find(input.activityArn, ctx);
      return { activityArn: record.activityArn, name: record.name, creationDate: new Date(record.creationDate), encryptionConfiguration: { type: 'AWS_OWNED_KEY' } };
    },

    ListActivities(input, ctx) {
      const all = queue.activities.list({ prefix: activityArn(ctx, '') }).map(([, record]) => record);
      const page = paginate(all, input.maxResults, input.nextToken);
      return {
        activities: page.items.map((record) => ({ activityArn: record.activityArn, name: record.name, creationDate: new Date(record.creationDate) })),
        ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
      };
    },

    DeleteActivity(input, ctx) {
      requireArn(input.activityArn, 'activity', ctx.region, ctx.account);
      queue.activities.delete(input.activityArn);
      queue.release(input.activityArn);
      return {};
    },

    /** A worker takes the oldest task still pending; taking it logs ActivityStarted with the worker's name. */
    async GetActivityTask(input, ctx) {
      find(input.activityArn, ctx);
      const task = await queue.poll(input.activityArn, (queued) => records.taskTokens.get(queued.taskToken) !== undefined);
      if (task === undefined) return {};
      driver.signal(task.executionArn, { type: 'taskStarted', taskId: task.taskId, ...(input.workerName === undefined ? {} : { workerName: input.workerName }) });
      return { taskToken: task.taskToken, input: JSON.stringify(task.input) };
    },
  };
}
