import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ConfirmationResponse as Confirmation } from '../auth/auth.dto.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { DeleteQuery, isPermanent } from '../common/http/delete-query.js';
import { IdParam } from '../common/http/id-param.js';
import { FileResponse } from '../files/files.dto.js';
import { FilesService } from '../files/files.service.js';
import { EXPORT_PAGE_SIZE, exportBaseName, threadToJson, threadToMarkdown } from './thread-export.js';
import { toMessageResponse, toThreadResponse } from './thread.mapper.js';
import {
  AddMessageDto,
  CreateThreadDto,
  ExportQuery,
  ListMessagesQuery,
  ListThreadsQuery,
  MessageResponse,
  ThreadResponse,
  UpdateThreadDto,
} from './threads.dto.js';
import { ThreadExportsService } from './thread-exports.service.js';
import { ThreadsService } from './threads.service.js';

@ApiTags('threads')
@Controller('api')
export class ThreadsController {
  constructor(
    private readonly threads: ThreadsService,
    private readonly files: FilesService,
    private readonly exports: ThreadExportsService,
  ) {}

  @Post('thread/new')
  @ApiOperation({ summary: 'Start a thread (with the default assistant when none is given, else without one)' })
  @ApiCreatedResponse({ type: ThreadResponse })
  async create(@CurrentUser() user: AuthUser, @Body() dto: CreateThreadDto): Promise<ThreadResponse> {
    return toThreadResponse(await this.threads.create(user.id, dto));
  }

  @Get('threads')
  @ApiOperation({ summary: 'Threads, newest activity first (total in X-Total-Count)' })
  @ApiOkResponse({ type: [ThreadResponse] })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: ListThreadsQuery,
    @Res({ passthrough: true }) response: Response,
  ): Promise<ThreadResponse[]> {
    const { threads, total } = await this.threads.list(user.id, query);
    response.setHeader('X-Total-Count', String(total));
    return threads;
  }

  @Get('threads/:id')
  @ApiOkResponse({ type: ThreadResponse })
  async get(@CurrentUser() user: AuthUser, @IdParam('id', 'Thread') id: string): Promise<ThreadResponse> {
    return toThreadResponse(await this.threads.findOwned(user.id, id));
  }

  @Patch('threads/:id')
  @ApiOperation({ summary: 'Rename, archive or reassign a thread' })
  @ApiOkResponse({ type: ThreadResponse })
  async update(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @Body() dto: UpdateThreadDto,
  ): Promise<ThreadResponse> {
    return toThreadResponse(await this.threads.update(user.id, id, dto));
  }

  @Delete('threads/:id')
  @ApiOperation({ summary: 'Move a thread to the trash; permanent=true (or soft=false) deletes it with its messages and runs' })
  @ApiOkResponse({ type: Confirmation })
  async delete(@CurrentUser() user: AuthUser, @IdParam('id', 'Thread') id: string, @Query() query: DeleteQuery): Promise<Confirmation> {
    const done = await this.threads.delete(user.id, id, isPermanent(query));
    return { message: done === 'trashed' ? 'Thread moved to the trash' : 'Thread deleted' };
  }

  @Post('threads/:id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take a thread out of the trash' })
  @ApiOkResponse({ type: ThreadResponse })
  async restore(@CurrentUser() user: AuthUser, @IdParam('id', 'Thread') id: string): Promise<ThreadResponse> {
    return toThreadResponse(await this.threads.restore(user.id, id));
  }

  @Get('threads/:id/messages')
  @ApiOperation({ summary: 'Messages, oldest first; page with before / after (message ids) and limit' })
  @ApiOkResponse({ type: [MessageResponse] })
  async messages(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @Query() query: ListMessagesQuery,
  ): Promise<MessageResponse[]> {
    return this.threads.listMessages(user.id, id, { limit: query.limit ?? 50, before: query.before, after: query.after });
  }

  @Post('threads/:id/messages')
  @ApiOperation({ summary: 'Add a message without running the assistant' })
  @ApiCreatedResponse({ type: MessageResponse })
  async addMessage(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @Body() dto: AddMessageDto,
  ): Promise<MessageResponse> {
    return toMessageResponse(await this.threads.addMessage(user.id, id, dto));
  }

  @Get('threads/:id/export')
  @ApiOperation({ summary: 'Download the conversation as Markdown or JSON' })
  @ApiProduces('text/markdown', 'application/json')
  async export(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @Query() query: ExportQuery,
    @Res() response: Response,
  ): Promise<void> {
    const thread = await this.threads.findOwned(user.id, id);
    const pages = this.exports.pages(user.id, thread.id, EXPORT_PAGE_SIZE);
    const json = query.format === 'json';
    response.attachment(`${exportBaseName(thread)}.${json ? 'json' : 'md'}`);
    response.setHeader('Content-Type', json ? 'application/json; charset=utf-8' : 'text/markdown; charset=utf-8');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    try {
      await pipeline(Readable.from(json ? threadToJson(thread, pages) : threadToMarkdown(thread, pages)), response);
    } catch (error) {
      // The client went away mid-download: nothing left to answer.
      if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    }
  }

  @Get('threads/:id/files')
  @ApiOperation({ summary: "Files attached to the thread's messages" })
  @ApiOkResponse({ type: [FileResponse] })
  async threadFiles(@CurrentUser() user: AuthUser, @IdParam('id', 'Thread') id: string): Promise<FileResponse[]> {
    return this.files.toResponses(user.id, await this.threads.threadFiles(user.id, id));
  }

  @Get('threads/:id/files/archive')
  @ApiOperation({ summary: "All the thread's files as one zip, streamed (404 when the thread has no files)" })
  @ApiProduces('application/zip')
  async archive(@CurrentUser() user: AuthUser, @IdParam('id', 'Thread') id: string, @Res() response: Response): Promise<void> {
    const thread = await this.threads.findOwned(user.id, id);
    const output: Readable = this.files.archive(await this.threads.filesToArchive(user.id, id));
    response.attachment(`${exportBaseName(thread)}-files.zip`);
    response.setHeader('Content-Type', 'application/zip');
    response.setHeader('X-Content-Type-Options', 'nosniff');
    output.on('error', () => response.destroy());
    response.on('close', () => {
      if (!response.writableFinished) output.destroy();
    });
    output.pipe(response);
  }
}
