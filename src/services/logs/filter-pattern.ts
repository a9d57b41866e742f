/** Filter patterns (FilterLogEvents, metric and subscription filters), compiled by the shared engine. */
import type { FilterMatcher } from '../../engines/log-filter-patterns/index.js';
import { compileFilterPattern, FilterPatternError } from '../../engines/log-filter-patterns/index.js';
import { invalidParameter } from './model.js';

/** The pattern's matcher; an invalid pattern is an InvalidParameterException with the engine's message. */
export function compilePattern(pattern: string): FilterMatcher {
  try {
    return compileFilterPattern(pattern);
  } catch (error) {
    if (error instanceof FilterPatternError) throw invalidParameter(error.message);
    throw error;
  }
}
