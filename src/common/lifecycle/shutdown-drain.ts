/**
 * Work in flight that a graceful shutdown waits for (replies being written,
 * for instance). Common code knows only this; the feature that owns the work
 * provides it under SHUTDOWN_DRAIN.
 */
export interface ShutdownDrain {
  /** How many pieces of work are in flight. */
  readonly inFlight: number;
  /** Waits for the work to finish on its own, up to the deadline; true if it all did. */
  drain(timeoutMs: number): Promise<boolean>;
  /** Ends what is left (storing what it can), and waits until it has. */
  stopRemaining(): Promise<void>;
}

export const SHUTDOWN_DRAIN = Symbol('ShutdownDrain');
