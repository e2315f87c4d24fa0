import { Writable } from 'node:stream';
import { createLogger, NestPinoLogger, prettyLogs } from './logger.js';

/** Collects what the logger writes. */
class Lines extends Writable {
  readonly text: string[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.text.push(chunk.toString('utf8'));
    callback();
  }
  entries(): Array<Record<string, unknown>> {
    return this.text
      .join('')
      .split('\n')
      .filter((line) => line.length > 0)
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

describe('prettyLogs (LOG_PRETTY)', () => {
  it('with auto, prints readable lines only in development on a terminal', () => {
    expect(prettyLogs({ pretty: 'auto', nodeEnv: 'development', isTTY: true })).toBe(true);
    expect(prettyLogs({ pretty: 'auto', nodeEnv: 'development', isTTY: false })).toBe(false);
    expect(prettyLogs({ pretty: 'auto', nodeEnv: 'production', isTTY: true })).toBe(false);
    expect(prettyLogs({ pretty: 'auto', nodeEnv: 'test', isTTY: true })).toBe(false);
  });

  it('follows an explicit true or false whatever the environment', () => {
    expect(prettyLogs({ pretty: 'false', nodeEnv: 'development', isTTY: true })).toBe(false);
    expect(prettyLogs({ pretty: 'true', nodeEnv: 'production', isTTY: false })).toBe(true);
  });
});

describe('NestPinoLogger', () => {
  it("logs Nest's route map at debug level and its other messages at info", () => {
    const lines = new Lines();
    const nest = new NestPinoLogger(createLogger('debug', lines));
    nest.log('AuthController {/api}:', 'RoutesResolver');
    nest.log('Mapped {/api/login, POST} route', 'RouterExplorer');
    nest.log('Nest application successfully started', 'NestApplication');
    expect(lines.entries().map((entry) => [entry.context, entry.level])).toEqual([
      ['RoutesResolver', 'debug'],
      ['RouterExplorer', 'debug'],
      ['NestApplication', 'info'],
    ]);
  });

  it('leaves the route map out at info level', () => {
    const lines = new Lines();
    const nest = new NestPinoLogger(createLogger('info', lines));
    nest.log('Mapped {/api/login, POST} route', 'RouterExplorer');
    nest.log('Nest application successfully started', 'NestApplication');
    expect(lines.entries().map((entry) => entry.msg)).toEqual(['Nest application successfully started']);
  });
});
