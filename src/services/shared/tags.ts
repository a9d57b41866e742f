/** Tags as the services with Key/Value tag lists (SSM, Secrets Manager) store and return them. */
export interface KeyValueTag {
  Key: string;
  Value: string;
}

/**
 * TagResource's merge: an added key's value replaces the one it had, and keys keep the order they were first
 * seen in. A member the client left out is stored as '', since Secrets Manager's model lets both be omitted.
 */
export function mergeTags(current: readonly KeyValueTag[] | undefined, added: readonly { Key?: string; Value?: string }[]): KeyValueTag[] {
  const byKey = new Map((current ?? []).map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) byKey.set(tag.Key ?? '', tag.Value ?? '');
  return [...byKey].map(([Key, Value]) => ({ Key, Value }));
}
