/**
 * A stage's method settings (throttling, caching, logging), access log settings and cache size: the
 * UpdateStage patch paths that set them and the effective settings of one method at invocation time.
 * Paths are `/{method_setting_key}/{group}/{name}`, the key being `*` `/` `*` for every method or the
 * resource path with `/` escaped as `~1` plus the HTTP method, e.g. `/~1pets~1{id}/GET/caching/enabled`
 * (https://docs.aws.amazon.com/apigateway/latest/api/API_MethodSetting.html,
 * https://docs.aws.amazon.com/apigateway/latest/api/patch-operations.html).
 */
import type { CacheClusterSize, MethodSetting, UnauthorizedCacheControlHeaderStrategy } from '../../generated/apigateway.js';
import type { ApiRecord, StageRecord } from './api-record.js';
import { badRequest, omitKey } from './api-record.js';
import type { PatchRule } from './patch.js';
import { booleanValue } from './patch.js';

export const ALL_METHODS = '*/*';

/** What a new method setting holds before it is changed: throttling -1 means "not set" (the account's limits apply). */
export const DEFAULT_METHOD_SETTING: Required<Omit<MethodSetting, 'loggingLevel'>> & { loggingLevel: string } = {
  metricsEnabled: false,
  loggingLevel: 'OFF',
  dataTraceEnabled: false,
  throttlingBurstLimit: -1,
  throttlingRateLimit: -1,
  cachingEnabled: false,
  cacheTtlInSeconds: 300,
  cacheDataEncrypted: false,
  requireAuthorizationForCacheControl: true,
  unauthorizedCacheControlHeaderStrategy: 'SUCCEED_WITH_RESPONSE_HEADER',
};

export type EffectiveMethodSetting = typeof DEFAULT_METHOD_SETTING;

const CACHE_SIZES: CacheClusterSize[] = ['0.5', '1.6', '6.1', '13.5', '28.4', '58.2', '118', '237'];
const STRATEGIES: UnauthorizedCacheControlHeaderStrategy[] = ['FAIL_WITH_403', 'SUCCEED_WITH_RESPONSE_HEADER', 'SUCCEED_WITHOUT_RESPONSE_HEADER'];

export function checkCacheClusterSize(size: string | undefined): CacheClusterSize | undefined {
  if (size === undefined) return undefined;
  if (!(CACHE_SIZES as string[]).includes(size)) throw badRequest(`Invalid cache cluster size specified: ${size}. Valid values are: ${CACHE_SIZES.join(', ')}`);
  return size as CacheClusterSize;
}

/** `~1pets~1{id}/GET` for /pets/{id} and GET: the key GetStage shows a method's settings under. */
export function methodSettingKey(resourcePath: string, httpMethod: string): string {
  return `${resourcePath.replace(/\//g, '~1')}/${httpMethod}`;
}

function numberValue(value: string | undefined, path: string, integer: boolean): number {
  const parsed = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(parsed) || (integer && !Number.isInteger(parsed))) {
    throw badRequest(`Invalid value '${value ?? ''}' for ${path}: expected ${integer ? 'an integer' : 'a number'}`);
  }
  return parsed;
}

type SettingWriter = (setting: MethodSetting, value: string | undefined, path: string) => void;

// The `{group}/{name}` suffixes of method setting paths.
const SETTING_WRITERS: Record<string, SettingWriter> = {
  'metrics/enabled': (setting, value, path) => { setting.metricsEnabled = booleanValue(value, path); },
  'logging/loglevel': (setting, value) => {
    if (value !== 'OFF' && value !== 'ERROR' && value !== 'INFO') throw badRequest(`Invalid logging level specified: ${value ?? ''}. Valid values are OFF, ERROR, INFO`);
    setting.loggingLevel = value;
  },
  'logging/dataTrace': (setting, value, path) => { setting.dataTraceEnabled = booleanValue(value, path); },
  'throttling/burstLimit': (setting, value, path) => { setting.throttlingBurstLimit = numberValue(value, path, true); },
  'throttling/rateLimit': (setting, value, path) => { setting.throttlingRateLimit = numberValue(value, path, false); },
  'caching/enabled': (setting, value, path) => { setting.cachingEnabled = booleanValue(value, path); },
  'caching/ttlInSeconds': (setting, value, path) => {
    // The TTL is 0 (no caching) to 3600 seconds (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-caching.html).
    const ttl = numberValue(value, path, true);
    if (ttl < 0 || ttl > 3600) throw badRequest('Cache ttl must be between 0 and 3600 seconds');
    setting.cacheTtlInSeconds = ttl;
  },
  'caching/dataEncrypted': (setting, value, path) => { setting.cacheDataEncrypted = booleanValue(value, path); },
  'caching/requireAuthorizationForCacheControl': (setting, value, path) => { setting.requireAuthorizationForCacheControl = booleanValue(value, path); },
  'caching/unauthorizedCacheControlHeaderStrategy': (setting, value) => {
    if (!(STRATEGIES as (string | undefined)[]).includes(value)) throw badRequest(`Invalid unauthorized cache control header strategy: ${value ?? ''}. Valid values are ${STRATEGIES.join(', ')}`);
    setting.unauthorizedCacheControlHeaderStrategy = value as UnauthorizedCacheControlHeaderStrategy;
  },
};

/**
 * Splits a method setting path, without its leading `/` and with `~1` decoded (`/pets/{id}/GET/caching/enabled`,
 * or the star pair then `/logging/loglevel`), into its key and its setting; without a setting, a `remove`
 * drops the whole method setting.
 */
function parseSettingPath(decoded: string): { key: string; setting?: string } | undefined {
  const parts = decoded.split('/');
  const suffix = parts.slice(-2).join('/');
  const [rest, setting] = SETTING_WRITERS[suffix] ? [parts.slice(0, -2), suffix] : [parts, undefined];
  if (rest.length < 2) return undefined;
  const method = rest[rest.length - 1];
  const resource = rest.slice(0, -1).join('/');
  if (resource === '*' && method === '*') return { key: ALL_METHODS, setting };
  if (!/^[A-Z*]+$/.test(method) || resource === '') return undefined;
  return { key: methodSettingKey(resource.startsWith('/') ? resource : `/${resource}`, method), setting };
}

export type StagePatchTarget = StageRecord & { api: ApiRecord };

/** The UpdateStage rules for cache size, access logs and method settings; the method settings rule matches any other path, so it goes last. */
export function stageSettingRules(): PatchRule<StagePatchTarget>[] {
  return [
    { path: '/cacheClusterSize', apply: (stage, _op, value) => { stage.cacheClusterSize = checkCacheClusterSize(value ?? ''); } },
    {
      path: '/accessLogSettings',
      apply: (stage, op) => {
        if (op !== 'remove') throw badRequest("Invalid patch operation specified for '/accessLogSettings': only remove is allowed");
        stage.accessLogSettings = undefined;
      },
    },
    {
      path: '/accessLogSettings/destinationArn',
      apply: (stage, op, value) => {
        // Access logs go to a CloudWatch Logs group (Firehose streams are not supported here).
        if (op !== 'remove' && !/^arn:aws[a-z-]*:logs:[a-z0-9-]+:\d{12}:log-group:[^:]+(:\*)?$/.test(value ?? '')) throw badRequest('Invalid ARN specified in the request');
        stage.accessLogSettings = { ...stage.accessLogSettings, destinationArn: op === 'remove' ? undefined : value };
      },
    },
    {
      path: '/accessLogSettings/format',
      apply: (stage, op, value) => {
        stage.accessLogSettings = { ...stage.accessLogSettings, format: op === 'remove' ? undefined : value };
      },
    },
    {
      path: '/',
      apply: (stage, op, value, decoded) => {
        const parsed = parseSettingPath(decoded);
        if (!parsed) throw badRequest(`Invalid patch path '/${decoded}' specified for op '${op}'. Must be one of the stage's fields or a method setting: /{resourcePath}/{httpMethod}/{setting}`);
        let settings = { ...stage.methodSettings };
        if (op === 'remove' && parsed.setting === undefined) {
          settings = omitKey(settings, parsed.key);
        } else if (parsed.setting !== undefined && op !== 'remove') {
          // A new method override starts from the stage-wide settings, as the console's "override" does.
          const setting: MethodSetting = { ...(settings[parsed.key] ?? settings[ALL_METHODS] ?? DEFAULT_METHOD_SETTING) };
          SETTING_WRITERS[parsed.setting](setting, value, decoded);
          settings[parsed.key] = setting;
        } else {
          throw badRequest(`Invalid patch operation specified for '${decoded}': only ${parsed.setting === undefined ? 'remove' : 'replace'} is allowed`);
        }
        stage.methodSettings = settings;
      },
    },
  ];
}

/** Whether the patch turns on execution or access logging, which needs the account's CloudWatch role. */
export function enablesLogging(stage: StageRecord): boolean {
  return Object.values(stage.methodSettings ?? {}).some((setting) => setting.loggingLevel === 'ERROR' || setting.loggingLevel === 'INFO')
    || stage.accessLogSettings?.destinationArn !== undefined;
}

/** The settings that apply to one method: its own override, else the stage-wide ones, else the defaults. */
export function effectiveSetting(stage: StageRecord, resourcePath: string, httpMethod: string): EffectiveMethodSetting & { overridden: boolean } {
  const own = stage.methodSettings?.[methodSettingKey(resourcePath, httpMethod)];
  const stageWide = stage.methodSettings?.[ALL_METHODS];
  const setting = { ...DEFAULT_METHOD_SETTING, ...stageWide, ...own };
  return { ...setting, loggingLevel: setting.loggingLevel, overridden: own !== undefined };
}
