import { ConfigError, EnvReader } from './env-reader.js';
import { readFileStorageConfig } from './storage.js';

const read = (env: Record<string, string>) => readFileStorageConfig(new EnvReader(env));

describe('file storage settings', () => {
  it('keep bytes in PostgreSQL unless FILE_STORAGE says s3', () => {
    expect(read({})).toEqual({ kind: 'postgres', s3: undefined, deleteRetryMs: 60_000 });
    expect(read({ S3_BUCKET: 'ignored' }).kind).toBe('postgres');
  });

  it('read every S3 setting, with the region and path style defaulted', () => {
    const config = read({
      FILE_STORAGE: 's3',
      S3_ENDPOINT: 'http://127.0.0.1:9000',
      S3_BUCKET: 'files',
      S3_ACCESS_KEY_ID: 'id',
      S3_SECRET_ACCESS_KEY: 'secret',
      FILE_DELETE_RETRY_MS: '5000',
    });
    expect(config).toEqual({
      kind: 's3',
      s3: {
        endpoint: 'http://127.0.0.1:9000',
        region: 'us-east-1',
        bucket: 'files',
        credentials: { accessKeyId: 'id', secretAccessKey: 'secret' },
        forcePathStyle: false,
      },
      deleteRetryMs: 5000,
    });
    expect(read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_REGION: 'eu-west-3', S3_FORCE_PATH_STYLE: 'true' }).s3).toEqual({
      endpoint: undefined,
      region: 'eu-west-3',
      bucket: 'b',
      credentials: undefined,
      forcePathStyle: true,
    });
  });

  it('refuse to start without a bucket, with one half of the keys, or with an unknown storage', () => {
    expect(() => read({ FILE_STORAGE: 's3' })).toThrow(new ConfigError('S3_BUCKET must be set when FILE_STORAGE is s3'));
    expect(() => read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' })).toThrow(/S3_ACCESS_KEY_ID \(or S3_ACCESS_KEY\) and S3_SECRET_ACCESS_KEY \(or S3_SECRET_KEY\) must be set together/);
    expect(() => read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
    expect(() => read({ FILE_STORAGE: 'disk' })).toThrow(/FILE_STORAGE must be one of postgres, s3/);
  });

  describe('the names earlier deployments used', () => {
    it('S3_ENABLED=true means FILE_STORAGE=s3, S3_ENABLED=false the PostgreSQL default', () => {
      expect(read({ S3_ENABLED: 'true', S3_BUCKET: 'b' })).toMatchObject({ kind: 's3', s3: { bucket: 'b' } });
      expect(read({ S3_ENABLED: 'false', S3_BUCKET: 'b' })).toMatchObject({ kind: 'postgres', s3: undefined });
      expect(read({ S3_ENABLED: 'true', FILE_STORAGE: 's3', S3_BUCKET: 'b' }).kind).toBe('s3');
      expect(read({ S3_ENABLED: 'false', FILE_STORAGE: 'postgres' }).kind).toBe('postgres');
      expect(() => read({ S3_ENABLED: 'true' })).toThrow(new ConfigError('S3_BUCKET must be set when FILE_STORAGE is s3'));
      expect(() => read({ S3_ENABLED: 'maybe' })).toThrow(/S3_ENABLED must be true or false/);
    });

    it('S3_ACCESS_KEY is S3_ACCESS_KEY_ID', () => {
      const config = read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY: 'id', S3_SECRET_ACCESS_KEY: 'secret' });
      expect(config.s3!.credentials).toEqual({ accessKeyId: 'id', secretAccessKey: 'secret' });
      expect(read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY: 'id', S3_ACCESS_KEY_ID: 'id', S3_SECRET_ACCESS_KEY: 's' }).s3!.credentials).toEqual({
        accessKeyId: 'id',
        secretAccessKey: 's',
      });
    });

    it('S3_SECRET_KEY is S3_SECRET_ACCESS_KEY', () => {
      const config = read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id', S3_SECRET_KEY: 'secret' });
      expect(config.s3!.credentials).toEqual({ accessKeyId: 'id', secretAccessKey: 'secret' });
      // The whole set as seed deployments wrote it.
      expect(read({ S3_ENABLED: 'true', S3_ENDPOINT: 'http://127.0.0.1:9000', S3_ACCESS_KEY: 'a', S3_SECRET_KEY: 'z', S3_BUCKET: 'b' }).s3).toMatchObject({
        endpoint: 'http://127.0.0.1:9000',
        bucket: 'b',
        credentials: { accessKeyId: 'a', secretAccessKey: 'z' },
      });
      expect(() => read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_SECRET_KEY: 'secret' })).toThrow(/must be set together/);
    });

    it('refuse to start when a name and its other name disagree', () => {
      expect(() => read({ FILE_STORAGE: 'postgres', S3_ENABLED: 'true', S3_BUCKET: 'b' })).toThrow(
        new ConfigError('FILE_STORAGE=postgres and S3_ENABLED=true disagree: set only FILE_STORAGE'),
      );
      expect(() => read({ FILE_STORAGE: 's3', S3_ENABLED: 'false', S3_BUCKET: 'b' })).toThrow(/FILE_STORAGE=s3 and S3_ENABLED=false disagree/);
      const keys = { FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'one', S3_SECRET_ACCESS_KEY: 's' };
      expect(() => read({ ...keys, S3_ACCESS_KEY: 'two' })).toThrow(
        new ConfigError('S3_ACCESS_KEY_ID and S3_ACCESS_KEY (its other name) are both set, to different values: set only one'),
      );
      expect(() => read({ ...keys, S3_SECRET_KEY: 'other' })).toThrow(/S3_SECRET_ACCESS_KEY and S3_SECRET_KEY \(its other name\) are both set/);
    });
  });
});
