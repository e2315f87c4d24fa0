import type { RecordedRequest } from './request-log.js';
import type { RouteGroup } from './scripting.js';
import { untilAborted } from './sse-writer.js';

/**
 * A request the fake keeps waiting once it has arrived, before it acts on it
 * (and before any fault armed for it), until the test lets it through.
 */
export interface HeldRequest {
  /** Resolves with the request as soon as it has arrived and is being held. */
  readonly arrived: Promise<RecordedRequest>;
  /** Lets the request through, to be answered as usual; releasing before it arrives holds nothing. */
  release(): void;
}

class Hold implements HeldRequest {
  readonly arrived: Promise<RecordedRequest>;
  private readonly released: Promise<void>;
  private markArrived!: (request: RecordedRequest) => void;
  private markReleased!: () => void;

  constructor() {
    this.arrived = new Promise((resolve) => (this.markArrived = resolve));
    this.released = new Promise((resolve) => (this.markReleased = resolve));
  }

  release(): void {
    this.markReleased();
  }

  /** Waits for the release; false when the connection closed first (the request is then not answered). */
  async hold(request: RecordedRequest, signal: AbortSignal): Promise<boolean> {
    this.markArrived(request);
    await Promise.race([this.released, untilAborted(signal)]);
    return !signal.aborted;
  }
}

/** Holds armed with `holdNext`, consumed one per request to the route group. */
export class RequestHolds {
  private readonly armed = new Map<RouteGroup, Hold[]>();
  private readonly holding = new Set<Hold>();

  add(group: RouteGroup): HeldRequest {
    const hold = new Hold();
    this.armed.set(group, [...(this.armed.get(group) ?? []), hold]);
    return hold;
  }

  /** Holds the request when a hold is armed for its group; false when it must not be answered. */
  async pass(group: RouteGroup, request: RecordedRequest, signal: AbortSignal): Promise<boolean> {
    const hold = this.armed.get(group)?.shift();
    if (!hold) return true;
    this.holding.add(hold);
    try {
      return await hold.hold(request, signal);
    } finally {
      this.holding.delete(hold);
    }
  }

  /** Drops the armed holds and lets the held requests through. */
  reset(): void {
    this.armed.clear();
    for (const hold of this.holding) hold.release();
  }
}
