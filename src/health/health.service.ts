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
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.sql.execute('SELECT 1'),
        new Promise<never>((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('timeout exceeded when trying to connect')), CHECK_TIMEOUT_MS);
        }),
      ]);
    } catch {
      throw new DomainError('database_unavailable', 'The database is unreachable', undefined, 5);
    } finally {
      // A plain timer: an abortable sleep builds an AbortError (with its stack) on every check.
      clearTimeout(timer);
    }
    return {
      status: 'ok',
      database: 'up',
      uptimeSeconds: Math.round(process.uptime()),
      timestamp: new Date().toISOString(),
    };
  }
}
