import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertPayload, isBinaryMediaType, mediaTypeOf } from './binary.js';

describe('binary media types', () => {
  const cases: [string[], string | undefined, boolean][] = [
    [['image/png'], 'image/png', true],
    [['image/png'], 'IMAGE/PNG; charset=binary', true],
    [['image/*'], 'image/jpeg', true],
    [['*/*'], 'application/json', true],
    [['image/png'], 'image/jpeg', false],
    [['image/png'], 'image/png, text/html', true],
    [['image/png'], 'text/html, image/png', false],
    [['image/png'], undefined, false],
    [[], 'image/png', false],
  ];
  for (const [types, header, expected] of cases) {
    it(`${header ?? '(none)'} against [${types.join(', ')}] is ${expected ? 'binary' : 'text'}`, () => {
      assert.equal(isBinaryMediaType(types, header), expected);
    });
  }

  it('takes the bare media type of the first entry', () => {
    assert.equal(mediaTypeOf(' Text/HTML ; q=1, image/png'), 'text/html');
    assert.equal(mediaTypeOf(''), undefined);
  });

  it('converts payloads per contentHandling', () => {
    const bytes = Buffer.from([0, 255, 1]);
    assert.deepEqual(convertPayload(bytes, true, 'CONVERT_TO_TEXT'), { body: Buffer.from('AP8B'), binary: false });
    assert.deepEqual(convertPayload(Buffer.from('AP8B'), false, 'CONVERT_TO_BINARY'), { body: bytes, binary: true });
    assert.deepEqual(convertPayload(bytes, true, 'CONVERT_TO_BINARY'), { body: bytes, binary: true });
    assert.deepEqual(convertPayload(Buffer.from('text'), false, 'CONVERT_TO_TEXT'), { body: Buffer.from('text'), binary: false });
    assert.deepEqual(convertPayload(bytes, true, undefined), { body: bytes, binary: true });
  });
});
