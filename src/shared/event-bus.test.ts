import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BusEvent } from './event-bus.js';
import { EventBus } from './event-bus.js';
import { setLogLevel } from './log.js';

const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('EventBus', () => {
  it('delivers to the listeners of a topic after the emitter returns, and not after unsubscribe', async () => {
    const bus = new EventBus();
    const seen: BusEvent[] = [];
    const off = bus.on('logs:events-put', (event) => {
      seen.push(event);
    });
    const event = { topic: 'logs:events-put', account: '000000000000', region: 'us-east-1', detail: { count: 1 } };
    bus.emit(event);
    bus.emit({ ...event, topic: 'other' });
    assert.equal(seen.length, 0, 'delivery is deferred past the emitting operation');
    await flush();
    assert.deepEqual(seen, [event]);
    off();
    bus.emit(event);
    await flush();
    assert.equal(seen.length, 1);
  });

  it('keeps delivering to other listeners when one throws or rejects', async () => {
    const bus = new EventBus();
    let delivered = 0;
    bus.on('t', () => {
      throw new Error('sync failure');
    });
    bus.on('t', () => Promise.reject(new Error('async failure')));
    bus.on('t', () => {
      delivered++;
    });
    setLogLevel('silent');
    bus.emit({ topic: 't', account: 'a', region: 'r', detail: {} });
    await flush();
    setLogLevel('info');
    assert.equal(delivered, 1);
  });

  it('emitAndWait resolves once every listener of the topic is done, failing ones included', async (t) => {
    setLogLevel('silent');
    t.after(() => {
      setLogLevel('info');
    });
    const bus = new EventBus();
    const done: string[] = [];
    bus.on('logs:before-read', async () => {
      await flush();
      done.push('slow');
    });
    bus.on('logs:before-read', () => {
      throw new Error('broken listener');
    });
    bus.on('other', () => {
      done.push('other');
    });
    await bus.emitAndWait({ topic: 'logs:before-read', account: '000000000000', region: 'us-east-1', detail: {} });
    assert.deepEqual(done, ['slow']);
  });
});
