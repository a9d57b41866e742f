/**
 * StringMatches patterns: "*" matches zero or more characters, "\*" is a
 * literal star and "\\" a literal backslash; nothing else is special
 * (https://states-language.net/spec.html#choice-state). An open backslash is
 * invalid.
 */
export class StringMatchesPatternError extends Error {
  constructor(pattern: string) {
    super(`The StringMatches pattern '${pattern}' has an open escape backslash`);
    this.name = 'StringMatchesPatternError';
  }
}

export function compileStringMatches(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '\\') {
      const escaped = pattern[i + 1];
      if (escaped !== '*' && escaped !== '\\') throw new StringMatchesPatternError(pattern);
      source += escapeRegex(escaped);
      i++;
    } else if (char === '*') {
      source += '.*';
    } else {
      source += escapeRegex(char);
    }
  }
  return new RegExp(`^${source}$`, 's');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}
