import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileRequestExpressions } from './index.js';
import { tokenize } from './expression-lexer.js';
import { assertValidationError } from './test-support.js';
import type { AttributeValue, ExpressionOperation, ExpressionRequest } from './index.js';

type Kind = 'ConditionExpression' | 'FilterExpression' | 'UpdateExpression' | 'ProjectionExpression' | 'KeyConditionExpression';

const OPERATION: Record<Kind, ExpressionOperation> = {
  ConditionExpression: 'PutItem',
  FilterExpression: 'Scan',
  UpdateExpression: 'UpdateItem',
  ProjectionExpression: 'GetItem',
  KeyConditionExpression: 'Query',
};

/**
 * Defines every placeholder the expression mentions, so only the error under
 * test can fire; the first letter picks the type (:n number, :l list, :s
 * string set, :t the type name "S", anything else a string).
 */
function request(kind: Kind, expression: string, values: Record<string, AttributeValue> = {}): ExpressionRequest {
  const names = Object.fromEntries([...expression.matchAll(/#[A-Za-z0-9_]+/g)].map(([name]) => [name, name.slice(1)]));
  const placeholders = kind === 'ProjectionExpression' ? [] : [...expression.matchAll(/:[A-Za-z0-9_]+/g)].map(([value]) => value);
  const byLetter = (value: string): AttributeValue =>
    ({ n: { N: '1' }, l: { L: [] }, s: { SS: ['x'] }, t: { S: 'S' } } as Record<string, AttributeValue>)[value.charAt(1)] ?? { S: 'x' };
  const allValues = { ...Object.fromEntries(placeholders.map((value) => [value, byLetter(value)])), ...values };
  return {
    [kind]: expression,
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(allValues).length > 0 ? { ExpressionAttributeValues: allValues } : {}),
  };
}

function compileOne(kind: Kind, expression: string, values: Record<string, AttributeValue> = {}): void {
  compileRequestExpressions(OPERATION[kind], request(kind, expression, values));
}

function table(kind: Kind, cases: readonly (readonly [string, string])[]): void {
  for (const [expression, message] of cases) {
    it(`${JSON.stringify(expression)} → ${message}`, () => {
      assertValidationError(() => { compileOne(kind, expression); }, `Invalid ${kind}: ${message}`);
    });
  }
}

function valid(kind: Kind, expressions: readonly string[]): void {
  for (const expression of expressions) {
    it(`${JSON.stringify(expression)} parses`, () => {
      assert.doesNotThrow(() => { compileOne(kind, expression); });
    });
  }
}

const syntax = (token: string, near: string): string => `Syntax error; token: "${token}", near: "${near}"`;

describe('tokens', () => {
  const cases: [string, string[]][] = [
    ['a.b[1] <> :v', ['identifier', '.', 'identifier', '[', 'index', ']', '<>', 'value', 'eof']],
    ['#n <= :v >= <', ['name', '<=', 'value', '>=', '<', 'eof']],
    ['and Or NoT between In set ADD delete Remove', ['AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'SET', 'ADD', 'DELETE', 'REMOVE', 'eof']],
    ['settings android index', ['identifier', 'identifier', 'identifier', 'eof']],
    ['_a', ['unknown', 'identifier', 'eof']],
    ['# : #_ :_1', ['unknown', 'unknown', 'name', 'value', 'eof']],
    ['007 10', ['index', 'index', 'index', 'index', 'eof']],
    ['a1_b', ['identifier', 'eof']],
    ['😀!', ['unknown', 'unknown', 'eof']],
    [' \t\r\n', ['eof']],
  ];
  for (const [source, kinds] of cases) {
    it(JSON.stringify(source), () => {
      assert.deepEqual(tokenize(source).map((token) => token.kind), kinds);
    });
  }
  it('keeps the text of an astral character whole', () => {
    assert.equal(tokenize('😀')[0]?.text, '😀');
  });
});

describe('syntax errors in conditions', () => {
  table('FilterExpression', [
    ['a > 4', syntax('4', '> 4')],
    ['things are not gonna be ok', syntax('are', 'things are not')],
    ['attribute_exists(Pictures-RearView)', syntax('-', 'Pictures-RearView')],
    ['attribute_exists("Pictures.RearView")', syntax('"', '("Pictures')],
    ['attribute_exists(Pictures..RearView)', syntax('.', '..RearView')],
    ['attribute_exists(Pi#ctures.RearView)', syntax('#ctures', 'Pi#ctures.')],
    ['a in b', syntax('b', 'in b')],
    ['a in (b, c,)', syntax(')', ',)')],
    ['a in ()', syntax(')', '()')],
    ['a = b c', syntax('c', 'b c')],
    ['a = :', syntax(':', '= :')],
    ['a = #', syntax('#', '= #')],
    ['_hidden = :v', syntax('_', '_hidden')],
    ['a = :v AND', syntax('<EOF>', 'AND')],
    ['a = :v AND   ', syntax('<EOF>', 'AND   ')],
    ['NOT', syntax('<EOF>', 'NOT')],
    ['attribute_exists(a) AND NOT #b', syntax('<EOF>', '#b')],
    ['(a = :v', syntax('<EOF>', ':v')],
    ['a BETWEEN :a', syntax('<EOF>', ':a')],
    ['a BETWEEN :a OR :b', syntax('OR', ':a OR :b')],
    ['a < b < c', syntax('<', 'b < c')],
    ['a[x] = :v', syntax('x', '[x]')],
    ['a[-1] = :v', syntax('-', '[-1')],
    ['a[01] = :v', syntax('1', '01]')],
    ['a[1 = :v', syntax('=', '1 = :v')],
    ['size(a).b > :v', syntax('.', ').b')],
    ['(size(a))[0] > :v', syntax('[', ')[0')],
    ['ü > a', syntax('ü', 'ü >')],
    ['😀 = a', syntax('😀', '😀 =')],
    ['a <> b!', syntax('!', 'b!')],
    ['a != b', syntax('!', 'a !=')],
    ['set = :v', syntax('set', 'set =')],
    ['a = :v and or b = :w', syntax('or', 'and or b')],
    ['a = between', syntax('between', '= between')],
    ['b[:a] > a', syntax(':a', '[:a]')],
    ['b[#_] > a', syntax('#_', '[#_]')],
    ['#$.b > a', syntax('#', '#$')],
    ['a IN (:a) (', syntax('(', ') (')],
    ['attribute_exists(a) attribute_exists(b)', syntax('attribute_exists', ') attribute_exists(')],
  ]);
});

describe('syntax errors in updates', () => {
  table('UpdateExpression', [
    ['INVALID SYNTAX HERE', syntax('INVALID', 'INVALID SYNTAX')],
    ['ADD hits : incr', syntax(':', 'hits : incr')],
    ['SET', syntax('<EOF>', 'SET')],
    ['SET a', syntax('<EOF>', 'a')],
    ['SET a = ', syntax('<EOF>', '= ')],
    ['set a=set', syntax('set', '=set')],
    ['remove a = b', syntax('=', 'a = b')],
    ['delete a b', syntax('b', 'a b')],
    ['add a if_not_exists(b)', syntax('if_not_exists', 'a if_not_exists(')],
    ['set a = b + c + d', syntax('+', 'c + d')],
    ['set a = b * c', syntax('*', 'b * c')],
    ['set a = b / c', syntax('/', 'b / c')],
    ['SET a = :v,', syntax('<EOF>', ',')],
    ['SET #as, #x = :v', syntax(',', '#as, #x')],
    ['set (a = (b + c))', syntax('(', 'set (a')],
    ['set a = (b.c).d + e', syntax('.', ').d')],
    ['set a = (b.c)[0] + e', syntax('[', ')[0')],
    ['SET a[1] = "eight"', syntax('"', '= "eight')],
    ['set :a = b', syntax(':a', 'set :a =')],
    ['remove :a', syntax(':a', 'remove :a')],
    ['SET a = :v REMOVE', syntax('<EOF>', 'REMOVE')],
    ['SET a = :v, REMOVE b', syntax('REMOVE', ', REMOVE b')],
    ['SET a = -:v', syntax('-', '= -:v')],
  ]);
});

describe('syntax errors in projections', () => {
  table('ProjectionExpression', [
    ['!!! INVALID !!!', syntax('!', '!!')],
    ['  !x', syntax('!', '  !x')],
    ['#AMZN_MAPPED_2021-03-03', syntax('-', '#AMZN_MAPPED_2021-0')],
    ['dummy-id', syntax('-', 'dummy-id')],
    ['a, ', syntax('<EOF>', ', ')],
    ['a b', syntax('b', 'a b')],
    ['a[1', syntax('<EOF>', '1')],
    [', a', syntax(',', ', a')],
    ['a.', syntax('<EOF>', '.')],
    ['size(a)', syntax('(', 'size(a')],
    ['(a)', syntax('(', '(a')],
    ['a.delete', syntax('delete', '.delete')],
  ]);
});

describe('valid forms', () => {
  valid('FilterExpression', [
    'a = :v',
    'a.b[1].c <> :v',
    '#n.#m[0] = :v',
    'a[0][1] = :v',
    '(a) = :v',
    '(a)between(b.c.d)and(c)',
    'a BETWEEN :a AND :b',
    'a between :a and :b and c = :c',
    'a IN (:a)',
    'a in (:a, :b, b.c)',
    'NOT a = :v',
    'not (a = :v)',
    'NOT NOT a = :v',
    'NOT attribute_exists(a)',
    'attribute_exists(a) AND attribute_not_exists(b) OR begins_with(c, :v)',
    '(a = :v OR b = :v) AND c = :v',
    '((a = :v) OR (b = :w))',
    '((a = :v) AND b = :w)',
    'size(a) > :n',
    ':v = a',
    ':a < :b',
    'contains(a, :v)',
    'contains(size(a), :v)',
    'attribute_type(a, :t)',
    '\ta\n=\r:v ',
    'a[2147483647] = :v',
    'A1_b = :v',
    'a.settings = :v',
  ]);
  valid('UpdateExpression', [
    'SET a = :v',
    'set a = b, c = :v',
    'SET a = b + :n',
    'SET a = (b + :n)',
    'SET a = (b) + :n',
    'SET a = if_not_exists(a, :n) + :n2',
    'SET a = if_not_exists(a, if_not_exists(b, :v))',
    'SET a = list_append(if_not_exists(a, :l), :l2)',
    'SET a = list_append(:l, a)',
    'REMOVE a, b.c, d[0]',
    'ADD a :n, b :s',
    'DELETE a :s',
    'SET a = :v REMOVE b ADD c :n DELETE d :s',
    'REMOVE b SET a = :v',
    ' set a = :v ',
    'SET a.b[2].c = :v',
  ]);
  valid('ProjectionExpression', ['a', 'a, b', 'a.b, c[0], #n', 'a[1], a[0]', 'a.b.c, a.d']);
});

describe('redundant parentheses', () => {
  const message = 'The expression has redundant parentheses;';
  table('FilterExpression', [
    ['((a = :v))', message],
    ['a = :v AND ((b = :v))', message],
    ['a = :v OR ((b = :v OR c = :v)) OR d = :v', message],
    ['a = :v AND ((b = :v AND (c = :v AND d = :v)))', message],
    ['NOT ((a = :v))', message],
    ['a > ((b))', message],
    ['((a)) = :v', message],
    ['(a)between(((b.c)).d)and(c)', message],
    ['a > whatever((:v), ((a)))', message],
    ['size(((a))) > :v', message],
    ['((a = :v) AND b = :v', syntax('<EOF>', ':v')],
  ]);
  table('UpdateExpression', [
    ['SET a = ((b))', message],
    ['SET a = ((b + :v))', message],
    ['SET a = ((:v))', message],
    ['SET a = if_not_exists(b, ((:v)))', message],
  ]);
  table('KeyConditionExpression', [['((pk = :v))', message]]);
  table('ConditionExpression', [['((attribute_not_exists(pk)))', message]]);
});

describe('functions', () => {
  table('FilterExpression', [
    ['a = :v and whatever((:v)) > a', 'Invalid function name; function: whatever'],
    ['attRIbute_exIsts((views), #a)', 'Invalid function name; function: attRIbute_exIsts'],
    ['ATTRIBUTE_EXISTS(a)', 'Invalid function name; function: ATTRIBUTE_EXISTS'],
    ['starts_with(a, :v)', 'Invalid function name; function: starts_with'],
    ['if_not_exists(a, :v) = :w', 'The function is not allowed in a condition expression; function: if_not_exists'],
    ['list_append(a, :v)', 'The function is not allowed in a condition expression; function: list_append'],
    ['size(a)', 'The function is not allowed to be used this way in an expression; function: size'],
    ['begins_with(a, :v) = :t', 'The function is not allowed to be used this way in an expression; function: begins_with'],
    ['a = :v and attribute_exists((views), (#a)) > b', 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['attribute_not_exists(things) > b', 'The function is not allowed to be used this way in an expression; function: attribute_not_exists'],
    ['attribute_type(things, :a) > b', 'The function is not allowed to be used this way in an expression; function: attribute_type'],
    ['contains(:things, c) > b', 'The function is not allowed to be used this way in an expression; function: contains'],
    ['size(contains(a, b)) > a', 'The function is not allowed to be used this way in an expression; function: contains'],
    ['a between b and attribute_exists(things)', 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['a in (b, attribute_exists(things))', 'The function is not allowed to be used this way in an expression; function: attribute_exists'],
    ['NOT size(a)', 'The function is not allowed to be used this way in an expression; function: size'],
  ]);
  table('UpdateExpression', [
    ['SET a = size(b)', 'The function is not allowed in an update expression; function: size'],
    ['SET a = whatever(b)', 'Invalid function name; function: whatever'],
    ['set #c = if_not_exist(:c) set c = d', 'Invalid function name; function: if_not_exist'],
    ['SET a = if_not_exists(b, list_append(c, :l))', 'The function is not allowed to be used this way in an expression; function: list_append'],
    ['SET a = list_append(a, :l) + :n', 'The function is not allowed to be used this way in an expression; function: list_append'],
    ['SET a = attribute_exists(b)', 'The function is not allowed in an update expression; function: attribute_exists'],
  ]);
});

describe('reserved words', () => {
  const reserved = (word: string): string => `Attribute name is a reserved keyword; reserved keyword: ${word}`;
  table('FilterExpression', [
    ['status = :v', reserved('status')],
    ['a.status = :v', reserved('status')],
    [':a < abOrT', reserved('abOrT')],
    ['attribute_exists(views, #a)', reserved('views')],
    ['a = :v and a > ((views))', 'The expression has redundant parentheses;'],
    ['status = :v AND foo(a) = :w', reserved('status')],
    ['foo(a) = :w AND status = :v', 'Invalid function name; function: foo'],
    ['size = :v', reserved('size')],
    ['NAME = :v', reserved('NAME')],
    ['a = :v AND b[2147483648] = :w AND data = :v', 'List index is not within the allowable range; index: [2147483648]'],
  ]);
  table('UpdateExpression', [
    [' set #c = :c set abOrt = true ', reserved('abOrt')],
    [' remove Absolute ', reserved('Absolute')],
    ['SET a = count + :v', reserved('count')],
    ['SET status = :v', reserved('status')],
  ]);
  table('ProjectionExpression', [
    ['pk, status', reserved('status')],
    ['a[99999999999]', 'List index is not within the allowable range; index: [99999999999]'],
  ]);
  valid('FilterExpression', ['#status = :v', 'statuses = :v', 'a.#data = :v']);
});

describe('update sections', () => {
  table('UpdateExpression', [
    ['set a = :v set c = :v', 'The "SET" section can only be used once in an update expression;'],
    ['remove #d set a = :v remove e', 'The "REMOVE" section can only be used once in an update expression;'],
    ['add #d :e set a = :v add e :f', 'The "ADD" section can only be used once in an update expression;'],
    ['delete #d :e set a = :v delete #e :f', 'The "DELETE" section can only be used once in an update expression;'],
  ]);
});
