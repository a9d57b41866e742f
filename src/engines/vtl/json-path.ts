/**
 * The JSONPath subset API Gateway mapping templates use in $input.path / $input.json: `$`, `.name`,
 * `['name']`, `[index]` and `[*]` (https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-mapping-template-reference.html).
 */

type Step = { kind: 'key'; key: string } | { kind: 'index'; index: number } | { kind: 'wildcard' };

function steps(path: string): Step[] {
  const trimmed = path.trim();
  if (!trimmed.startsWith('$')) throw new Error(`Invalid JSONPath ${path}`);
  const out: Step[] = [];
  const pattern = /\.\*|\.([^.[\]]+)|\[\s*'([^']*)'\s*\]|\[\s*"([^"]*)"\s*\]|\[\s*(-?\d+)\s*\]|\[\s*\*\s*\]/gy;
  pattern.lastIndex = 1;
  while (pattern.lastIndex < trimmed.length) {
    const start = pattern.lastIndex;
    const match = pattern.exec(trimmed);
    if (!match || match.index !== start) throw new Error(`Invalid JSONPath ${path}`);
    const [whole, dotted, single, double, index] = match;
    if (whole === '.*' || whole.startsWith('[') && whole.includes('*')) out.push({ kind: 'wildcard' });
    else if (index !== undefined) out.push({ kind: 'index', index: Number(index) });
    else out.push({ kind: 'key', key: dotted ?? single ?? double });
  }
  return out;
}

function child(value: unknown, step: Step): unknown[] {
  if (step.kind === 'wildcard') {
    if (Array.isArray(value)) return value;
    return value !== null && typeof value === 'object' ? Object.values(value) : [];
  }
  if (step.kind === 'index') {
    if (!Array.isArray(value)) return [];
    const item: unknown = value.at(step.index);
    return item === undefined ? [] : [item];
  }
  if (value === null || typeof value !== 'object' || !Object.hasOwn(value, step.key)) return [];
  return [(value as Record<string, unknown>)[step.key]];
}

/** The value at `path` in `document`; a list when the path has a wildcard, undefined when nothing matches. */
export function evaluateJsonPath(document: unknown, path: string): unknown {
  const parsed = steps(path);
  let current: unknown[] = [document];
  for (const step of parsed) current = current.flatMap((value) => child(value, step));
  if (parsed.some((step) => step.kind === 'wildcard')) return current;
  return current[0];
}
