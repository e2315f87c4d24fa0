import { Injectable, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AssistantOwnership } from '../settings/settings.service.js';
import { Assistant } from './assistant.entity.js';
import { AssistantsService } from './assistants.service.js';

@Injectable()
class AssistantOwnershipCheck implements AssistantOwnership {
  constructor(private readonly assistants: AssistantsService) {}

  async assertOwned(userId: string, assistantId: string): Promise<void> {
    await this.assistants.findOwned(userId, assistantId);
  }
}

@Module({
  imports: [TypeOrmModule.forFeature([Assistant])],
  providers: [AssistantsService, { provide: AssistantOwnership, useClass: AssistantOwnershipCheck }],
  exports: [AssistantsService, AssistantOwnership],
})
export class AssistantsModule {}
