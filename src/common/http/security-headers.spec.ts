import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, Response } from 'express';
import helmet from 'helmet';
import { securityHeaders } from './security-headers.js';

const OPTIONS = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
  crossOriginResourcePolicy: { policy: 'same-origin' as const },
};

function recordingResponse() {
  const headers = new Map<string, string>();
  return { headers, setHeader: (name: string, value: unknown) => headers.set(name.toLowerCase(), String(value)), removeHeader: () => undefined };
}

describe('securityHeaders', () => {
  it('sets on every response exactly the headers helmet sets, worked out once', () => {
    const expected = recordingResponse();
    helmet(OPTIONS)({} as IncomingMessage, expected as unknown as ServerResponse, () => undefined);
    const middleware = securityHeaders(OPTIONS);
    for (let round = 0; round < 2; round++) {
      const actual = recordingResponse();
      let nextCalls = 0;
      middleware({} as Request, actual as unknown as Response, () => nextCalls++);
      expect(nextCalls).toBe(1);
      expect([...actual.headers]).toEqual([...expected.headers]);
    }
    expect(expected.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(expected.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
