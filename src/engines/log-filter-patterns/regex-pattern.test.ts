import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { compileFilterPattern } from './index.js';

interface MatchCase {
  readonly pattern: string;
  readonly message: string;
  readonly expected: boolean;
}

function runMatchTable(cases: readonly MatchCase[]): void {
  for (const { pattern, message, expected } of cases) {
    it(`${pattern} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(message)}`, () => {
      assert.equal(compileFilterPattern(pattern).matches(message), expected);
    });
  }
}

// Examples from "Supported regular expressions (regex) syntax",
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html#regex-expressions
describe('standalone regex patterns: AWS examples', () => {
  runMatchTable([
    { pattern: '%AUTHORIZED%', message: '[ERROR 401] UNAUTHORIZED REQUEST', expected: true },
    { pattern: '%AUTHORIZED%', message: '[SUCCESS 200] AUTHORIZED REQUEST', expected: true },
    { pattern: '%AUTHORIZED%', message: '[SUCCESS 200] authorized request', expected: false },
    { pattern: '%^[hc]at%', message: 'hat trick', expected: true },
    { pattern: '%^[hc]at%', message: 'cat', expected: true },
    { pattern: '%^[hc]at%', message: 'that', expected: false },
    { pattern: '%[hc]at$%', message: 'a cat', expected: true },
    { pattern: '%[hc]at$%', message: 'cats', expected: false },
    { pattern: '%colou?r%', message: 'color', expected: true },
    { pattern: '%colou?r%', message: 'colour', expected: true },
    { pattern: '%colou?r%', message: 'colouur', expected: false },
    { pattern: '%[abc]%', message: 'xbz', expected: true },
    { pattern: '%[abc]%', message: 'xyz', expected: false },
    { pattern: '%[a-z]%', message: '123', expected: false },
    { pattern: '%[abcx-z]%', message: '1y2', expected: true },
    { pattern: '%^a{3,5}$%', message: 'aa', expected: false },
    { pattern: '%^a{3,5}$%', message: 'aaa', expected: true },
    { pattern: '%^a{3,5}$%', message: 'aaaaa', expected: true },
    { pattern: '%^a{3,5}$%', message: 'aaaaaa', expected: false },
    { pattern: '%gra|ey%', message: 'gray', expected: true },
    { pattern: '%gra|ey%', message: 'grey', expected: true },
    { pattern: '%^starting|^initializing|^shutting down%', message: 'starting up', expected: true },
    { pattern: '%^starting|^initializing|^shutting down%', message: 'shutting down now', expected: true },
    { pattern: '%^starting|^initializing|^shutting down%', message: 'skipping initializing step', expected: false },
    { pattern: '%abcc|ab[^c]$%', message: 'abcc then more', expected: true },
    { pattern: '%abcc|ab[^c]$%', message: 'aba', expected: true },
    { pattern: '%abcc|ab[^c]$%', message: 'aac then more', expected: false },
    { pattern: '%\\[.\\]%', message: '[a]', expected: true },
    { pattern: '%\\[.\\]%', message: '[ ]', expected: true },
    { pattern: '%\\[.\\]%', message: '[ab]', expected: false },
    { pattern: '%10\\.10\\.0\\.1%', message: 'from 10.10.0.1', expected: true },
    { pattern: '%10\\.10\\.0\\.1%', message: '10010,051', expected: false },
    // The unescaped form is the documented pitfall: "." matches any character.
    { pattern: '%10.10.0.1%', message: '10010,051', expected: true },
    { pattern: '%ab*c%', message: 'ac', expected: true },
    { pattern: '%ab*c%', message: 'abbbc', expected: true },
    { pattern: '%ab[0-9]*%', message: 'ab129', expected: true },
    { pattern: '%ab+c%', message: 'abc', expected: true },
    { pattern: '%ab+c%', message: 'ac', expected: false },
    { pattern: '%.at%', message: ' at', expected: true },
    { pattern: '%.at%', message: 'at', expected: false },
    { pattern: '%\\d%', message: 'x7', expected: true },
    { pattern: '%\\d%', message: 'xy', expected: false },
    { pattern: '%^\\D+$%', message: 'xy', expected: true },
    { pattern: '%\\s%', message: 'a b', expected: true },
    { pattern: '%^\\S+$%', message: 'a b', expected: false },
    { pattern: '%^\\w+$%', message: 'abc_09', expected: true },
    { pattern: '%\\W%', message: 'abc_09', expected: false },
    { pattern: '%\\x3A%', message: 'key:value', expected: true },
    { pattern: '%\\x28%', message: 'call(1)', expected: true },
    { pattern: '%\\x28%', message: 'call 1', expected: false },
    // From the regex page's introduction.
    { pattern: '%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%', message: 'client 192.168.0.12 connected', expected: true },
    { pattern: '%\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}%', message: 'client localhost connected', expected: false },
    { pattern: '%[Ee]rror|[Ff]ail%', message: 'an error happened', expected: true },
    { pattern: '%[Ee]rror|[Ff]ail%', message: 'Fail fast', expected: true },
    { pattern: '%[Ee]rror|[Ff]ail%', message: 'all good', expected: false },
  ]);
});

describe('standalone regex patterns: quantifier bounds may be omitted', () => {
  runMatchTable([
    { pattern: '%^x{2,}$%', message: 'xx', expected: true },
    { pattern: '%^x{2,}$%', message: 'x', expected: false },
    { pattern: '%^a{,2}b$%', message: 'aab', expected: true },
    { pattern: '%^a{,2}b$%', message: 'b', expected: true },
    { pattern: '%^a{,2}b$%', message: 'aaab', expected: false },
    { pattern: '%^a{2}$%', message: 'aa', expected: true },
    { pattern: '%^a{3, 5}$%', message: 'aaaa', expected: true },
  ]);
});

describe('standalone regex patterns: symbols allowed unescaped', () => {
  runMatchTable([
    { pattern: '%user=alice@example_1#a/b;c,d-e:f%', message: 'x user=alice@example_1#a/b;c,d-e:f y', expected: true },
    { pattern: '%a.b%', message: 'a\nb', expected: true },
    { pattern: '%[\\]]%', message: 'x]y', expected: true },
    { pattern: '%[]a]%', message: 'x]y', expected: true },
  ]);
});
