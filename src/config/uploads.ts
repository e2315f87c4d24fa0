import { join, resolve } from 'node:path';
import type { EnvReader } from './env-reader.js';

export interface UploadsConfig {
  maxFileBytes: number;
  maxFilesPerRequest: number;
  maxBytesPerUser: number;
  /** Files one account may keep, however small. */
  maxFilesPerUser: number;
  maxRequestBytes: number;
  /** Each user imports from their own folder under it: <importRoot>/<userId>. */
  importRoot: string | undefined;
  /** Where upload parts wait, on disk, until they are stored or refused. */
  tempDir: string;
  /** File bytes one user moves per second, in and out, once the burst is spent (0: no pacing). */
  transferBytesPerSecond: number;
  transferBurstBytes: number;
}

export interface UpstreamSyncConfig {
  enabled: boolean;
  pollIntervalMs: number;
  maxAttempts: number;
}

export function readUploadsConfig(env: EnvReader, dataDir: string): UploadsConfig {
  const maxFileBytes = env.byteSize('UPLOAD_MAX_FILE_BYTES', 20 * 1024 ** 2);
  const importRoot = env.optionalString('UPLOAD_IMPORT_ROOT');
  return {
    maxFileBytes,
    maxFilesPerRequest: env.integer('UPLOAD_MAX_FILES', { default: 100, min: 1, max: 10_000 }),
    maxBytesPerUser: env.byteSize('UPLOAD_MAX_BYTES_PER_USER', 1024 ** 3),
    maxFilesPerUser: env.integer('UPLOAD_MAX_FILES_PER_USER', { default: 10_000, min: 1 }),
    maxRequestBytes: env.byteSize('UPLOAD_MAX_REQUEST_BYTES', 200 * 1024 ** 2),
    importRoot: importRoot === undefined ? undefined : resolve(importRoot),
    tempDir: resolve(env.string('UPLOAD_TEMP_DIR', join(dataDir, 'upload-tmp'))),
    transferBytesPerSecond: env.optionalString('USER_TRANSFER_BYTES_PER_SECOND') === '0' ? 0 : env.byteSize('USER_TRANSFER_BYTES_PER_SECOND', 8 * 1024 ** 2),
    // Two files of the largest size go through unpaced.
    transferBurstBytes: Math.max(env.byteSize('USER_TRANSFER_BURST_BYTES', 2 * maxFileBytes), 1024 ** 2),
  };
}

export function readUpstreamSyncConfig(env: EnvReader): UpstreamSyncConfig {
  return {
    enabled: env.boolean('UPSTREAM_SYNC_ENABLED', true),
    pollIntervalMs: env.integer('UPSTREAM_SYNC_POLL_MS', { default: 1_000, min: 10, max: 60_000 }),
    maxAttempts: env.integer('UPSTREAM_SYNC_MAX_ATTEMPTS', { default: 5, min: 1, max: 100 }),
  };
}
