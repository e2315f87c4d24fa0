import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { figure, type Scenario } from '../lib/context.js';
import { load } from '../lib/load.js';
import { startBareServer } from '../lib/bare-server.js';
import { median } from '../lib/stats.js';

const S = 'machine';

/** Milliseconds of `SELECT 1` round trips, `gapMs` apart. */
async function roundTrips(client: pg.Client, count: number, gapMs: number): Promise<number[]> {
  const times: number[] = [];
  for (let index = 0; index < count; index++) {
    if (gapMs > 0) await sleep(gapMs);
    const started = performance.now();
    await client.query('SELECT 1');
    times.push(performance.now() - started);
  }
  return times;
}

/**
 * How fast the machine was during the run, so runs on different days (or
 * machines) can be compared: a PostgreSQL round trip back to back and after
 * 25 ms of quiet (the process and the server both sleep in between, as at
 * one stream), and what a bare node:http server that runs one query per
 * request serves at 50 connections (the ceiling for /health).
 */
export const machine: Scenario = async (context) => {
  const client = new pg.Client({ connectionString: context.db.url });
  await client.connect();
  let backToBack: number[];
  let afterQuiet: number[];
  try {
    await roundTrips(client, 100, 0);
    backToBack = await roundTrips(client, 300, 0);
    afterQuiet = await roundTrips(client, 200, 25);
  } finally {
    await client.end();
  }

  const server = await startBareServer(context.db.url);
  try {
    await load(server.url, { connections: 50, seconds: 2 });
    const rounds: number[] = [];
    for (let round = 0; round < context.runs; round++) rounds.push((await load(server.url, { connections: 50, seconds: 5 })).requestsPerSecond);
    context.log(`  round trips: back to back p50 ${median(backToBack).toFixed(3)} ms, after 25 ms quiet p50 ${median(afterQuiet).toFixed(3)} ms; bare server ${rounds.join(', ')} req/s`);
    return {
      figures: [
        figure(S, 'PostgreSQL round trip, back to back (p50)', Math.round(median(backToBack) * 1000) / 1000, 'ms'),
        figure(S, 'PostgreSQL round trip after 25 ms of quiet (p50)', Math.round(median(afterQuiet) * 1000) / 1000, 'ms'),
        figure(S, 'bare node:http + SELECT 1 @50 (ceiling for /health)', median(rounds), 'req/s'),
      ],
      details: { backToBackMs: backToBack, afterQuietMs: afterQuiet, bareServerRequestsPerSecond: rounds },
    };
  } finally {
    await server.stop();
  }
};
