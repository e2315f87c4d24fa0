/** A task that was not run: the queue was full, or the task waited too long for a slot. */
export class AdmissionRefused extends Error {
  constructor(
    readonly reason: 'queue_full' | 'wait_exceeded',
    /** A guess at when a slot will be free: the queue's length times the average task time. */
    readonly retryAfterMs: number,
  ) {
    super(reason === 'queue_full' ? 'too many tasks are waiting' : 'the task waited too long for a slot');
    this.name = 'AdmissionRefused';
  }
}

export interface ConcurrencyLimitOptions {
  /** Tasks that may wait for a slot, all clients together (default: no bound). */
  maxQueued?: number;
  /** Longest a task waits for a slot before it is refused (default: no bound). */
  maxWaitMs?: number;
}

interface Waiter {
  admit(): void;
  refuse(error: AdmissionRefused): void;
  timer: NodeJS.Timeout | undefined;
}

/** A client with tasks running or waiting (forgotten when it has neither). */
interface Client {
  waiting: Waiter[];
  running: number;
  /** When it last got a slot (a counter): among clients with as few tasks running, the longest unserved goes first. */
  servedAt: number;
}

/** Weight of the newest task in the running average of task times. */
const AVERAGE_WEIGHT = 0.2;

/**
 * Runs at most `limit` tasks at a time. Waiting is bounded and fair between
 * clients (the `client` key of each task):
 * - a freed slot goes to the waiting client with the fewest tasks running
 *   (among equals, the one served longest ago), so one client's burst delays
 *   another client's task by about one task, not by the whole burst;
 * - when the queue is full, the client with the most waiting tasks loses its
 *   newest one (the newcomer itself, when that is the newcomer's client), so
 *   one client cannot fill the queue and shut the others out;
 * - a task that waits longer than `maxWaitMs` is refused.
 * A refused task is never run; the caller answers "busy, retry later".
 */
export class ConcurrencyLimit {
  private active = 0;
  private queued = 0;
  private readonly clients = new Map<string, Client>();
  private served = 0;
  private averageTaskMs = 0;
  private readonly maxQueued: number;
  private readonly maxWaitMs: number;

  constructor(
    private readonly limit: number,
    options: ConcurrencyLimitOptions = {},
  ) {
    this.maxQueued = options.maxQueued ?? Infinity;
    this.maxWaitMs = options.maxWaitMs ?? Infinity;
  }

  /** Tasks running and waiting now. */
  get load(): { running: number; queued: number } {
    return { running: this.active, queued: this.queued };
  }

  async run<T>(task: () => Promise<T>, clientKey = ''): Promise<T> {
    const client = this.clientOf(clientKey);
    if (this.active < this.limit) {
      this.active++;
      this.start(client);
    } else {
      // The slot is handed over, already booked, by the task that frees it (see release).
      try {
        await this.enqueue(client);
      } catch (error) {
        this.forgetIfIdle(clientKey, client);
        throw error;
      }
    }
    const started = performance.now();
    try {
      return await task();
    } finally {
      const elapsed = performance.now() - started;
      this.averageTaskMs = this.averageTaskMs === 0 ? elapsed : this.averageTaskMs + AVERAGE_WEIGHT * (elapsed - this.averageTaskMs);
      client.running--;
      this.forgetIfIdle(clientKey, client);
      this.release();
    }
  }

  private clientOf(key: string): Client {
    let client = this.clients.get(key);
    if (!client) {
      client = { waiting: [], running: 0, servedAt: 0 };
      this.clients.set(key, client);
    }
    return client;
  }

  private start(client: Client): void {
    client.running++;
    client.servedAt = ++this.served;
  }

  private forgetIfIdle(key: string, client: Client): void {
    if (client.running === 0 && client.waiting.length === 0 && this.clients.get(key) === client) this.clients.delete(key);
  }

  private retryAfterMs(): number {
    return Math.ceil(this.averageTaskMs * (this.queued / this.limit + 1));
  }

  private enqueue(client: Client): Promise<void> {
    if (this.queued >= this.maxQueued) {
      const longest = this.longestQueue();
      if (!longest || longest.waiting.length <= client.waiting.length) throw new AdmissionRefused('queue_full', this.retryAfterMs());
      // Longest-queue drop: the client holding the most places gives up its newest.
      const dropped = longest.waiting.pop() as Waiter;
      this.queued--;
      clearTimeout(dropped.timer);
      dropped.refuse(new AdmissionRefused('queue_full', this.retryAfterMs()));
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { admit: resolve, refuse: reject, timer: undefined };
      if (Number.isFinite(this.maxWaitMs)) waiter.timer = setTimeout(() => this.expire(client, waiter), this.maxWaitMs);
      client.waiting.push(waiter);
      this.queued++;
    });
  }

  private expire(client: Client, waiter: Waiter): void {
    const index = client.waiting.indexOf(waiter);
    if (index < 0) return;
    client.waiting.splice(index, 1);
    this.queued--;
    waiter.refuse(new AdmissionRefused('wait_exceeded', this.retryAfterMs()));
  }

  /** Hands the freed slot to the next waiting task, or gives it back. */
  private release(): void {
    const next = this.nextClient();
    if (!next) {
      this.active--;
      return;
    }
    const waiter = next.waiting.shift() as Waiter;
    this.queued--;
    clearTimeout(waiter.timer);
    this.start(next);
    waiter.admit();
  }

  private nextClient(): Client | undefined {
    let best: Client | undefined;
    for (const client of this.clients.values()) {
      if (client.waiting.length === 0) continue;
      if (!best || client.running < best.running || (client.running === best.running && client.servedAt < best.servedAt)) best = client;
    }
    return best;
  }

  private longestQueue(): Client | undefined {
    let longest: Client | undefined;
    for (const client of this.clients.values()) {
      if (client.waiting.length > 0 && (!longest || client.waiting.length > longest.waiting.length)) longest = client;
    }
    return longest;
  }
}
