import { Injectable, Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { FilesModule } from '../files/files.module.js';
import { AssistantOwnership } from '../settings/settings.service.js';
import { AssistantDocumentsRegistry } from './assistant-documents.js';
import { AssistantsController } from './assistants.controller.js';
import { AssistantsRepository } from './assistants.repository.js';
import { AssistantsService } from './assistants.service.js';
import { ModelNames } from './model-names.js';
import { ModelsController } from './models.controller.js';

@Injectable()
class AssistantOwnershipCheck implements AssistantOwnership {
  constructor(private readonly assistants: AssistantsService) {}

  async assertOwned(userId: string, assistantId: string): Promise<void> {
    await this.assistants.findOwned(userId, assistantId);
  }
}

@Module({
  imports: [AuthModule, FilesModule],
  controllers: [AssistantsController, ModelsController],
  providers: [
    AssistantsService,
    AssistantsRepository,
    AssistantDocumentsRegistry,
    ModelNames,
    { provide: AssistantOwnership, useClass: AssistantOwnershipCheck },
  ],
  exports: [AssistantsService, AssistantsRepository, AssistantDocumentsRegistry, AssistantOwnership],
})
export class AssistantsModule {}
