import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatTimestamp, parseTimestamp } from './timestamps.js';

describe('parseTimestamp (RFC 3339 with uppercase T and Z)', () => {
  const valid: ReadonlyArray<readonly [string, number]> = [
    ['2016-03-14T01:59:00Z', Date.UTC(2016, 2, 14, 1, 59, 0)],
    ['2016-03-14T01:59:00.5Z', Date.UTC(2016, 2, 14, 1, 59, 0, 500)],
    ['2016-03-14T01:59:00.000001Z', Date.UTC(2016, 2, 14, 1, 59, 0) + 0.001],
    ['2016-03-14T03:59:00+02:00', Date.UTC(2016, 2, 14, 1, 59, 0)],
    ['2016-03-13T23:59:00-02:00', Date.UTC(2016, 2, 14, 1, 59, 0)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ];
  for (const [text, expected] of valid) {
    it(text, () => {
      assert.ok(Math.abs((parseTimestamp(text) ?? Number.NaN) - expected) < 1e-6);
    });
  }
  const invalid = [
    '2016-12-05 21:29:29Z',
    '2016-12-05T21:29:29',
    '05-12-2016T21:29:29Z',
    '2016-13-05T21:29:29Z',
    '2016-12-05T25:29:29Z',
    '2023-02-29T00:00:00Z',
    '2016-12-05t21:29:29z',
    '2016-12-05T21:29:29+2:00',
    'date',
    '',
  ];
  for (const text of invalid) {
    it(`rejects ${JSON.stringify(text)}`, () => {
      assert.equal(parseTimestamp(text), undefined);
    });
  }
});

describe('formatTimestamp', () => {
  it('drops a zero fraction', () => {
    assert.equal(formatTimestamp(Date.UTC(2025, 7, 27, 10, 4, 42)), '2025-08-27T10:04:42Z');
  });
  it('keeps milliseconds', () => {
    assert.equal(formatTimestamp(Date.UTC(2025, 7, 27, 10, 4, 42, 1)), '2025-08-27T10:04:42.001Z');
  });
});
