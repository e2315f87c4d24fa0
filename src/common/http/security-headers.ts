import type { IncomingMessage, ServerResponse } from 'node:http';
import type { NextFunction, Request, Response } from 'express';
import helmet, { type HelmetOptions } from 'helmet';

/**
 * Helmet's headers, worked out once: with fixed options (no per-request
 * nonce) every answer gets the same ones, so they are read off one run of
 * helmet at start and copied onto each response.
 */
export function securityHeaders(options: Readonly<HelmetOptions>) {
  const headers: Array<[string, string]> = [];
  const recorder = {
    setHeader: (name: string, value: string | number | readonly string[]) => headers.push([name, String(value)]),
    removeHeader: () => undefined,
  };
  let ran = false;
  helmet(options)({} as IncomingMessage, recorder as unknown as ServerResponse, () => (ran = true));
  if (!ran || headers.length === 0) throw new Error('helmet did not set its headers synchronously');
  return (_request: Request, response: Response, next: NextFunction) => {
    for (const [name, value] of headers) response.setHeader(name, value);
    next();
  };
}
