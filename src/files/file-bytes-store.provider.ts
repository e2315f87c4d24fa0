import type { Provider } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Sql } from '../database/sql.js';
import { FileBytesStore } from './file-bytes-store.js';
import { PostgresBytesStore } from './postgres-bytes-store.js';

/**
 * The store FILE_STORAGE names: PostgreSQL (default) or an S3-compatible
 * service. The S3 client is loaded only when it is named: loading it costs a
 * process 5–20 MB of memory that one storing files in PostgreSQL never uses.
 */
export const fileBytesStoreProvider: Provider = {
  provide: FileBytesStore,
  inject: [APP_CONFIG, Sql],
  useFactory: async (config: AppConfig, sql: Sql): Promise<FileBytesStore> => {
    const { kind, s3 } = config.fileStorage;
    if (kind !== 's3' || !s3) return new PostgresBytesStore(sql);
    const { S3BytesStore } = await import('./s3-bytes-store.js');
    return new S3BytesStore(s3);
  },
};
