import { Injectable, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AccountEvents } from '../auth/account-events.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { FilesService } from '../files/files.service.js';
import { UpstreamJobsService } from '../upstream-sync/upstream-jobs.service.js';
import { UpstreamWorker } from '../upstream-sync/upstream-worker.js';
import { AssistantFilesService } from './assistant-files.service.js';
import { Assistant } from './assistant.entity.js';
import type { AssistantFilesResponse, AssistantResponse, CreateAssistantDto, UpdateAssistantDto } from './assistants.dto.js';

const EDITABLE_FIELDS = ['name', 'description', 'model', 'instructions', 'temperature', 'tools', 'metadata', 'isActive'] as const;

/** Only an active assistant may answer. */
export function assertUsable<T extends Pick<Assistant, 'isActive' | 'name'>>(assistant: T): T {
  if (!assistant.isActive) {
    throw new DomainError('assistant_inactive', `The assistant "${assistant.name}" is inactive; activate it to chat with it`);
  }
  return assistant;
}

export function toAssistantResponse(assistant: Assistant, fileIds: string[]): AssistantResponse {
  return {
    id: assistant.id,
    userId: assistant.userId,
    name: assistant.name,
    description: assistant.description,
    model: assistant.model,
    instructions: assistant.instructions,
    temperature: assistant.temperature,
    tools: assistant.tools,
    fileIds,
    vectorStoreId: assistant.vectorStoreId,
    isActive: assistant.isActive,
    metadata: assistant.metadata,
    createdAt: assistant.createdAt.toISOString(),
    updatedAt: assistant.updatedAt.toISOString(),
  };
}

@Injectable()
export class AssistantsService implements OnModuleInit {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly assistantFiles: AssistantFilesService,
    private readonly files: FilesService,
    private readonly jobs: UpstreamJobsService,
    private readonly worker: UpstreamWorker,
    private readonly accountEvents: AccountEvents,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  onModuleInit(): void {
    this.accountEvents.onAccountDeletion((user) => this.assistantFiles.purgeUpstream(user.id));
  }

  /** The user's assistant, or 404 whether it does not exist or belongs to someone else. */
  async findOwned(userId: string, id: string, manager: EntityManager = this.dataSource.manager): Promise<Assistant> {
    const assistant = await manager.findOneBy(Assistant, { id, userId });
    if (!assistant) throw notFound('Assistant');
    return assistant;
  }

  /** An assistant that may start a new conversation. */
  async findUsable(userId: string, id: string): Promise<Assistant> {
    return assertUsable(await this.findOwned(userId, id));
  }

  async list(userId: string): Promise<AssistantResponse[]> {
    const assistants = await this.dataSource.manager.find(Assistant, { where: { userId }, order: { createdAt: 'DESC', id: 'DESC' } });
    const fileIds = await this.assistantFiles.fileIdsByAssistant(assistants.map((assistant) => assistant.id));
    return assistants.map((assistant) => toAssistantResponse(assistant, fileIds.get(assistant.id) ?? []));
  }

  async get(userId: string, id: string): Promise<AssistantResponse> {
    return this.respond(await this.findOwned(userId, id));
  }

  async create(userId: string, dto: CreateAssistantDto): Promise<AssistantResponse> {
    const files = await this.files.findOwnedMany(userId, dto.fileIds ?? []);
    const assistant = await this.dataSource.transaction(async (manager) => {
      const created = await manager.save(
        manager.create(Assistant, {
          userId,
          name: dto.name,
          description: dto.description ?? null,
          model: dto.model ?? this.config.openai.defaultModel,
          instructions: dto.instructions ?? null,
          temperature: dto.temperature ?? null,
          tools: dto.tools ?? (files.length > 0 ? [{ type: 'file_search' }] : []),
          metadata: dto.metadata ?? {},
          isActive: dto.isActive ?? true,
          vectorStoreId: null,
        }),
      );
      await this.assistantFiles.attach(created, files, manager);
      return created;
    });
    return this.respond(assistant);
  }

  /** Any subset of fields, plus documents to attach and detach. */
  async update(userId: string, id: string, dto: UpdateAssistantDto): Promise<AssistantResponse> {
    const added = await this.files.findOwnedMany(userId, dto.addFileIds ?? []);
    const removed = dto.removeFileIds ?? [];
    const overlap = added.find((file) => removed.includes(file.id));
    if (overlap) {
      throw new DomainError('validation_failed', `File ${overlap.id} is both added and removed`, [
        { field: 'removeFileIds', message: `File ${overlap.id} is both added and removed` },
      ]);
    }
    const assistant = await this.dataSource.transaction(async (manager) => {
      await this.findOwned(userId, id, manager);
      const changes: Partial<Assistant> = {};
      for (const field of EDITABLE_FIELDS) {
        if (dto[field] !== undefined) Object.assign(changes, { [field]: dto[field] });
      }
      if (Object.keys(changes).length > 0) await manager.update(Assistant, { id, userId }, changes);
      const updated = await this.findOwned(userId, id, manager);
      await this.assistantFiles.attach(updated, added, manager);
      await this.assistantFiles.detach(updated, removed, manager);
      return updated;
    });
    return this.respond(assistant);
  }

  /**
   * Deletes the assistant. Its threads stay readable (their assistant becomes
   * null), it stops being anyone's default, and its vector store is deleted
   * upstream in the background (retried if that fails).
   */
  async delete(userId: string, id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      // The store's id comes from the deleted row itself, so one that indexing has
      // just recorded is not missed; a store recorded later finds no assistant and
      // is deleted by the job that created it.
      const deleted = (await manager.query('DELETE FROM assistants WHERE id = $1 AND user_id = $2 RETURNING vector_store_id', [
        id,
        userId,
      ])) as [Array<{ vector_store_id: string | null }>, number];
      const [assistant] = deleted[0];
      if (!assistant) throw notFound('Assistant');
      if (assistant.vector_store_id) {
        await this.jobs.enqueue([{ userId, kind: 'delete_vector_store', payload: { vectorStoreId: assistant.vector_store_id } }], manager);
      }
    });
    this.worker.nudge();
  }

  async listFiles(userId: string, id: string): Promise<AssistantFilesResponse> {
    const assistant = await this.findOwned(userId, id);
    const [files] = await this.files.list(userId, { assistantId: id, limit: 10_000, offset: 0 });
    return { vectorStoreId: assistant.vectorStoreId, files: await this.files.toResponses(userId, files) };
  }

  /** Detaches one document; 404 unless the file is the user's and attached to this assistant. */
  async detachFile(userId: string, id: string, fileId: string): Promise<void> {
    const assistant = await this.findOwned(userId, id);
    const attached = await this.assistantFiles.fileIdsByAssistant([assistant.id]);
    if (!attached.get(assistant.id)?.includes(fileId)) throw notFound('File');
    await this.assistantFiles.detach(assistant, [fileId]);
  }

  private async respond(assistant: Assistant): Promise<AssistantResponse> {
    const fileIds = await this.assistantFiles.fileIdsByAssistant([assistant.id]);
    return toAssistantResponse(assistant, fileIds.get(assistant.id) ?? []);
  }
}
