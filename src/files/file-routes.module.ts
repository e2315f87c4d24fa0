import { Module } from '@nestjs/common';
import { FilesController } from './files.controller.js';
import { FilesModule } from './files.module.js';
import { UploadsController } from './uploads.controller.js';

/** The /api/upload* and /api/files* routes. */
@Module({
  imports: [FilesModule],
  controllers: [UploadsController, FilesController],
})
export class FileRoutesModule {}
