import { Module } from '@nestjs/common';
import { FilesModule } from '../files/files.module.js';
import { ThreadsModule } from '../threads/threads.module.js';
import { SharesController } from './shares.controller.js';
import { SharesRepository } from './shares.repository.js';
import { SharesService } from './shares.service.js';

@Module({ imports: [ThreadsModule, FilesModule], controllers: [SharesController], providers: [SharesService, SharesRepository] })
export class SharesModule {}
