/**
 * ListSecrets / BatchGetSecretValue filters. Semantics from the Filter API reference
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_Filter.html) and "Find secrets in
 * AWS Secrets Manager" (https://docs.aws.amazon.com/secretsmanager/latest/userguide/manage_search-secret.html),
 * checked against recorded AWS responses (the API says "prefix match" for description, AWS matches words):
 *  - name, tag-key, tag-value, primary-region: the attribute starts with the value, case-sensitive;
 *  - owning-service: starts with the value (only secrets managed by other services have one);
 *  - description, all: the value is split into words and each word must begin some word of the
 *    attribute(s), not case-sensitive ("a secret" matches "an secret" but not "asecret");
 *  - "!value" matches secrets where no attribute matches value;
 *  - the values of one filter are alternatives; separate filters must all match.
 */
import type { Filter, FilterNameStringType } from '../../generated/secretsmanager.js';
import { invalidParameter } from './errors.js';
import type { SecretRecord } from './secret-record.js';

export interface CheckedFilter {
  key: FilterNameStringType;
  values: string[];
}

export function checkFilters(filters: Filter[] | undefined): CheckedFilter[] {
  return (filters ?? []).map((filter) => {
    if (filter.Key === undefined) throw invalidParameter('Invalid filter key');
    if (filter.Values === undefined) throw invalidParameter(`Invalid filter values for key: ${filter.Key}`);
    return { key: filter.Key, values: filter.Values };
  });
}

/** Words as the console search sees them: runs of letters or digits, split where the case changes. */
function words(text: string): string[] {
  return (text.match(/[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+/g) ?? []).map((word) => word.toLowerCase());
}

function startsWithValue(attributes: string[], value: string): boolean {
  return attributes.some((attribute) => attribute.startsWith(value));
}

function wordsMatch(attributes: string[], value: string): boolean {
  const wanted = words(value);
  if (wanted.length === 0) return false;
  const available = attributes.flatMap(words);
  return wanted.every((word) => available.some((candidate) => candidate.startsWith(word)));
}

function attributeMatch(secret: SecretRecord, region: string, key: FilterNameStringType, value: string): boolean {
  const tags = secret.tags ?? [];
  switch (key) {
    case 'name':
      return startsWithValue([secret.name], value);
    case 'tag-key':
      return startsWithValue(
        tags.map((tag) => tag.Key),
        value,
      );
    case 'tag-value':
      return startsWithValue(
        tags.map((tag) => tag.Value),
        value,
      );
    case 'primary-region':
      return startsWithValue([region], value);
    case 'owning-service':
      // Only secrets other services manage (RDS, ...) have an owning service; none are created here.
      return false;
    case 'description':
      return wordsMatch(secret.description ? [secret.description] : [], value);
    case 'all':
      return wordsMatch([secret.name, secret.description ?? '', ...tags.flatMap((tag) => [tag.Key, tag.Value])], value);
  }
}

function filterMatches(secret: SecretRecord, region: string, filter: CheckedFilter): boolean {
  return filter.values.some((value) => (value.startsWith('!') ? !attributeMatch(secret, region, filter.key, value.slice(1)) : attributeMatch(secret, region, filter.key, value)));
}

export function matchesFilters(secret: SecretRecord, region: string, filters: CheckedFilter[]): boolean {
  return filters.every((filter) => filterMatches(secret, region, filter));
}
