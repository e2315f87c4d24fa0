import { Inject } from '@nestjs/common';

/**
 * Messages instances send each other (PostgreSQL LISTEN/NOTIFY in the
 * database module, which provides it). While the listener is down,
 * `listening` is false so callers can fall back to reading the truth.
 */
export interface NotificationChannels {
  /** Registers a handler; subscribe during construction, before the connection starts. */
  subscribe(channel: string, handler: (payload: string) => void): void;
  /** Called whenever listening starts or stops (a notification may have been missed meanwhile). */
  onListeningChange(handler: (listening: boolean) => void): void;
  readonly listening: boolean;
}

export const NOTIFICATION_CHANNELS = Symbol('NotificationChannels');

export const InjectNotificationChannels = () => Inject(NOTIFICATION_CHANNELS);
