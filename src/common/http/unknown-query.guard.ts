import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants.js';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum.js';
import type { Request } from 'express';
import { DomainError } from '../errors/domain-error.js';
import { flattenValidationErrors, summaryOf } from './validation.js';

/** What a route accepts in its query string. */
type QueryKeys =
  /** A whole-object @Query() DTO: the validation pipe refuses unknown keys with the DTO's own rules. */
  | { dto: true }
  /** Only these named @Query('name') parameters (none when the route reads no query). */
  | { dto: false; names: ReadonlySet<string> };

function queryKeysOf(controller: object, handler: string): QueryKeys {
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, handler) ?? {}) as Record<string, { data?: unknown }>;
  const names = new Set<string>();
  for (const [key, { data }] of Object.entries(args)) {
    if (Number(key.split(':')[0]) !== RouteParamtypes.QUERY) continue;
    if (typeof data !== 'string') return { dto: true };
    names.add(data);
  }
  return { dto: false, names };
}

/**
 * Refuses query parameters a route does not declare, on every method, as
 * the validation pipe does for the routes with a query DTO (400
 * `validation_failed`, the unknown keys named in `details`). A parameter a
 * route ignores would otherwise look accepted (`DELETE ...?soft=true`).
 * Installed after the application's guards (a request without a session is
 * still a 401) and before any interceptor, so an upload is refused before
 * its body is read.
 */
@Injectable()
export class UnknownQueryGuard implements CanActivate {
  private readonly routes = new WeakMap<object, Map<string, QueryKeys>>();

  canActivate(context: ExecutionContext): boolean {
    if (context.getType() === 'http') {
      const keys = Object.keys(context.switchToHttp().getRequest<Request>().query ?? {});
      if (keys.length > 0) this.check(context, keys);
    }
    return true;
  }

  private check(context: ExecutionContext, keys: string[]): void {
    const accepted = this.accepted(context.getClass(), context.getHandler().name);
    if (accepted.dto) return;
    const unknown = keys.filter((key) => !accepted.names.has(key));
    if (unknown.length === 0) return;
    const collected = flattenValidationErrors(
      unknown.map((property) => ({ property, children: [], constraints: { whitelistValidation: `property ${property} should not exist` } })),
    );
    throw new DomainError('validation_failed', summaryOf(collected), collected.details);
  }

  private accepted(controller: object, handler: string): QueryKeys {
    let byHandler = this.routes.get(controller);
    if (!byHandler) this.routes.set(controller, (byHandler = new Map()));
    let keys = byHandler.get(handler);
    if (!keys) byHandler.set(handler, (keys = queryKeysOf(controller, handler)));
    return keys;
  }
}
