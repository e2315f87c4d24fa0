import type { NextFunction, Request, Response } from 'express';
import type { MetricsService } from './metrics.service.js';

/** Counts and times every request by its route pattern (never by raw path: ids would explode the labels). */
export function requestMetrics(metrics: MetricsService) {
  return (request: Request, response: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    response.once('close', () => {
      const route = (request.route as { path?: string } | undefined)?.path;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      metrics.requestFinished(request.method, route ? `${request.baseUrl}${route}` : 'unmatched', response.statusCode, seconds);
    });
    next();
  };
}
