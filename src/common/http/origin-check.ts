import type { NextFunction, Request, Response } from 'express';
import { bearerTokenOf } from '../auth/bearer.js';
import { DomainError } from '../errors/domain-error.js';
import { sendError } from '../errors/error-envelope.js';

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

function ownOrigin(request: Request): string {
  return `${request.protocol}://${request.get('host') ?? ''}`;
}

/**
 * Refuses state-changing requests that a browser sends from another site
 * (cookie-based auth would otherwise let any page act for the user).
 * Sec-Fetch-Site decides when present, then Origin; clients that send
 * neither (curl, scripts) are not browsers and pass. A request that carries
 * a personal API token is not checked: it does not act with the browser's
 * cookie, and a page of another site cannot send the header without the
 * preflight that only configured origins pass.
 */
export function originCheck(allowedOrigins: string[]) {
  const allowed = new Set(allowedOrigins);
  const isAllowedOrigin = (request: Request, origin: string | undefined) =>
    origin !== undefined && origin !== 'null' && (origin === ownOrigin(request) || allowed.has(origin));

  return (request: Request, response: Response, next: NextFunction) => {
    if (!UNSAFE_METHODS.has(request.method) || bearerTokenOf(request) !== undefined) return next();
    const fetchSite = request.headers['sec-fetch-site'];
    const origin = request.headers.origin;
    let permitted: boolean;
    if (typeof fetchSite === 'string') {
      permitted = fetchSite === 'same-origin' || fetchSite === 'none' || isAllowedOrigin(request, origin);
    } else if (origin !== undefined) {
      permitted = isAllowedOrigin(request, origin);
    } else {
      permitted = true;
    }
    if (permitted) return next();
    sendError(
      response,
      new DomainError('cross_site_request', 'Cross-site requests are refused; use this site or a configured origin'),
      request.id,
    );
  };
}
