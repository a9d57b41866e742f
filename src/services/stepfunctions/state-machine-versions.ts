import type { StepfunctionsApi } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { requireArn, stateMachineDoesNotExist } from './names.js';
import { paginate } from './pagination.js';
import type { StateMachineAliasRecord, StateMachineRecord, StateMachineVersionRecord, StepFunctionsCollections } from './records.js';

type VersionOperations = Pick<StepfunctionsApi, 'PublishStateMachineVersion' | 'ListStateMachineVersions' | 'DeleteStateMachineVersion'>;

/**
 * Versions are numbered snapshots of a machine's current revision
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-version.html).
 * Publishing an unchanged revision again returns the version it already has.
 */
export function publishVersion(records: StepFunctionsCollections, machine: StateMachineRecord, now: number, description?: string): StateMachineVersionRecord {
  const latest = machine.latestVersion === undefined ? undefined : records.versions.get(`${machine.stateMachineArn}:${String(machine.latestVersion)}`);
  if (latest !== undefined && latest.revisionId === machine.revisionId) return latest;
  const version = (machine.latestVersion ?? 0) + 1;
  const record: StateMachineVersionRecord = {
    stateMachineVersionArn: `${machine.stateMachineArn}:${String(version)}`, stateMachineArn: machine.stateMachineArn, version,
    definition: machine.definition, roleArn: machine.roleArn, type: machine.type, loggingConfiguration: machine.loggingConfiguration,
    tracingEnabled: machine.tracingEnabled, revisionId: machine.revisionId, creationDate: now, ...(description === undefined ? {} : { description }),
  };
  machine.latestVersion = version;
  records.store.transaction(() => {
    records.versions.put(record.stateMachineVersionArn, record);
    records.stateMachines.put(machine.stateMachineArn, machine);
  });
  return record;
}

/** What an ARN that StartExecution or DescribeStateMachine accepts names: a machine, one of its versions, or an alias routed to a version. */
export interface ResolvedMachine {
  readonly machine: StateMachineRecord;
  readonly version?: StateMachineVersionRecord;
  readonly alias?: StateMachineAliasRecord;
}

export function resolveMachine(records: StepFunctionsCollections, arn: string, ctx: Pick<RequestContext, 'account' | 'region'>): ResolvedMachine {
  const parsed = requireArn(arn, 'stateMachine', ctx.region, ctx.account);
  const [name, qualifier] = parsed.name.split(':');
  const machine = records.stateMachines.get(`arn:aws:states:${parsed.region}:${parsed.account}:stateMachine:${name}`);
  if (machine === undefined) throw stateMachineDoesNotExist(arn);
  if (qualifier === undefined) return { machine };
  if (/^\d+$/.test(qualifier)) {
    const version = records.versions.get(arn);
    if (version === undefined) throw stateMachineDoesNotExist(arn);
    return { machine, version };
  }
  const alias = records.aliases.get(arn);
  if (alias === undefined) throw stateMachineDoesNotExist(arn);
  const version = records.versions.get(routeAlias(alias, Math.random()));
  if (version === undefined) throw stateMachineDoesNotExist(arn);
  return { machine, version, alias };
}

/** Picks a version by the routing weights (percentages that add up to 100). */
export function routeAlias(alias: StateMachineAliasRecord, draw: number): string {
  let remaining = draw * 100;
  for (const route of alias.routingConfiguration) {
    if (remaining < route.weight) return route.stateMachineVersionArn;
    remaining -= route.weight;
  }
  return alias.routingConfiguration[alias.routingConfiguration.length - 1].stateMachineVersionArn;
}

export function versionOperations(runtime: ServiceRuntime, records: StepFunctionsCollections): VersionOperations {
  const machineOf = (arn: string, ctx: RequestContext): StateMachineRecord => {
    requireArn(arn, 'stateMachine', ctx.region, ctx.account);
    const machine = records.stateMachines.get(arn);
    if (machine === undefined) throw stateMachineDoesNotExist(arn);
    return machine;
  };
  return {
    PublishStateMachineVersion(input, ctx) {
      const machine = machineOf(input.stateMachineArn, ctx);
      if (input.revisionId !== undefined && input.revisionId !== machine.revisionId) {
        throw new ServiceError('ConflictException', `Failed to publish the State Machine version for revision ${input.revisionId}. The current State Machine revision is ${machine.revisionId}.`);
      }
      const version = publishVersion(records, machine, runtime.clock.now(), input.description);
      return { stateMachineVersionArn: version.stateMachineVersionArn, creationDate: new Date(version.creationDate) };
    },

    /** Newest version first. */
    ListStateMachineVersions(input, ctx) {
      const machine = machineOf(input.stateMachineArn, ctx);
      const all = records.versions.list({ prefix: `${machine.stateMachineArn}:` }).map(([, version]) => version).sort((a, b) => b.version - a.version);
      const page = paginate(all, input.maxResults, input.nextToken);
      return {
        stateMachineVersions: page.items.map((version) => ({ stateMachineVersionArn: version.stateMachineVersionArn, creationDate: new Date(version.creationDate) })),
        ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
      };
    },

    DeleteStateMachineVersion(input, ctx) {
      requireArn(input.stateMachineVersionArn, 'stateMachine', ctx.region, ctx.account);
      records.versions.delete(input.stateMachineVersionArn);
      return {};
    },
  };
}
