/**
 * How AWS's JSON 1.0/1.1 services (the Coral framework, Java underneath) word a body they cannot
 * deserialize, and how they name error types on the wire. Clients only look at the code after `#`, but
 * tools and conformance suites compare raw bodies, so Nimbus writes them as AWS does.
 *
 * The messages are Jackson's and Coral's, in terms of the Java type a member maps to: a string member
 * given `true` answers `TRUE_VALUE cannot be converted to String`, a list given an object answers
 * `Start of structure or map found where not expected`, and so on. They were recorded against DynamoDB;
 * the other JSON services run on the same framework.
 */
import type { JsonReadRules, Position } from './json-values.js';
import type { Shape, ServiceModel } from './model.js';

/** The Java package of a service's model types, for the services whose raw errors carry it. */
const JAVA_NAMESPACES: Record<string, string> = {
  DynamoDB_20120810: 'com.amazonaws.dynamodb.v20120810',
  DynamoDBStreams_20120810: 'com.amazonaws.dynamodb.v20120810',
};

export function javaNamespace(model: ServiceModel): string | undefined {
  return model.metadata.targetPrefix === undefined ? undefined : JAVA_NAMESPACES[model.metadata.targetPrefix];
}

/**
 * The `__type` of an error: modelled errors carry the service's namespace, the framework's own errors
 * Coral's (`com.amazon.coral.validate#ValidationException`, `com.amazon.coral.service#SerializationException`).
 * Services without a recorded namespace answer the bare code.
 */
export function wireErrorType(model: ServiceModel, code: string, modelled: boolean): string {
  const namespace = javaNamespace(model);
  if (!namespace) return code;
  if (modelled) return `${namespace}#${code}`;
  return code === 'ValidationException' ? `com.amazon.coral.validate#${code}` : `com.amazon.coral.service#${code}`;
}

/** Coral's service-level errors spell their message member `Message`; validation and modelled ones `message`. */
export function wireMessageKey(model: ServiceModel, code: string, modelled: boolean): 'Message' | 'message' | undefined {
  if (!javaNamespace(model) || modelled) return undefined;
  return code === 'ValidationException' ? 'message' : 'Message';
}

const SCALAR_JAVA_TYPES: Partial<Record<Shape['type'], string>> = {
  string: 'java.lang.String',
  boolean: 'java.lang.Boolean',
  integer: 'java.lang.Integer',
  long: 'java.lang.Long',
  float: 'java.lang.Float',
  double: 'java.lang.Double',
  blob: 'java.nio.ByteBuffer',
};

function javaType(model: ServiceModel, shapeName: string): string {
  const shape = model.shapes[shapeName];
  if (shape.type === 'map') return `java.util.Map<java.lang.String, ${javaType(model, shape.value!.shape)}>`;
  if (shape.type === 'list') return `java.util.List<${javaType(model, shape.member!.shape)}>`;
  return SCALAR_JAVA_TYPES[shape.type] ?? `${javaNamespace(model) ?? 'com.amazonaws'}.${shapeName}`;
}

/** Jackson's name for the JSON token a value starts with. */
function tokenName(value: unknown): string {
  if (value === true) return 'TRUE_VALUE';
  if (value === false) return 'FALSE_VALUE';
  if (typeof value === 'number') return Number.isInteger(value) ? 'NUMBER_VALUE' : 'DECIMAL_VALUE';
  return 'STRING_VALUE';
}

const SIMPLE_NAMES: Partial<Record<Shape['type'], string>> = { string: 'String', boolean: 'Boolean', integer: 'Integer', long: 'Long', float: 'Float', double: 'Double' };

const START_OF_OBJECT = 'Start of structure or map found where not expected';

/**
 * A list or map held directly in another list or map (DynamoDB's Map<String, List<WriteRequest>> and
 * List<Map<String, AttributeValue>>) is a parameterized Java type; given a scalar, Coral fails casting it
 * and answers the JVM's ClassCastException text.
 */
const PARAMETERIZED_CAST =
  "class sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl cannot be cast to class java.lang.Class (sun.reflect.generics.reflectiveObjects.ParameterizedTypeImpl and java.lang.Class are in module java.base of loader 'bootstrap')";

/** Coral's message for `value` where a member of shape `shapeName` was expected. */
export function coralMismatchMessage(model: ServiceModel, shapeName: string, value: unknown, position: Position): string {
  const shape = model.shapes[shapeName];
  const isObject = typeof value === 'object' && value !== null && !Array.isArray(value);
  switch (shape.type) {
    case 'structure':
      if (Array.isArray(value)) return `Unrecognized collection type class ${javaType(model, shapeName)}`;
      return position === 'field' ? 'Unexpected field type' : 'Unexpected value type in payload';
    case 'map':
      if (Array.isArray(value)) return `Unrecognized collection type ${javaType(model, shapeName)}`;
      return position === 'value' ? PARAMETERIZED_CAST : 'Unexpected field type';
    case 'list':
      if (isObject) return START_OF_OBJECT;
      return position === 'value' ? PARAMETERIZED_CAST : 'Unexpected field type';
    case 'blob':
      if (isObject) return START_OF_OBJECT;
      if (Array.isArray(value)) return `Unrecognized collection type class ${javaType(model, shapeName)}`;
      return 'only base-64-encoded strings are convertible to bytes';
    default:
      if (isObject) return START_OF_OBJECT;
      if (Array.isArray(value)) return `Unrecognized collection type class ${javaType(model, shapeName)}`;
      if (shape.type === 'boolean' && typeof value === 'string') return 'Unexpected token received from parser';
      return `${tokenName(value)} cannot be converted to ${SIMPLE_NAMES[shape.type] ?? shape.type}`;
  }
}

const JSON_NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Coral's reading rules, for the JSON 1.0/1.1 protocol. */
export const CORAL_MISMATCHES: JsonReadRules = {
  mismatch: (model, shapeName, value, _path, position) => coralMismatchMessage(model, shapeName, value, position),
  blobProblem: coralBase64Problem,
  // DynamoDB reads an attribute value's BOOL and NULL leniently: `{"NULL": "no"}` is a NULL of false, which
  // validation then refuses ("Null attribute value types must have the value of true"), where a top-level
  // boolean given a string is a serialization error. A number-like string other than "0" and "1" is not
  // taken ("23" answers "Unexpected token received from parser", as at the top), where "0" and "1" are.
  lenientBooleansIn: (structureName, text) => structureName === 'AttributeValue' && (text === '0' || text === '1' || !JSON_NUMBER.test(text)),
};

const BASE64_TEXT = /^[A-Za-z0-9+/]*$/;
const BASE64_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Coral decodes base64 strictly: the length must be a multiple of 4, and the last digit before the padding
 * may not carry bits the padding says are absent. Answers the failure message, or undefined when valid.
 */
export function coralBase64Problem(text: string): string | undefined {
  if (text.length % 4 !== 0) return `Base64 encoded length is expected a multiple of 4 bytes but found: ${String(text.length)}`;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  // "dectected" is AWS's spelling, kept so the message matches byte for byte. DynamoDB answers it for a
  // misplaced pad too (dynalite's suite); a character outside the alphabet gets it here as well (Alternator's
  // suite has DynamoDB refuse those with a SerializationException; its wording for them is not recorded).
  const invalid = 'Invalid last non-pad Base64 character dectected';
  if (!BASE64_TEXT.test(text.slice(0, text.length - padding))) return invalid;
  if (!padding) return undefined;
  const last = BASE64_DIGITS.indexOf(text[text.length - padding - 1]);
  const unusedBits = padding === 1 ? 0b11 : 0b1111;
  return (last & unusedBits) !== 0 ? invalid : undefined;
}

/**
 * How Coral's validator words constraint failures where it differs from the generic style of validate.ts.
 * Recorded against DynamoDB (by dynalite's suite, written against the real service), so only the services
 * with a recorded Java namespace use it:
 * - a value that breaks several constraints gets one error for each (a name both too short and off-pattern);
 * - the members of a list that is too long or short are still validated;
 * - a map's value is named `<map>.<key>.member` (not `.value`), and a key or value that breaks its own
 *   constraints is reported once, at the map, with every constraint of that shape
 *   ("Map value must satisfy constraint: [...]");
 * - some enum value sets are listed in the order of DynamoDB's own sets, not the model's;
 * - CreateTable still requires AttributeDefinitions and KeySchema, which the model now marks optional;
 * - at most 10 errors are listed, and the count says 10 however many there were;
 * - values are printed as Java prints them (`{table=[...]}`, `[KeySchemaElement(attributeName=pk, ...)]`);
 * - a null in a list or map is refused as a member that must not be null (Alternator's test_manual_requests
 *   has DynamoDB refuse them; the wording is the validator's own for a missing member);
 * - a few shapes are held to the service's own limits, not the published model's (see DYNAMODB_SHAPES).
 * The newer cases are the ones the nubo-db/dynamodb-conformance suite recorded against DynamoDB in 2026.
 */
export interface CoralValidationStyle {
  /** The path segment after a map key for its value. */
  mapValueSegment: 'member' | 'value';
  /** True where every failure of a value, and list members after a length failure, are reported. */
  everyFailure: boolean;
  /** The order DynamoDB lists an enum's values in, where it is not the model's. */
  enumOrder: (shapeName: string) => readonly string[] | undefined;
  /** Members the service requires beyond the model's `required`. */
  alsoRequired: (shapeName: string) => readonly string[];
  /** The most errors one message lists. */
  maxErrors: number;
  /** True where values are printed as Java's toString prints them; JSON-like otherwise. */
  javaValues: boolean;
  /** True where a null in a list or map is an error of its own ("Member must not be null"). */
  nullMembersInvalid: boolean;
  /** Shapes as the service validates them, where they differ from (or are missing in) the model. */
  shapes: Readonly<Record<string, Shape>>;
  /** `Structure.Member` → the shape the service validates that member against, where not the model's. */
  memberShapes: Readonly<Record<string, string>>;
}

const DYNAMODB_ENUM_ORDER: Record<string, readonly string[]> = {
  ScalarAttributeType: ['B', 'N', 'S'],
  ProjectionType: ['ALL', 'INCLUDE', 'KEYS_ONLY'],
  Select: ['SPECIFIC_ATTRIBUTES', 'COUNT', 'ALL_ATTRIBUTES', 'ALL_PROJECTED_ATTRIBUTES'],
};

const DYNAMODB_ALSO_REQUIRED: Record<string, readonly string[]> = {
  CreateTableInput: ['AttributeDefinitions', 'KeySchema'],
};

/**
 * Where DynamoDB's own validation differs from the published model: a key schema has at most two elements;
 * CreateTable's name is a table name (3 to 255 characters of a pattern), not the ARN other operations
 * accept; Query's Limit and BatchGetItem's keys per table are checked later by the service, in words of
 * its own (request-checks.ts), so the model's bounds on them are left out here.
 */
const TAG_PATTERN = '^([\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*)$';

const DYNAMODB_SHAPES: Record<string, Shape> = {
  KeySchema: { type: 'list', member: { shape: 'KeySchemaElement' }, min: 1, max: 2 },
  // Tags take letters, numbers, white space and + - = . _ : / @ only (DynamoDB's tagging restrictions).
  TagKeyString: { type: 'string', min: 1, max: 128, pattern: TAG_PATTERN },
  TagValueString: { type: 'string', min: 0, max: 256, pattern: TAG_PATTERN },
  QueryLimit: { type: 'integer' },
  BatchGetKeyList: { type: 'list', member: { shape: 'Key' }, min: 1 },
};

const DYNAMODB_MEMBER_SHAPES: Record<string, string> = {
  'CreateTableInput.TableName': 'TableName',
  'QueryInput.Limit': 'QueryLimit',
  'KeysAndAttributes.Keys': 'BatchGetKeyList',
};

const CORAL_MAX_ERRORS = 10;

export function coralValidationStyle(model: ServiceModel): CoralValidationStyle | undefined {
  if (!javaNamespace(model)) return undefined;
  return {
    mapValueSegment: 'member',
    everyFailure: true,
    enumOrder: (shapeName) => DYNAMODB_ENUM_ORDER[shapeName],
    alsoRequired: (shapeName) => DYNAMODB_ALSO_REQUIRED[shapeName] ?? [],
    maxErrors: CORAL_MAX_ERRORS,
    javaValues: true,
    nullMembersInvalid: true,
    shapes: DYNAMODB_SHAPES,
    memberShapes: DYNAMODB_MEMBER_SHAPES,
  };
}
