import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { OpenAiListQuery } from './openai-assistants.dto.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import {
  CreateOpenAiFileBatchDto,
  CreateOpenAiVectorStoreDto,
  CreateOpenAiVectorStoreFileDto,
  ModifyOpenAiVectorStoreDto,
  OpenAiVectorStoreFilesQuery,
} from './openai-vector-stores.dto.js';
import type { OpenAiFileBatch, OpenAiVectorStore, OpenAiVectorStoreFile } from './openai-vector-stores.mapper.js';
import { OpenAiVectorStoresService } from './openai-vector-stores.service.js';
import type { OpenAiList } from './openai-wire.js';

@ApiTags('openai-compatible')
@UseFilters(OpenAiErrorFilter)
@Controller('v1/vector_stores')
export class OpenAiVectorStoresController {
  constructor(private readonly stores: OpenAiVectorStoresService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a vector store: a named set of your documents (OpenAI wire format)' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOpenAiVectorStoreDto): Promise<OpenAiVectorStore> {
    return this.stores.create(user.id, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List vector stores (OpenAI wire format)' })
  list(@CurrentUser() user: AuthUser, @Query() query: OpenAiListQuery): Promise<OpenAiList<OpenAiVectorStore>> {
    return this.stores.list(user.id, query);
  }

  @Get(':vectorStoreId')
  @ApiOperation({ summary: 'Retrieve a vector store (OpenAI wire format)' })
  get(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string): Promise<OpenAiVectorStore> {
    return this.stores.get(user.id, id);
  }

  @Post(':vectorStoreId')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rename a vector store or change its metadata (OpenAI wire format)' })
  modify(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string, @Body() dto: ModifyOpenAiVectorStoreDto): Promise<OpenAiVectorStore> {
    return this.stores.modify(user.id, id, dto);
  }

  @Delete(':vectorStoreId')
  @ApiOperation({ summary: 'Delete a vector store (its files stay; assistants using it lose them as documents)' })
  delete(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string): Promise<{ id: string; object: 'vector_store.deleted'; deleted: true }> {
    return this.stores.delete(user.id, id);
  }

  @Post(':vectorStoreId/files')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add one of your documents to a vector store (OpenAI wire format)' })
  addFile(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string, @Body() dto: CreateOpenAiVectorStoreFileDto): Promise<OpenAiVectorStoreFile> {
    return this.stores.addFile(user.id, id, dto);
  }

  @Get(':vectorStoreId/files')
  @ApiOperation({ summary: "List a vector store's files (OpenAI wire format)" })
  listFiles(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string, @Query() query: OpenAiVectorStoreFilesQuery): Promise<OpenAiList<OpenAiVectorStoreFile>> {
    return this.stores.listFiles(user.id, id, query);
  }

  @Get(':vectorStoreId/files/:fileId')
  @ApiOperation({ summary: "Retrieve a vector store's file (OpenAI wire format)" })
  getFile(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string, @Param('fileId') fileId: string): Promise<OpenAiVectorStoreFile> {
    return this.stores.getFile(user.id, id, fileId);
  }

  @Delete(':vectorStoreId/files/:fileId')
  @ApiOperation({ summary: 'Take a file out of a vector store (the file itself stays)' })
  removeFile(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string, @Param('fileId') fileId: string) {
    return this.stores.removeFile(user.id, id, fileId);
  }

  @Post(':vectorStoreId/file_batches')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add several of your documents to a vector store at once (OpenAI wire format)' })
  addBatch(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string, @Body() dto: CreateOpenAiFileBatchDto): Promise<OpenAiFileBatch> {
    return this.stores.addBatch(user.id, id, dto);
  }

  @Get(':vectorStoreId/file_batches/:batchId')
  @ApiOperation({ summary: 'Retrieve a file batch: the state of its files (OpenAI wire format)' })
  getBatch(@CurrentUser() user: AuthUser, @Param('vectorStoreId') id: string, @Param('batchId') batchId: string): Promise<OpenAiFileBatch> {
    return this.stores.getBatch(user.id, id, batchId);
  }
}
