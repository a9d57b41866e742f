/**
 * The secrets of one account and Region, keyed by name. A secret whose recovery window has ended is
 * removed the moment anything looks at it, judged against the runtime clock: no background timer is
 * needed for "deleted after DeletionDate" to hold, also across restarts and under a ManualClock.
 */
import type { RequestContext } from '../../shared/request-context.js';
import type { Collection } from '../../store/store.js';
import { scopedName } from '../../store/store.js';
import type { ServiceRuntime } from '../service.js';
import { markedForDeletion, secretNotFound } from './errors.js';
import { parseSecretId } from './secret-id.js';
import type { SecretRecord } from './secret-record.js';
import { isMarkedForDeletion } from './secret-record.js';

export interface SecretStore {
  /** The secret with this name, if it exists (including one in its recovery window). */
  byName(name: string): SecretRecord | undefined;
  /** The secret a SecretId designates, if any. */
  find(secretId: string): SecretRecord | undefined;
  /** The secret a SecretId designates, even in its recovery window; ResourceNotFoundException otherwise. */
  require(secretId: string): SecretRecord;
  /** As `require`, refusing a secret scheduled for deletion. */
  requireActive(secretId: string): SecretRecord;
  all(): SecretRecord[];
  save(secret: SecretRecord): void;
  remove(name: string): void;
}

export function secretStore(runtime: ServiceRuntime, ctx: RequestContext): SecretStore {
  const collection: Collection<SecretRecord> = runtime.store.collection<SecretRecord>(scopedName('secretsmanager', ctx.account, ctx.region, 'secrets'));

  const live = (name: string, secret: SecretRecord | undefined): SecretRecord | undefined => {
    if (secret?.deletionDate !== undefined && secret.deletionDate <= runtime.clock.now()) {
      collection.delete(name);
      return undefined;
    }
    return secret;
  };

  const byName = (name: string): SecretRecord | undefined => live(name, collection.get(name));

  const find = (secretId: string): SecretRecord | undefined => {
    const reference = parseSecretId(secretId, ctx);
    if (!reference) return undefined;
    const secret = byName(reference.name);
    if (secret && reference.arn !== undefined && secret.arn !== reference.arn) return undefined;
    return secret;
  };

  const require = (secretId: string): SecretRecord => {
    const secret = find(secretId);
    if (!secret) throw secretNotFound();
    return secret;
  };

  return {
    byName,
    find,
    require,
    requireActive(secretId) {
      const secret = require(secretId);
      if (isMarkedForDeletion(secret)) throw markedForDeletion();
      return secret;
    },
    all: () => collection.list().flatMap(([name, secret]) => live(name, secret) ?? []),
    save(secret) {
      collection.put(secret.name, secret);
    },
    remove(name) {
      collection.delete(name);
    },
  };
}
