/**
 * DynamoDB's control plane: tables, indexes, tags, Time to Live, limits and endpoints. Tables become
 * ACTIVE at once; the responses to CreateTable, UpdateTable and DeleteTable still report CREATING,
 * UPDATING and DELETING, as DynamoDB's do.
 */
import type {
  CreateTableInput,
  CreateTableOutput,
  DeleteTableInput,
  DeleteTableOutput,
  DescribeEndpointsResponse,
  DescribeLimitsOutput,
  DescribeTableInput,
  DescribeTableOutput,
  DescribeTimeToLiveInput,
  DescribeTimeToLiveOutput,
  DynamodbApi,
  ListTablesInput,
  ListTablesOutput,
  ListTagsOfResourceInput,
  ListTagsOfResourceOutput,
  StreamSpecification,
  TableStatus,
  TagResourceInput,
  UntagResourceInput,
  UpdateTableInput,
  UpdateTableOutput,
  UpdateTimeToLiveInput,
  UpdateTimeToLiveOutput,
} from '../../generated/dynamodb.js';
import { ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { ServiceRuntime } from '../service.js';
import { backfillIndex, dropTableData, indexOf, tableStats } from './item-store.js';
import type { Scope, TableRecord } from './tables.js';
import { INVALID, buildGsi, buildTable, checkThroughput, deletedTableDescription, describeTable, tableNameOf, tablesOf, validation } from './tables.js';
import { checkCreateTable, checkIndexThroughputUpdate, checkTagCount, checkThroughputChanges, checkOnlineIndexChanges, checkTableName, checkTaggingArn, checkTagResource, checkUntagResource, checkUpdateTable } from './table-checks.js';
import { RETENTION_MS } from './streams/stream-log.js';
import { trackTtl } from './time-to-live.js';

const MAX_LIST_TABLES = 100;

function tableNotFound(name: string): ServiceError {
  return new ServiceError('ResourceNotFoundException', `Requested resource not found: Table: ${name} not found`, 400);
}

function streamOf(spec: StreamSpecification | undefined, now: number): TableRecord['stream'] {
  if (spec?.StreamEnabled !== true) return undefined;
  if (spec.StreamViewType === undefined) throw validation(`${INVALID}StreamViewType is required when StreamEnabled is true`);
  return { viewType: spec.StreamViewType, label: new Date(now).toISOString().replace('Z', '') };
}

export function createTableOperations(runtime: ServiceRuntime): Partial<DynamodbApi> {
  const tables = (ctx: Scope) => tablesOf(runtime, ctx);
  const describe = (ctx: Scope, table: TableRecord, status: TableStatus) => {
    const description = describeTable(table, status, tableStats(runtime, ctx, table));
    const readable = table.disabledStream && runtime.clock.now() < table.disabledStream.disabledAt + RETENTION_MS ? table.disabledStream : undefined;
    const stream = table.stream ?? readable;
    if (stream === undefined) return description;
    return {
      ...description,
      // A disabled stream keeps its view type beside StreamEnabled false, which is how DynamoDB Streams
      // (../dynamodbstreams/table-streams.ts) tells it is DISABLED and still shapes its records.
      StreamSpecification: { StreamEnabled: table.stream !== undefined, StreamViewType: stream.viewType as 'NEW_AND_OLD_IMAGES' },
      LatestStreamLabel: stream.label,
      LatestStreamArn: `${table.arn}/stream/${stream.label}`,
    };
  };
  const find = (ctx: Scope, name: string): TableRecord => {
    const table = tables(ctx).get(tableNameOf(name));
    if (!table) throw tableNotFound(tableNameOf(name));
    return table;
  };
  // The tagging operations word a missing table with the ARN (dynalite's suite recorded the older
  // "ResourcArn" spelling; the service now spells it out, per ExtendDB's checks against it in 2026).
  const byArn = (ctx: RequestContext, arn: string): TableRecord => {
    const table = tables(ctx).get(tableNameOf(arn));
    if (!table || table.arn !== arn) throw new ServiceError('ResourceNotFoundException', `Requested resource not found: ResourceArn: ${arn} not found`, 400);
    return table;
  };

  return {
    CreateTable(input: CreateTableInput, ctx: RequestContext): CreateTableOutput {
      checkCreateTable(input);
      const now = runtime.clock.now();
      const table = buildTable(input, ctx, now);
      const stream = streamOf(input.StreamSpecification, now);
      if (tables(ctx).get(input.TableName)) throw new ServiceError('ResourceInUseException', `Table already exists: ${input.TableName}`, 400);
      const record = stream ? { ...table, stream } : table;
      tables(ctx).put(input.TableName, record);
      return { TableDescription: describe(ctx, record, 'CREATING') };
    },

    DescribeTable(input: DescribeTableInput, ctx: RequestContext): DescribeTableOutput {
      checkTableName(input.TableName);
      return { Table: describe(ctx, find(ctx, input.TableName), 'ACTIVE') };
    },

    ListTables(input: ListTablesInput, ctx: RequestContext): ListTablesOutput {
      const limit = input.Limit ?? MAX_LIST_TABLES;
      const names = tables(ctx)
        .list(input.ExclusiveStartTableName !== undefined ? { after: input.ExclusiveStartTableName } : {})
        .map(([name]) => name);
      const page = names.slice(0, limit);
      return { TableNames: page, ...(names.length > limit ? { LastEvaluatedTableName: page.at(-1) } : {}) };
    },

    DeleteTable(input: DeleteTableInput, ctx: RequestContext): DeleteTableOutput {
      checkTableName(input.TableName);
      const table = find(ctx, input.TableName);
      if (table.deletionProtection) {
        throw validation('Resource cannot be deleted as it is currently protected against deletion. Disable deletion protection first.');
      }
      const description = deletedTableDescription(describe(ctx, table, 'DELETING'));
      runtime.store.transaction(() => {
        dropTableData(runtime, ctx, table);
        tables(ctx).delete(table.name);
        trackTtl(runtime, ctx, table.name, false);
      });
      return { TableDescription: description };
    },

    UpdateTable(input: UpdateTableInput, ctx: RequestContext): UpdateTableOutput {
      checkUpdateTable(input);
      const table = find(ctx, input.TableName);
      const now = runtime.clock.now();
      let updated: TableRecord = { ...table };
      if (input.AttributeDefinitions !== undefined) {
        const known = new Map(table.attributeDefinitions.map((d) => [d.AttributeName, d]));
        for (const definition of input.AttributeDefinitions) known.set(definition.AttributeName, definition);
        updated.attributeDefinitions = [...known.values()];
      }
      const billingMode = input.BillingMode ?? table.billingMode;
      if (input.BillingMode !== undefined && input.BillingMode !== table.billingMode) {
        updated.billingMode = input.BillingMode;
        if (input.BillingMode === 'PAY_PER_REQUEST') {
          delete updated.throughput;
          updated.billingModeChangedAt = now;
          updated.gsis = updated.gsis.map(({ throughput: _dropped, ...index }) => index);
        }
      }
      if (input.ProvisionedThroughput !== undefined || (input.BillingMode === 'PROVISIONED' && table.billingMode !== 'PROVISIONED')) {
        const throughput = checkThroughput(billingMode, input.ProvisionedThroughput);
        if (throughput && table.billingMode === 'PROVISIONED' && table.throughput) checkThroughputChanges(table.throughput, throughput);
        if (throughput) updated.throughput = throughput;
      }
      if (input.DeletionProtectionEnabled !== undefined) updated.deletionProtection = input.DeletionProtectionEnabled;
      if (input.TableClass !== undefined) updated.tableClass = input.TableClass;
      if (input.StreamSpecification !== undefined) {
        if (input.StreamSpecification.StreamEnabled && table.stream) throw validation(`Table already has an enabled stream: TableName: ${table.name}`);
        if (!input.StreamSpecification.StreamEnabled && !table.stream) throw validation(`Table already has no stream enabled: TableName: ${table.name}`);
        const stream = streamOf(input.StreamSpecification, now);
        // Enabling starts a new stream (the disabled one is no longer readable here, a documented limitation);
        // disabling keeps the stream readable for 24 hours.
        const { stream: _enabled, disabledStream: _disabled, ...rest } = updated;
        updated = stream ? { ...rest, stream } : { ...rest, ...(table.stream ? { disabledStream: { ...table.stream, disabledAt: now } } : {}) };
      }
      const created: string[] = [];
      const deleted: string[] = [];
      checkOnlineIndexChanges(input.GlobalSecondaryIndexUpdates ?? []);
      for (const change of input.GlobalSecondaryIndexUpdates ?? []) {
        if (change.Create) {
          const name = change.Create.IndexName;
          if ([...updated.lsis, ...updated.gsis].some((i) => i.name === name)) throw validation(`${INVALID}Index already exists: ${name}`);
          const missing = change.Create.KeySchema.map((k) => k.AttributeName).filter((n) => !updated.attributeDefinitions.some((d) => d.AttributeName === n));
          if (missing.length > 0) {
            throw validation(`${INVALID}Some index key attributes are not defined in AttributeDefinitions. Keys: [${missing.join(', ')}], AttributeDefinitions: [${updated.attributeDefinitions.map((d) => d.AttributeName).join(', ')}]`);
          }
          if (updated.gsis.length >= 20) throw new ServiceError('LimitExceededException', `Subscriber limit exceeded: The maximum number of global secondary indexes per table is 20`, 400);
          updated.gsis = [...updated.gsis, buildGsi(change.Create, updated.billingMode)];
          created.push(name);
        } else if (change.Delete) {
          const name = change.Delete.IndexName;
          if (!updated.gsis.some((i) => i.name === name)) throw new ServiceError('ResourceNotFoundException', `Requested resource not found: Index: ${name} not found`, 400);
          updated.gsis = updated.gsis.filter((i) => i.name !== name);
          deleted.push(name);
        } else if (change.Update) {
          const name = change.Update.IndexName;
          checkIndexThroughputUpdate(change.Update.ProvisionedThroughput);
          if (!updated.gsis.some((i) => i.name === name)) throw new ServiceError('ResourceNotFoundException', `Requested resource not found: Index: ${name} not found`, 400);
          const throughput = checkThroughput(updated.billingMode, change.Update.ProvisionedThroughput, name);
          updated.gsis = updated.gsis.map((i) => (i.name === name && throughput ? { ...i, throughput } : i));
        }
      }
      runtime.store.transaction(() => {
        for (const name of deleted) indexOf(runtime, ctx, table, name).deletePrefix();
        for (const name of created) backfillIndex(runtime, ctx, updated, updated.gsis.find((i) => i.name === name)!);
        tables(ctx).put(table.name, updated);
      });
      return { TableDescription: describe(ctx, updated, 'UPDATING') };
    },

    TagResource(input: TagResourceInput, ctx: RequestContext): Record<string, never> {
      checkTagResource(input.ResourceArn, input.Tags.length, ctx);
      const table = byArn(ctx, input.ResourceArn);
      const tags = { ...table.tags };
      for (const tag of input.Tags) tags[tag.Key] = tag.Value;
      checkTagCount(Object.keys(tags).length);
      tables(ctx).put(table.name, { ...table, tags });
      return {};
    },

    UntagResource(input: UntagResourceInput, ctx: RequestContext): Record<string, never> {
      checkUntagResource(input.ResourceArn, input.TagKeys.length, ctx);
      const table = byArn(ctx, input.ResourceArn);
      const tags = Object.fromEntries(Object.entries(table.tags).filter(([key]) => !input.TagKeys.includes(key)));
      tables(ctx).put(table.name, { ...table, tags });
      return {};
    },

    ListTagsOfResource(input: ListTagsOfResourceInput, ctx: RequestContext): ListTagsOfResourceOutput {
      checkTaggingArn(input.ResourceArn, 'ListTagsOfResource', ctx);
      const table = byArn(ctx, input.ResourceArn);
      return { Tags: Object.entries(table.tags).map(([Key, Value]) => ({ Key, Value })) };
    },

    DescribeTimeToLive(input: DescribeTimeToLiveInput, ctx: RequestContext): DescribeTimeToLiveOutput {
      checkTableName(input.TableName);
      const table = find(ctx, input.TableName);
      return {
        TimeToLiveDescription: table.ttl?.enabled ? { TimeToLiveStatus: 'ENABLED', AttributeName: table.ttl.attribute } : { TimeToLiveStatus: 'DISABLED' },
      };
    },

    UpdateTimeToLive(input: UpdateTimeToLiveInput, ctx: RequestContext): UpdateTimeToLiveOutput {
      const table = find(ctx, input.TableName);
      const spec = input.TimeToLiveSpecification;
      if (spec.Enabled && table.ttl?.enabled) throw validation('TimeToLive is already enabled');
      if (!spec.Enabled && !table.ttl?.enabled) throw validation('TimeToLive is already disabled');
      if (!spec.Enabled && table.ttl && table.ttl.attribute !== spec.AttributeName) {
        throw validation(`TimeToLive is active on a different AttributeName: current AttributeName is ${table.ttl.attribute}`);
      }
      runtime.store.transaction(() => {
        tables(ctx).put(table.name, { ...table, ttl: { attribute: spec.AttributeName, enabled: spec.Enabled } });
        trackTtl(runtime, ctx, table.name, spec.Enabled);
      });
      return { TimeToLiveSpecification: { Enabled: spec.Enabled, AttributeName: spec.AttributeName } };
    },

    DescribeLimits(): DescribeLimitsOutput {
      // The default quotas: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/ServiceQuotas.html
      return { AccountMaxReadCapacityUnits: 80000, AccountMaxWriteCapacityUnits: 80000, TableMaxReadCapacityUnits: 40000, TableMaxWriteCapacityUnits: 40000 };
    },

    DescribeEndpoints(_input: unknown, ctx: RequestContext): DescribeEndpointsResponse {
      return { Endpoints: [{ Address: `dynamodb.${ctx.region}.amazonaws.com`, CachePeriodInMinutes: 1440 }] };
    },
  };
}
