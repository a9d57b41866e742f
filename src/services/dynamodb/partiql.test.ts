import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AttributeValue } from '../../generated/dynamodb.js';
import { isServiceError } from '../../shared/errors.js';
import { parseStatement } from './partiql.js';

const S = (value: string): AttributeValue => ({ S: value });
const N = (value: string): AttributeValue => ({ N: value });

describe('PartiQL statements', () => {
  const selects: [string, AttributeValue[], Record<string, unknown>][] = [
    ['SELECT * FROM t', [], { table: 't', names: {}, values: {} }],
    [`SELECT * FROM "t" WHERE a = 1`, [], { where: '#n0 = :v0', names: { '#n0': 'a' }, values: { ':v0': N('1') }, terms: new Map([['a', [N('1')]]]) }],
    [`SELECT * FROM t WHERE 'x' = a`, [], { where: ':v0 = #n0', terms: new Map([['a', [S('x')]]]) }],
    [`SELECT * FROM t WHERE a <> 1 AND b != -2.5e3`, [], { where: '#n0 <> :v0 AND #n1 <> :v1', values: { ':v0': N('1'), ':v1': N('-2.5e3') }, terms: new Map() }],
    [
      `SELECT a.b[1], "c d" FROM "t"."i" WHERE x BETWEEN ? AND ? AND begins_with(y, 'p')`,
      [N('1'), N('5')],
      // A nested path reads its whole top-level attribute and answers as its last dotted step.
      {
        index: 'i',
        projection: '#n0, #n2',
        outputs: [{ name: 'b[1]', path: ['a', 'b', 1] }, { name: 'c d', path: ['c d'] }],
        where: '#n3 BETWEEN :v0 AND :v1 AND begins_with(#n4, :v2)',
        names: { '#n0': 'a', '#n1': 'b', '#n2': 'c d', '#n3': 'x', '#n4': 'y' },
      },
    ],
    [`SELECT * FROM t WHERE pk IN ['a', 'b'] AND sk > 3`, [], { where: '#n0 IN (:v0, :v1) AND #n1 > :v2', terms: new Map([['pk', [S('a'), S('b')]]]) }],
    [`SELECT * FROM t WHERE pk = 'a' OR pk = 'b'`, [], { terms: new Map() }],
    [`SELECT * FROM t WHERE (pk = 'a' AND sk = 1)`, [], { where: '(#n0 = :v0 AND #n1 = :v1)', terms: new Map([['pk', [S('a')]], ['sk', [N('1')]]]) }],
    [`SELECT * FROM t WHERE NOT contains(tags, 'x') AND size(name) >= 3`, [], { where: 'NOT contains(#n0, :v0) AND size(#n1) >= :v1' }],
    [`SELECT * FROM t WHERE a IS MISSING AND b IS NOT MISSING`, [], { where: 'attribute_not_exists(#n0) AND attribute_exists(#n1)' }],
    [`SELECT * FROM t WHERE a IS NULL AND b IS NOT STRING`, [], { where: 'attribute_type(#n0, :v0) AND NOT attribute_type(#n1, :v1)', values: { ':v0': S('NULL'), ':v1': S('S') } }],
    [`SELECT * FROM t WHERE attribute_type(m.n[0], 'M') AND flag = TRUE AND gone = NULL`, [], { values: { ':v0': S('M'), ':v1': { BOOL: true }, ':v2': { NULL: true } } }],
    [`select * from t where pk = 'a' order by sk desc`, [], { orderBy: { name: 'sk', descending: true } }],
    [`SELECT * FROM t WHERE pk = 'a' ORDER BY sk ASC`, [], { orderBy: { name: 'sk', descending: false } }],
  ];
  for (const [source, parameters, expected] of selects) {
    it(`parses ${source}`, () => {
      const statement = parseStatement(source, parameters) as unknown as Record<string, unknown>;
      assert.equal(statement.kind, 'select');
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(statement[field], value, field);
    });
  }

  const writes: [string, AttributeValue[], Record<string, unknown>][] = [
    [
      `INSERT INTO t VALUE {'id': ?, 'n': -1, 'm': {'x': [1, 'two', <<'a', 'b'>>]}, 'ns': <<1, 2>>, 'ok': false}`,
      [S('k')],
      { kind: 'insert', table: 't', item: { id: S('k'), n: N('-1'), m: { M: { x: { L: [N('1'), S('two'), { SS: ['a', 'b'] }] } } }, ns: { NS: ['1', '2'] }, ok: { BOOL: false } } },
    ],
    [
      `UPDATE t SET a = a + 1, b.c[2] = 'x' SET l = list_append(l, [1]) REMOVE old WHERE pk = 'k' RETURNING ALL NEW *`,
      [],
      { kind: 'update', update: 'SET #n0 = #n0 + :v0, #n1.#n2[2] = :v1, #n3 = list_append(#n3, :v2) REMOVE #n4', where: '#n5 = :v3', returning: 'ALL_NEW' },
    ],
    [`UPDATE t SET tags = set_add(tags, <<'x'>>) SET gone = set_delete(gone, <<1>>) WHERE pk = 'k'`, [], { update: 'ADD #n0 :v0 DELETE #n1 :v1' }],
    [`UPDATE t SET v = if_not_exists(v, 0) WHERE pk = 'k' RETURNING MODIFIED OLD *`, [], { update: 'SET #n0 = if_not_exists(#n0, :v0)', returning: 'UPDATED_OLD' }],
    [`DELETE FROM t WHERE pk = ? AND sk = ? RETURNING ALL OLD *`, [S('a'), N('1')], { kind: 'delete', returning: 'ALL_OLD', terms: new Map([['pk', [S('a')]], ['sk', [N('1')]]]) }],
    [`EXISTS(SELECT * FROM t WHERE pk = 'a' AND v > 1)`, [], { kind: 'exists', table: 't', where: '#n0 = :v0 AND #n1 > :v1' }],
  ];
  for (const [source, parameters, expected] of writes) {
    it(`parses ${source}`, () => {
      const statement = parseStatement(source, parameters) as unknown as Record<string, unknown>;
      for (const [field, value] of Object.entries(expected)) assert.deepEqual(statement[field], value, field);
    });
  }

  const WELL_FORMED = "Statement wasn't well formed, can't be processed: ";
  const errors: [string, AttributeValue[], string][] = [
    ['SELEC * FROM t', [], `${WELL_FORMED}Expected data manipulation`],
    ['SELECT * FROM', [], `${WELL_FORMED}unexpected end of statement`],
    ['SELECT * FROM t WHERE', [], `${WELL_FORMED}unexpected end of statement`],
    ['SELECT * FROM t WHERE a = 1 b', [], `${WELL_FORMED}unexpected token b`],
    [`SELECT * FROM t WHERE a = 'open`, [], `${WELL_FORMED}unterminated quoted text`],
    ['SELECT * FROM t WHERE a = ?', [], "Number of parameters in request and statement don't match."],
    ['SELECT * FROM t', [S('x')], "Number of parameters in request and statement don't match."],
    ['SELECT *, a FROM t', [], "Other attributes should not be present in the projection when '*' is used."],
    ['SELECT a, a FROM t', [], 'Duplicate identifiers in select clause: a'],
    ['SELECT * FROM t WHERE a = MISSING', [], 'MISSING must be compared using IS operator'],
    ['SELECT * FROM t WHERE a IS DATE', [], 'Unsupported data type for IS operator: DATE. Supported data types are [MISSING, NULL, BOOLEAN, BLOB, STRING, NUMERIC, STRUCT, TUPLE, LIST]'],
    ['SELECT * FROM t WHERE a IN []', [], 'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member'],
    ['SELECT * FROM t WHERE a IN 1', [], 'IN operator must have a left hand argument of type Variable Reference and right hand argument of type Seq with at least one member'],
    ['SELECT * FROM t WHERE upper(a) = 1', [], 'Unrecognized function: upper'],
    [`SELECT * FROM t WHERE EXISTS(SELECT * FROM t)`, [], 'EXISTS can only be used in ExecuteTransaction write requests.'],
    [`INSERT INTO t VALUES {'a': 1}`, [], 'Unsupported operation: Inserting multiple items in a single statement is not supported, use "INSERT INTO tableName VALUE item" instead'],
    [`INSERT INTO t VALUE [1]`, [], 'Unsupported format in item expression. Please use struct format {...} to express item values for insert statement.'],
    [`INSERT INTO t VALUE {'a': 1, 'a': 2}`, [], 'Duplicate keys in tuple. Key: a under tuple'],
    [`INSERT INTO t VALUE {'a': <<>>}`, [], 'Empty bags are not supported'],
    [`INSERT INTO t VALUE {'a': <<1, 'x'>>}`, [], 'Unsupported data type in Bag. DynamoDB only supports either numbers or strings in bags'],
    [`INSERT INTO t VALUE {'a': 1} RETURNING ALL OLD *`, [], 'RETURNING is not supported in INSERT'],
    [`UPDATE t WHERE a = 1`, [], `${WELL_FORMED}expected SET or REMOVE but found WHERE`],
    [`UPDATE t SET a = 1 WHERE pk = 1 RETURNING ALL OLD`, [], "Expected '*' after ( MODIFIED | ALL ) ( NEW | OLD ) in RETURNING clause"],
    [`UPDATE t SET s = set_add(other, <<'x'>>) WHERE pk = 1`, [], 'The first argument to SET_ADD must equal the assignment value'],
    [`UPDATE t SET s = set_delete(s, 'x') WHERE pk = 1`, [], 'The second argument to SET_DELETE must be a value with type SET'],
    [`UPDATE t SET s = upper(s) WHERE pk = 1`, [], 'Unrecognized function: upper'],
    [`DELETE FROM t WHERE pk = 1 RETURNING ALL NEW *`, [], 'Invalid returning clause: RETURNING ALL NEW *. Only RETURNING ALL OLD * is allowed in DELETE statements.'],
    [`EXISTS(SELECT * FROM "t"."i" WHERE pk = 1)`, [], 'Operations on indices are not supported in transactions'],
    [`EXISTS(SELECT * FROM t)`, [], 'EXISTS() must contain a single item read with additional condition'],
  ];
  for (const [source, parameters, message] of errors) {
    it(`rejects ${source}`, () => {
      assert.throws(
        () => parseStatement(source, parameters),
        (error: unknown) => {
          assert.ok(isServiceError(error));
          assert.equal(error.code, 'ValidationException');
          assert.equal(error.message, message);
          return true;
        },
      );
    });
  }
});
