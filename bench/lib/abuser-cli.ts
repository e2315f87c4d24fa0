/**
 * The abuser in its own process (started by the neighbour scenario), so that
 * writing its uploads and reading its answers cost the bench process nothing
 * while it times the victim. argv[2]: JSON {options, deadline (epoch ms), graceMs};
 * prints one JSON line with what the abuser did and got.
 */
import { performance } from 'node:perf_hooks';
import { Abuser, type AbuserOptions } from './abuser.js';

const { options, deadline, graceMs } = JSON.parse(process.argv[2] ?? '{}') as { options: AbuserOptions; deadline: number; graceMs: number };
const abuser = new Abuser(options);
const run = await abuser.run(performance.now() + (deadline - Date.now()), graceMs);
process.stdout.write(
  `${JSON.stringify({ ...run, answers: abuser.summary(), examples: Object.fromEntries(abuser.examples), byStatus: Object.fromEntries(abuser.byStatus()) })}\n`,
);
