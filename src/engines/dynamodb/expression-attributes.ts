import { validationError, withDetails } from './validation-error.js';
import type { AttributeValue } from './attribute-value.js';
import type { DocumentPath, PathElement } from './document-path.js';
import type { SyntaxPath } from './expression-syntax.js';

/**
 * ExpressionAttributeNames and ExpressionAttributeValues as one request's
 * expressions see them, recording which placeholders are used so that unused
 * ones can be reported once every expression has been read.
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeNames.html
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ExpressionAttributeValues.html
 */
export class ExpressionAttributes {
  readonly usedNames = new Set<string>();
  readonly usedValues = new Set<string>();

  constructor(
    readonly names: Readonly<Record<string, string>> = {},
    readonly values: Readonly<Record<string, AttributeValue>> = {},
  ) {}

  resolveName(placeholder: string): string {
    this.usedNames.add(placeholder);
    const name = Object.hasOwn(this.names, placeholder) ? this.names[placeholder] : undefined;
    if (name === undefined) {
      throw validationError(
        withDetails('An expression attribute name used in the document path is not defined', [['attribute name', placeholder]]),
      );
    }
    return name;
  }

  resolveValue(placeholder: string): AttributeValue {
    this.usedValues.add(placeholder);
    const value = Object.hasOwn(this.values, placeholder) ? this.values[placeholder] : undefined;
    if (value === undefined) {
      throw validationError(
        withDetails('An expression attribute value used in expression is not defined', [['attribute value', placeholder]]),
      );
    }
    return value;
  }
}

/** DynamoDB's limit on document path depth. */
const MAX_PATH_DEPTH = 32;

/** Resolves a path's placeholders in order; the first undefined one is reported. */
export function resolvePath(path: SyntaxPath, attributes: ExpressionAttributes): DocumentPath {
  if (path.elements.length > MAX_PATH_DEPTH) {
    throw validationError(withDetails('The document path has too many nesting levels', [['nesting levels', path.elements.length]]));
  }
  return path.elements.map((element): PathElement => {
    switch (element.kind) {
      case 'identifier':
        return element.name;
      case 'placeholder':
        return attributes.resolveName(element.name);
      case 'index':
        return Number(element.text);
    }
  });
}
