import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { FilesController } from './files.controller.js';
import { FilesModule } from './files.module.js';
import { MultipartInterceptor } from './multipart.interceptor.js';
import { UploadsController } from './uploads.controller.js';

/**
 * The /api/upload* and /api/files* routes, and the multipart gate every
 * route passes (only @AcceptsFiles() routes read a form).
 */
@Module({
  imports: [FilesModule],
  controllers: [UploadsController, FilesController],
  providers: [{ provide: APP_INTERCEPTOR, useClass: MultipartInterceptor }],
})
export class FileRoutesModule {}
