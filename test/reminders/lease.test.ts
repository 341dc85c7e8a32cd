import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { claimPass, passIdOfLock, takeOverPass } from '../../src/reminders/lease.js';
import { zeroCounts } from '../../src/reminders/pass.js';
import { storeKeys } from '../../src/store/keys.js';
import { createMemoryStore } from '../../src/store/memory.js';
import { createRedisStore } from '../../src/store/redis.js';
import type { Store } from '../../src/store/types.js';

const url = process.env.TEST_REDIS_URL!;
const prefix = `test-lease:${randomUUID().slice(0, 8)}:`;
const stores: Store[] = [];
afterAll(async () => {
  for (const s of stores) {
    await s.del(storeKeys('cli_lease').reminderPassLock());
    await s.close();
  }
});

const kinds: Array<[string, () => Store]> = [
  ['memory', () => createMemoryStore()],
  ['redis', () => createRedisStore(url, { keyPrefix: prefix })],
];

for (const [kind, make] of kinds) {
  describe(`the pass lock with a fencing token (${kind} store)`, () => {
    const store = make();
    stores.push(store);
    const keys = storeKeys('cli_lease');
    const checkpoint = (pages: number) => ({ cursor: String(pages * 100), startedAt: 1000, counts: { ...zeroCounts(), pages, employees: pages * 100 } });

    it('one pass at a time; a second execution of the same pass takes over with the checkpoint, the first can no longer write, renew or release', async () => {
      await store.del(keys.reminderPassLock());
      const first = await claimPass(store, keys, 'pass-a', 'exec-1');
      expect(first).toBeDefined();
      expect(await claimPass(store, keys, 'pass-b')).toBeUndefined();
      expect(await takeOverPass(store, keys, 'pass-b', 'exec-x')).toBeUndefined();
      expect(passIdOfLock(await store.get(keys.reminderPassLock()))).toBe('pass-a');

      expect(await first!.save(checkpoint(2))).toBe(true);
      expect(await first!.renew()).toBe(true);
      const second = await takeOverPass(store, keys, 'pass-a', 'exec-2', checkpoint(1));
      // The lock's checkpoint wins over the job's older copy.
      expect(second?.checkpoint).toEqual(checkpoint(2));

      expect(await first!.save(checkpoint(3))).toBe(false);
      expect(await first!.renew()).toBe(false);
      expect(await first!.holds()).toBe(false);
      await first!.release();
      expect(passIdOfLock(await store.get(keys.reminderPassLock()))).toBe('pass-a');

      expect(await second!.holds()).toBe(true);
      expect(await second!.save(checkpoint(3))).toBe(true);
      await second!.release();
      expect(await store.get(keys.reminderPassLock())).toBeNull();
      // A lease let go of is not renewed back into being.
      expect(await second!.renew()).toBe(false);
      expect(await store.get(keys.reminderPassLock())).toBeNull();
    });

    it('a lapsed lock is taken over anew from the job’s copy of the checkpoint', async () => {
      await store.del(keys.reminderPassLock());
      const lease = await takeOverPass(store, keys, 'pass-c', 'exec-1', checkpoint(4));
      expect(lease?.checkpoint).toEqual(checkpoint(4));
      expect(await lease!.holds()).toBe(true);
      await lease!.release();
    });

    it('a write whose reply was lost (it landed, the caller saw an error) is recognised as its own', async () => {
      await store.del(keys.reminderPassLock());
      let dropReply = false;
      const flaky: Store = {
        ...store,
        async compareAndSet(...args: Parameters<Store['compareAndSet']>) {
          const done = await store.compareAndSet(...args);
          if (dropReply) {
            dropReply = false;
            throw new Error('Command timed out');
          }
          return done;
        },
      };
      const lease = (await claimPass(flaky, keys, 'pass-e', 'exec-1'))!;
      dropReply = true;
      await expect(lease.save(checkpoint(5))).rejects.toThrow('Command timed out');
      expect(await lease.renew()).toBe(true);
      expect(await lease.holds()).toBe(true);
      expect(await lease.save(checkpoint(6))).toBe(true);
      // The renewal kept the newer checkpoint; nothing older was written back.
      expect(await takeOverPass(store, keys, 'pass-e', 'exec-2')).toMatchObject({ checkpoint: checkpoint(6) });
      expect(await lease.holds()).toBe(false);
    });

    it('renewals and checkpoints of one execution never mistake each other for a takeover', async () => {
      await store.del(keys.reminderPassLock());
      const lease = (await claimPass(store, keys, 'pass-d', 'exec-1'))!;
      const results = await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? lease.renew() : lease.save(checkpoint(i)))));
      expect(results.every(Boolean)).toBe(true);
      expect(await lease.holds()).toBe(true);
      await lease.release();
    });
  });
}
