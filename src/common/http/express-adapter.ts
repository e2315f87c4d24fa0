import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import type { NestApplicationOptions } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import type { Express } from 'express';

// The mixin form TypeScript requires for `class extends`.
type Constructor = new (...args: any[]) => object;

/**
 * A subclass of Node's request or response constructor whose prototype
 * takes the place of the app's `request` or `response` (and inherits from
 * it): Node builds every object with the prototype Express would give it.
 */
function bornAs<T extends Constructor>(base: T, app: Express, key: 'request' | 'response'): T {
  const Born = class extends (base as Constructor) {};
  Object.setPrototypeOf(Born.prototype, app[key]);
  (app as Record<typeof key, unknown>)[key] = Born.prototype;
  return Born as T;
}

/**
 * Express gives every request and response its own prototype
 * (`Object.setPrototypeOf(req, app.request)`) after Node has built them.
 * V8 then takes each object off its shared hidden classes: every property
 * set afterwards (by Express, the router, Nest and our middleware) makes new
 * hidden classes for that one object, a dozen per request, and every inline
 * cache that sees them turns megamorphic. Built with that prototype from the
 * start (a subclass, so that V8 sizes the objects for their fields), the
 * call changes nothing and the objects keep shared shapes. Only the plain
 * HTTP server is built here; the options this adapter does not handle take
 * Nest's own path.
 */
export class StableShapesExpressAdapter extends ExpressAdapter {
  override initHttpServer(options: NestApplicationOptions): void {
    if (options.httpsOptions || options.return503OnClosing || options.forceCloseConnections) return super.initHttpServer(options);
    const app = this.getInstance<Express>();
    this.httpServer = createServer(
      {
        IncomingMessage: bornAs<typeof IncomingMessage>(IncomingMessage, app, 'request'),
        ServerResponse: bornAs<typeof ServerResponse>(ServerResponse, app, 'response'),
      },
      app,
    );
  }
}
