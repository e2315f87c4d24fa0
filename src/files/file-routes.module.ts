import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { FilesController } from './files.controller.js';
import { FilesModule } from './files.module.js';
import { MultipartInterceptor } from './multipart.interceptor.js';
import { UploadsController } from './uploads.controller.js';
import { UploadsService } from './uploads.service.js';

/**
 * The /api/upload*, /api/assistants/:id/files uploads and /api/files* routes,
 * and the multipart gate every route passes (only @AcceptsFiles() routes read a form).
 */
@Module({
  imports: [FilesModule, AssistantsModule],
  controllers: [UploadsController, FilesController],
  providers: [UploadsService, { provide: APP_INTERCEPTOR, useClass: MultipartInterceptor }],
})
export class FileRoutesModule {}
