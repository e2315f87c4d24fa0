import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';

interface Bucket {
  /** Bytes that may pass at once; below zero, the debt the next bytes wait out. */
  tokens: number;
  refilledAt: number;
}

/** Buckets kept before the full ones (users idle long enough) are forgotten. */
const SWEEP_ABOVE = 10_000;

/**
 * File bytes each user moves through this instance — uploads coming in, and
 * downloads, zips and copies to OpenAI going out — pass at most
 * USER_TRANSFER_BYTES_PER_SECOND once a burst of USER_TRANSFER_BURST_BYTES is
 * spent (a token bucket per user). Past it a stream is not refused but slowed:
 * the reader waits, so backpressure reaches the socket and the client's
 * sending slows with it. One user's floods of uploads therefore cost the
 * machine a bounded share of its CPU, disk and database, whatever their
 * number, and a single file of ordinary size goes through at full speed.
 */
@Injectable()
export class TransferPacer {
  private readonly buckets = new Map<string, Bucket>();
  private readonly rate: number;
  private readonly burst: number;

  constructor(@InjectConfig() config: AppConfig) {
    this.rate = config.uploads.transferBytesPerSecond;
    this.burst = config.uploads.transferBurstBytes;
  }

  /** Takes `bytes` from the user's allowance, waiting (abortably) while it is overdrawn. */
  async take(userId: string, bytes: number, signal?: AbortSignal): Promise<void> {
    if (this.rate === 0 || bytes <= 0) return;
    const now = performance.now();
    const bucket = this.refilled(userId, now);
    bucket.tokens -= bytes;
    if (bucket.tokens >= 0) return;
    await sleep(Math.ceil((-bucket.tokens / this.rate) * 1000), undefined, signal ? { signal } : undefined);
  }

  /** The same bytes, paced for the user. */
  async *paced(userId: string, source: AsyncIterable<Buffer>): AsyncIterable<Buffer> {
    for await (const chunk of source) {
      await this.take(userId, chunk.length);
      yield chunk;
    }
  }

  private refilled(userId: string, now: number): Bucket {
    let bucket = this.buckets.get(userId);
    if (!bucket) {
      if (this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
      bucket = { tokens: this.burst, refilledAt: now };
      this.buckets.set(userId, bucket);
      return bucket;
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.rate);
    bucket.refilledAt = now;
    return bucket;
  }

  /** Forgets the buckets that have filled up again: a new one starts full. */
  private sweep(now: number): void {
    for (const [userId, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.refilledAt) / 1000) * this.rate >= this.burst) this.buckets.delete(userId);
    }
  }
}
