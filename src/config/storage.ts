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

/**
 * A setting that also answers to an older name (the names earlier deployments
 * used): either may be set, both only with the same value.
 */
function aliased(env: EnvReader, name: string, alias: string): string | undefined {
  const value = env.optionalString(name);
  const aliasValue = env.optionalString(alias);
  if (value !== undefined && aliasValue !== undefined && value !== aliasValue) {
    throw new ConfigError(`${name} and ${alias} (its other name) are both set, to different values: set only one`);
  }
  return value ?? aliasValue;
}

/**
 * FILE_STORAGE, or S3_ENABLED (true: s3, false: postgres) as earlier
 * deployments said it; both set must agree.
 */
function readStorageKind(env: EnvReader): FileStorageKind {
  const kind = env.raw('FILE_STORAGE') === undefined ? undefined : env.oneOf<FileStorageKind>('FILE_STORAGE', ['postgres', 's3'], 'postgres');
  const enabled = env.raw('S3_ENABLED') === undefined ? undefined : env.boolean('S3_ENABLED', false);
  const fromEnabled: FileStorageKind | undefined = enabled === undefined ? undefined : enabled ? 's3' : 'postgres';
  if (kind !== undefined && fromEnabled !== undefined && kind !== fromEnabled) {
    throw new ConfigError(`FILE_STORAGE=${kind} and S3_ENABLED=${env.raw('S3_ENABLED')} disagree: set only FILE_STORAGE`);
  }
  return kind ?? fromEnabled ?? 'postgres';
}

function readS3Config(env: EnvReader): S3Config {
  const bucket = env.optionalString('S3_BUCKET');
  if (!bucket) throw new ConfigError('S3_BUCKET must be set when FILE_STORAGE is s3');
  const accessKeyId = aliased(env, 'S3_ACCESS_KEY_ID', 'S3_ACCESS_KEY');
  const secretAccessKey = aliased(env, 'S3_SECRET_ACCESS_KEY', 'S3_SECRET_KEY');
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError(
      'S3_ACCESS_KEY_ID (or S3_ACCESS_KEY) and S3_SECRET_ACCESS_KEY (or S3_SECRET_KEY) must be set together (or both left unset for the default credentials)',
    );
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
  const kind = readStorageKind(env);
  return {
    kind,
    s3: kind === 's3' ? readS3Config(env) : undefined,
    deleteRetryMs: env.integer('FILE_DELETE_RETRY_MS', { default: 60_000, min: 100, max: 3_600_000 }),
  };
}
