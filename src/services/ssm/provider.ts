/**
 * AWS Systems Manager Parameter Store: String, StringList and SecureString parameters with versions,
 * labels, hierarchies, tiers and tags, per account and region.
 *
 * SecureString: Nimbus keeps the plaintext (there is no KMS behind it). With WithDecryption the stored
 * value comes back; without it, a base64 string standing in for AWS's KMS ciphertext blob (it starts
 * "AQICAH" like a real one, is fixed per version and carries nothing of the value). KeyId is recorded
 * (alias/aws/ssm by default) but never checked against a key.
 *
 * Known limitations: parameter policies are validated and reported (PolicyStatus Pending) but never fire,
 * so Expiration does not delete; aws:ec2:image values are recorded without the AMI check AWS runs
 * asynchronously; the default tier is always Standard (no service settings); AWS's public parameters
 * (/aws/service/...) do not exist, and Secrets Manager references (/aws/reference/secretsmanager/...)
 * answer NotImplemented; no cross-account sharing (DescribeParameters Shared lists nothing, an ARN of
 * another account or region finds nothing); the 1011-character name limit and the per-account parameter
 * quotas are not enforced; every other SSM operation answers NotImplemented.
 */
import type {
  AddTagsToResourceRequest,
  AddTagsToResourceResult,
  DeleteParameterRequest,
  DeleteParameterResult,
  DeleteParametersRequest,
  DeleteParametersResult,
  DescribeParametersRequest,
  DescribeParametersResult,
  GetParameterHistoryRequest,
  GetParameterHistoryResult,
  GetParameterRequest,
  GetParameterResult,
  GetParametersByPathRequest,
  GetParametersByPathResult,
  GetParametersRequest,
  GetParametersResult,
  LabelParameterVersionRequest,
  LabelParameterVersionResult,
  ListTagsForResourceRequest,
  ListTagsForResourceResult,
  PutParameterRequest,
  PutParameterResult,
  RemoveTagsFromResourceRequest,
  RemoveTagsFromResourceResult,
  ResourceTypeForTagging,
  SsmApi,
  UnlabelParameterVersionRequest,
  UnlabelParameterVersionResult,
} from '../../generated/ssm.js';
import { isServiceError, ServiceError } from '../../shared/errors.js';
import type { RequestContext } from '../../shared/request-context.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import { mergeTags } from '../shared/tags.js';
import { checkFilters, fromLegacyFilters, selectVersion } from './filters.js';
import type { ParameterReference } from './names.js';
import { INVALID_NAME_MESSAGE, isBelow, parseName, parseNameIfValid, parseNewName, parsePath, parseReference } from './names.js';
import { decodeToken, invalidToken, paginate } from './pagination.js';
import type { ParameterRecord, ParameterVersion } from './parameters.js';
import {
  appendVersion,
  attachLabels,
  buildVersion,
  detachLabels,
  findVersion,
  isValidLabel,
  latest,
  parameterNotFound,
  versionNotFound,
} from './parameters.js';
import { toHistory, toMetadata, toParameter } from './views.js';

const BY_PATH_PAGE_SIZE = 10;
const DESCRIBE_PAGE_SIZE = 10;
const HISTORY_PAGE_SIZE = 50;
const MAX_TAGS = 50;
const SECRETS_MANAGER_REFERENCE = '/aws/reference/secretsmanager/';

interface Stored {
  key: string;
  record: ParameterRecord;
}

/** What a read by name, `name:selector` or ARN finds. */
interface Resolved {
  reference: ParameterReference;
  record: ParameterRecord;
  version: ParameterVersion;
}

function refuseSecretsManagerReference(name: string): void {
  if (name.startsWith(SECRETS_MANAGER_REFERENCE)) {
    throw new ServiceError('NotImplemented', 'Parameter Store references to Secrets Manager secrets are not implemented in Nimbus yet', 501);
  }
}

/** The version a selector names: digits are a version number, anything else a label. */
function selectedVersion(record: ParameterRecord, reference: ParameterReference, requested: string): ParameterVersion {
  const { selector } = reference;
  if (selector === undefined) return latest(record);
  if (/^\d+$/.test(selector)) {
    const version = findVersion(record, Number(selector));
    if (!version) throw versionNotFound(record.name, selector);
    return version;
  }
  const labelled = record.versions.find((v) => v.labels.includes(selector));
  if (!labelled) throw parameterNotFound(requested);
  return labelled;
}

/** The version a label call names; the latest when it names none. */
function labelTarget(record: ParameterRecord, version: number | undefined): ParameterVersion {
  const number = version ?? latest(record).version;
  const target = findVersion(record, number);
  if (!target) throw versionNotFound(record.name, number);
  return target;
}

export function createSsmProvider(runtime: ServiceRuntime): Partial<SsmApi> {
  const parameters = (ctx: RequestContext): Collection<ParameterRecord> =>
    runtime.store.collection<ParameterRecord>(scopedName('ssm', ctx.account, ctx.region, 'parameters'));

  const resolve = (ctx: RequestContext, requested: string): Resolved => {
    refuseSecretsManagerReference(requested);
    const reference = parseReference(requested, ctx);
    const record = reference && parameters(ctx).get(reference.key);
    if (!reference || !record) throw parameterNotFound(requested);
    return { reference, record, version: selectedVersion(record, reference, requested) };
  };

  /** A parameter by its plain name, for the operations that take no selector or ARN. */
  const existing = (ctx: RequestContext, requested: string): Stored => {
    const { key } = parseName(requested);
    const record = parameters(ctx).get(key);
    if (!record) throw parameterNotFound(requested);
    return { key, record };
  };

  /** The parameter a tagging call names; only ResourceType Parameter is served. */
  const taggedParameter = (ctx: RequestContext, type: ResourceTypeForTagging, id: string): Stored => {
    if (type !== 'Parameter') {
      throw new ServiceError('NotImplemented', `Tagging SSM resources of type ${type} is not implemented in Nimbus yet`, 501);
    }
    const key = parseNameIfValid(id)?.key;
    const record = key && parameters(ctx).get(key);
    if (!key || !record) throw new ServiceError('InvalidResourceId', "The resource ID isn't valid. Verify that you entered the correct ID and try again.");
    return { key, record };
  };

  return {
    PutParameter(input: PutParameterRequest, ctx: RequestContext): PutParameterResult {
      const { name, key } = parseNewName(input.Name);
      if (input.Overwrite && input.Tags?.length) {
        throw new ServiceError(
          'ValidationException',
          "Invalid request: tags and overwrite can't be used together. To create a parameter with tags, please remove overwrite flag. To update tags for an existing parameter, please use AddTagsToResource or RemoveTagsFromResource.",
        );
      }
      return runtime.store.transaction(() => {
        const current = parameters(ctx).get(key);
        if (current && !input.Overwrite) {
          throw new ServiceError('ParameterAlreadyExists', 'The parameter already exists. To overwrite this value, set the overwrite option in the request to true.');
        }
        const version = buildVersion(input, current && latest(current), runtime.clock.now(), ctx.caller.arn);
        const record = current ? appendVersion(current, version) : { name, versions: [version], tags: mergeTags([], input.Tags ?? []) };
        parameters(ctx).put(key, record);
        return { Version: version.version, Tier: version.tier };
      });
    },

    GetParameter(input: GetParameterRequest, ctx: RequestContext): GetParameterResult {
      const { record, version, reference } = resolve(ctx, input.Name);
      return { Parameter: toParameter(ctx, record, version, input.WithDecryption ?? false, reference.selector) };
    },

    GetParameters(input: GetParametersRequest, ctx: RequestContext): GetParametersResult {
      const result: GetParametersResult = { Parameters: [], InvalidParameters: [] };
      for (const requested of new Set(input.Names)) {
        try {
          const { record, version, reference } = resolve(ctx, requested);
          result.Parameters!.push(toParameter(ctx, record, version, input.WithDecryption ?? false, reference.selector));
        } catch (error) {
          // A batch read reports names it cannot serve instead of failing; NotImplemented still fails it.
          if (!isServiceError(error) || error.code === 'NotImplemented') throw error;
          result.InvalidParameters!.push(requested);
        }
      }
      return result;
    },

    GetParametersByPath(input: GetParametersByPathRequest, ctx: RequestContext): GetParametersByPathResult {
      const prefix = parsePath(input.Path);
      const filters = checkFilters(input.ParameterFilters, 'GetParametersByPath');
      const after = decodeToken(input.NextToken);
      const page = paginate(
        parameters(ctx).list({ prefix, after }),
        ([key, record]) => {
          const version = isBelow(key, prefix, input.Recursive ?? false) ? selectVersion(record, filters) : undefined;
          return version && toParameter(ctx, record, version, input.WithDecryption ?? false);
        },
        ([key]) => key,
        input.MaxResults ?? BY_PATH_PAGE_SIZE,
      );
      return { Parameters: page.items, NextToken: page.nextToken };
    },

    DescribeParameters(input: DescribeParametersRequest, ctx: RequestContext): DescribeParametersResult {
      if (input.Filters?.length && input.ParameterFilters?.length) {
        throw new ServiceError('ValidationException', 'You can use either Filters or ParameterFilters in a single request.');
      }
      const filters = input.Filters?.length ? fromLegacyFilters(input.Filters) : checkFilters(input.ParameterFilters, 'DescribeParameters');
      const after = decodeToken(input.NextToken);
      // Nimbus shares no parameters between accounts, so the shared view is always empty.
      if (input.Shared) return { Parameters: [] };
      const page = paginate(
        parameters(ctx).list({ after }),
        ([, record]) => (selectVersion(record, filters) ? toMetadata(ctx, record) : undefined),
        ([key]) => key,
        input.MaxResults ?? DESCRIBE_PAGE_SIZE,
      );
      return { Parameters: page.items, NextToken: page.nextToken };
    },

    GetParameterHistory(input: GetParameterHistoryRequest, ctx: RequestContext): GetParameterHistoryResult {
      const reference = parseReference(input.Name, ctx);
      if (reference?.selector !== undefined) throw new ServiceError('ValidationException', INVALID_NAME_MESSAGE);
      const record = reference && parameters(ctx).get(reference.key);
      if (!record) throw parameterNotFound(input.Name);
      const after = Number(decodeToken(input.NextToken) ?? 0);
      if (!Number.isInteger(after)) throw invalidToken();
      const page = paginate(
        record.versions.filter((v) => v.version > after),
        (version) => toHistory(record, version, input.WithDecryption ?? false),
        (version) => String(version.version),
        input.MaxResults ?? HISTORY_PAGE_SIZE,
      );
      return { Parameters: page.items, NextToken: page.nextToken };
    },

    DeleteParameter(input: DeleteParameterRequest, ctx: RequestContext): DeleteParameterResult {
      parameters(ctx).delete(existing(ctx, input.Name).key);
      return {};
    },

    DeleteParameters(input: DeleteParametersRequest, ctx: RequestContext): DeleteParametersResult {
      const result: DeleteParametersResult = { DeletedParameters: [], InvalidParameters: [] };
      runtime.store.transaction(() => {
        for (const requested of new Set(input.Names)) {
          const parsed = parseNameIfValid(requested);
          const deleted = parsed !== undefined && parameters(ctx).delete(parsed.key);
          (deleted ? result.DeletedParameters! : result.InvalidParameters!).push(requested);
        }
      });
      return result;
    },

    LabelParameterVersion(input: LabelParameterVersionRequest, ctx: RequestContext): LabelParameterVersionResult {
      return runtime.store.transaction(() => {
        const { key, record } = existing(ctx, input.Name);
        const target = labelTarget(record, input.ParameterVersion);
        // Labels that break the naming rules are reported, not attached, and do not fail the call.
        const valid = input.Labels.filter(isValidLabel);
        if (valid.length > 0) parameters(ctx).put(key, attachLabels(record, target, valid));
        return { InvalidLabels: input.Labels.filter((label) => !isValidLabel(label)), ParameterVersion: target.version };
      });
    },

    UnlabelParameterVersion(input: UnlabelParameterVersionRequest, ctx: RequestContext): UnlabelParameterVersionResult {
      return runtime.store.transaction(() => {
        const { key, record } = existing(ctx, input.Name);
        const target = labelTarget(record, input.ParameterVersion);
        const labels = [...new Set(input.Labels)];
        const removed = labels.filter((label) => target.labels.includes(label));
        if (removed.length > 0) parameters(ctx).put(key, detachLabels(record, target, removed));
        return { RemovedLabels: removed, InvalidLabels: labels.filter((label) => !target.labels.includes(label)) };
      });
    },

    AddTagsToResource(input: AddTagsToResourceRequest, ctx: RequestContext): AddTagsToResourceResult {
      runtime.store.transaction(() => {
        const { key, record } = taggedParameter(ctx, input.ResourceType, input.ResourceId);
        const tags = mergeTags(record.tags, input.Tags);
        if (tags.length > MAX_TAGS) {
          throw new ServiceError('TooManyTagsError', 'The Targets parameter includes too many tags. Remove one or more tags and try again.');
        }
        parameters(ctx).put(key, { ...record, tags });
      });
      return {};
    },

    RemoveTagsFromResource(input: RemoveTagsFromResourceRequest, ctx: RequestContext): RemoveTagsFromResourceResult {
      runtime.store.transaction(() => {
        const { key, record } = taggedParameter(ctx, input.ResourceType, input.ResourceId);
        parameters(ctx).put(key, { ...record, tags: record.tags.filter((tag) => !input.TagKeys.includes(tag.Key)) });
      });
      return {};
    },

    ListTagsForResource(input: ListTagsForResourceRequest, ctx: RequestContext): ListTagsForResourceResult {
      return { TagList: taggedParameter(ctx, input.ResourceType, input.ResourceId).record.tags };
    },
  };
}
