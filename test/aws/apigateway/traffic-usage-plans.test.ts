import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  APIGatewayClient, CreateApiKeyCommand, CreateUsagePlanCommand, CreateUsagePlanKeyCommand, GetUsageCommand, GetUsagePlanCommand, GetUsagePlanKeyCommand,
  UpdateApiKeyCommand, UpdateUsageCommand, UpdateUsagePlanCommand,
} from '@aws-sdk/client-api-gateway';
import type { CreateUsagePlanCommandInput } from '@aws-sdk/client-api-gateway';
import { startNimbus } from '../../../src/index.js';
import { ManualClock } from '../../../src/shared/clock.js';
import { clientSettings, TEST_CREDENTIALS, TEST_REGION, useNimbus } from '../../helpers/nimbus.js';
import { deployMockApi, invoke, statuses } from './traffic-support.js';

// Wednesday 13 March 2024, 10:00 UTC.
const START = Date.UTC(2024, 2, 13, 10, 0, 0);
const DAY = 86_400_000;

async function expectError(call: Promise<unknown>, name: string, message: string, status: number): Promise<void> {
  await assert.rejects(call, (error: Error & { $metadata?: { httpStatusCode?: number } }) => {
    assert.equal(error.name, name);
    assert.equal(error.message, message);
    assert.equal(error.$metadata?.httpStatusCode, status);
    return true;
  });
}

describe('API Gateway usage plans: throttles and quotas enforced per API key', () => {
  const clock = new ManualClock(START);
  const nimbus = useNimbus({ clock });
  const apigw = (): APIGatewayClient => new APIGatewayClient(clientSettings(nimbus()));

  /** A deployed API (/pets and /toys need a key, /free does not), a plan on its prod stage and an enabled key in it. */
  async function setUp(plan: Omit<CreateUsagePlanCommandInput, 'name' | 'apiStages'> & { methodThrottle?: Record<string, { rateLimit: number; burstLimit: number }> } = {}): Promise<{ apiId: string; planId: string; keyId: string; value: string }> {
    const apiId = await deployMockApi(apigw(), [{ path: ['pets'], apiKeyRequired: true }, { path: ['toys'], apiKeyRequired: true }, { path: ['free'] }]);
    const { methodThrottle, ...settings } = plan;
    const created = await apigw().send(new CreateUsagePlanCommand({ name: 'gold', apiStages: [{ apiId, stage: 'prod', throttle: methodThrottle }], ...settings }));
    const key = await apigw().send(new CreateApiKeyCommand({ name: 'customer', enabled: true }));
    await apigw().send(new CreateUsagePlanKeyCommand({ usagePlanId: created.id, keyId: key.id, keyType: 'API_KEY' }));
    return { apiId, planId: created.id!, keyId: key.id!, value: key.value! };
  }

  const withKey = (value: string): RequestInit => ({ headers: { 'x-api-key': value } });

  /** Moves the shared clock to the next Wednesday, 10:00 UTC, so each test starts on a fresh day of a known weekday. */
  function nextWednesday(): number {
    let day = Math.floor(clock.now() / DAY) * DAY + DAY + 10 * 3_600_000;
    while (new Date(day).getUTCDay() !== 3) day += DAY;
    clock.advance(day - clock.now());
    return day;
  }

  const dayOf = (epochMillis: number): string => new Date(epochMillis).toISOString().slice(0, 10);

  it('throttles a key at its plan burst with 429 Too Many Requests, and refills at the plan rate as time passes', async () => {
    nextWednesday();
    const { apiId, value } = await setUp({ throttle: { rateLimit: 1, burstLimit: 2 } });
    const call = (): ReturnType<typeof invoke> => invoke(nimbus().endpoint, apiId, '/pets', withKey(value));
    assert.deepEqual(await statuses(2, call), [200, 200]);
    const throttled = await call();
    assert.equal(throttled.status, 429);
    assert.deepEqual(throttled.body, { message: 'Too Many Requests' });
    assert.equal(throttled.headers.get('x-amzn-errortype'), 'TooManyRequestsException');

    clock.advance(1000);
    assert.deepEqual(await statuses(2, call), [200, 429]);
    clock.advance(5000);
    // The bucket holds at most the burst, however long the pause.
    assert.deepEqual(await statuses(3, call), [200, 200, 429]);
    // A method without apiKeyRequired bypasses the plan.
    assert.deepEqual(await statuses(3, () => invoke(nimbus().endpoint, apiId, '/free', withKey(value))), [200, 200, 200]);
  });

  it('gives a method its own per-client throttle from the API stage (/{resource}/{METHOD} keys)', async () => {
    const { apiId, value } = await setUp({ throttle: { rateLimit: 100, burstLimit: 100 }, methodThrottle: { '/pets/GET': { rateLimit: 1, burstLimit: 1 } } });
    assert.deepEqual(await statuses(2, () => invoke(nimbus().endpoint, apiId, '/pets', withKey(value))), [200, 429]);
    assert.deepEqual(await statuses(3, () => invoke(nimbus().endpoint, apiId, '/toys', withKey(value))), [200, 200, 200]);
  });

  it('runs out of quota with 429 Limit Exceeded, reports it in GetUsage, and starts afresh the next day', async () => {
    const today = nextWednesday();
    const { apiId, planId, keyId, value } = await setUp({ quota: { limit: 3, period: 'DAY' } });
    const call = (): ReturnType<typeof invoke> => invoke(nimbus().endpoint, apiId, '/pets', withKey(value));
    assert.deepEqual(await statuses(3, call), [200, 200, 200]);
    const exhausted = await call();
    assert.equal(exhausted.status, 429);
    assert.deepEqual(exhausted.body, { message: 'Limit Exceeded' });
    assert.equal(exhausted.headers.get('x-amzn-errortype'), 'LimitExceededException');
    // Requests to methods without apiKeyRequired do not count.
    assert.equal((await invoke(nimbus().endpoint, apiId, '/free', withKey(value))).status, 200);

    const usage = await apigw().send(new GetUsageCommand({ usagePlanId: planId, startDate: dayOf(today), endDate: dayOf(today) }));
    assert.deepEqual({ usagePlanId: usage.usagePlanId, startDate: usage.startDate, endDate: usage.endDate, items: usage.items }, {
      usagePlanId: planId, startDate: dayOf(today), endDate: dayOf(today), items: { [keyId]: [[3, 0]] },
    });

    // UpdateUsage grants two more requests in the current period.
    const granted = await apigw().send(new UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op: 'replace', path: '/remaining', value: '2' }] }));
    assert.deepEqual(granted.items, { [keyId]: [[3, 2]] });
    assert.deepEqual(await statuses(3, call), [200, 200, 429]);

    clock.advance(DAY);
    assert.deepEqual(await statuses(1, call), [200]);
    const twoDays = await apigw().send(new GetUsageCommand({ usagePlanId: planId, keyId, startDate: dayOf(today - DAY), endDate: dayOf(today + DAY) }));
    assert.deepEqual(twoDays.items, { [keyId]: [[0, 3], [5, 0], [1, 2]] });
  });

  /** Days from a start (10:00 UTC) to the first day of the next month. */
  const toNextMonth = (start: number): number => {
    const date = new Date(start);
    return Math.round((Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1, 10) - start) / DAY);
  };
  const PERIODS: { period: 'DAY' | 'WEEK' | 'MONTH'; offset?: number; first: number[]; later: string; advanceDays: (start: number) => number; stillExhausted: boolean }[] = [
    // The offset comes off the limit in the first period only.
    { period: 'DAY', offset: 1, first: [200, 200, 429], later: 'the next day', advanceDays: () => 1, stillExhausted: false },
    // Weeks start on Sunday: Wednesday to Saturday is the same week, Sunday a new one.
    { period: 'WEEK', first: [200, 200, 200, 429], later: 'on Saturday', advanceDays: () => 3, stillExhausted: true },
    { period: 'WEEK', first: [200, 200, 200, 429], later: 'on Sunday', advanceDays: () => 4, stillExhausted: false },
    { period: 'MONTH', first: [200, 200, 200, 429], later: 'on the last day of the month', advanceDays: (start) => toNextMonth(start) - 1, stillExhausted: true },
    { period: 'MONTH', first: [200, 200, 200, 429], later: 'on the first of the next', advanceDays: toNextMonth, stillExhausted: false },
  ];
  for (const { period, offset, first, later, advanceDays, stillExhausted } of PERIODS) {
    it(`counts a ${period} quota${offset ? ` with offset ${String(offset)}` : ''} and ${stillExhausted ? 'keeps it exhausted' : 'resets it'} ${later}`, async () => {
      const start = nextWednesday();
      const { apiId, value } = await setUp({ quota: { limit: 3, offset, period } });
      const call = (): ReturnType<typeof invoke> => invoke(nimbus().endpoint, apiId, '/pets', withKey(value));
      assert.deepEqual(await statuses(first.length, call), first);
      clock.advance(advanceDays(start) * DAY);
      assert.equal((await call()).status, stillExhausted ? 429 : 200);
    });
  }

  it('answers 403 Forbidden for a missing, unknown, plan-less or disabled key', async () => {
    const { apiId, value } = await setUp();
    const loose = await apigw().send(new CreateApiKeyCommand({ name: 'no-plan', enabled: true }));
    const disabled = await apigw().send(new CreateApiKeyCommand({ name: 'to-disable', enabled: true }));
    const plans = await apigw().send(new CreateUsagePlanCommand({ name: 'silver', apiStages: [{ apiId, stage: 'prod' }] }));
    await apigw().send(new CreateUsagePlanKeyCommand({ usagePlanId: plans.id, keyId: disabled.id, keyType: 'API_KEY' }));
    assert.equal((await invoke(nimbus().endpoint, apiId, '/pets', withKey(disabled.value!))).status, 200);
    const updated = await apigw().send(new UpdateApiKeyCommand({ apiKey: disabled.id, patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }, { op: 'replace', path: '/name', value: 'disabled' }] }));
    assert.equal(updated.enabled, false);
    assert.equal(updated.name, 'disabled');
    assert.equal(updated.value, undefined);
    for (const init of [{}, withKey('not-a-key-at-all-0123456789'), withKey(loose.value!), withKey(disabled.value!)]) {
      const answer = await invoke(nimbus().endpoint, apiId, '/pets', init);
      assert.equal(answer.status, 403);
      assert.deepEqual(answer.body, { message: 'Forbidden' });
      assert.equal(answer.headers.get('x-amzn-errortype'), 'ForbiddenException');
    }
    assert.equal((await invoke(nimbus().endpoint, apiId, '/pets', withKey(value))).status, 200);
  });

  it('patches a usage plan with UpdateUsagePlan and reads its keys with GetUsagePlanKey', async () => {
    const { apiId, planId, keyId, value } = await setUp({ throttle: { rateLimit: 10, burstLimit: 10 } });
    const updated = await apigw().send(new UpdateUsagePlanCommand({
      usagePlanId: planId,
      patchOperations: [
        { op: 'replace', path: '/name', value: 'platinum' },
        { op: 'replace', path: '/description', value: 'the best' },
        { op: 'replace', path: '/throttle/rateLimit', value: '0.5' },
        { op: 'replace', path: '/throttle/burstLimit', value: '1' },
        { op: 'replace', path: '/quota/limit', value: '100' },
        { op: 'replace', path: '/quota/period', value: 'WEEK' },
        { op: 'replace', path: `/apiStages/${apiId}:prod/throttle/~1toys/GET/rateLimit`, value: '3' },
        { op: 'replace', path: `/apiStages/${apiId}:prod/throttle/~1toys/GET/burstLimit`, value: '3' },
      ],
    }));
    assert.equal(updated.name, 'platinum');
    assert.equal(updated.description, 'the best');
    assert.deepEqual(updated.throttle, { rateLimit: 0.5, burstLimit: 1 });
    assert.deepEqual(updated.quota, { limit: 100, period: 'WEEK' });
    assert.deepEqual(updated.apiStages, [{ apiId, stage: 'prod', throttle: { '/toys/GET': { rateLimit: 3, burstLimit: 3 } } }]);
    assert.deepEqual((await apigw().send(new GetUsagePlanCommand({ usagePlanId: planId }))).throttle, { rateLimit: 0.5, burstLimit: 1 });

    // The new limits apply at once: one request per two seconds on /pets, three at once on /toys.
    assert.deepEqual(await statuses(2, () => invoke(nimbus().endpoint, apiId, '/pets', withKey(value))), [200, 429]);
    assert.deepEqual(await statuses(4, () => invoke(nimbus().endpoint, apiId, '/toys', withKey(value))), [200, 200, 200, 429]);

    const removed = await apigw().send(new UpdateUsagePlanCommand({
      usagePlanId: planId, patchOperations: [{ op: 'remove', path: '/throttle' }, { op: 'remove', path: `/apiStages/${apiId}:prod/throttle/~1toys/GET` }, { op: 'remove', path: '/quota' }],
    }));
    assert.equal(removed.throttle, undefined);
    assert.equal(removed.quota, undefined);
    assert.deepEqual(removed.apiStages, [{ apiId, stage: 'prod', throttle: {} }]);

    const planKey = await apigw().send(new GetUsagePlanKeyCommand({ usagePlanId: planId, keyId }));
    assert.deepEqual({ id: planKey.id, type: planKey.type, value: planKey.value, name: planKey.name }, { id: keyId, type: 'API_KEY', value, name: 'customer' });

    const ERRORS: [() => Promise<unknown>, string, string, number][] = [
      [() => apigw().send(new GetUsagePlanKeyCommand({ usagePlanId: planId, keyId: 'missing123' })), 'NotFoundException', 'Invalid API Key identifier specified', 404],
      [() => apigw().send(new UpdateUsagePlanCommand({ usagePlanId: 'nope12', patchOperations: [] })), 'NotFoundException', 'Invalid Usage Plan ID specified: nope12', 404],
      [() => apigw().send(new UpdateUsagePlanCommand({ usagePlanId: planId, patchOperations: [{ op: 'replace', path: '/quota/period', value: 'YEAR' }] })), 'BadRequestException', 'Invalid quota period specified: YEAR. Valid values are DAY, WEEK, MONTH', 400],
      [() => apigw().send(new UpdateApiKeyCommand({ apiKey: 'missing123', patchOperations: [] })), 'NotFoundException', 'Invalid API Key identifier specified', 404],
      [() => apigw().send(new GetUsageCommand({ usagePlanId: planId, startDate: '2024-3-1', endDate: '2024-03-13' })), 'BadRequestException', 'Invalid start date: 2024-3-1. Dates are yyyy-MM-dd', 400],
      [() => apigw().send(new UpdateUsageCommand({ usagePlanId: planId, keyId, patchOperations: [{ op: 'replace', path: '/remaining', value: '5' }] })), 'BadRequestException', `Usage plan ${planId} has no quota`, 400],
    ];
    for (const [call, name, message, status] of ERRORS) await expectError(call(), name, message, status);
  });
});

describe('API Gateway usage plan quotas across a restart', () => {
  it('keeps the counts in the store: a restarted Nimbus still refuses the exhausted key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nimbus-apigw-quota-'));
    const clock = new ManualClock(START);
    try {
      let nimbus = await startNimbus({ ephemeral: false, dataDir, clock });
      const client = (): APIGatewayClient => new APIGatewayClient({ endpoint: nimbus.endpoint, region: TEST_REGION, credentials: TEST_CREDENTIALS });
      const apiId = await deployMockApi(client(), [{ path: ['pets'], apiKeyRequired: true }]);
      const plan = await client().send(new CreateUsagePlanCommand({ name: 'small', apiStages: [{ apiId, stage: 'prod' }], quota: { limit: 3, period: 'DAY' } }));
      const key = await client().send(new CreateApiKeyCommand({ name: 'k', enabled: true }));
      await client().send(new CreateUsagePlanKeyCommand({ usagePlanId: plan.id, keyId: key.id, keyType: 'API_KEY' }));
      const call = (): ReturnType<typeof invoke> => invoke(nimbus.endpoint, apiId, '/pets', { headers: { 'x-api-key': key.value! } });
      assert.deepEqual(await statuses(2, call), [200, 200]);
      await nimbus.stop();

      nimbus = await startNimbus({ ephemeral: false, dataDir, clock });
      try {
        assert.deepEqual(await statuses(2, call), [200, 429]);
        const usage = await client().send(new GetUsageCommand({ usagePlanId: plan.id, startDate: '2024-03-13', endDate: '2024-03-13' }));
        assert.deepEqual(usage.items, { [key.id!]: [[3, 0]] });
      } finally {
        await nimbus.stop();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
