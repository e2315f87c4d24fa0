import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import type { KeysetPage } from '../database/keyset-page.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import { FilesService } from '../files/files.service.js';
import { AssistantDocumentsRegistry, type AssistantDocumentState } from './assistant-documents.js';
import type { Assistant, AssistantTool } from './assistant.entity.js';
import type { AssistantResponse, CreateAssistantDto, UpdateAssistantDto } from './assistants.dto.js';
import { AssistantsRepository, type AssistantFields } from './assistants.repository.js';
import { ModelNames } from './model-names.js';

const EDITABLE_FIELDS = ['name', 'description', 'model', 'instructions', 'temperature', 'tools', 'metadata', 'isActive'] as const;

/** Only an active assistant may answer. */
export function assertUsable<T extends Pick<Assistant, 'isActive' | 'name'>>(assistant: T): T {
  if (!assistant.isActive) {
    throw new DomainError('assistant_inactive', `The assistant "${assistant.name}" is inactive; activate it to chat with it`);
  }
  return assistant;
}

const hasFileSearch = (tools: AssistantTool[]) => tools.some((tool) => tool.type === 'file_search');

/**
 * Whether tools set by the user turn file_search off: they lack it while the
 * assistant has (or gets in the same request) documents. Tools without it on
 * an assistant without documents are no choice against searching: its first
 * documents switch file_search on.
 */
export function turnsFileSearchOff(tools: AssistantTool[], documentCount: number): boolean {
  return !hasFileSearch(tools) && documentCount > 0;
}

export function toAssistantResponse(assistant: Assistant, documents: AssistantDocumentState[]): AssistantResponse {
  const fileIds = documents.map((document) => document.fileId);
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
    documentsUnused: !hasFileSearch(assistant.tools) && documents.some((document) => document.status === 'ready'),
    metadata: assistant.metadata,
    createdAt: assistant.createdAt.toISOString(),
    updatedAt: assistant.updatedAt.toISOString(),
    deletedAt: assistant.deletedAt?.toISOString() ?? null,
  };
}

@Injectable()
export class AssistantsService {
  constructor(
    private readonly assistants: AssistantsRepository,
    private readonly transactions: Transactions,
    private readonly registry: AssistantDocumentsRegistry,
    private readonly files: FilesService,
    private readonly modelNames: ModelNames,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** The user's assistant, or 404 whether it does not exist or belongs to someone else. */
  async findOwned(userId: string, id: string, db?: SqlExecutor): Promise<Assistant> {
    const assistant = await this.assistants.findOwned(userId, id, db);
    if (!assistant) throw notFound('Assistant');
    return assistant;
  }

  /** An assistant that may start a new conversation. */
  async findUsable(userId: string, id: string): Promise<Assistant> {
    return assertUsable(await this.findOwned(userId, id));
  }

  async list(userId: string, trashed = false): Promise<AssistantResponse[]> {
    const assistants = await this.assistants.listOwned(userId, trashed);
    const documents = await this.documents.documentsByAssistant(
      userId,
      assistants.map((assistant) => assistant.id),
    );
    return assistants.map((assistant) => toAssistantResponse(assistant, documents.get(assistant.id) ?? []));
  }

  /** A page of the user's assistants by creation time (the OpenAI-style list). */
  async page(userId: string, page: KeysetPage): Promise<{ assistants: AssistantResponse[]; hasMore: boolean }> {
    const { assistants, hasMore } = await this.assistants.page(userId, page);
    const documents = await this.documents.documentsByAssistant(userId, assistants.map((assistant) => assistant.id));
    return { assistants: assistants.map((assistant) => toAssistantResponse(assistant, documents.get(assistant.id) ?? [])), hasMore };
  }

  async get(userId: string, id: string): Promise<AssistantResponse> {
    return this.respond(await this.findOwned(userId, id));
  }

  async create(userId: string, dto: CreateAssistantDto): Promise<AssistantResponse> {
    const files = await this.files.findOwnedMany(userId, dto.fileIds ?? []);
    if (dto.model !== undefined) await this.modelNames.assertAvailable(userId, dto.model);
    const tools = dto.tools ?? (files.length > 0 ? [{ type: 'file_search' as const }] : []);
    const fields: AssistantFields = {
      name: dto.name,
      description: dto.description ?? null,
      model: dto.model ?? this.config.openai.defaultModel,
      instructions: dto.instructions ?? null,
      temperature: dto.temperature ?? null,
      tools,
      metadata: dto.metadata ?? {},
      isActive: dto.isActive ?? true,
      fileSearchOff: turnsFileSearchOff(tools, files.length),
    };
    const { maxPerUser } = this.config.assistants;
    const assistant = await this.transactions.run(async (tx) => {
      const created = await this.assistants.insert(userId, fields, maxPerUser, tx);
      if (!created) {
        throw new DomainError('assistant_limit_reached', `You can keep at most ${maxPerUser} assistants, those in the trash included; delete one first`);
      }
      await this.documents.attach(created, files, tx);
      return this.findOwned(userId, created.id, tx);
    });
    this.documents.afterCommit();
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
    // A model it already has is kept without asking (the provider may have retired it since).
    if (dto.model !== undefined && dto.model !== (await this.findOwned(userId, id)).model) {
      await this.modelNames.assertAvailable(userId, dto.model);
    }
    const assistant = await this.transactions.run(async (tx) => {
      await this.findOwned(userId, id, tx);
      const changes: Partial<AssistantFields> = {};
      for (const field of EDITABLE_FIELDS) {
        if (dto[field] !== undefined) Object.assign(changes, { [field]: dto[field] });
      }
      if (dto.tools !== undefined) {
        const current = (await this.documents.documentsByAssistant(userId, [id], tx)).get(id) ?? [];
        const after = new Set([...current.map((document) => document.fileId), ...added.map((file) => file.id)]);
        for (const fileId of removed) after.delete(fileId);
        changes.fileSearchOff = turnsFileSearchOff(dto.tools, after.size);
      }
      await this.assistants.update(userId, id, changes, tx);
      const updated = await this.findOwned(userId, id, tx);
      await this.documents.attach(updated, added, tx);
      await this.documents.detach(updated, removed, tx);
      return this.findOwned(userId, id, tx);
    });
    this.documents.afterCommit();
    return this.respond(assistant);
  }

  /**
   * Moves the assistant to the trash (it stops being the user's default, its
   * threads keep it and cannot chat until it is restored), or deletes it for
   * good when asked to (also from the trash) or when nothing is kept in the
   * trash (TRASH_RETENTION_DAYS=0). Answers what was done.
   */
  async delete(userId: string, id: string, permanent: boolean): Promise<'trashed' | 'deleted'> {
    if (permanent || this.config.trash.retentionDays === 0) {
      await this.deletePermanently(userId, id);
      return 'deleted';
    }
    const moved = await this.transactions.run((tx) => this.assistants.trash(userId, id, tx));
    if (!moved) throw notFound('Assistant');
    return 'trashed';
  }

  /** Assistants of any user in the trash for `retentionDays` or longer (for the trash's purge). */
  trashedFor(retentionDays: number, limit: number): Promise<Array<{ userId: string; id: string }>> {
    return this.assistants.trashedFor(retentionDays, limit);
  }

  /** Takes the assistant out of the trash (one not in it is answered as it is); it does not become the default again. */
  async restore(userId: string, id: string): Promise<AssistantResponse> {
    const assistant = await this.assistants.restore(userId, id);
    if (!assistant) throw notFound('Assistant');
    return this.respond(assistant);
  }

  /**
   * Deletes the assistant for good, from the trash or not (a DELETE with
   * permanent=true, and the trash's purge). Its threads stay readable (their
   * assistant becomes null), it stops being anyone's default, and its
   * documents hear of it (its vector store is deleted upstream in the background).
   */
  async deletePermanently(userId: string, id: string): Promise<void> {
    await this.transactions.run(async (tx) => {
      // The store's id comes from the deleted row itself, so one that indexing has
      // just recorded is not missed; a store recorded later finds no assistant and
      // is deleted by the job that created it.
      const deleted = await this.assistants.delete(userId, id, tx);
      if (!deleted) throw notFound('Assistant');
      await this.documents.deleted({ id, userId, vectorStoreId: deleted.vectorStoreId }, tx);
    });
    this.documents.afterCommit();
  }

  private get documents() {
    return this.registry.documents;
  }

  private async respond(assistant: Assistant): Promise<AssistantResponse> {
    const documents = await this.documents.documentsByAssistant(assistant.userId, [assistant.id]);
    return toAssistantResponse(assistant, documents.get(assistant.id) ?? []);
  }
}
