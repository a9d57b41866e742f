/**
 * DynamoDB is a Java service, and where its messages list several names they
 * come out in Java HashMap / HashSet iteration order. These helpers reproduce
 * that order so multi-name messages read the same.
 */

/** Java's String.hashCode over UTF-16 code units. */
export function javaStringHash(text: string): number {
  let hash = 0;
  for (let index = 0; index < text.length; index += 1) hash = (Math.imul(hash, 31) + text.charCodeAt(index)) | 0;
  return hash;
}

/** The bucket a key with this hash lands in, in a table of `capacity` slots. */
export function javaBucket(hash: number, capacity: number): number {
  return (hash ^ (hash >>> 16)) & (capacity - 1);
}

/**
 * Iteration order of `new HashSet<>(strings)`: by bucket in a table sized for
 * the collection (at least 16 slots), ties in insertion order.
 */
export function javaHashSetOrder(strings: readonly string[]): string[] {
  let capacity = 16;
  while (capacity < Math.floor(strings.length / 0.75) + 1) capacity *= 2;
  return strings
    .map((text, index) => ({ text, index, bucket: javaBucket(javaStringHash(text), capacity) }))
    .sort((a, b) => a.bucket - b.bucket || a.index - b.index)
    .map(({ text }) => text);
}
