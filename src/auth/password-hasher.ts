import { createHash } from 'node:crypto';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import bcrypt from 'bcrypt';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { AdmissionRefused, ConcurrencyLimit } from '../common/concurrency-limit.js';
import { DomainError } from '../common/errors/domain-error.js';
import { HashingThreads } from './hashing-threads.js';

/**
 * bcrypt reads only the first 72 bytes of its input, so passwords are first
 * reduced to a fixed-size SHA-256 digest (base64, no NUL bytes): every byte of
 * a long password counts. bcrypt runs on threads of its own at a lower
 * scheduling priority (BCRYPT_THREAD_NICE, `hashing-threads.ts`), off the
 * event loop and off libuv's pool, so sign-ins take the CPU the event loop
 * and the database leave. At most BCRYPT_CONCURRENCY run at a time; the others wait in a bounded queue shared fairly between clients (the
 * `client` argument: an address, or a signed-in user), and past its length or
 * its longest wait the answer is 503 server_busy, never an endless wait.
 */
@Injectable()
export class PasswordHasher implements OnModuleDestroy {
  private readonly cost: number;
  private readonly slots: ConcurrencyLimit;
  private readonly threads: HashingThreads;
  private dummyHash: Promise<string> | undefined;

  constructor(@InjectConfig() config: AppConfig) {
    this.cost = config.security.bcryptCost;
    const { bcryptConcurrency, bcryptQueueLength, bcryptQueueWaitMs, bcryptThreadNice } = config.signIn;
    this.slots = new ConcurrencyLimit(bcryptConcurrency, { maxQueued: bcryptQueueLength, maxWaitMs: bcryptQueueWaitMs });
    this.threads = new HashingThreads(bcryptConcurrency, bcryptThreadNice);
  }

  onModuleDestroy(): Promise<void> {
    return this.threads.close();
  }

  hash(password: string, client: string): Promise<string> {
    return this.admitted(() => this.threads.hash(this.digest(password), this.cost), client);
  }

  verify(password: string, hash: string, client: string): Promise<boolean> {
    return this.admitted(() => this.threads.compare(this.digest(password), hash), client);
  }

  /** Spends the same time as a real check, for sign-ins with an unknown e-mail. */
  async verifyAgainstNothing(password: string, client: string): Promise<false> {
    // Computed once per process, outside the queue: a refusal must not be remembered.
    this.dummyHash ??= this.threads.hash('no user has this password', this.cost);
    await this.verify(password, await this.dummyHash, client);
    return false;
  }

  /**
   * True when a stored hash was made at another cost than BCRYPT_COST: it is
   * replaced at the next sign-in, so that raising the cost reaches every
   * active account (and a known e-mail does not answer faster than an unknown one).
   */
  needsRehash(hash: string): boolean {
    try {
      return bcrypt.getRounds(hash) !== this.cost;
    } catch {
      return false;
    }
  }

  private async admitted<T>(task: () => Promise<T>, client: string): Promise<T> {
    try {
      return await this.slots.run(task, client);
    } catch (error) {
      if (error instanceof AdmissionRefused) {
        const retryAfterSeconds = Math.max(1, Math.ceil(error.retryAfterMs / 1000));
        throw new DomainError('server_busy', 'The server is busy signing people in; try again shortly', undefined, retryAfterSeconds);
      }
      throw error;
    }
  }

  private digest(password: string): string {
    return createHash('sha256').update(password, 'utf8').digest('base64');
  }
}
