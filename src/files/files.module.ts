import { Module } from '@nestjs/common';
import { FileHooks } from './file-hooks.js';
import { FileBytesStore } from './file-bytes-store.js';
import { PostgresBytesStore } from './postgres-bytes-store.js';
import { FilesService } from './files.service.js';
import { StoredFilesRepository } from './stored-files.repository.js';
import { UploadSpools } from './upload-spools.js';
import { UploadsService } from './uploads.service.js';

/**
 * Stored files and their bytes, uploads and the spools they wait in; knows
 * nothing of assistants (features that use files register in FileHooks).
 */
@Module({
  providers: [FilesService, StoredFilesRepository, FileHooks, UploadSpools, UploadsService, { provide: FileBytesStore, useClass: PostgresBytesStore }],
  exports: [FilesService, StoredFilesRepository, FileHooks, UploadSpools, UploadsService],
})
export class FilesModule {}
