import { jest } from '@jest/globals';
import type { SessionData } from 'express-session';
import type { AppConfig } from '../../config/config.js';
import type { NotificationChannels } from '../notifications/notification-channels.js';
import { SESSIONS_ENDED_CHANNEL, SessionCache } from './session-cache.js';

/** A stand-in for the LISTEN connection: the test decides when it is up and what it hears. */
class Notifications implements NotificationChannels {
  listening = true;
  readonly channels = new Map<string, (payload: string) => void>();
  private readonly stateHandlers: Array<(listening: boolean) => void> = [];
  subscribe(channel: string, handler: (payload: string) => void) {
    this.channels.set(channel, handler);
  }
  onListeningChange(handler: (listening: boolean) => void) {
    this.stateHandlers.push(handler);
  }
  announce(channel: string, payload: string) {
    this.channels.get(channel)?.(payload);
  }
  setListening(listening: boolean) {
    this.listening = listening;
    for (const handler of this.stateHandlers) handler(listening);
  }
}

function session(userId: string, expires = new Date(Date.now() + 60_000)): SessionData {
  return { userId, createdAt: Date.now(), lastSeenAt: Date.now(), cookie: { originalMaxAge: 60_000, expires } } as unknown as SessionData;
}

describe('SessionCache', () => {
  let notifications: Notifications;
  let cache: SessionCache;
  const lookups: string[] = [];

  beforeEach(() => {
    jest.useRealTimers();
    lookups.length = 0;
    notifications = new Notifications();
    const config = { session: { cacheSeconds: 5, idleTimeoutSeconds: 3600 } } as AppConfig;
    const metrics = { sessionLookup: (result: string) => void lookups.push(result) };
    cache = new SessionCache(config, notifications, metrics);
  });

  it('answers from memory what it read, as a copy the caller may change', () => {
    cache.remember('sid-1', session('user-a'), cache.mark());
    const first = cache.get('sid-1')!;
    expect(first.userId).toBe('user-a');
    first.userId = 'changed';
    (first.cookie as { path?: string }).path = '/changed';
    expect(cache.get('sid-1')!.userId).toBe('user-a');
    expect((cache.get('sid-1')!.cookie as { path?: string }).path).toBeUndefined();
    expect(lookups).toEqual(['hit', 'hit', 'hit']);
  });

  it('drops every session of a user when another instance announces that they ended', () => {
    cache.remember('sid-1', session('user-a'), cache.mark());
    cache.remember('sid-2', session('user-a'), cache.mark());
    cache.remember('sid-3', session('user-b'), cache.mark());
    notifications.announce(SESSIONS_ENDED_CHANNEL, 'user-a');
    expect(cache.get('sid-1')).toBeUndefined();
    expect(cache.get('sid-2')).toBeUndefined();
    expect(cache.get('sid-3')?.userId).toBe('user-b');
  });

  it('does not keep a read that raced an announcement', () => {
    const mark = cache.mark();
    notifications.announce(SESSIONS_ENDED_CHANNEL, 'user-a');
    cache.remember('sid-1', session('user-a'), mark);
    expect(cache.get('sid-1')).toBeUndefined();
  });

  it('caches nothing while the listener is down, and starts empty when it is back', () => {
    cache.remember('sid-1', session('user-a'), cache.mark());
    notifications.setListening(false);
    expect(cache.get('sid-1')).toBeUndefined();
    cache.remember('sid-2', session('user-a'), cache.mark());
    notifications.setListening(true);
    expect(cache.get('sid-1')).toBeUndefined();
    expect(cache.get('sid-2')).toBeUndefined();
  });

  it('reads again after the time to live, and never serves an expired cookie', () => {
    jest.useFakeTimers({ now: Date.now() });
    cache.remember('sid-1', session('user-a'), cache.mark());
    cache.remember('sid-2', session('user-a', new Date(Date.now() + 1_000)), cache.mark());
    jest.advanceTimersByTime(1_500);
    expect(cache.get('sid-1')?.userId).toBe('user-a');
    expect(cache.get('sid-2')).toBeUndefined();
    jest.advanceTimersByTime(4_000);
    expect(cache.get('sid-1')).toBeUndefined();
    jest.useRealTimers();
  });

  it('forgets one session at once, locally', () => {
    cache.remember('sid-1', session('user-a'), cache.mark());
    cache.forget('sid-1');
    expect(cache.get('sid-1')).toBeUndefined();
  });

  it('is off with SESSION_CACHE_SECONDS=0', () => {
    const config = { session: { cacheSeconds: 0, idleTimeoutSeconds: 3600 } } as AppConfig;
    const off = new SessionCache(config, notifications, { sessionLookup: () => undefined });
    off.remember('sid-1', session('user-a'), off.mark());
    expect(off.get('sid-1')).toBeUndefined();
  });
});
