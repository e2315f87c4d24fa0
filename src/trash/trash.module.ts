import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { ThreadsModule } from '../threads/threads.module.js';
import { TrashSweeper } from './trash-sweeper.js';

/** The purge of the trash; moving to and from it belongs to threads and assistants. */
@Module({
  imports: [ThreadsModule, AssistantsModule],
  providers: [TrashSweeper],
})
export class TrashModule {}
