import { performance } from 'node:perf_hooks';
import { unitConfig } from '../config/testing/unit-config.js';
import { TransferPacer } from './transfer-pacer.js';

const MIB = 1024 ** 2;

async function elapsedMs(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

describe('TransferPacer', () => {
  const pacer = () => new TransferPacer(unitConfig({ USER_TRANSFER_BYTES_PER_SECOND: '4mb', USER_TRANSFER_BURST_BYTES: '1mb' }));

  it('lets a burst through at once, then makes the same user wait for the bytes past it', async () => {
    const paced = pacer();
    expect(await elapsedMs(() => paced.take('ada', MIB))).toBeLessThan(200);
    // 2 MiB over the burst at 4 MiB/s: half a second at least.
    expect(await elapsedMs(() => paced.take('ada', 2 * MIB))).toBeGreaterThanOrEqual(450);
  });

  it('keeps one allowance per user: another user is not slowed by the first', async () => {
    const paced = pacer();
    await paced.take('ada', MIB);
    const waiting = paced.take('ada', 4 * MIB);
    expect(await elapsedMs(() => paced.take('bob', MIB))).toBeLessThan(200);
    await waiting;
  });

  it('paces a stream of chunks and yields every byte in order', async () => {
    const paced = pacer();
    async function* chunks() {
      for (let index = 0; index < 6; index++) yield Buffer.alloc(MIB / 2, index);
    }
    const seen: number[] = [];
    const ms = await elapsedMs(async () => {
      for await (const chunk of paced.paced('ada', chunks())) seen.push(chunk[0]);
    });
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    // 3 MiB with a 1 MiB burst at 4 MiB/s.
    expect(ms).toBeGreaterThanOrEqual(450);
  });

  it('stops waiting when the caller gives up', async () => {
    const paced = pacer();
    await paced.take('ada', MIB);
    const controller = new AbortController();
    const waiting = paced.take('ada', 40 * MIB, controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow(/abort/i);
  });

  it('passes everything at once when pacing is off (0)', async () => {
    const off = new TransferPacer(unitConfig({ USER_TRANSFER_BYTES_PER_SECOND: '0' }));
    expect(await elapsedMs(() => off.take('ada', 1024 * MIB))).toBeLessThan(50);
  });

  it('defaults to 8 MiB/s after a burst of two of the largest files', () => {
    expect(unitConfig().uploads).toMatchObject({ transferBytesPerSecond: 8 * MIB, transferBurstBytes: 40 * MIB });
  });
});
