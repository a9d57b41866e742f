/**
 * AWS Lambda: functions that really run, in warm execution environments behind the Lambda Runtime API.
 * The operations live in operations/, one module per area; this composes them.
 *
 * Known limitations (the Lambda issue is in progress): code comes as a zip upload only (S3 code locations
 * come with S3; container images are not supported); layers, event invoke configs, provisioned
 * concurrency, permissions, function URLs and asynchronous (`Event`) invocation answer NotImplemented;
 * `State` is Active as soon as CreateFunction returns (its response reports Pending, as AWS's does).
 */
import type { LambdaApi } from '../../generated/lambda.js';
import type { ServiceRuntime } from '../service.js';
import { LambdaService } from './lambda-service.js';
import { aliasOperations } from './operations/aliases.js';
import { functionOperations } from './operations/functions.js';
import { invokeOperations } from './operations/invoke.js';

export function createLambdaProvider(runtime: ServiceRuntime): Partial<LambdaApi> {
  const service = new LambdaService(runtime);
  return { ...functionOperations(service), ...aliasOperations(service), ...invokeOperations(service) };
}
