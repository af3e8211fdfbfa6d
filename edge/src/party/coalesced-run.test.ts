import { describe, expect, it } from 'vitest';
import { CoalescedRun } from './coalesced-run';

/** A task whose runs finish when the test says so. */
function gatedTask() {
  const gates: (() => void)[] = [];
  let runs = 0;
  const task = () =>
    new Promise<void>((resolve) => {
      runs++;
      gates.push(resolve);
    });
  const finish = async () => {
    gates.shift()?.();
    await new Promise((resolve) => setTimeout(resolve, 0));
  };
  return { task, finish, runs: () => runs };
}

describe('a coalesced run', () => {
  it('gives every caller during a run that same run', async () => {
    const { task, finish, runs } = gatedTask();
    const run = new CoalescedRun(task);
    const callers = Array.from({ length: 1000 }, () => run.recent(5_000));
    expect(runs()).toBe(1);
    await finish();
    await Promise.all(callers);
    expect(runs()).toBe(1);
  });

  it('reuses a recent success, and runs again once it is older than asked', async () => {
    let now = 0;
    const { task, finish, runs } = gatedTask();
    const run = new CoalescedRun(task, () => now);
    const first = run.recent(5_000);
    await finish();
    await first;
    now = 4_999;
    await run.recent(5_000);
    expect(runs()).toBe(1);
    now = 5_000;
    const again = run.recent(5_000);
    expect(runs()).toBe(2);
    await finish();
    await again;
  });

  it('runs once more after the current run for callers who need a fresh result, and only once', async () => {
    const { task, finish, runs } = gatedTask();
    const run = new CoalescedRun(task);
    const current = run.recent(5_000);
    const fresh = [run.fresh(), run.fresh(), run.fresh()];
    expect(runs()).toBe(1);
    await finish();
    await current;
    expect(runs()).toBe(2);
    await finish();
    await Promise.all(fresh);
    expect(runs()).toBe(2);
  });

  it('sets no freshness after a failure: the next caller runs again', async () => {
    let fail = true;
    let runs = 0;
    const run = new CoalescedRun(async () => {
      runs++;
      if (fail) throw new Error('media node unreachable');
    });
    await expect(run.recent(5_000)).rejects.toThrow('unreachable');
    fail = false;
    await run.recent(5_000);
    expect(runs).toBe(2);
  });
});
