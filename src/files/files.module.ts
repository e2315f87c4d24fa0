import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FileChunk } from './file-chunk.entity.js';
import { FileStorage, PostgresFileStorage } from './file-storage.js';
import { FilesService } from './files.service.js';
import { StoredFile } from './stored-file.entity.js';
import { UploadSpools } from './upload-spools.js';

/** Stored files and their bytes, and the spools uploads wait in; knows nothing of assistants. */
@Module({
  imports: [TypeOrmModule.forFeature([StoredFile, FileChunk])],
  providers: [FilesService, UploadSpools, { provide: FileStorage, useClass: PostgresFileStorage }],
  exports: [FilesService, UploadSpools],
})
export class FilesModule {}
