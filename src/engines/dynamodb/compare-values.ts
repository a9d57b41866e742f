import { bytesOf, typeOf } from './attribute-value.js';
import { compareNumbers } from './number-value.js';
import type { AttributeValue, BinaryValue } from './attribute-value.js';

/**
 * Ordering and equality as DynamoDB defines them: numbers as exact decimals,
 * strings by their UTF-8 bytes, binary by unsigned bytes.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.OperatorsAndFunctions.html#Expressions.OperatorsAndFunctions.Comparators
 */

/**
 * UTF-8 byte order is code point order. JavaScript's `<` compares UTF-16 code
 * units instead, which puts U+FFFD after U+1F600; walking code points avoids it.
 */
export function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  const left = a[Symbol.iterator]();
  const right = b[Symbol.iterator]();
  for (;;) {
    const x = left.next();
    const y = right.next();
    if (x.done === true || y.done === true) return (x.done === true ? 0 : 1) - (y.done === true ? 0 : 1);
    const delta = (x.value.codePointAt(0) ?? 0) - (y.value.codePointAt(0) ?? 0);
    if (delta !== 0) return Math.sign(delta);
  }
}

export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const length = Math.min(a.length, b.length);
  for (let index = 0; index < length; index += 1) {
    const delta = (a[index] ?? 0) - (b[index] ?? 0);
    if (delta !== 0) return Math.sign(delta);
  }
  return Math.sign(a.length - b.length);
}

export function compareBinary(a: BinaryValue, b: BinaryValue): number {
  return compareBytes(bytesOf(a), bytesOf(b));
}

/**
 * Orders two values of the same scalar type (S, N or B); `undefined` when the
 * types differ or are not ordered, which makes every ordering comparison false.
 */
export function compareScalars(a: AttributeValue, b: AttributeValue): number | undefined {
  if ('S' in a && 'S' in b) return compareStrings(a.S, b.S);
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N);
  if ('B' in a && 'B' in b) return compareBinary(a.B, b.B);
  return undefined;
}

function sameMembers<T>(a: readonly T[], b: readonly T[], equal: (x: T, y: T) => boolean): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => equal(x, y)));
}

/** DynamoDB equality: same type and value; sets ignore order, numbers compare as decimals. */
export function valuesEqual(a: AttributeValue, b: AttributeValue): boolean {
  if (typeOf(a) !== typeOf(b)) return false;
  if ('S' in a && 'S' in b) return a.S === b.S;
  if ('N' in a && 'N' in b) return compareNumbers(a.N, b.N) === 0;
  if ('B' in a && 'B' in b) return compareBinary(a.B, b.B) === 0;
  if ('BOOL' in a && 'BOOL' in b) return a.BOOL === b.BOOL;
  if ('NULL' in a) return true;
  if ('SS' in a && 'SS' in b) return sameMembers(a.SS, b.SS, (x, y) => x === y);
  if ('NS' in a && 'NS' in b) return sameMembers(a.NS, b.NS, (x, y) => compareNumbers(x, y) === 0);
  if ('BS' in a && 'BS' in b) return sameMembers(a.BS, b.BS, (x, y) => compareBinary(x, y) === 0);
  if ('L' in a && 'L' in b) return a.L.length === b.L.length && a.L.every((element, index) => {
    const other = b.L[index];
    return other !== undefined && valuesEqual(element, other);
  });
  if ('M' in a && 'M' in b) {
    const names = Object.keys(a.M);
    return names.length === Object.keys(b.M).length && names.every((name) => {
      const left = a.M[name];
      const right = b.M[name];
      return left !== undefined && right !== undefined && valuesEqual(left, right);
    });
  }
  return false;
}
