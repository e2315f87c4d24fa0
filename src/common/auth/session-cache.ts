import { Injectable } from '@nestjs/common';
import type { SessionData } from 'express-session';
import type { AppConfig } from '../../config/config.js';
import { InjectConfig } from '../../config/config.module.js';
import { InjectNotificationChannels, type NotificationChannels } from '../notifications/notification-channels.js';
import { InjectSessionLookupCounter, type SessionLookupCounter } from './session-lookups.js';

/** The channel on which instances announce that a user's sessions ended (payload: the user id). */
export const SESSIONS_ENDED_CHANNEL = 'sessions_ended';

const MAX_ENTRIES = 20_000;

interface Entry {
  data: SessionData;
  userId: string | undefined;
  /** Epoch milliseconds after which the entry is read from PostgreSQL again. */
  freshUntil: number;
}

/**
 * Sessions this instance read recently, so that a signed-in request does not
 * need its own round trip to the session table. PostgreSQL stays the truth:
 * whoever ends a session (sign-out, password change, account deletion, a
 * timeout) announces it with NOTIFY in the same statement, and every instance
 * drops the user's entries when the announcement arrives. While the listener
 * is not connected nothing is cached, and an entry is never used for longer
 * than a few seconds, which bounds a missed announcement.
 */
@Injectable()
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Moves on every announcement, so a read that raced one is not cached. */
  private epoch = 0;
  readonly ttlMs: number;

  constructor(
    @InjectConfig() config: AppConfig,
    @InjectNotificationChannels() private readonly notifications: NotificationChannels,
    @InjectSessionLookupCounter() private readonly metrics: SessionLookupCounter,
  ) {
    // Never longer than the interval at which the idle clock is written back.
    this.ttlMs = Math.min(config.session.cacheSeconds * 1000, Math.floor((config.session.idleTimeoutSeconds * 1000) / 4));
    notifications.subscribe(SESSIONS_ENDED_CHANNEL, (userId) => this.forgetUser(userId));
    notifications.onListeningChange(() => this.clear());
  }

  private get enabled(): boolean {
    return this.ttlMs > 0 && this.notifications.listening;
  }

  /** A copy of the cached session (express-session changes what it is given), or undefined. */
  get(sid: string): SessionData | undefined {
    if (!this.enabled) return undefined;
    const entry = this.entries.get(sid);
    if (!entry) {
      this.metrics.sessionLookup('miss');
      return undefined;
    }
    const now = Date.now();
    const expires = entry.data.cookie?.expires ? Date.parse(String(entry.data.cookie.expires)) : Infinity;
    if (entry.freshUntil <= now || expires <= now) {
      this.entries.delete(sid);
      this.metrics.sessionLookup('miss');
      return undefined;
    }
    this.metrics.sessionLookup('hit');
    return { ...entry.data, cookie: { ...entry.data.cookie } };
  }

  /** Call before reading a session from PostgreSQL; pass the result to remember(). */
  mark(): number {
    return this.epoch;
  }

  /** Keeps what was read or written, unless an announcement arrived since `mark`. */
  remember(sid: string, data: SessionData, mark: number): void {
    if (!this.enabled || mark !== this.epoch) return;
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    this.entries.delete(sid);
    this.entries.set(sid, { data, userId: data.userId, freshUntil: Date.now() + this.ttlMs });
  }

  forget(sid: string): void {
    this.epoch++;
    this.entries.delete(sid);
  }

  /** Drops the user's sessions here (the announcement does it on the other instances). */
  forgetUser(userId: string): void {
    this.epoch++;
    for (const [sid, entry] of this.entries) if (entry.userId === userId) this.entries.delete(sid);
  }

  private clear(): void {
    this.epoch++;
    this.entries.clear();
  }
}
