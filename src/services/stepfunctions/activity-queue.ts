import type { JsonValue, ScheduleTaskCommand } from '../../engines/asl/index.js';
import type { Tag } from '../../generated/stepfunctions.js';
import type { Clock } from '../../shared/clock.js';
import type { Collection, Store } from '../../store/store.js';

export interface ActivityRecord {
  readonly activityArn: string;
  readonly name: string;
  /** Epoch milliseconds. */
  readonly creationDate: number;
  tags: Tag[];
}

/** A scheduled activity task no worker has taken yet. */
export interface QueuedActivityTask {
  readonly executionArn: string;
  readonly taskId: string;
  readonly taskToken: string;
  readonly input: JsonValue;
}

/** A task handed to a worker by GetActivityTask. */
export interface ClaimedActivityTask {
  readonly taskToken: string;
  readonly input: string;
}

type Claim = (task: QueuedActivityTask | undefined) => void;

/**
 * Activity tasks wait in a durable FIFO per activity until a worker polls
 * GetActivityTask, which holds the request open for up to 60 seconds of the
 * runtime clock and answers an empty task when nothing arrives
 * (https://docs.aws.amazon.com/step-functions/latest/apireference/API_GetActivityTask.html).
 */
export class ActivityQueue {
  readonly activities: Collection<ActivityRecord>;
  private readonly queued: Collection<QueuedActivityTask>;
  private readonly pollers = new Map<string, Claim[]>();
  private sequence = 0;

  constructor(store: Store, private readonly clock: Clock) {
    this.activities = store.collection<ActivityRecord>('stepfunctions/global/-/activities');
    this.queued = store.collection<QueuedActivityTask>('stepfunctions/global/-/activity-tasks');
  }

  enqueue(executionArn: string, command: ScheduleTaskCommand): void {
    const task: QueuedActivityTask = { executionArn, taskId: command.taskId, taskToken: command.taskToken ?? '', input: command.input };
    const waiting = this.pollers.get(command.resource)?.shift();
    if (waiting !== undefined) {
      waiting(task);
      return;
    }
    // Keys sort by enqueue time, then a counter for tasks queued in the same millisecond.
    const key = `${command.resource}/${String(this.clock.now()).padStart(15, '0')}-${String(++this.sequence).padStart(10, '0')}`;
    this.queued.put(key, task);
  }

  /** The oldest queued task still wanted (its token alive), or one that arrives within the poll window. */
  poll(activityArn: string, isAlive: (task: QueuedActivityTask) => boolean): Promise<QueuedActivityTask | undefined> {
    for (const [key, task] of this.queued.list({ prefix: `${activityArn}/` })) {
      this.queued.delete(key);
      if (isAlive(task)) return Promise.resolve(task);
    }
    return new Promise((resolve) => {
      const claim: Claim = (task) => {
        cancel();
        resolve(task);
      };
      const cancel = this.clock.schedule(60_000, () => {
        const list = this.pollers.get(activityArn) ?? [];
        this.pollers.set(activityArn, list.filter((item) => item !== claim));
        resolve(undefined);
      });
      const list = this.pollers.get(activityArn) ?? [];
      list.push(claim);
      this.pollers.set(activityArn, list);
    });
  }

  /** Answers every open poll with no task (reset, stop, activity deleted). */
  release(activityArn?: string): void {
    for (const [arn, claims] of this.pollers) {
      if (activityArn !== undefined && arn !== activityArn) continue;
      for (const claim of claims) claim(undefined);
      this.pollers.delete(arn);
    }
  }
}
