import { randomUUID } from 'node:crypto';
import { validateDefinition } from '../../engines/asl/index.js';
import type { StepfunctionsApi, LoggingConfiguration } from '../../generated/stepfunctions.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { checkName, checkRoleArn, requireArn, stateMachineArn, stateMachineDoesNotExist } from './names.js';
import { paginate } from './pagination.js';
import { publishVersion, resolveMachine } from './state-machine-versions.js';
import { mergeTags } from './tag-operations.js';
import type { StateMachineRecord, StepFunctionsCollections } from './records.js';

type StateMachineOperations = Pick<StepfunctionsApi,
  'CreateStateMachine' | 'DescribeStateMachine' | 'ListStateMachines' | 'UpdateStateMachine' | 'DeleteStateMachine' | 'ValidateStateMachineDefinition'>;

const DEFAULT_LOGGING: LoggingConfiguration = { level: 'OFF', includeExecutionData: false };

/** Throws InvalidDefinition with the engine's AWS-worded message. */
function checkDefinition(definition: string): void {
  const validation = validateDefinition(definition);
  if (!validation.ok) throw new ServiceError('InvalidDefinition', validation.message);
}

/** Logging other than OFF needs a destination (https://docs.aws.amazon.com/step-functions/latest/dg/cw-logs.html). */
function checkLogging(logging: LoggingConfiguration | undefined): LoggingConfiguration {
  if (logging === undefined) return DEFAULT_LOGGING;
  const level = logging.level ?? 'OFF';
  if (level !== 'OFF' && (logging.destinations ?? []).length === 0) {
    throw new ServiceError('InvalidLoggingConfiguration', 'Invalid Logging Configuration: Must specify exactly one Log Destination.');
  }
  return { level, includeExecutionData: logging.includeExecutionData ?? false, ...(logging.destinations === undefined ? {} : { destinations: logging.destinations }) };
}

export function stateMachineOperations(runtime: ServiceRuntime, records: StepFunctionsCollections): StateMachineOperations {
  const find = (arn: string, ctx: RequestContext): StateMachineRecord => {
    requireArn(arn, 'stateMachine', ctx.region, ctx.account);
    const record = records.stateMachines.get(arn);
    if (record === undefined) throw stateMachineDoesNotExist(arn);
    return record;
  };
  const prefix = (ctx: RequestContext): string => stateMachineArn(ctx.region, ctx.account, '');

  return {
    CreateStateMachine(input, ctx) {
      checkName(input.name);
      checkRoleArn(input.roleArn);
      checkDefinition(input.definition);
      const type = input.type ?? 'STANDARD';
      const loggingConfiguration = checkLogging(input.loggingConfiguration);
      const arn = stateMachineArn(ctx.region, ctx.account, input.name);
      const existing = records.stateMachines.get(arn);
      if (existing !== undefined) {
        // Creating the same machine again is idempotent; a different one under the name is a conflict
        // (https://docs.aws.amazon.com/step-functions/latest/apireference/API_CreateStateMachine.html).
        if (existing.definition === input.definition && existing.roleArn === input.roleArn && existing.type === type) {
          return { stateMachineArn: arn, creationDate: new Date(existing.creationDate) };
        }
        throw new ServiceError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
      }
      const now = runtime.clock.now();
      const record: StateMachineRecord = {
        stateMachineArn: arn, name: input.name, type, definition: input.definition, roleArn: input.roleArn, loggingConfiguration,
        tracingEnabled: input.tracingConfiguration?.enabled ?? false, creationDate: now, updateDate: now, revisionId: randomUUID(),
        status: 'ACTIVE', tags: mergeTags([], input.tags ?? [], arn),
      };
      records.stateMachines.put(arn, record);
      const version = input.publish === true ? publishVersion(records, record, now, input.versionDescription) : undefined;
      return { stateMachineArn: arn, creationDate: new Date(now), ...(version === undefined ? {} : { stateMachineVersionArn: version.stateMachineVersionArn }) };
    },

    /** A version ARN describes that version's snapshot under its own ARN. */
    DescribeStateMachine(input, ctx) {
      const { machine, version, alias } = resolveMachine(records, input.stateMachineArn, ctx);
      // Aliases are described by DescribeStateMachineAlias.
      if (alias !== undefined) throw stateMachineDoesNotExist(input.stateMachineArn);
      const record = version ?? machine;
      return {
        stateMachineArn: version?.stateMachineVersionArn ?? machine.stateMachineArn, name: machine.name, status: machine.status, definition: record.definition,
        roleArn: record.roleArn, type: record.type, creationDate: new Date(record.creationDate),
        loggingConfiguration: record.loggingConfiguration, tracingConfiguration: { enabled: record.tracingEnabled }, revisionId: record.revisionId,
        ...(version?.description === undefined ? {} : { description: version.description }),
      };
    },

    ListStateMachines(input, ctx) {
      const all = records.stateMachines.list({ prefix: prefix(ctx) }).map(([, record]) => record);
      const page = paginate(all, input.maxResults, input.nextToken);
      return {
        stateMachines: page.items.map((record) => ({ stateMachineArn: record.stateMachineArn, name: record.name, type: record.type, creationDate: new Date(record.creationDate) })),
        ...(page.nextToken === undefined ? {} : { nextToken: page.nextToken }),
      };
    },

    UpdateStateMachine(input, ctx) {
      const record = find(input.stateMachineArn, ctx);
      if (input.definition === undefined && input.roleArn === undefined && input.loggingConfiguration === undefined && input.tracingConfiguration === undefined) {
        throw new ServiceError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
      }
      if (input.definition !== undefined) checkDefinition(input.definition);
      if (input.roleArn !== undefined) checkRoleArn(input.roleArn);
      if (input.loggingConfiguration !== undefined) record.loggingConfiguration = checkLogging(input.loggingConfiguration);
      if (input.definition !== undefined) record.definition = input.definition;
      if (input.roleArn !== undefined) record.roleArn = input.roleArn;
      if (input.tracingConfiguration !== undefined) record.tracingEnabled = input.tracingConfiguration.enabled ?? false;
      record.updateDate = runtime.clock.now();
      record.revisionId = randomUUID();
      records.stateMachines.put(record.stateMachineArn, record);
      const version = input.publish === true ? publishVersion(records, record, record.updateDate, input.versionDescription) : undefined;
      return { updateDate: new Date(record.updateDate), revisionId: record.revisionId, ...(version === undefined ? {} : { stateMachineVersionArn: version.stateMachineVersionArn }) };
    },

    /** Deleting an unknown machine succeeds, as in AWS; running executions finish with the definition they started with. */
    DeleteStateMachine(input, ctx) {
      requireArn(input.stateMachineArn, 'stateMachine', ctx.region, ctx.account);
      runtime.store.transaction(() => {
        records.stateMachines.delete(input.stateMachineArn);
        records.versions.deletePrefix(`${input.stateMachineArn}:`);
        records.aliases.deletePrefix(`${input.stateMachineArn}:`);
      });
      return {};
    },

    ValidateStateMachineDefinition(input) {
      const validation = validateDefinition(input.definition);
      if (validation.ok) return { result: 'OK', diagnostics: [], truncated: false };
      const limit = input.maxResults === undefined || input.maxResults === 0 ? 100 : input.maxResults;
      const diagnostics = validation.diagnostics.map((diagnostic) => ({ severity: 'ERROR' as const, code: diagnostic.code, message: diagnostic.message, location: diagnostic.location }));
      return { result: 'FAIL', diagnostics: diagnostics.slice(0, limit), truncated: diagnostics.length > limit };
    },
  };
}
