import type { RoutingConfigurationListItem, StepfunctionsApi } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { checkName, requireArn, stateMachineDoesNotExist } from './names.js';
import { paginate } from './pagination.js';
import type { StateMachineAliasRecord, StepFunctionsCollections } from './records.js';

type AliasOperations = Pick<StepfunctionsApi,
  'CreateStateMachineAlias' | 'DescribeStateMachineAlias' | 'UpdateStateMachineAlias' | 'DeleteStateMachineAlias' | 'ListStateMachineAliases'>;

/**
 * Aliases route executions to one or two versions of the same machine by
 * weights that add up to 100
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-state-machine-alias.html).
 * A name made of digits only would read as a version, so it is refused.
 */
export function aliasOperations(runtime: ServiceRuntime, records: StepFunctionsCollections): AliasOperations {
  const invalidRouting = (message: string): ServiceError => new ServiceError('ValidationException', message, 400, { reason: 'INVALID_ROUTING_CONFIGURATION' });

  /** Checks the routes and returns the machine ARN they all belong to. */
  const checkRouting = (routes: readonly RoutingConfigurationListItem[], ctx: RequestContext): string => {
    const machines = new Set<string>();
    for (const route of routes) {
      requireArn(route.stateMachineVersionArn, 'stateMachine', ctx.region, ctx.account);
      if (records.versions.get(route.stateMachineVersionArn) === undefined) {
        throw new ServiceError('ResourceNotFound', `Resource not found: '${route.stateMachineVersionArn}'`, 400, { resourceName: route.stateMachineVersionArn });
      }
      machines.add(route.stateMachineVersionArn.split(':').slice(0, 7).join(':'));
    }
    if (machines.size !== 1) throw invalidRouting('Routing configuration must contain state machine versions of the same state machine.');
    if (new Set(routes.map((route) => route.stateMachineVersionArn)).size !== routes.length) throw invalidRouting('Routing configuration must contain distinct state machine versions.');
    if (routes.reduce((sum, route) => sum + route.weight, 0) !== 100) throw invalidRouting('Sum of routing configuration weights must be equal to 100.');
    return [...machines][0];
  };

  const find = (arn: string, ctx: RequestContext): StateMachineAliasRecord => {
    requireArn(arn, 'stateMachine', ctx.region, ctx.account);
    const alias = records.aliases.get(arn);
    if (alias === undefined) throw new ServiceError('ResourceNotFound', `Resource not found: '${arn}'`, 400, { resourceName: arn });
    return alias;
  };

  return {
    CreateStateMachineAlias(input, ctx) {
      checkName(input.name);
      if (/^\d+$/.test(input.name)) throw new ServiceError('InvalidName', `Invalid Name: '${input.name}'`);
      const machineArn = checkRouting(input.routingConfiguration, ctx);
      if (records.stateMachines.get(machineArn) === undefined) throw stateMachineDoesNotExist(machineArn);
      const arn = `${machineArn}:${input.name}`;
      const existing = records.aliases.get(arn);
      if (existing !== undefined) {
        const same = existing.description === input.description && JSON.stringify(existing.routingConfiguration) === JSON.stringify(input.routingConfiguration);
        if (same) return { stateMachineAliasArn: arn, creationDate: new Date(existing.creationDate) };
        throw new ServiceError('ConflictException', `Failed to create alias because an alias with the same name and a different routing configuration already exists.`);
      }
      const now = runtime.clock.now();
      const record: StateMachineAliasRecord = {
        stateMachineAliasArn: arn, stateMachineArn: machineArn, name: input.name, routingConfiguration: input.routingConfiguration.map((route) => ({ ...route })),
        creationDate: now, updateDate: now, ...(input.description === undefined ? {} : { description: input.description }),
      };
      records.aliases.put(arn, record);
      return { stateMachineAliasArn: arn, creationDate: new Date(now) };
    },

    DescribeStateMachineAlias(input, ctx) {
      const alias = find(input.stateMachineAliasArn, ctx);
      return {
        stateMachineAliasArn: alias.stateMachineAliasArn, name: alias.name, routingConfiguration: alias.routingConfiguration,
        creationDate: new Date(alias.creationDate), updateDate: new Date(alias.updateDate), ...(alias.description === undefined ? {} : { description: alias.description }),
      };
    },

    UpdateStateMachineAlias(input, ctx) {
      const alias = find(input.stateMachineAliasArn, ctx);
      if (input.description === undefined && input.routingConfiguration === undefined) {
        throw new ServiceError('ValidationException', 'Either the description or the RoutingConfiguration must be specified', 400, { reason: 'MISSING_REQUIRED_PARAMETER' });
      }
      if (input.routingConfiguration !== undefined) {
        if (checkRouting(input.routingConfiguration, ctx) !== alias.stateMachineArn) throw invalidRouting('Routing configuration must contain state machine versions of the same state machine.');
        alias.routingConfiguration = input.routingConfiguration.map((route) => ({ ...route }));
      }
      if (input.description !== undefined) alias.description = input.description;
      alias.updateDate = runtime.clock.now();
      records.aliases.put(alias.stateMachineAliasArn, alias);
      return { updateDate: new Date(alias.updateDate) };
    },

    DeleteStateMachineAlias(input, ctx) {
      find(input.stateMachineAliasArn, ctx);
      records.aliases.delete(input.stateMachineAliasArn);
      return {};
    },

    ListStateMachineAliases(input, ctx) {
      requireArn(input.stateMachineArn, 'stateMachine', ctx.region, ctx.account);
      if (records.stateMachines.get(input.stateMachineArn) === undefined) throw stateMachineDoesNotExist(input.stateMachineArn);
      const all = records.aliases.list({ prefix: `${input.stateMachineArn}:` }).map(([, alias]) => alias);
      const page = paginate(all, input.maxResults, input.nextToken);
      return {
        stateMachineAliases: page.items.map((alias) => ({ stateMachineAliasArn: alias.stateMachineAliasArn, creationDate: new Date(alias.creationDate) })),
        ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
      };
    },
  };
}
