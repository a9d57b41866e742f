import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateJsonPath } from '../../../src/engines/vtl/json-path.js';
import type { TemplateVariables } from '../../../src/engines/vtl/template.js';
import { renderMappingTemplate } from '../../../src/engines/vtl/template.js';

const VARIABLES: TemplateVariables = {
  input: {
    body: JSON.stringify({ name: 'Rex', owner: { city: 'Oslo' }, tags: ['a', 'b'], count: 3, items: [{ id: 1 }, { id: 2 }] }),
    path: { petId: '42' },
    querystring: { sort: 'asc', petId: 'shadowed' },
    header: { 'X-Trace': 't-1', 'Content-Type': 'application/json' },
  },
  context: { stage: 'prod', requestId: 'req-1', identity: { sourceIp: '10.0.0.1' }, httpMethod: 'POST' },
  stageVariables: { alias: 'live' },
};

describe('API Gateway mapping templates (VTL glue)', () => {
  const cases: [string, string, string][] = [
    ['$input.body is the raw payload', '$input.body', VARIABLES.input.body],
    ["$input.json('$') re-serialises the payload", "$input.json('$')", VARIABLES.input.body],
    ["$input.json of a subtree", "$input.json('$.owner')", '{"city":"Oslo"}'],
    ["$input.json of a missing path is null", "$input.json('$.nope')", 'null'],
    ["$input.path gives a value to navigate", "$input.path('$.owner').city", 'Oslo'],
    ["$input.path with an index", "$input.path('$.tags[1]')", 'b'],
    ["$input.path with a wildcard", "$input.json('$.items[*].id')", '[1,2]'],
    ["$input.path of a number", "$input.path('$.count')", '3'],
    ["$input.params searches path before query string", "$input.params('petId')", '42'],
    ["$input.params reads the query string", "$input.params('sort')", 'asc'],
    ['$input.params reads headers whatever their case', "$input.params('x-trace')", 't-1'],
    ['$input.params of nothing is empty', "[$input.params('nope')]", '[]'],
    ['$input.params() groups by location', "$input.params().path.petId/$input.params().querystring.sort/$input.params().header.get('X-Trace')", '42/asc/t-1'],
    ['#foreach over a list', "#foreach($tag in $input.path('$.tags'))$tag#if($foreach.hasNext),#end#end", 'a,b'],
    ['$util.escapeJavaScript escapes quotes, slashes and newlines', '$util.escapeJavaScript("it\'s \\"a/b\\"\n")', 'it\\\'s \\"a\\/b\\"\\n'],
    ['$util.base64Encode', '$util.base64Encode("hello")', 'aGVsbG8='],
    ['$util.base64Decode', '$util.base64Decode("aGVsbG8=")', 'hello'],
    ['$util.urlEncode uses + for spaces', '$util.urlEncode("a b&c=d")', 'a+b%26c%3Dd'],
    ['$util.urlDecode', '$util.urlDecode("a+b%26c")', 'a b&c'],
    ['$util.parseJson gives an object', '#set($o = $util.parseJson(\'{"k":{"v":7}}\'))$o.k.v', '7'],
    ['$context fields', '$context.stage $context.requestId $context.identity.sourceIp $context.httpMethod', 'prod req-1 10.0.0.1 POST'],
    ['$stageVariables', 'function:$stageVariables.alias', 'function:live'],
    ['#if on a parameter', "#if($input.params('sort') == 'asc')up#{else}down#end", 'up'],
  ];
  for (const [name, template, expected] of cases) {
    it(name, () => {
      assert.equal(renderMappingTemplate(template, VARIABLES), expected);
    });
  }

  it('treats a non-JSON payload as text for $input.path', () => {
    const variables = { ...VARIABLES, input: { ...VARIABLES.input, body: 'plain text' } };
    assert.equal(renderMappingTemplate("$input.path('$')", variables), 'plain text');
  });

  it('evaluates the JSONPath subset and rejects anything else', () => {
    const document = { a: { 'b c': [10, 20] } };
    assert.deepEqual(evaluateJsonPath(document, "$.a['b c'][-1]"), 20);
    assert.equal(evaluateJsonPath(document, '$.a.x'), undefined);
    assert.throws(() => evaluateJsonPath(document, 'a.b'), /Invalid JSONPath a\.b/);
  });
});
