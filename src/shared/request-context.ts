/** Who is calling, where, and which request: what a provider knows of a call instead of HTTP. */
export interface Caller {
  /** The access key the request was signed with (or the default one for unsigned requests). */
  accessKeyId: string;
  /** IAM ARN of the caller: the account root, or an assumed-role session. */
  arn: string;
  /** The UserId GetCallerIdentity reports. */
  userId: string;
}

export interface RequestContext {
  account: string;
  region: string;
  requestId: string;
  service: string;
  operation: string;
  caller: Caller;
}
