import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import type { AppLogger } from '../common/logging/logger.js';
import { InjectLogger } from '../common/logging/logging.module.js';
import { TransferPacer } from './transfer-pacer.js';
import { FilesService } from './files.service.js';
import { UploadSpool } from './upload-spool.js';

/** How long another machine's leftovers are kept (it may share the folder and still be uploading). */
const FOREIGN_LEFTOVER_MS = 24 * 60 * 60 * 1000;
const HOST = hostname().replace(/[^A-Za-z0-9-]/g, '-') || 'host';
/** The instances running in this process (more than one only in tests), by the token their spools carry. */
const liveInstances = new Set<string>();

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Whether a spool folder (named host.pid.instance.random) is a leftover: made
 * on this machine by a process that is gone, or by an earlier process with
 * this very pid (as a restarted container has), or on another machine long ago.
 */
async function isLeftover(root: string, name: string): Promise<boolean> {
  const match = /^(.+)\.(\d+)\.([0-9a-f]{8})\.[^.]+$/.exec(name);
  if (!match) return true;
  const [, host, pid, instance] = match;
  if (host === HOST) return Number(pid) === process.pid ? !liveInstances.has(instance) : !isAlive(Number(pid));
  const info = await stat(join(root, name)).catch(() => undefined);
  return info !== undefined && Date.now() - info.mtimeMs > FOREIGN_LEFTOVER_MS;
}

/**
 * Opens a spool per upload in the configured temporary folder, with the
 * user's remaining quota learnt as the upload starts. At start it removes
 * what a crashed process left behind; every spool removes its own folder
 * when its request ends, however it ends.
 */
@Injectable()
export class UploadSpools implements OnModuleInit, OnModuleDestroy {
  private readonly instance = randomBytes(4).toString('hex');

  constructor(
    @InjectConfig() private readonly config: AppConfig,
    private readonly files: FilesService,
    private readonly pacer: TransferPacer,
    @InjectLogger() private readonly logger: AppLogger,
  ) {}

  async onModuleInit(): Promise<void> {
    liveInstances.add(this.instance);
    const root = this.config.uploads.tempDir;
    // Default modes: a restrictive one would also close the folders made above it (DATA_DIR, which the
    // embedded database must enter); each spool is made private by mkdtemp (0700) and its files 0600.
    await mkdir(root, { recursive: true });
    let removed = 0;
    for (const name of await readdir(root)) {
      if (!(await isLeftover(root, name))) continue;
      await rm(join(root, name), { recursive: true, force: true });
      removed++;
    }
    if (removed > 0) this.logger.info({ removed, folder: root }, 'removed uploads left behind by an earlier process');
  }

  onModuleDestroy(): void {
    liveInstances.delete(this.instance);
  }

  async open(userId: string): Promise<UploadSpool> {
    const { maxFileBytes, maxFilesPerRequest, maxBytesPerUser, maxFilesPerUser, tempDir } = this.config.uploads;
    const usage = await this.files.usage(userId);
    await mkdir(tempDir, { recursive: true });
    const dir = await mkdtemp(join(tempDir, `${HOST}.${process.pid}.${this.instance}.`));
    return new UploadSpool(dir, {
      maxFileBytes,
      maxFiles: maxFilesPerRequest,
      remainingBytes: Math.max(0, maxBytesPerUser - usage.bytes),
      quotaBytes: maxBytesPerUser,
      remainingFiles: Math.max(0, maxFilesPerUser - usage.files),
      quotaFiles: maxFilesPerUser,
    }, (bytes) => this.pacer.take(userId, bytes));
  }
}
