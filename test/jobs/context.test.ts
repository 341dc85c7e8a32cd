import { executionAsyncId } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { currentJob, runInJob } from '../../src/jobs/context.js';

const tick = () => new Promise((r) => setImmediate(r));

/**
 * Whether V8 runs promise hooks now: with them on, code after an `await` runs in an async
 * resource of its own (a non-zero id); with them off, it has none (0).
 */
async function promiseHooksOn(): Promise<boolean> {
  await null;
  return executionAsyncId() !== 0;
}

describe('job context', () => {
  it('is seen by every call a job makes, and by nothing outside it', async () => {
    expect(currentJob()).toBeUndefined();
    const seen = await runInJob({ person: 'ou_a' }, async () => {
      await tick();
      return currentJob()?.person;
    });
    expect(seen).toBe('ou_a');
    expect(currentJob()).toBeUndefined();
  });

  it('keeps each running job its own context while others start and finish around it', async () => {
    let releaseLong!: () => void;
    const longGate = new Promise<void>((r) => (releaseLong = r));
    const long = runInJob({ person: 'ou_long' }, async () => {
      const before = currentJob()?.person;
      await longGate;
      await tick();
      return [before, currentJob()?.person];
    });
    // Short jobs come and go (the last of them leaves no other short job running) while the long one waits.
    for (const person of ['ou_1', 'ou_2', 'ou_3']) {
      expect(await runInJob({ person }, async () => (await tick(), currentJob()?.person))).toBe(person);
    }
    await expect(runInJob({ person: 'ou_fails' }, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    releaseLong();
    expect(await long).toEqual(['ou_long', 'ou_long']);
    expect(currentJob()).toBeUndefined();
  });

  it('is seen again by a job that starts after every earlier one has settled', async () => {
    await runInJob({ person: 'ou_first' }, async () => tick());
    await tick();
    const signal = new AbortController().signal;
    const seen = await runInJob({ person: 'ou_next', signal }, async () => {
      await tick();
      await Promise.resolve();
      return currentJob();
    });
    expect(seen).toEqual({ person: 'ou_next', signal });
  });

  it('leaves promise hooks off once no job runs, so the acks do not pay for them', async () => {
    expect(await promiseHooksOn()).toBe(false);
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const first = runInJob({ person: 'ou_a' }, async () => {
      await gate;
      return promiseHooksOn();
    });
    const second = await runInJob({ person: 'ou_b' }, () => promiseHooksOn());
    // The first job still runs: the second's end must not switch its context off.
    expect(second).toBe(true);
    expect(await promiseHooksOn()).toBe(true);
    release();
    expect(await first).toBe(true);
    expect(await promiseHooksOn()).toBe(false);
    await expect(runInJob({}, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await promiseHooksOn()).toBe(false);
  });

  it('lets a nested run add to the job it runs in, and restores the outer context after it', async () => {
    const onSlotWait = () => undefined;
    const seen = await runInJob({ person: 'ou_outer' }, async () => {
      const inner = await runInJob({ ...currentJob(), onSlotWait }, async () => (await tick(), currentJob()));
      await tick();
      return { inner, after: currentJob() };
    });
    expect(seen.inner).toEqual({ person: 'ou_outer', onSlotWait });
    expect(seen.after).toEqual({ person: 'ou_outer' });
  });
});
