import { REPEAT_WINDOW_MS, StopRequests } from './stop-requests.js';

/** A StopRequests whose clock the test moves. */
function withClock(): { requests: StopRequests; at(ms: number): void } {
  let now = 1_000_000;
  const start = now;
  return { requests: new StopRequests(REPEAT_WINDOW_MS, () => now), at: (ms) => (now = start + ms) };
}

describe('StopRequests', () => {
  it("takes npm's forwarded copy of a Ctrl-C (a few milliseconds later) as the same request", () => {
    const { requests, at } = withClock();
    expect(requests.classify()).toBe('stop');
    at(15);
    expect(requests.classify()).toBe('same');
    at(REPEAT_WINDOW_MS - 1);
    expect(requests.classify()).toBe('same');
  });

  it('stops now on a request after the window, and exits at once on one after that', () => {
    const { requests, at } = withClock();
    requests.classify();
    at(REPEAT_WINDOW_MS);
    expect(requests.classify()).toBe('stop-now');
    // The insisting Ctrl-C also arrives twice: its copy is the same request.
    at(REPEAT_WINDOW_MS + 10);
    expect(requests.classify()).toBe('same');
    at(2 * REPEAT_WINDOW_MS + 5);
    expect(requests.classify()).toBe('exit-now');
  });

  it('never escalates on a request that may not (the primary telling a worker to stop)', () => {
    const { requests, at } = withClock();
    expect(requests.classify(false)).toBe('stop');
    at(5 * REPEAT_WINDOW_MS);
    expect(requests.classify(false)).toBe('same');
    expect(requests.classify()).toBe('stop-now');
  });

  it('lets a stop message start the stop when it comes first', () => {
    const { requests } = withClock();
    expect(requests.classify(false)).toBe('stop');
    expect(requests.classify()).toBe('same');
  });
});
