import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Injectable } from '@nestjs/common';
import bcrypt from 'bcrypt';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { ConcurrencyLimit } from '../common/concurrency-limit.js';

/**
 * bcrypt reads only the first 72 bytes of its input, so passwords are first
 * reduced to a fixed-size SHA-256 digest (base64, no NUL bytes): every byte of
 * a long password counts. bcrypt's async functions run on libuv's thread
 * pool, off the event loop; at most one per CPU runs at a time, so a burst of
 * sign-ins never takes every pool thread from file, DNS and database work.
 */
@Injectable()
export class PasswordHasher {
  private readonly cost: number;
  private readonly slots = new ConcurrencyLimit(Math.max(1, availableParallelism()));
  private dummyHash: Promise<string> | undefined;

  constructor(@InjectConfig() config: AppConfig) {
    this.cost = config.security.bcryptCost;
  }

  hash(password: string): Promise<string> {
    return this.slots.run(() => bcrypt.hash(this.digest(password), this.cost));
  }

  verify(password: string, hash: string): Promise<boolean> {
    return this.slots.run(() => bcrypt.compare(this.digest(password), hash));
  }

  /** Spends the same time as a real check, for sign-ins with an unknown e-mail. */
  async verifyAgainstNothing(password: string): Promise<false> {
    this.dummyHash ??= this.slots.run(() => bcrypt.hash('no user has this password', this.cost));
    await this.verify(password, await this.dummyHash);
    return false;
  }

  private digest(password: string): string {
    return createHash('sha256').update(password, 'utf8').digest('base64');
  }
}
