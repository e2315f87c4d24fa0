import { ConfigError, type EnvReader } from './env-reader.js';

export type FileStorageKind = 'postgres' | 's3';

/** An S3-compatible service (AWS S3, MinIO, Ceph, R2 ...) holding the file bytes. */
export interface S3Config {
  /** Unset: AWS S3 itself, for the region. */
  endpoint: string | undefined;
  region: string;
  bucket: string;
  /** Both unset: the SDK's own credential chain (instance role, AWS_* variables, profiles). */
  credentials: { accessKeyId: string; secretAccessKey: string } | undefined;
  /** Buckets in the path (http://host/bucket/key), as most self-hosted services want. */
  forcePathStyle: boolean;
}

export interface FileStorageConfig {
  /** Where file bytes live: PostgreSQL (default) or S3. */
  kind: FileStorageKind;
  s3: S3Config | undefined;
  /** How often bytes whose removal failed are tried again (doubling per failure, up to 64 times this). */
  deleteRetryMs: number;
}

function readS3Config(env: EnvReader): S3Config {
  const bucket = env.optionalString('S3_BUCKET');
  if (!bucket) throw new ConfigError('S3_BUCKET must be set when FILE_STORAGE is s3');
  const accessKeyId = env.optionalString('S3_ACCESS_KEY_ID');
  const secretAccessKey = env.optionalString('S3_SECRET_ACCESS_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY must be set together (or both left unset for the default credentials)');
  }
  return {
    endpoint: env.url('S3_ENDPOINT'),
    region: env.string('S3_REGION', 'us-east-1'),
    bucket,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    forcePathStyle: env.boolean('S3_FORCE_PATH_STYLE', false),
  };
}

export function readFileStorageConfig(env: EnvReader): FileStorageConfig {
  const kind = env.oneOf<FileStorageKind>('FILE_STORAGE', ['postgres', 's3'], 'postgres');
  return {
    kind,
    s3: kind === 's3' ? readS3Config(env) : undefined,
    deleteRetryMs: env.integer('FILE_DELETE_RETRY_MS', { default: 60_000, min: 100, max: 3_600_000 }),
  };
}
