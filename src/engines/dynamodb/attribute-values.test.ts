import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Buffer } from 'node:buffer';
import {
  MAX_ITEM_SIZE,
  attributeValueSize,
  checkKeyNotUpdated,
  checkKeyPathsScalar,
  compareScalars,
  compareStrings,
  encodeKeyValue,
  extractKey,
  itemSize,
  normalizeAttributeValue,
  normalizeItem,
  validateIndexKeys,
  validateItemKey,
  validateKey,
  valuesEqual,
} from './index.js';
import { assertValidationError } from './test-support.js';
import type { AttributeValue, IndexKeySchema, KeySchema, ScalarKeyValue } from './index.js';

const EMPTY = 'Supplied AttributeValue is empty, must contain exactly one of the supported datatypes';
const MULTIPLE = 'Supplied AttributeValue has more than one datatypes set, must contain exactly one of the supported datatypes';
const INVALID = 'One or more parameter values were invalid: ';
const NESTING = 'Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit';

describe('attribute value validation messages', () => {
  const cases: [string, unknown, string][] = [
    ['empty object', {}, EMPTY],
    ['unknown member only', { a: '' }, EMPTY],
    ['null member', { S: null }, EMPTY],
    ['not an object', 'text', EMPTY],
    ['array', [], EMPTY],
    ['nested empty in a map', { M: { a: {} } }, EMPTY],
    ['nested empty in a list', { L: [{}] }, EMPTY],
    ['nested unknown in a list', { L: [{ a: {} }] }, EMPTY],
    ['S of the wrong kind', { S: 5 }, EMPTY],
    ['two types', { S: 'a', N: '1' }, MULTIPLE],
    ['number checked before the type count', { S: 'a', N: '' }, 'The parameter cannot be converted to a numeric value'],
    ['bad number before the count', { S: 'a', N: 'b' }, 'The parameter cannot be converted to a numeric value: b'],
    ['NULL false', { NULL: false }, `${INVALID}Null attribute value types must have the value of true`],
    ['empty string set', { SS: [] }, `${INVALID}An string set  may not be empty`],
    ['empty number set', { NS: [] }, `${INVALID}An number set  may not be empty`],
    ['empty binary set', { BS: [] }, `${INVALID}Binary sets should not be empty`],
    ['duplicate strings', { SS: ['a', 'a'] }, `${INVALID}Input collection [a, a] contains duplicates.`],
    ['duplicate empty strings', { SS: ['', ''] }, `${INVALID}Input collection [, ] contains duplicates.`],
    ['duplicate binary', { BS: ['Yg==', 'Yg=='] }, `${INVALID}Input collection [Yg==, Yg==]of type BS contains duplicates.`],
    ['duplicate numbers', { NS: ['1', '1'] }, 'Input collection contains duplicates'],
    ['duplicate numbers by value', { NS: ['1', '1.0'] }, 'Input collection contains duplicates'],
    ['empty number in a set', { NS: ['1', ''] }, 'The parameter cannot be converted to a numeric value'],
    ['bad number in a set', { NS: ['1', 'b'] }, 'The parameter cannot be converted to a numeric value: b'],
    ['too precise', { N: '123456789012345678901234567890123456789' }, 'Attempting to store more than 38 significant digits in a Number'],
    ['overflow', { N: '1e126' }, 'Number overflow. Attempting to store a number with magnitude larger than supported range'],
    ['underflow', { N: '1e-131' }, 'Number underflow. Attempting to store a number with magnitude smaller than supported range'],
    ['empty set inside a map', { M: { inner: { SS: [] } } }, `${INVALID}An string set  may not be empty`],
    ['empty set inside a list', { L: [{ NS: [] }] }, `${INVALID}An number set  may not be empty`],
  ];
  for (const [name, raw, message] of cases) {
    it(`${name}: ${message}`, () => {
      assertValidationError(() => normalizeAttributeValue(raw), message);
    });
  }
});

describe('attribute value normalisation', () => {
  const cases: [string, unknown, AttributeValue][] = [
    ['empty string', { S: '' }, { S: '' }],
    ['number text', { N: '1.50' }, { N: '1.5' }],
    ['number set', { NS: ['1e2', '-0', '0.50'] }, { NS: ['100', '0', '0.5'] }],
    ['binary bytes', { B: new Uint8Array([1, 2, 3]) }, { B: 'AQID' }],
    ['binary buffer', { B: Buffer.from('hi') }, { B: 'aGk=' }],
    ['empty binary', { B: '' }, { B: '' }],
    ['binary set bytes', { BS: [new Uint8Array([1]), 'Ag=='] }, { BS: ['AQ==', 'Ag=='] }],
    ['bool', { BOOL: false }, { BOOL: false }],
    ['null', { NULL: true }, { NULL: true }],
    ['nested', { M: { a: { L: [{ N: '01' }, { S: '' }] } } }, { M: { a: { L: [{ N: '1' }, { S: '' }] } } }],
    ['unknown members are ignored', { S: 'a', extra: 1 }, { S: 'a' }],
    ['string set with an empty member', { SS: ['', 'a'] }, { SS: ['', 'a'] }],
  ];
  for (const [name, raw, expected] of cases) {
    it(name, () => {
      assert.deepEqual(normalizeAttributeValue(raw), expected);
    });
  }
});

function nested(levels: number, leaf: unknown): unknown {
  let value = leaf;
  for (let level = 0; level < levels; level += 1) value = { M: { a: value } };
  return value;
}

describe('item nesting limit', () => {
  it('accepts 31 maps around a scalar', () => {
    assert.doesNotThrow(() => normalizeItem({ a: nested(31, { S: 'x' }) }));
  });
  it('rejects 32 maps around a scalar', () => {
    assertValidationError(() => normalizeItem({ a: nested(32, { S: 'x' }) }), NESTING);
  });
  it('rejects a 32nd container even when empty', () => {
    assertValidationError(() => normalizeItem({ a: nested(31, { L: [] }) }), NESTING);
  });
  it('does not limit expression attribute values', () => {
    assert.doesNotThrow(() => normalizeAttributeValue(nested(40, { S: 'x' })));
  });
});

describe('equality', () => {
  const cases: [AttributeValue, AttributeValue, boolean][] = [
    [{ S: 'a' }, { S: 'a' }, true],
    [{ S: 'a' }, { S: 'b' }, false],
    [{ N: '1' }, { N: '1.0' }, true],
    [{ N: '1' }, { S: '1' }, false],
    [{ B: 'AQ==' }, { B: new Uint8Array([1]) }, true],
    [{ BOOL: true }, { BOOL: true }, true],
    [{ BOOL: true }, { BOOL: false }, false],
    [{ NULL: true }, { NULL: true }, true],
    [{ SS: ['a', 'b'] }, { SS: ['b', 'a'] }, true],
    [{ SS: ['a', 'b'] }, { SS: ['a', 'b', 'c'] }, false],
    [{ NS: ['1', '2'] }, { NS: ['2.0', '1'] }, true],
    [{ BS: ['AQ==', 'Ag=='] }, { BS: ['Ag==', 'AQ=='] }, true],
    [{ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ S: 'a' }, { N: '1' }] }, true],
    [{ L: [{ S: 'a' }, { N: '1' }] }, { L: [{ N: '1' }, { S: 'a' }] }, false],
    [{ M: { a: { S: 'x' }, b: { N: '2' } } }, { M: { b: { N: '2.0' }, a: { S: 'x' } } }, true],
    [{ M: { a: { S: 'x' } } }, { M: { a: { S: 'x' }, b: { S: 'y' } } }, false],
    [{ M: {} }, { L: [] }, false],
  ];
  for (const [a, b, equal] of cases) {
    it(`${JSON.stringify(a)} ${equal ? '=' : '≠'} ${JSON.stringify(b)}`, () => {
      assert.equal(valuesEqual(a, b), equal);
    });
  }
});

describe('ordering', () => {
  it('orders strings by UTF-8 bytes, not UTF-16 units', () => {
    assert.ok(compareStrings('\u{1F600}', '\uFFFD') > 0);
    assert.ok(compareStrings('a', 'b') < 0);
    assert.ok(compareStrings('a', 'ab') < 0);
    assert.ok(compareStrings('Z', 'a') < 0);
    assert.equal(compareStrings('é', 'é'), 0);
  });
  const cases: [AttributeValue, AttributeValue, number | undefined][] = [
    [{ N: '10' }, { N: '9' }, 1],
    [{ N: '-10' }, { N: '-9' }, -1],
    [{ S: '10' }, { S: '9' }, -1],
    [{ B: new Uint8Array([0x80]) }, { B: new Uint8Array([0x7f]) }, 1],
    [{ B: new Uint8Array([1]) }, { B: new Uint8Array([1, 0]) }, -1],
    [{ S: 'a' }, { N: '1' }, undefined],
    [{ BOOL: true }, { BOOL: true }, undefined],
    [{ SS: ['a'] }, { SS: ['a'] }, undefined],
  ];
  for (const [a, b, order] of cases) {
    it(`${JSON.stringify(a)} vs ${JSON.stringify(b)} → ${String(order)}`, () => {
      assert.equal(compareScalars(a, b), order);
    });
  }
});

describe('item size', () => {
  const cases: [string, AttributeValue, number][] = [
    ['ascii string', { S: 'abc' }, 3],
    ['multi-byte string', { S: 'é€😀' }, 2 + 3 + 4],
    ['empty string', { S: '' }, 0],
    ['number', { N: '123.45' }, 4],
    ['negative number', { N: '-1' }, 3],
    ['binary', { B: 'AQID' }, 3],
    ['bool', { BOOL: true }, 1],
    ['null', { NULL: true }, 1],
    ['string set', { SS: ['ab', 'c'] }, 3],
    ['number set', { NS: ['1', '12'] }, 4],
    ['binary set', { BS: ['AQ==', 'AQID'] }, 4],
    ['empty list', { L: [] }, 3],
    ['empty map', { M: {} }, 3],
    ['list', { L: [{ S: 'ab' }, { BOOL: true }] }, 3 + (1 + 2) + (1 + 1)],
    ['map', { M: { key: { S: 'ab' }, k2: { NULL: true } } }, 3 + (1 + 3 + 2) + (1 + 2 + 1)],
    ['nested', { M: { a: { L: [{ M: {} }] } } }, 3 + (1 + 1 + (3 + (1 + 3)))],
  ];
  for (const [name, value, size] of cases) {
    it(`${name} takes ${size} bytes`, () => {
      assert.equal(attributeValueSize(value), size);
    });
  }
  it('adds attribute names in UTF-8', () => {
    assert.equal(itemSize({ pk: { S: 'abc' }, 'né': { N: '1' } }), 2 + 3 + 3 + 2);
  });
  it('knows the 400 KB limit', () => {
    assert.equal(MAX_ITEM_SIZE, 409600);
  });
});

describe('sortable key encoding', () => {
  const numbers = [
    '-9.9999999999999999999999999999999999999E+125',
    '-1e10',
    '-100',
    '-99.5',
    '-10',
    '-1.51',
    '-1.5',
    '-1',
    '-0.001',
    '-1e-130',
    '0',
    '1e-130',
    '0.001',
    '0.5',
    '1',
    '1.5',
    '1.51',
    '9',
    '10',
    '99.5',
    '100',
    '1e10',
    '9.9999999999999999999999999999999999999E+125',
  ];
  const ordered = (values: readonly ScalarKeyValue[]): void => {
    const encoded = values.map(encodeKeyValue);
    for (let index = 1; index < encoded.length; index += 1) {
      assert.ok(encoded[index - 1] < encoded[index], `${JSON.stringify(values[index - 1])} < ${JSON.stringify(values[index])}`);
    }
  };
  it('orders numbers of any sign and magnitude', () => {
    ordered(numbers.map((N) => ({ N })));
  });
  it('encodes equal numbers identically', () => {
    assert.equal(encodeKeyValue({ N: '1.50' }), encodeKeyValue({ N: '1.5' }));
    assert.equal(encodeKeyValue({ N: '-0' }), encodeKeyValue({ N: '0' }));
  });
  it('orders strings by UTF-8 bytes with prefixes first', () => {
    ordered(['', 'A', 'Z', 'a', 'ab', 'abc', 'b', 'é', '\uFFFD', '\u{1F600}'].map((S) => ({ S })));
  });
  it('orders binary by unsigned bytes', () => {
    ordered([[], [0], [0, 0], [1], [0x7f], [0x80], [0xff]].map((bytes) => ({ B: new Uint8Array(bytes) })));
  });
  it('uses characters that leave room for a separator', () => {
    for (const value of [{ S: 'x y' }, { N: '-1.5' }, { B: 'AQ==' }]) assert.match(encodeKeyValue(value), /^[0-9a-f~]*$/);
  });
});

describe('key schema checks', () => {
  const schema: KeySchema = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'N' } };
  const hashOnly: KeySchema = { partitionKey: { name: 'pk', type: 'B' } };
  const MISMATCH = 'The provided key element does not match the schema';
  const keyCases: [string, KeySchema, Record<string, AttributeValue>, string][] = [
    ['missing sort key', schema, { pk: { S: 'a' } }, MISMATCH],
    ['extra attribute', schema, { pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'b' } }, MISMATCH],
    ['wrong type', schema, { pk: { N: '1' }, sk: { N: '1' } }, MISMATCH],
    ['wrong name', schema, { pk: { S: 'a' }, other: { N: '1' } }, MISMATCH],
    ['non-scalar', schema, { pk: { L: [] }, sk: { N: '1' } }, MISMATCH],
    [
      'empty string',
      schema,
      { pk: { S: '' }, sk: { N: '1' } },
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: pk',
    ],
    [
      'empty binary',
      hashOnly,
      { pk: { B: '' } },
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty binary value. Key: pk',
    ],
    [
      'partition key too long',
      schema,
      { pk: { S: 'x'.repeat(2049) }, sk: { N: '1' } },
      `${INVALID}Size of hashkey has exceeded the maximum size limit of2048 bytes`,
    ],
  ];
  for (const [name, keySchema, key, message] of keyCases) {
    it(`Key: ${name}`, () => {
      assertValidationError(() => { validateKey(key, keySchema); }, message);
    });
  }
  it('accepts a partition key of exactly 2048 bytes', () => {
    assert.doesNotThrow(() => { validateKey({ pk: { S: 'x'.repeat(2048) }, sk: { N: '1' } }, schema); });
  });
  const stringSort: KeySchema = { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'S' } };
  const itemCases: [string, Record<string, AttributeValue>, string][] = [
    ['missing partition key', { sk: { S: 'a' } }, `${INVALID}Missing the key pk in the item`],
    ['missing sort key', { pk: { S: 'a' } }, `${INVALID}Missing the key sk in the item`],
    ['type mismatch', { pk: { N: '1' }, sk: { S: 'a' } }, `${INVALID}Type mismatch for key pk expected: S actual: N`],
    [
      'empty sort key',
      { pk: { S: 'a' }, sk: { S: '' } },
      'One or more parameter values are not valid. The AttributeValue for a key attribute cannot contain an empty string value. Key: sk',
    ],
    [
      'sort key too long',
      { pk: { S: 'a' }, sk: { S: 'x'.repeat(1025) } },
      `${INVALID}Aggregated size of all range keys has exceeded the size limit of 1024 bytes`,
    ],
  ];
  for (const [name, item, message] of itemCases) {
    it(`Item: ${name}`, () => {
      assertValidationError(() => { validateItemKey(item, stringSort); }, message);
    });
  }
  it('extracts the key of an item', () => {
    assert.deepEqual(extractKey({ pk: { S: 'a' }, sk: { N: '1' }, x: { S: 'b' } }, schema), { pk: { S: 'a' }, sk: { N: '1' } });
  });
  const indexes: IndexKeySchema[] = [{ indexName: 'gsib', partitionKey: { name: 'bidx', type: 'B' } }];
  const indexCases: [string, 'put' | 'update', Record<string, AttributeValue>, string][] = [
    [
      'put, empty binary',
      'put',
      { bidx: { B: '' } },
      'One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty binary value. IndexName: gsib, IndexKey: bidx',
    ],
    [
      'update, empty binary',
      'update',
      { bidx: { B: '' } },
      'One or more parameter values are not valid. The update expression attempted to update a secondary index key to a value that is not supported. The AttributeValue for a key attribute cannot contain an empty binary value.',
    ],
    ['put, type mismatch', 'put', { bidx: { S: 'a' } }, `${INVALID}Type mismatch for Index Key bidx Expected: B Actual: S IndexName: gsib`],
    ['update, type mismatch', 'update', { bidx: { N: '1' } }, 'The update expression attempted to update the secondary index key to unsupported type'],
  ];
  for (const [name, operation, item, message] of indexCases) {
    it(`index key: ${name}`, () => {
      assertValidationError(() => { validateIndexKeys(item, indexes, operation); }, message);
    });
  }
  it('ignores absent index keys', () => {
    assert.doesNotThrow(() => { validateIndexKeys({ other: { S: '' } }, indexes, 'put'); });
  });
  it('refuses updates of key attributes', () => {
    assertValidationError(
      () => { checkKeyNotUpdated([['x'], ['sk', 'a']], schema); },
      `${INVALID}Cannot update attribute sk. This attribute is part of the key`,
    );
    assert.doesNotThrow(() => { checkKeyNotUpdated([['x']], schema); });
  });
  it('refuses nested paths into key attributes', () => {
    const message = "Key attributes must be scalars; list random access '[]' and map lookup '.' are not allowed";
    assertValidationError(() => { checkKeyPathsScalar([['pk', 1]], schema); }, `${message}: Key: pk`);
    assertValidationError(() => { checkKeyPathsScalar([['bidx', 'a']], schema, indexes); }, `${message}: IndexKey: bidx`);
    assert.doesNotThrow(() => { checkKeyPathsScalar([['pk'], ['x', 'y']], schema, indexes); });
  });
});
