import { Module } from '@nestjs/common';
import { AssistantsModule } from '../assistants/assistants.module.js';
import { FilesModule } from '../files/files.module.js';
import { VectorStoresRepository } from './vector-stores.repository.js';
import { VectorStoresService } from './vector-stores.service.js';

/** Vector stores: a user's named sets of documents, which assistants use as their documents (served at /v1). */
@Module({
  imports: [AssistantsModule, FilesModule],
  providers: [VectorStoresRepository, VectorStoresService],
  exports: [VectorStoresService],
})
export class VectorStoresModule {}
