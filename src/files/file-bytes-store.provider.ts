import type { Provider } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Sql } from '../database/sql.js';
import { FileBytesStore } from './file-bytes-store.js';
import { PostgresBytesStore } from './postgres-bytes-store.js';
import { S3BytesStore } from './s3-bytes-store.js';

/** The store FILE_STORAGE names: PostgreSQL (default) or an S3-compatible service. */
export const fileBytesStoreProvider: Provider = {
  provide: FileBytesStore,
  inject: [APP_CONFIG, Sql],
  useFactory: (config: AppConfig, sql: Sql): FileBytesStore => {
    const { kind, s3 } = config.fileStorage;
    return kind === 's3' && s3 ? new S3BytesStore(s3) : new PostgresBytesStore(sql);
  },
};
