/**
 * String values in JSON and space-delimited conditions may carry `*`
 * wildcards. AWS only honours them at the ends of the value: `*Event` matches
 * "PutEvent", `Event*` matches "EventId", but `Ev*ent` "will only match the
 * actual string Ev*ent" (older revision of
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html).
 * A lone `*` therefore matches any value, which is how `{ $.latency = * }`
 * selects every event that has the field.
 */
export function compileWildcardString(value: string): (subject: string) => boolean {
  const leadingWildcard = value.startsWith('*');
  const trailingWildcard = value.length > 1 && value.endsWith('*');
  const core = value.replace(/^\*+/, '').replace(/\*+$/, '');
  if (leadingWildcard && (trailingWildcard || core === '')) {
    return (subject) => subject.includes(core);
  }
  if (leadingWildcard) return (subject) => subject.endsWith(core);
  if (trailingWildcard) return (subject) => subject.startsWith(core);
  return (subject) => subject === value;
}
