import { Writable } from 'node:stream';

/** Collects the application's JSON log lines so tests can search them. */
export class LogCapture extends Writable {
  private readonly chunks: string[] = [];

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.chunks.push(chunk.toString('utf8'));
    if (process.env.TEST_LOGS === '1') process.stdout.write(chunk);
    callback();
  }

  text(): string {
    return this.chunks.join('');
  }

  entries(): Array<Record<string, unknown>> {
    return this.text()
      .split('\n')
      .filter((line) => line.trim().length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}
