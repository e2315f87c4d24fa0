import { Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import pg from 'pg';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import type { NotificationChannels } from '../common/notifications/notification-channels.js';

type Handler = (payload: string) => void;

const RECONNECT_MS = 2_000;

/**
 * PostgreSQL LISTEN/NOTIFY for the messages instances send each other (a
 * cancel for a run another instance executes, sessions that ended). One
 * connection per instance listens on every subscribed channel; while it is
 * down, `listening` is false so that callers can fall back to the database.
 */
@Injectable()
export class DatabaseNotifications implements NotificationChannels, OnModuleInit, OnApplicationShutdown {
  private readonly handlers = new Map<string, Handler[]>();
  private readonly stateHandlers: Array<(listening: boolean) => void> = [];
  private client: pg.Client | undefined;
  private reconnect: NodeJS.Timeout | undefined;
  private stopped = false;
  private listeningNow = false;

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  /** Registers a handler; subscribe during construction, before the connection starts. */
  subscribe(channel: string, handler: Handler): void {
    if (!/^[a-z_]+$/.test(channel)) throw new Error(`bad channel name ${channel}`);
    this.handlers.set(channel, [...(this.handlers.get(channel) ?? []), handler]);
  }

  /** Called whenever listening starts or stops (a notification may have been missed meanwhile). */
  onListeningChange(handler: (listening: boolean) => void): void {
    this.stateHandlers.push(handler);
  }

  /** True while every subscribed channel is being listened to. */
  get listening(): boolean {
    return this.listeningNow;
  }

  onModuleInit(): void {
    void this.connect();
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnect);
    this.setListening(false);
    await this.client?.end().catch(() => undefined);
  }

  private setListening(listening: boolean): void {
    if (this.listeningNow === listening) return;
    this.listeningNow = listening;
    for (const handler of this.stateHandlers) handler(listening);
  }

  private async connect(): Promise<void> {
    if (this.stopped || !this.config.database.url || this.handlers.size === 0) return;
    const client = new pg.Client({ connectionString: this.config.database.url, connectionTimeoutMillis: 5_000, keepAlive: true });
    const retry = () => {
      if (this.stopped || this.client !== client) return;
      this.client = undefined;
      this.setListening(false);
      client.end().catch(() => undefined);
      this.reconnect = setTimeout(() => void this.connect(), RECONNECT_MS);
      this.reconnect.unref();
    };
    this.client = client;
    client.on('error', retry);
    client.on('end', retry);
    client.on('notification', (message) => {
      for (const handler of this.handlers.get(message.channel) ?? []) handler(message.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of this.handlers.keys()) await client.query(`LISTEN ${channel}`);
      if (this.client === client) this.setListening(true);
    } catch (error) {
      this.logger.debug({ err: error }, 'notification listener not connected; retrying');
      retry();
    }
  }
}
