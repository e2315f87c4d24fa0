import { Inject } from '@nestjs/common';

/** Counts how session reads were answered (provided by the metrics module). */
export interface SessionLookupCounter {
  sessionLookup(result: 'hit' | 'miss'): void;
}

export const SESSION_LOOKUP_COUNTER = Symbol('SessionLookupCounter');

export const InjectSessionLookupCounter = () => Inject(SESSION_LOOKUP_COUNTER);
