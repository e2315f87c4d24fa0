import { Injectable, Module } from '@nestjs/common';
import { FilesModule } from '../files/files.module.js';
import { AssistantOwnership } from '../settings/settings.service.js';
import { AssistantDocumentsRegistry } from './assistant-documents.js';
import { AssistantsController } from './assistants.controller.js';
import { AssistantsRepository } from './assistants.repository.js';
import { AssistantsService } from './assistants.service.js';

@Injectable()
class AssistantOwnershipCheck implements AssistantOwnership {
  constructor(private readonly assistants: AssistantsService) {}

  async assertOwned(userId: string, assistantId: string): Promise<void> {
    await this.assistants.findOwned(userId, assistantId);
  }
}

@Module({
  imports: [FilesModule],
  controllers: [AssistantsController],
  providers: [
    AssistantsService,
    AssistantsRepository,
    AssistantDocumentsRegistry,
    { provide: AssistantOwnership, useClass: AssistantOwnershipCheck },
  ],
  exports: [AssistantsService, AssistantsRepository, AssistantDocumentsRegistry, AssistantOwnership],
})
export class AssistantsModule {}
