import { Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AuthModule } from '../auth/auth.module.js';
import { FilesModule } from '../files/files.module.js';
import { AssistantOwnership } from '../settings/settings.service.js';
import { AssistantFile } from './assistant-file.entity.js';
import { AssistantFilesService } from './assistant-files.service.js';
import { Assistant } from './assistant.entity.js';
import { AssistantsController } from './assistants.controller.js';
import { AssistantsService } from './assistants.service.js';

@Injectable()
class AssistantOwnershipCheck implements AssistantOwnership {
  constructor(private readonly assistants: AssistantsService) {}

  async assertOwned(userId: string, assistantId: string): Promise<void> {
    await this.assistants.findOwned(userId, assistantId);
  }
}

@Module({
  imports: [TypeOrmModule.forFeature([Assistant, AssistantFile]), AuthModule, FilesModule],
  controllers: [AssistantsController],
  providers: [AssistantsService, AssistantFilesService, { provide: AssistantOwnership, useClass: AssistantOwnershipCheck }],
  exports: [AssistantsService, AssistantFilesService, AssistantOwnership],
})
export class AssistantsModule {}
