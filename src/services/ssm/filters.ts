/**
 * ParameterStringFilter for DescribeParameters and GetParametersByPath: which keys and options each accepts
 * (API_ParameterStringFilter.html), the errors for the rest, and matching a parameter against them.
 */
import type { ParameterStringFilter, ParametersFilter } from '../../generated/ssm.js';
import { ServiceError } from '../../shared/errors.js';
import { isBelow, parsePath, storageKey } from './names.js';
import type { ParameterRecord, ParameterVersion } from './parameters.js';
import { latest } from './parameters.js';

export type FilterScope = 'DescribeParameters' | 'GetParametersByPath';

export interface CheckedFilter {
  key: string;
  option: string;
  /** Empty only for a tag filter, which then asks whether the tag exists. */
  values: string[];
}

const BY_PATH_KEYS = ['Type', 'KeyId', 'Label'];
const TIERS = ['Standard', 'Advanced', 'Intelligent-Tiering'];
const TYPES = ['String', 'StringList', 'SecureString'];

function invalidOption(option: string, valid: string): ServiceError {
  return new ServiceError('InvalidFilterOption', `The following filter option is not valid: ${option}. Valid options include: [${valid}].`);
}

function checkValues(values: string[], valid: string[]): void {
  const bad = values.find((value) => !valid.includes(value));
  if (bad !== undefined) {
    throw new ServiceError('InvalidFilterValue', `The following filter value is not valid: ${bad}. Valid values include: [${valid.join(', ')}]`);
  }
}

function checkPathValues(values: string[]): void {
  if (values.some((value) => /^\/(aws|ssm)/i.test(value))) {
    throw new ServiceError(
      'ValidationException',
      'Filters for common parameters can\'t be prefixed with "aws" or "ssm" (case-insensitive). When using global parameters, please specify within a global namespace.',
    );
  }
  values.forEach(parsePath);
}

function checkKey(key: string, scope: FilterScope): void {
  if (scope === 'DescribeParameters' && key === 'Label') {
    throw new ServiceError('InvalidFilterKey', 'The following filter key is not valid: Label. Valid filter keys include: [Path, Name, Type, KeyId, Tier].');
  }
  if (scope === 'GetParametersByPath' && !BY_PATH_KEYS.includes(key)) {
    throw new ServiceError('InvalidFilterKey', `The following filter key is not valid: ${key}. Valid filter keys include: [Type, KeyId].`);
  }
}

function checkOption(filter: CheckedFilter, scope: FilterScope): void {
  const { key, option } = filter;
  if (key === 'Path') {
    if (option !== 'Recursive' && option !== 'OneLevel') throw invalidOption(option, 'Recursive, OneLevel');
  } else if (key === 'Label') {
    if (option !== 'Equals') throw invalidOption(option, 'Equals');
  } else if (!(option === 'Equals' || option === 'BeginsWith' || (option === 'Contains' && key === 'Name' && scope === 'DescribeParameters'))) {
    throw invalidOption(option, 'BeginsWith, Equals');
  }
}

/** Validates the filters of a request in AWS's order of checks and fills in default options. */
export function checkFilters(filters: ParameterStringFilter[] | undefined, scope: FilterScope): CheckedFilter[] {
  const seen = new Set<string>();
  return (filters ?? []).map(({ Key: key, Option, Values }) => {
    checkKey(key, scope);
    const values = Values ?? [];
    if (values.length === 0 && !key.startsWith('tag:')) {
      throw new ServiceError('InvalidFilterValue', `The following filter values are missing : null for filter key ${key}.`);
    }
    if (seen.has(key)) {
      throw new ServiceError('InvalidFilterKey', `The following filter is duplicated in the request: ${key}. A request can contain only one occurrence of a specific filter.`);
    }
    seen.add(key);
    const filter = { key, option: Option ?? (key === 'Path' ? 'OneLevel' : 'Equals'), values };
    checkOption(filter, scope);
    if (key === 'Path') checkPathValues(values);
    if (key === 'Tier') checkValues(values, TIERS);
    if (key === 'Type') checkValues(values, TYPES);
    return filter;
  });
}

/** DescribeParameters' older Filters, as the string filters they stand for (Name matches a prefix). */
export function fromLegacyFilters(filters: ParametersFilter[]): CheckedFilter[] {
  return filters.map(({ Key, Values }) => ({ key: Key, option: Key === 'Name' ? 'BeginsWith' : 'Equals', values: Values }));
}

function compare(option: string, actual: string | undefined, values: string[]): boolean {
  if (actual === undefined) return false;
  if (option === 'BeginsWith') return values.some((value) => actual.startsWith(value));
  if (option === 'Contains') return values.some((value) => actual.includes(value));
  return values.includes(actual);
}

function matches(filter: CheckedFilter, record: ParameterRecord, version: ParameterVersion): boolean {
  const { key, option, values } = filter;
  switch (key) {
    case 'Name':
      // Names compare with a leading slash on both sides, so "db" and "/db" name the same parameter.
      return option === 'Contains' ? compare(option, record.name, values) : compare(option, storageKey(record.name), values.map(storageKey));
    case 'Path':
      return values.some((value) => isBelow(storageKey(record.name), parsePath(value), option === 'Recursive'));
    case 'Type':
      return compare(option, version.type, values);
    case 'KeyId':
      return compare(option, version.keyId, values);
    case 'Tier':
      return compare(option, version.tier, values);
    case 'DataType':
      return compare(option, version.dataType, values);
    case 'Label':
      return version.labels.some((label) => values.includes(label));
    default: {
      const tagKey = key.slice('tag:'.length);
      const tags = record.tags.filter((tag) => tag.Key === tagKey);
      return values.length === 0 ? tags.length > 0 : tags.some((tag) => compare(option, tag.Value, values));
    }
  }
}

/**
 * The version a filtered listing shows: the current one, or with a Label filter the version carrying the
 * label (labels name versions). Undefined when the parameter does not pass every filter.
 */
export function selectVersion(record: ParameterRecord, filters: CheckedFilter[]): ParameterVersion | undefined {
  const label = filters.find((filter) => filter.key === 'Label');
  const version = label ? record.versions.findLast((v) => matches(label, record, v)) : latest(record);
  if (!version) return undefined;
  return filters.every((filter) => matches(filter, record, version)) ? version : undefined;
}
