import { readlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The code of one hashing thread. It lowers its own scheduling priority
 * (on Linux a thread id given to setpriority names that one thread), then
 * runs bcrypt synchronously for each message: the work is CPU alone, and a
 * thread of its own at a lower priority yields the cores to the event loop
 * and the database whenever they have work, so a flood of sign-ins slows
 * sign-ins, not everyone's reads and replies.
 */
const THREAD_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { readlinkSync } = require('node:fs');
const { setPriority } = require('node:os');
try {
  const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) setPriority(tid, workerData.nice);
} catch {}
const bcrypt = require(workerData.bcryptPath);
parentPort.on('message', ({ id, op, data, hashOrCost }) => {
  try {
    const result = op === 'hash' ? bcrypt.hashSync(data, hashOrCost) : bcrypt.compareSync(data, hashOrCost);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

type Operation = { op: 'hash'; data: string; hashOrCost: number } | { op: 'compare'; data: string; hashOrCost: string };

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  /** The task it is running. */
  taskId: number | undefined;
}

/** True where a thread can name itself for setpriority (Linux). */
export function threadPrioritySupported(): boolean {
  try {
    readlinkSync('/proc/thread-self');
    return true;
  } catch {
    return false;
  }
}

/**
 * A fixed number of bcrypt threads at a lower scheduling priority (`nice`,
 * 0–19). Callers bound how many tasks run at once to `size` (the password
 * hasher's admission limit), so a task always finds an idle thread; one more
 * would wait for the first thread to finish. Threads start on first use,
 * keep the process alive only while they work, and one that dies is replaced.
 */
export class HashingThreads {
  private readonly slots: Slot[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly backlog: Array<{ id: number; task: Operation }> = [];
  private nextId = 0;
  private closed = false;
  private readonly bcryptPath = createRequire(import.meta.url).resolve('bcrypt');

  constructor(
    private readonly size: number,
    private readonly nice: number,
  ) {}

  hash(data: string, cost: number): Promise<string> {
    return this.submit({ op: 'hash', data, hashOrCost: cost }) as Promise<string>;
  }

  compare(data: string, hash: string): Promise<boolean> {
    return this.submit({ op: 'compare', data, hashOrCost: hash }) as Promise<boolean>;
  }

  async close(): Promise<void> {
    this.closed = true;
    const workers = this.slots.splice(0).map((slot) => slot.worker);
    for (const { reject } of this.pending.values()) reject(new Error('the hashing threads were closed'));
    this.pending.clear();
    await Promise.all(workers.map((worker) => worker.terminate()));
  }

  private submit(task: Operation): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the hashing threads were closed'));
    const id = this.nextId++;
    const result = new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.backlog.push({ id, task });
    this.dispatch();
    return result;
  }

  private dispatch(): void {
    while (this.backlog.length > 0) {
      const slot = this.slots.find((candidate) => candidate.taskId === undefined) ?? (this.slots.length < this.size ? this.start() : undefined);
      if (!slot) return;
      const { id, task } = this.backlog.shift()!;
      slot.taskId = id;
      // Held open while it works, so a caller's await is never the last thing the process waits for.
      slot.worker.ref();
      slot.worker.postMessage({ id, ...task });
    }
  }

  private start(): Slot {
    const worker = new Worker(THREAD_SOURCE, { eval: true, workerData: { nice: this.nice, bcryptPath: this.bcryptPath } });
    worker.unref();
    const slot: Slot = { worker, taskId: undefined };
    this.slots.push(slot);
    worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      slot.taskId = undefined;
      worker.unref();
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error !== undefined) waiting?.reject(new Error(message.error));
      else waiting?.resolve(message.result);
      this.dispatch();
    });
    worker.on('error', () => undefined);
    worker.on('exit', () => this.replace(slot));
    return slot;
  }

  /** A thread that died takes its task with it: that caller gets an error, the others go on. */
  private replace(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index < 0 || this.closed) return;
    this.slots.splice(index, 1);
    if (slot.taskId !== undefined) {
      this.pending.get(slot.taskId)?.reject(new Error('a hashing thread stopped'));
      this.pending.delete(slot.taskId);
    }
    this.dispatch();
  }
}
