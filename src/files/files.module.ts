import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { FileChunk } from './file-chunk.entity.js';
import { FileStorage, PostgresFileStorage } from './file-storage.js';
import { FilesService } from './files.service.js';
import { StoredFile } from './stored-file.entity.js';

/** Stored files and their bytes; knows nothing of assistants. */
@Module({
  imports: [TypeOrmModule.forFeature([StoredFile, FileChunk])],
  providers: [FilesService, { provide: FileStorage, useClass: PostgresFileStorage }],
  exports: [FilesService],
})
export class FilesModule {}
