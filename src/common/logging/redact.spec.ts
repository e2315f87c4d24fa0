import { Writable } from 'node:stream';
import { createLogger } from './logger.js';
import { redact, REDACTED } from './redact.js';

describe('log redaction', () => {
  it('masks values under credential-like names, at any depth', () => {
    expect(
      redact({
        headers: { cookie: 'sid=abc', authorization: 'Bearer t', 'x-request-id': 'r1' },
        body: { email: 'a@example.org', password: 'hunter22', newPassword: 'x', apiKey: 'k', nested: [{ secret: 's', token: 't' }] },
        encryptionKey: 'e',
        key: 'k',
        monkey: 'not a credential',
      }),
    ).toEqual({
      headers: { cookie: REDACTED, authorization: REDACTED, 'x-request-id': 'r1' },
      body: { email: 'a@example.org', password: REDACTED, newPassword: REDACTED, apiKey: REDACTED, nested: [{ secret: REDACTED, token: REDACTED }] },
      encryptionKey: REDACTED,
      key: REDACTED,
      monkey: 'not a credential',
    });
  });

  it('masks anything shaped like an OpenAI key, in values and in messages', () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const logger = createLogger('info', sink);
    logger.info({ detail: 'upstream said sk-proj-abcdefghijklmnop is invalid', error: new Error('bad key sk-abcdefghijklmnopqrst') }, 'saw sk-live-0123456789abcdef');
    const text = lines.join('');
    expect(text).not.toMatch(/sk-(proj|live)?-?[A-Za-z0-9]{8,}/);
    expect(text).toContain('sk-[redacted]');
  });

  it('masks the object storage credentials under their setting and config names', () => {
    const storage = {
      S3_ACCESS_KEY_ID: 'AKIAEXAMPLE',
      S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI',
      S3_ACCESS_KEY: 'AKIAEXAMPLE',
      S3_SECRET_KEY: 'wJalrXUtnFEMI',
      s3: { bucket: 'files', accessKeyId: 'AKIAEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI' },
    };
    const masked = redact(storage);
    expect(JSON.stringify(masked)).not.toMatch(/AKIAEXAMPLE|wJalrXUtnFEMI/);
    expect(masked).toMatchObject({ S3_ACCESS_KEY_ID: REDACTED, S3_SECRET_ACCESS_KEY: REDACTED, S3_ACCESS_KEY: REDACTED, S3_SECRET_KEY: REDACTED, s3: { bucket: 'files' } });
  });
});
