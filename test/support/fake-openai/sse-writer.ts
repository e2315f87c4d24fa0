import { once } from 'node:events';
import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { StreamStep } from './response-events.js';
import { standardHeaders } from './wire.js';

/** Frames joined into one socket write while nothing needs pacing. */
const FRAMES_PER_WRITE = 64;

export interface EventStreamOptions {
  firstDeltaDelayMs: number;
  deltaDelayMs: number;
  /** Aborts when the client disconnects or the fake stops. */
  signal: AbortSignal;
  /** Called before the fake cuts the connection itself. */
  closingByFake: () => void;
}

/**
 * Writes the steps as a text/event-stream. Without delays, frames are batched into few large
 * writes that respect backpressure; with delays, each stream waits on one timer at a time.
 */
export async function writeEventStream(
  res: ServerResponse,
  steps: Iterable<StreamStep>,
  { firstDeltaDelayMs, deltaDelayMs, signal, closingByFake }: EventStreamOptions,
): Promise<void> {
  res.writeHead(200, {
    ...standardHeaders(),
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
  const batch: string[] = [];
  let deltasWritten = 0;
  try {
    for (const step of steps) {
      if (signal.aborted) return;
      if (step.kind === 'cut') {
        closingByFake();
        cutConnection(res, batch.join(''));
        return;
      }
      if (step.kind === 'stall') {
        await flush(res, batch, signal);
        await untilAborted(signal);
        return;
      }
      if (step.kind === 'delta') {
        const delayMs = deltasWritten === 0 ? firstDeltaDelayMs : deltaDelayMs;
        deltasWritten++;
        if (delayMs > 0) {
          await flush(res, batch, signal);
          await sleep(delayMs, undefined, { signal });
        }
      }
      batch.push(step.frame);
      if (batch.length >= FRAMES_PER_WRITE) await flush(res, batch, signal);
    }
    await flush(res, batch, signal);
    res.end();
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}

async function flush(res: ServerResponse, batch: string[], signal: AbortSignal): Promise<void> {
  if (batch.length === 0) return;
  const accepted = res.write(batch.join(''));
  batch.length = 0;
  if (!accepted) await once(res, 'drain', { signal });
}

/**
 * Closes the connection in the middle of the chunked body, after what was written so far has
 * gone out: the client sees the body end without its final chunk.
 */
export function cutConnection(res: ServerResponse, pending: string): void {
  if (pending) res.write(pending);
  const socket = res.socket;
  socket?.end(() => socket.destroy());
}

export function untilAborted(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
