import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import { ShutdownState } from '../common/lifecycle/shutdown-state.js';
import { Sql } from '../database/sql.js';

const CHECK_TIMEOUT_MS = 2_000;

export interface HealthReport {
  status: 'ok';
  database: 'up';
  uptimeSeconds: number;
  timestamp: string;
}

@Injectable()
export class HealthService {
  constructor(
    private readonly sql: Sql,
    private readonly shutdown: ShutdownState,
  ) {}

  /** One round trip to PostgreSQL, bounded in time; a new connection is made when the old ones died. */
  async check(): Promise<HealthReport> {
    // A stopping instance reports itself down so load balancers send traffic elsewhere.
    this.shutdown.assertAccepting();
    const timer = new AbortController();
    try {
      await Promise.race([
        this.sql.execute('SELECT 1'),
        sleep(CHECK_TIMEOUT_MS, undefined, { signal: timer.signal }).then(() => {
          throw new Error('timeout exceeded when trying to connect');
        }),
      ]);
    } catch {
      throw new DomainError('database_unavailable', 'The database is unreachable', undefined, 5);
    } finally {
      timer.abort();
    }
    return {
      status: 'ok',
      database: 'up',
      uptimeSeconds: Math.round(process.uptime()),
      timestamp: new Date().toISOString(),
    };
  }
}
