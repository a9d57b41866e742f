import { Buffer } from 'node:buffer';
import { bytesOf } from './attribute-value.js';
import { exponentOf, parseDecimal } from './number-value.js';
import type { ScalarKeyValue } from './attribute-value.js';

/**
 * Encodes a key value (S, N or B) into a string whose plain JavaScript string
 * order is DynamoDB's order for that type, so a store sorted by string keys
 * returns Query results in DynamoDB's order.
 *
 * - S and B become lowercase hex of their bytes (UTF-8 for S): fixed-width
 *   digits compare byte by byte, and a shorter prefix sorts first, exactly as
 *   DynamoDB compares strings and binary.
 * - N becomes sign class, exponent and digits: "0" for negatives, "1" for
 *   zero, "2" for positives; then the decimal exponent of the leading digit
 *   biased into 000..255 (reversed for negatives, so larger magnitudes sort
 *   first); then the significant digits, complemented for negatives and closed
 *   with "~" so that a longer negative mantissa sorts before its prefix.
 *
 * The encodings use only [0-9a-f~], so a composite key may join parts with any
 * separator below "0" (a space, say) without disturbing the order.
 */
export function encodeKeyValue(value: ScalarKeyValue): string {
  if ('S' in value) return Buffer.from(value.S, 'utf8').toString('hex');
  if ('B' in value) return Buffer.from(bytesOf(value.B)).toString('hex');
  const decimal = parseDecimal(value.N);
  if (decimal === undefined || decimal.digits === '') return '1';
  const exponent = exponentOf(decimal);
  if (!decimal.negative) return `2${String(exponent + 130).padStart(3, '0')}${decimal.digits}`;
  const complement = decimal.digits.replace(/\d/g, (digit) => String(9 - Number(digit)));
  return `0${String(125 - exponent).padStart(3, '0')}${complement}~`;
}
