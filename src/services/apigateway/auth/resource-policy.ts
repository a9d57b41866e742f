/**
 * Evaluation of a REST API's resource policy for one invocation (action execute-api:Invoke): an explicit
 * Deny wins, otherwise an Allow that applies, otherwise nothing
 * (https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-resource-policies.html,
 * condition operators per https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html).
 * Pure: what the caller is and where it calls from comes in `PolicyRequest`.
 */
import { BlockList, isIP } from 'node:net';

export type PolicyVerdict = 'Allow' | 'Deny' | 'None';

export interface PolicyRequest {
  /** arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{METHOD}/{path} */
  methodArn: string;
  /** arn:aws:execute-api:{region}:{account}:{apiId}, what `execute-api:/...` resources stand for. */
  apiArn: string;
  sourceIp: string;
  /** The IAM caller of a SigV4-signed request; undefined for anonymous callers. */
  principal?: { account: string; arn: string };
  /** Further condition keys (aws:UserAgent, aws:Referer...), lower-case names. */
  context?: Record<string, string>;
}

type Values = string | string[];

interface Statement {
  Effect?: string;
  Principal?: '*' | { AWS?: Values };
  NotPrincipal?: '*' | { AWS?: Values };
  Action?: Values;
  NotAction?: Values;
  Resource?: Values;
  NotResource?: Values;
  Condition?: Record<string, Record<string, Values | boolean>>;
}

const list = (values: Values | undefined): string[] => (values === undefined ? [] : [values].flat());

/** IAM wildcards: `*` any run, `?` one character. */
function wildcard(pattern: string, value: string, ignoreCase = false): boolean {
  const regex = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, ignoreCase ? 'is' : 's').test(value);
}

/** Whether a principal entry (`*`, an account id, an account root, a user or role ARN) names the caller. */
function principalEntryMatches(entry: string, principal: PolicyRequest['principal']): boolean {
  if (entry === '*') return true;
  if (!principal) return false;
  if (entry === principal.account || entry === `arn:aws:iam::${principal.account}:root`) return true;
  if (entry === principal.arn) return true;
  // A role names every session of it: arn:aws:iam::{a}:role/{path/}{name} covers arn:aws:sts::{a}:assumed-role/{name}/{session}.
  const role = /^arn:aws:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(entry);
  const session = /^arn:aws:sts::(\d{12}):assumed-role\/([^/]+)\/[^/]+$/.exec(principal.arn);
  return role !== null && session !== null && role[1] === session[1] && role[2] === session[2];
}

function principalMatches(principal: Statement['Principal'], caller: PolicyRequest['principal']): boolean {
  if (principal === '*') return true;
  return list(principal?.AWS).some((entry) => principalEntryMatches(entry, caller));
}

function inCidr(ip: string, cidr: string): boolean {
  const [network, bits] = cidr.split('/');
  const family = isIP(network);
  const ipFamily = isIP(ip);
  if (family === 0 || ipFamily !== family) return false;
  const blocks = new BlockList();
  const type = family === 4 ? 'ipv4' : 'ipv6';
  blocks.addSubnet(network, bits === undefined ? (family === 4 ? 32 : 128) : Number(bits), type);
  return blocks.check(ip, type);
}

type Comparison = (actual: string, expected: string) => boolean;

const COMPARISONS: Record<string, { compare: Comparison; negated: boolean }> = {
  stringequals: { compare: (a, e) => a === e, negated: false },
  stringnotequals: { compare: (a, e) => a === e, negated: true },
  stringequalsignorecase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: false },
  stringnotequalsignorecase: { compare: (a, e) => a.toLowerCase() === e.toLowerCase(), negated: true },
  stringlike: { compare: (a, e) => wildcard(e, a), negated: false },
  stringnotlike: { compare: (a, e) => wildcard(e, a), negated: true },
  arnequals: { compare: (a, e) => a === e, negated: false },
  arnlike: { compare: (a, e) => wildcard(e, a), negated: false },
  arnnotequals: { compare: (a, e) => a === e, negated: true },
  arnnotlike: { compare: (a, e) => wildcard(e, a), negated: true },
  ipaddress: { compare: inCidr, negated: false },
  notipaddress: { compare: inCidr, negated: true },
  bool: { compare: (a, e) => a === e.toLowerCase(), negated: false },
};

function conditionKeys(request: PolicyRequest): Record<string, string> {
  return {
    'aws:sourceip': request.sourceIp,
    ...(request.principal ? { 'aws:principalarn': request.principal.arn, 'aws:principalaccount': request.principal.account } : {}),
    ...request.context,
  };
}

/** Every operator of the block must hold; within one key, any listed value satisfies a positive operator. */
function conditionsHold(condition: Statement['Condition'], request: PolicyRequest): boolean {
  const keys = conditionKeys(request);
  return Object.entries(condition ?? {}).every(([operatorName, tests]) => {
    const ifExists = /IfExists$/i.test(operatorName);
    const name = operatorName.replace(/IfExists$/i, '').toLowerCase();
    return Object.entries(tests).every(([key, expected]) => {
      const actual = keys[key.toLowerCase()];
      const values = [expected].flat().map(String);
      if (name === 'null') return values.includes(String(actual === undefined));
      const operator = COMPARISONS[name];
      // An operator Nimbus does not know cannot be shown to hold: the statement does not apply.
      if (!operator) return false;
      // A missing key satisfies ...IfExists and the negated operators, and nothing else.
      if (actual === undefined) return ifExists || operator.negated;
      const matched = values.some((value) => operator.compare(actual, value));
      return operator.negated ? !matched : matched;
    });
  });
}

function resourceMatches(patterns: string[], request: PolicyRequest): boolean {
  return patterns.some((pattern) => wildcard(pattern.replace(/^execute-api:\//, `${request.apiArn}/`), request.methodArn));
}

function applies(statement: Statement, request: PolicyRequest): boolean {
  const principal = statement.NotPrincipal !== undefined
    ? !principalMatches(statement.NotPrincipal, request.principal)
    : principalMatches(statement.Principal, request.principal);
  const invoke = (patterns: Values | undefined): boolean => list(patterns).some((pattern) => wildcard(pattern, 'execute-api:Invoke', true));
  const action = statement.NotAction !== undefined ? !invoke(statement.NotAction) : invoke(statement.Action);
  const resource = statement.NotResource !== undefined ? !resourceMatches(list(statement.NotResource), request) : resourceMatches(list(statement.Resource), request);
  return principal && action && resource && conditionsHold(statement.Condition, request);
}

/** The policy's verdict on the request; a document that does not parse allows nothing. */
export function evaluateResourcePolicy(policy: string, request: PolicyRequest): PolicyVerdict {
  let statements: Statement[];
  try {
    const document = JSON.parse(policy) as { Statement?: Statement | Statement[] };
    statements = [document.Statement ?? []].flat();
  } catch {
    return 'None';
  }
  const applicable = statements.filter((statement) => statement !== null && typeof statement === 'object' && applies(statement, request));
  if (applicable.some((statement) => statement.Effect === 'Deny')) return 'Deny';
  return applicable.some((statement) => statement.Effect === 'Allow') ? 'Allow' : 'None';
}
