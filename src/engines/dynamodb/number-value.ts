import { validationError } from './validation-error.js';

/**
 * DynamoDB numbers: exact decimals of up to 38 significant digits whose
 * magnitude lies between 1E-130 and 9.9999999999999999999999999999999999999E+125.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html#HowItWorks.DataTypes.Number
 *
 * A number is held as `digits × 10^scale` with no leading or trailing zeros in
 * `digits` (zero is `''`), so every value has exactly one representation and
 * equality, ordering and the canonical text all follow from it without floats.
 */
export interface Decimal {
  readonly negative: boolean;
  /** Significant digits; `''` for zero. */
  readonly digits: string;
  readonly scale: number;
}

const MAX_SIGNIFICANT_DIGITS = 38;
/** Decimal exponent of the most significant digit, as in 9.9E+125 and 1E-130. */
const MAX_EXPONENT = 125;
const MIN_EXPONENT = -130;

const NOT_A_NUMBER_MESSAGE = 'The parameter cannot be converted to a numeric value';
const TOO_PRECISE_MESSAGE = 'Attempting to store more than 38 significant digits in a Number';
const OVERFLOW_MESSAGE = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW_MESSAGE = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';

/**
 * The literal forms Java's BigDecimal accepts, which is what DynamoDB parses
 * with: an optional sign, digits with an optional point (".5" and "5." both
 * count), an optional exponent. No whitespace, hex, underscores, NaN or
 * Infinity.
 */
const NUMBER_LITERAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
/** BigDecimal keeps its scale in a Java int; a wider exponent does not parse. */
const MAX_EXPONENT_LITERAL = 2 ** 31 - 1;

const ZERO: Decimal = { negative: false, digits: '', scale: 0 };

function normalize(negative: boolean, rawDigits: string, rawScale: number): Decimal {
  const digits = rawDigits.replace(/^0+/, '');
  if (digits === '') return ZERO;
  const trimmed = digits.replace(/0+$/, '');
  return { negative, digits: trimmed, scale: rawScale + (digits.length - trimmed.length) };
}

/** Parses a number literal; `undefined` when DynamoDB would not read it as a number. */
export function parseDecimal(text: string): Decimal | undefined {
  const match = NUMBER_LITERAL.exec(text);
  if (match === null) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = match;
  if (whole === '' && fraction === '') return undefined;
  const exponentValue = Number(exponent);
  if (Math.abs(exponentValue) > MAX_EXPONENT_LITERAL) return undefined;
  return normalize(sign === '-', whole + fraction, exponentValue - fraction.length);
}

/** Decimal exponent of the most significant digit (1.5E3 → 3); 0 for zero. */
export function exponentOf(value: Decimal): number {
  return value.digits === '' ? 0 : value.digits.length - 1 + value.scale;
}

/**
 * Checks that a parsed number may be stored. DynamoDB checks precision before
 * range, so a 39-digit overflowing number reports the precision.
 */
export function assertStorable(value: Decimal): void {
  if (value.digits.length > MAX_SIGNIFICANT_DIGITS) throw validationError(TOO_PRECISE_MESSAGE);
  if (value.digits === '') return;
  const exponent = exponentOf(value);
  if (exponent > MAX_EXPONENT) throw validationError(OVERFLOW_MESSAGE);
  if (exponent < MIN_EXPONENT) throw validationError(UNDERFLOW_MESSAGE);
}

/**
 * Checks the result of an update's `+`, `-` or ADD. DynamoDB reports a result needing more than 38
 * significant digits as an overflow, not with the precision message a literal gets: ScyllaDB's Alternator
 * suite (test_number.py, test_update_expression_plus_imprecise, verified against DynamoDB) sees
 * `1e50 - 1` answered "Number overflow".
 */
export function assertStorableResult(value: Decimal): void {
  if (value.digits.length > MAX_SIGNIFICANT_DIGITS) throw validationError(OVERFLOW_MESSAGE);
  assertStorable(value);
}

/** Parses and range-checks an `N` value, throwing DynamoDB's message when it cannot be stored. */
export function parseStorableNumber(text: string): Decimal {
  const value = text === '' ? undefined : parseDecimal(text);
  if (value === undefined) {
    throw validationError(text === '' ? NOT_A_NUMBER_MESSAGE : `${NOT_A_NUMBER_MESSAGE}: ${text}`);
  }
  assertStorable(value);
  return value;
}

/**
 * The form DynamoDB returns numbers in: plain notation without exponent,
 * leading or trailing zeros ("1.50" → "1.5", "1e2" → "100", "-0" → "0").
 */
export function formatDecimal(value: Decimal): string {
  if (value.digits === '') return '0';
  const sign = value.negative ? '-' : '';
  if (value.scale >= 0) return sign + value.digits + '0'.repeat(value.scale);
  const point = value.digits.length + value.scale;
  if (point > 0) return `${sign}${value.digits.slice(0, point)}.${value.digits.slice(point)}`;
  return `${sign}0.${'0'.repeat(-point)}${value.digits}`;
}

/** Canonical text of a valid number literal. */
export function canonicalNumber(text: string): string {
  return formatDecimal(parseStorableNumber(text));
}

function compareMagnitude(a: Decimal, b: Decimal): number {
  if (a.digits === '' || b.digits === '') return (a.digits === '' ? 0 : 1) - (b.digits === '' ? 0 : 1);
  const exponentDelta = exponentOf(a) - exponentOf(b);
  if (exponentDelta !== 0) return Math.sign(exponentDelta);
  // Same leading exponent and no trailing zeros: digit strings compare as the values do.
  return a.digits < b.digits ? -1 : a.digits > b.digits ? 1 : 0;
}

export function compareDecimals(a: Decimal, b: Decimal): number {
  const signA = a.digits === '' ? 0 : a.negative ? -1 : 1;
  const signB = b.digits === '' ? 0 : b.negative ? -1 : 1;
  if (signA !== signB) return Math.sign(signA - signB);
  const magnitude = compareMagnitude(a, b);
  return signA < 0 ? 0 - magnitude : magnitude;
}

/** A number already accepted by validation, whose parse cannot fail. */
export function decimalOf(text: string): Decimal {
  return parseDecimal(text) ?? ZERO;
}

/** Compares two valid number literals as decimals. */
export function compareNumbers(a: string, b: string): number {
  return compareDecimals(decimalOf(a), decimalOf(b));
}

function toBigInt(value: Decimal, scale: number): bigint {
  if (value.digits === '') return 0n;
  const magnitude = BigInt(value.digits) * 10n ** BigInt(value.scale - scale);
  return value.negative ? -magnitude : magnitude;
}

/** Exact sum, as the `+` of an update expression and ADD compute it. */
export function addDecimals(a: Decimal, b: Decimal): Decimal {
  const scale = Math.min(a.digits === '' ? b.scale : a.scale, b.digits === '' ? a.scale : b.scale);
  const sum = toBigInt(a, scale) + toBigInt(b, scale);
  const negative = sum < 0n;
  return normalize(negative, (negative ? -sum : sum).toString(), scale);
}

export function negateDecimal(value: Decimal): Decimal {
  return value.digits === '' ? value : { ...value, negative: !value.negative };
}

/**
 * Storage size of a number. DynamoDB documents it as "approximately 1 byte per
 * two significant digits, plus 1 byte"
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html);
 * the exact figure follows a base-100 encoding whose digit pairs are aligned
 * on the decimal point, plus one byte for the exponent and one more for a
 * negative sign.
 */
export function decimalSize(value: Decimal): number {
  if (value.digits === '') return 1;
  const pairs = Math.floor(exponentOf(value) / 2) - Math.floor(value.scale / 2) + 1;
  return 1 + pairs + (value.negative ? 1 : 0);
}
