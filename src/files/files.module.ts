import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { FileByteDeletions } from './file-byte-deletions.js';
import { FileByteDeletionsRepository } from './file-byte-deletions.repository.js';
import { fileBytesStoreProvider } from './file-bytes-store.provider.js';
import { FileHooks } from './file-hooks.js';
import { FilesService } from './files.service.js';
import { StoredFilesRepository } from './stored-files.repository.js';
import { TransferPacer } from './transfer-pacer.js';
import { UploadSpools } from './upload-spools.js';
import { UploadsService } from './uploads.service.js';

/**
 * Stored files and their bytes (in the store FILE_STORAGE names), uploads and
 * the spools they wait in; knows nothing of assistants (features that use
 * files register in FileHooks).
 */
@Module({
  imports: [AuthModule],
  providers: [
    FilesService,
    StoredFilesRepository,
    FileHooks,
    UploadSpools,
    UploadsService,
    fileBytesStoreProvider,
    FileByteDeletions,
    FileByteDeletionsRepository,
    TransferPacer,
  ],
  exports: [FilesService, StoredFilesRepository, FileHooks, UploadSpools, UploadsService],
})
export class FilesModule {}
