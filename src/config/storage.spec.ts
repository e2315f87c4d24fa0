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
    expect(() => read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ACCESS_KEY_ID: 'id' })).toThrow(/S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY/);
    expect(() => read({ FILE_STORAGE: 's3', S3_BUCKET: 'b', S3_ENDPOINT: 'not a url' })).toThrow(/S3_ENDPOINT/);
    expect(() => read({ FILE_STORAGE: 'disk' })).toThrow(/FILE_STORAGE must be one of postgres, s3/);
  });
});
