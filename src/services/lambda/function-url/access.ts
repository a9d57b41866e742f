/**
 * Who may call a function URL (https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html). Since
 * October 2025 a new URL needs the function's resource-based policy to allow both lambda:InvokeFunctionUrl
 * and lambda:InvokeFunction; with AuthType NONE the principal is `*`, with AWS_IAM it is the signer, whose
 * own account's identity policies (not modelled in Nimbus) suffice when it owns the function.
 */
import type { FunctionUrlAuthType } from '../../../generated/lambda.js';
import type { PolicyPrincipal, PolicyStatement } from './resource-policy.js';

/** An IAM identity that signed the request; Nimbus reads the SigV4 credential but does not verify the signature. */
export interface UrlSigner {
  accessKey: string;
  account: string;
  arn: string;
  userId: string;
}

interface RequestFacts {
  authType: FunctionUrlAuthType;
  signer?: UrlSigner;
}

function principalMatches(principal: PolicyPrincipal, signer: UrlSigner | undefined): boolean {
  if (principal === '*') return true;
  if (!('AWS' in principal)) return false;
  if (principal.AWS === '*') return true;
  return signer !== undefined && (principal.AWS === `arn:aws:iam::${signer.account}:root` || principal.AWS === signer.arn);
}

function actionMatches(granted: string, action: string): boolean {
  return granted === '*' || granted === 'lambda:*' || granted.toLowerCase() === action.toLowerCase();
}

/** Only the condition keys a function URL request carries can hold; any other condition does not. */
function conditionsHold(condition: PolicyStatement['Condition'], facts: RequestFacts): boolean {
  for (const [operator, entries] of Object.entries(condition ?? {})) {
    for (const [key, value] of Object.entries(entries)) {
      const holds =
        (operator === 'StringEquals' && key === 'lambda:FunctionUrlAuthType' && value === facts.authType) ||
        (operator === 'Bool' && key === 'lambda:InvokedViaFunctionUrl' && value === 'true');
      if (!holds) return false;
    }
  }
  return true;
}

function allows(statements: PolicyStatement[], action: string, facts: RequestFacts): boolean {
  return statements.some((s) => s.Effect === 'Allow' && actionMatches(s.Action, action) && principalMatches(s.Principal, facts.signer) && conditionsHold(s.Condition, facts));
}

/** Whether the policy (of the URL's $LATEST or alias) lets this request through. */
export function mayInvokeUrl(statements: PolicyStatement[], ownerAccount: string, facts: RequestFacts): boolean {
  if (facts.authType === 'AWS_IAM' && facts.signer?.account === ownerAccount) return true;
  return allows(statements, 'lambda:InvokeFunctionUrl', facts) && allows(statements, 'lambda:InvokeFunction', facts);
}
