import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  addDecimals,
  canonicalNumber,
  compareNumbers,
  decimalOf,
  decimalSize,
  formatDecimal,
  negateDecimal,
} from './number-value.js';
import { assertValidationError } from './test-support.js';

const NOT_A_NUMBER = 'The parameter cannot be converted to a numeric value';
const TOO_PRECISE = 'Attempting to store more than 38 significant digits in a Number';
const OVERFLOW = 'Number overflow. Attempting to store a number with magnitude larger than supported range';
const UNDERFLOW = 'Number underflow. Attempting to store a number with magnitude smaller than supported range';

describe('canonical number text', () => {
  const cases: [string, string][] = [
    ['1.50', '1.5'],
    ['-0', '0'],
    ['+0', '0'],
    ['-0.0', '0'],
    ['0.000', '0'],
    ['1e2', '100'],
    ['1E2', '100'],
    ['1.5E2', '150'],
    ['1.5E+3', '1500'],
    ['+5', '5'],
    ['+1.5', '1.5'],
    ['+.5', '0.5'],
    ['.5', '0.5'],
    ['5.', '5'],
    ['1.e5', '100000'],
    ['00042', '42'],
    ['+1e-2', '0.01'],
    ['1.23E10', '12300000000'],
    ['3.1400', '3.14'],
    ['-12.340', '-12.34'],
    ['123e-5', '0.00123'],
    ['-1e-3', '-0.001'],
    ['10', '10'],
    ['1000.000', '1000'],
    ['99999999999999999999999999999999999999', '99999999999999999999999999999999999999'],
    ['1E+125', `1${'0'.repeat(125)}`],
    ['9.9999999999999999999999999999999999999E+125', `99999999999999999999999999999999999999${'0'.repeat(88)}`],
    ['1E-130', `0.${'0'.repeat(129)}1`],
    ['-1E-130', `-0.${'0'.repeat(129)}1`],
    ['1.0000000000000000000000000000000000000000000000', '1'],
    ['0.00000000000000000000000000000000000001', '0.00000000000000000000000000000000000001'],
  ];
  for (const [input, expected] of cases) {
    it(`${input} → ${expected}`, () => {
      assert.equal(canonicalNumber(input), expected);
    });
  }
});

describe('rejected number text', () => {
  const cases: [string, string][] = [
    ['', NOT_A_NUMBER],
    ['b', `${NOT_A_NUMBER}: b`],
    ['+e2', `${NOT_A_NUMBER}: +e2`],
    ['e2', `${NOT_A_NUMBER}: e2`],
    ['1+2', `${NOT_A_NUMBER}: 1+2`],
    ['1.2.3', `${NOT_A_NUMBER}: 1.2.3`],
    ['++5', `${NOT_A_NUMBER}: ++5`],
    ['+-5', `${NOT_A_NUMBER}: +-5`],
    ['-+5', `${NOT_A_NUMBER}: -+5`],
    ['+', `${NOT_A_NUMBER}: +`],
    ['-', `${NOT_A_NUMBER}: -`],
    ['1e', `${NOT_A_NUMBER}: 1e`],
    ['1e+', `${NOT_A_NUMBER}: 1e+`],
    ['.', `${NOT_A_NUMBER}: .`],
    ['1.2e3.4', `${NOT_A_NUMBER}: 1.2e3.4`],
    ['0x5', `${NOT_A_NUMBER}: 0x5`],
    ['NaN', `${NOT_A_NUMBER}: NaN`],
    ['Infinity', `${NOT_A_NUMBER}: Infinity`],
    ['1_000', `${NOT_A_NUMBER}: 1_000`],
    [' 5', `${NOT_A_NUMBER}:  5`],
    ['5 ', `${NOT_A_NUMBER}: 5 `],
    ['1 5', `${NOT_A_NUMBER}: 1 5`],
    ['1e9999999999', `${NOT_A_NUMBER}: 1e9999999999`],
    ['123456789012345678901234567890123456789', TOO_PRECISE],
    ['-1.23456789012345678901234567890123456789', TOO_PRECISE],
    ['1.23456789012345678901234567890123456789E200', TOO_PRECISE],
    ['1e126', OVERFLOW],
    ['1E+126', OVERFLOW],
    ['-1e126', OVERFLOW],
    ['10E+125', OVERFLOW],
    ['1e-131', UNDERFLOW],
    ['-1e-131', UNDERFLOW],
    ['0.1E-130', UNDERFLOW],
  ];
  for (const [input, message] of cases) {
    it(`${JSON.stringify(input)} is rejected`, () => {
      assertValidationError(() => canonicalNumber(input), message);
    });
  }
  it('accepts zero with any exponent', () => {
    assert.equal(canonicalNumber('0e999'), '0');
  });
});

describe('number comparison', () => {
  const ascending = [
    '-9.9999999999999999999999999999999999999E+125',
    '-1e10',
    '-100',
    '-10',
    '-1.51',
    '-1.5',
    '-1',
    '-1e-130',
    '0',
    '1e-130',
    '0.001',
    '1',
    '1.5',
    '1.51',
    '2',
    '10',
    '99',
    '100',
    '1e10',
    '99999999999999999999999999999999999999',
    '9.9999999999999999999999999999999999999E+125',
  ];
  it('orders numbers as decimals', () => {
    for (let i = 0; i < ascending.length; i += 1) {
      for (let j = 0; j < ascending.length; j += 1) {
        assert.equal(compareNumbers(ascending[i], ascending[j]), Math.sign(i - j), `${ascending[i]} vs ${ascending[j]}`);
      }
    }
  });
  const equal: [string, string][] = [
    ['1', '1.0'],
    ['100', '1e2'],
    ['-0', '0'],
    ['0.5', '.5'],
    ['12300', '1.23E4'],
  ];
  for (const [a, b] of equal) {
    it(`${a} equals ${b}`, () => {
      assert.equal(compareNumbers(a, b), 0);
    });
  }
});

describe('exact arithmetic', () => {
  const cases: [string, string, string, string][] = [
    ['1', '2', '+', '3'],
    ['0.1', '0.2', '+', '0.3'],
    ['1.5', '-1.5', '+', '0'],
    ['10', '0.001', '+', '10.001'],
    ['1e20', '1', '+', '100000000000000000001'],
    ['5', '7', '-', '-2'],
    ['-5', '-7', '-', '2'],
    ['0', '0', '-', '0'],
    ['0.3', '0.1', '-', '0.2'],
  ];
  for (const [a, b, op, expected] of cases) {
    it(`${a} ${op} ${b} = ${expected}`, () => {
      const right = op === '-' ? negateDecimal(decimalOf(b)) : decimalOf(b);
      assert.equal(formatDecimal(addDecimals(decimalOf(a), right)), expected);
    });
  }
});

describe('number storage size', () => {
  const cases: [string, number][] = [
    ['0', 1],
    ['1', 2],
    ['12', 2],
    ['123', 3],
    ['100', 2],
    ['1000', 2],
    ['110', 3],
    ['1.5', 3],
    ['12.5', 3],
    ['123.45', 4],
    ['-42', 3],
    ['42', 2],
    ['99999999999999999999999999999999999999', 20],
    ['1E+125', 2],
  ];
  for (const [input, size] of cases) {
    it(`${input} takes ${size} bytes`, () => {
      assert.equal(decimalSize(decimalOf(input)), size);
    });
  }
});
