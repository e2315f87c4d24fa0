import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import { RefusalGate } from './refusal-gate.js';

/** A request with a body from `address`, and a response that records what was sent and emits `finish`. */
function exchange(address: string, cookie?: string) {
  const request = {
    method: 'POST',
    ip: address,
    socket: { remoteAddress: address },
    headers: { 'content-length': '10', ...(cookie ? { cookie } : {}) },
    complete: true,
  } as unknown as Request;
  const sent: { status?: number; body?: any } = {};
  const response = Object.assign(new EventEmitter(), {
    locals: {} as Record<string, unknown>,
    headersSent: false,
    setHeader: () => undefined,
    status(code: number) {
      sent.status = code;
      return this;
    },
    json(body: unknown) {
      sent.body = body;
      return this;
    },
  }) as unknown as Response;
  return { request, response, sent };
}

/** Passes one request through the gate; `code` is the error its handler answers, if any. Says whether it was let through. */
function pass(gate: RefusalGate, address: string, code?: string, cookie?: string): boolean {
  const { request, response } = exchange(address, cookie);
  let through = false;
  gate.middleware()(request, response, () => {
    through = true;
  });
  if (through) {
    if (code) response.locals.errorCode = code;
    response.emit('finish');
  }
  return through;
}

describe('RefusalGate', () => {
  const limits = { perClient: 2, perAddress: 4, windowSeconds: 10, maxTracked: 3 };

  it('lets a client through until its refusals reach the bound, then until the window ends', () => {
    let now = 0;
    const gate = new RefusalGate(limits, ['sid'], () => now);
    expect(pass(gate, '10.0.0.1', 'payload_too_large')).toBe(true);
    expect(pass(gate, '10.0.0.1', 'unsupported_media_type')).toBe(true);
    expect(pass(gate, '10.0.0.1')).toBe(false);
    now = 9_999;
    expect(pass(gate, '10.0.0.1')).toBe(false);
    now = 10_000;
    expect(pass(gate, '10.0.0.1')).toBe(true);
  });

  it('counts only refusals of bodies, not answers about their content', () => {
    const gate = new RefusalGate(limits, ['sid'], () => 0);
    for (let index = 0; index < 10; index++) expect(pass(gate, '10.0.0.2', index % 2 ? 'validation_failed' : 'invalid_credentials')).toBe(true);
  });

  it('does nothing when turned off', () => {
    const gate = new RefusalGate({ ...limits, perClient: 0 }, ['sid'], () => 0);
    for (let index = 0; index < 10; index++) expect(pass(gate, '10.0.0.3', 'payload_too_large')).toBe(true);
    expect(gate.tracked).toBe(0);
  });

  it('remembers at most maxTracked clients, forgetting the oldest first', () => {
    const gate = new RefusalGate(limits, ['sid'], () => 0);
    for (let index = 0; index < 100; index++) pass(gate, `10.1.0.${index}`, 'payload_too_large');
    expect(gate.tracked).toBe(3);
  });

  it('keys a client by its session cookie, and its address by a bound of its own', () => {
    const gate = new RefusalGate(limits, ['sid'], () => 0);
    pass(gate, '10.0.0.4', 'payload_too_large', 'theme=dark; sid=one');
    pass(gate, '10.0.0.4', 'payload_too_large', 'sid=one');
    expect(pass(gate, '10.0.0.4', undefined, 'sid=one')).toBe(false);
    expect(pass(gate, '10.0.0.4', 'payload_too_large', 'sid=two')).toBe(true);
    expect(pass(gate, '10.0.0.4', 'payload_too_large', 'xsid=two; sid=three')).toBe(true);
    // Four refusals from the address in all: every client of it now waits.
    expect(pass(gate, '10.0.0.4', undefined, 'sid=four')).toBe(false);
  });
});
