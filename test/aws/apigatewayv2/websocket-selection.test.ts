/** WebSocket selection expressions and key matching (template, integration response and route response selection), as tables. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SelectionScope } from '../../../src/services/apigateway/invoke-v2/websocket/selection.js';
import { evaluateSelection, selectKey } from '../../../src/services/apigateway/invoke-v2/websocket/selection.js';

describe('Evaluating WebSocket selection expressions', () => {
  const scope: SelectionScope = { requestBody: '{"action":"buy","order":{"kind":"bulk","n":3}}', statusCode: 404, responseBody: '{"code":"E1"}' };
  const cases: [string, string, SelectionScope, string][] = [
    ['the escaped $default key', '\\$default', scope, '$default'],
    ['the bare $default key', '$default', scope, '$default'],
    ['a braced body member', '${request.body.action}', scope, 'buy'],
    ['a bare nested body member', '$request.body.order.kind', scope, 'bulk'],
    ['a number member', '${request.body.order.n}', scope, '3'],
    ['members mixed with literal text', '${request.body.action}-${request.body.order.kind}', scope, 'buy-bulk'],
    ['the integration status', '${integration.response.statuscode}', scope, '404'],
    ['an integration response member', '${integration.response.body.code}', scope, 'E1'],
    ['a missing member', '${request.body.nothing}', scope, ''],
    ['an object member', '${request.body.order}', scope, ''],
    ['a message that is no JSON', '${request.body.action}', { requestBody: 'hello' }, ''],
    ['literal text', 'static', scope, 'static'],
  ];
  for (const [name, expression, given, expected] of cases) {
    it(`reads ${name}`, () => {
      assert.equal(evaluateSelection(expression, given), expected);
    });
  }
});

describe('Selecting a key', () => {
  const keys = ['$default', '/4\\d\\d/', '404', 'happy', '/[/'];
  const cases: [string, string | undefined, string[], string | undefined][] = [
    ['a literal key first', '404', keys, '404'],
    ['a pattern matching the whole value', '409', keys, '/4\\d\\d/'],
    ['$default when no pattern matches the whole value', '4090', keys, '$default'],
    ['$default for an empty value', '', keys, '$default'],
    ['$default for no value', undefined, keys, '$default'],
    ['nothing without $default', 'sad', ['happy'], undefined],
    ['a named key', 'happy', keys, 'happy'],
  ];
  for (const [name, value, given, expected] of cases) {
    it(`selects ${name}`, () => {
      assert.equal(selectKey(given, value), expected);
    });
  }
});
