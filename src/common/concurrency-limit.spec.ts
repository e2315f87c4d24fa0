import { setTimeout as sleep } from 'node:timers/promises';
import { AdmissionRefused, ConcurrencyLimit } from './concurrency-limit.js';

/** A task that runs until the test lets it finish. */
function gate(): { task: () => Promise<void>; open: () => void; started: Promise<void> } {
  let open!: () => void;
  let markStarted!: () => void;
  const started = new Promise<void>((resolve) => (markStarted = resolve));
  const done = new Promise<void>((resolve) => (open = resolve));
  return { task: () => (markStarted(), done), open, started };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('ConcurrencyLimit', () => {
  it('never runs more than the limit at once, and runs every task in order', async () => {
    const limit = new ConcurrencyLimit(2);
    let running = 0;
    let peak = 0;
    const finished: number[] = [];
    await Promise.all(
      Array.from({ length: 7 }, (_, index) =>
        limit.run(async () => {
          running++;
          peak = Math.max(peak, running);
          await sleep(5);
          running--;
          finished.push(index);
        }),
      ),
    );
    expect(peak).toBe(2);
    expect(finished.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('frees the slot when a task fails', async () => {
    const limit = new ConcurrencyLimit(1);
    await expect(limit.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit.run(async () => 'next')).resolves.toBe('next');
  });

  it('refuses a task when the queue is full, without running it', async () => {
    const limit = new ConcurrencyLimit(1, { maxQueued: 1 });
    const first = gate();
    const running = limit.run(first.task, 'a');
    const waiting = limit.run(async () => 'second', 'a');
    let ran = false;
    const refused = limit.run(async () => void (ran = true), 'a');
    await expect(refused).rejects.toBeInstanceOf(AdmissionRefused);
    await expect(refused).rejects.toMatchObject({ reason: 'queue_full' });
    first.open();
    await running;
    await expect(waiting).resolves.toBe('second');
    expect(ran).toBe(false);
    expect(limit.load).toEqual({ running: 0, queued: 0 });
  });

  it('refuses a task that waits longer than the longest wait', async () => {
    const limit = new ConcurrencyLimit(1, { maxWaitMs: 20 });
    const first = gate();
    const running = limit.run(first.task);
    await expect(limit.run(async () => 'late')).rejects.toMatchObject({ reason: 'wait_exceeded' });
    expect(limit.load).toEqual({ running: 1, queued: 0 });
    first.open();
    await running;
    await expect(limit.run(async () => 'now')).resolves.toBe('now');
  });

  it("makes room for another client's task by dropping the newest task of the client holding the most places", async () => {
    const limit = new ConcurrencyLimit(1, { maxQueued: 3 });
    const first = gate();
    const running = limit.run(first.task, 'flood');
    const flood = [1, 2, 3].map((index) => limit.run(async () => index, 'flood'));
    const other = limit.run(async () => 'other', 'other');
    await expect(flood[2]).rejects.toMatchObject({ reason: 'queue_full' });
    expect(limit.load.queued).toBe(3);
    first.open();
    await running;
    await expect(Promise.all([flood[0], flood[1], other])).resolves.toEqual([1, 2, 'other']);
  });

  it('gives a freed slot to the waiting client with the fewest tasks running', async () => {
    const limit = new ConcurrencyLimit(2);
    const gates = [gate(), gate()];
    const order: string[] = [];
    const busy = gates.map((entry) => limit.run(entry.task, 'flood'));
    const flood = [1, 2, 3].map((index) => limit.run(async () => void order.push(`flood-${index}`), 'flood'));
    const other = limit.run(async () => void order.push('other'), 'other');
    await settled();
    gates[0].open();
    await Promise.all([other, ...flood]);
    // The flood still holds a slot, the other client none: the other client goes first.
    expect(order[0]).toBe('other');
    gates[1].open();
    await Promise.all(busy);
  });

  it('among clients with as few tasks running, gives the slot to the one served longest ago', async () => {
    const limit = new ConcurrencyLimit(1);
    const first = gate();
    const order: string[] = [];
    const running = limit.run(first.task, 'flood');
    const flood = [1, 2].map((index) => limit.run(async () => void order.push(`flood-${index}`), 'flood'));
    const other = limit.run(async () => void order.push('other'), 'other');
    first.open();
    await Promise.all([running, other, ...flood]);
    // When the flood's task ends, neither client has one running; the flood was served last.
    expect(order).toEqual(['other', 'flood-1', 'flood-2']);
  });

  it('hands a freed slot straight to a waiting task, so a newcomer cannot overbook', async () => {
    const limit = new ConcurrencyLimit(1);
    const first = gate();
    let concurrent = 0;
    let peak = 0;
    const tracked = async () => {
      concurrent++;
      peak = Math.max(peak, concurrent);
      await settled();
      concurrent--;
    };
    const running = limit.run(async () => {
      concurrent++;
      await first.task();
      concurrent--;
    });
    await first.started;
    const waiting = limit.run(tracked);
    first.open();
    await running;
    // The slot belongs to the waiting task now, even before it has resumed.
    const newcomer = limit.run(tracked);
    await Promise.all([waiting, newcomer]);
    expect(peak).toBe(1);
  });
});
