/**
 * AWS Lambda: functions that really run, in warm execution environments behind the Lambda Runtime API.
 * The operations live in operations/, one module per area; this composes them.
 *
 * Known limitations (the Lambda issue is in progress): code comes as a zip upload only (S3 code locations
 * come with S3; container images are not supported).
 * Layers: functions run as plain processes, so a function's layers are merged (in order) into one
 * directory that stands in for /opt (NIMBUS_LAYERS_DIR names it; each runtime's layer paths point into
 * it); layer content comes as a zip upload only; organization-scoped layer grants (OrganizationId) are
 * stored but never match, as organizations are not modelled.
 * Provisioned concurrency: each provisioned environment is a real process started when the config is put
 * (and again, in the background, when Lambda first loads after a restart); an alias's environments are
 * started for the version it pointed to then, and weighted routing does not split them; invocations beyond
 * the provisioned environments are not yet held to the reservation minus the provisioned amount.
 * `State` is Active as soon as CreateFunction returns (its response reports Pending, as AWS's does).
 * Function URLs: served under *.localhost or /_nimbus/lambda-url/<url-id>/ (function-url/serve.ts); SigV4
 * signatures on AWS_IAM URLs are read, not verified, and same-account signers need no policy (IAM identity
 * policies are not modelled); RESPONSE_STREAM answers NotImplemented. Resource policies are stored and
 * rendered as Lambda does, but only function URLs enforce them. Deleting a function, version or alias does
 * not yet remove its URL configs and policies (a URL of a deleted function stops serving).
 * Asynchronous invocation (async/): the queue is durable, but Lambda loads on first use, so after a
 * restart queued events resume with the first Lambda request; SQS, SNS and EventBridge destinations and
 * dead-letter queues wait for those services (until then each record is written to the function's log
 * stream instead); S3 on-failure destinations are not accepted; deleting a function, version or alias
 * does not yet remove its event invoke configs.
 * Event source mappings (event-sources/): DynamoDB streams only (other sources answer NotImplemented);
 * MaximumRecordAgeInSeconds, ParallelizationFactor, TumblingWindowInSeconds and on-failure destinations are
 * stored but not applied (a batch whose retries are spent is skipped); pollers resume when Lambda loads.
 * Local code (a Nimbus extension, local-code.ts): Code { S3Bucket: 'nimbus-local', S3Key: '/abs/dir' }
 * runs from that directory; published versions share it (an edit changes every version); GetFunction's
 * Code.Location has no zip to serve for it; without a recursive fs.watch on the platform, changes are
 * found by rescanning at most 5000 entries per invoke. ES module handlers import the SDK and layers'
 * packages through a resolve hook (runtimes/node/resolve-hook.mjs), which needs Node 20.6+.
 */
import type { LambdaApi } from '../../generated/lambda.js';
import type { ServiceRuntime } from '../service.js';
import { LambdaService } from './lambda-service.js';
import { accountOperations } from './operations/account.js';
import { aliasOperations } from './operations/aliases.js';
import { eventInvokeOperations } from './operations/event-invoke.js';
import { eventSourceMappingOperations } from './operations/event-source-mappings.js';
import { functionOperations } from './operations/functions.js';
import { invokeOperations } from './operations/invoke.js';
import { layerOperations } from './operations/layers.js';
import { permissionOperations } from './operations/permissions.js';
import { provisionedConcurrencyOperations } from './operations/provisioned-concurrency.js';
import { urlOperations } from './operations/urls.js';
import { ProvisionedEnvironments } from './provisioned-environments.js';

export function createLambdaProvider(runtime: ServiceRuntime): Partial<LambdaApi> {
  const service = new LambdaService(runtime);
  const provisioned = new ProvisionedEnvironments(service);
  provisioned.restoreAll();
  return { ...functionOperations(service), ...aliasOperations(service), ...invokeOperations(service), ...eventInvokeOperations(service), ...eventSourceMappingOperations(service), ...urlOperations(service), ...permissionOperations(service), ...layerOperations(service), ...provisionedConcurrencyOperations(service, provisioned), ...accountOperations(service) };
}
