import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionLookupCounter } from '../common/auth/session-lookups.js';
import { Sql } from '../database/sql.js';

/**
 * The platform's Prometheus metrics. Each application instance has its own
 * registry (several can share a process in tests).
 */
@Injectable()
export class MetricsService implements SessionLookupCounter {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly durations: Histogram<'method' | 'route'>;
  private readonly openStreams: Gauge;
  private readonly runs: Counter<'outcome'>;
  private readonly tokens: Counter;
  private readonly upstreamErrors: Counter<'code'>;
  private readonly sessionLookups: Counter<'result'>;

  constructor(sql: Sql) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.requests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by method, route and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.durations = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'Time to answer HTTP requests (whole stream for SSE)',
      labelNames: ['method', 'route'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
    this.openStreams = new Gauge({ name: 'chat_streams_open', help: 'Server-Sent Events streams open now', registers });
    this.runs = new Counter({ name: 'chat_runs_total', help: 'Assistant turns by outcome', labelNames: ['outcome'], registers });
    this.tokens = new Counter({ name: 'chat_tokens_relayed_total', help: 'Text deltas relayed to clients', registers });
    this.upstreamErrors = new Counter({
      name: 'upstream_errors_total',
      help: 'Failed calls to OpenAI by error code',
      labelNames: ['code'],
      registers,
    });
    this.sessionLookups = new Counter({
      name: 'session_cache_lookups_total',
      help: 'Session reads answered from the instance cache (hit) or from PostgreSQL (miss)',
      labelNames: ['result'],
      registers,
    });
    new Gauge({
      name: 'db_pool_connections',
      help: 'PostgreSQL pool connections by state',
      labelNames: ['state'],
      registers,
      collect() {
        const pool = sql.pool;
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  requestFinished(method: string, route: string, status: number, seconds: number): void {
    this.requests.inc({ method, route, status: String(status) });
    this.durations.observe({ method, route }, seconds);
  }

  streamOpened(): void {
    this.openStreams.inc();
  }

  streamClosed(): void {
    this.openStreams.dec();
  }

  runFinished(outcome: string): void {
    this.runs.inc({ outcome });
  }

  tokensRelayed(count: number): void {
    this.tokens.inc(count);
  }

  sessionLookup(result: 'hit' | 'miss'): void {
    this.sessionLookups.inc({ result });
  }

  upstreamFailed(code: string): void {
    this.upstreamErrors.inc({ code });
  }
}
