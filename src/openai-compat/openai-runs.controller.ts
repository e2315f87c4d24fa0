import { Body, Controller, Get, HttpCode, Param, Post, Query, Res, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ChatScope } from '../common/auth/bearer.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { OpenAiListQuery } from './openai-assistants.dto.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import { CreateOpenAiRunDto, CreateThreadAndRunDto } from './openai-runs.dto.js';
import type { OpenAiRun } from './openai-runs.mapper.js';
import { OpenAiRunsService } from './openai-runs.service.js';
import type { OpenAiList } from './openai-wire.js';

const STREAM_NOTE =
  'stream: true answers Server-Sent Events named as OpenAI names them (thread.run.created, thread.run.in_progress, thread.message.created, ' +
  'thread.message.delta, thread.message.completed, thread.run.completed or .incomplete/.cancelled/.failed, error) and `done` with data [DONE]; ' +
  'otherwise the run is answered at once and finishes in the background.';

/** Registered before the threads controller: POST /v1/threads/runs is not a thread id. */
@ApiTags('openai-compatible')
@UseFilters(OpenAiErrorFilter)
@Controller('v1/threads')
export class OpenAiRunsController {
  constructor(private readonly runs: OpenAiRunsService) {}

  @Post('runs')
  @ChatScope()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a thread and run it (OpenAI wire format)', description: STREAM_NOTE })
  @ApiProduces('application/json', 'text/event-stream')
  async createThreadAndRun(@CurrentUser() user: AuthUser, @Body() dto: CreateThreadAndRunDto, @Res() response: Response): Promise<void> {
    const run = await this.runs.createThreadAndRun(user.id, dto, response);
    if (run) response.status(200).json(run);
  }

  @Post(':threadId/runs')
  @ChatScope()
  @HttpCode(200)
  @ApiOperation({ summary: 'Run an assistant on the thread (OpenAI wire format)', description: STREAM_NOTE })
  @ApiProduces('application/json', 'text/event-stream')
  async create(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string, @Body() dto: CreateOpenAiRunDto, @Res() response: Response): Promise<void> {
    const run = await this.runs.create(user.id, threadId, dto, response);
    if (run) response.status(200).json(run);
  }

  @Get(':threadId/runs')
  @ApiOperation({ summary: "List the thread's runs (OpenAI wire format)" })
  list(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string, @Query() query: OpenAiListQuery): Promise<OpenAiList<OpenAiRun>> {
    return this.runs.list(user.id, threadId, query);
  }

  @Get(':threadId/runs/:runId')
  @ApiOperation({ summary: 'Retrieve a run (OpenAI wire format)' })
  get(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string, @Param('runId') runId: string): Promise<OpenAiRun> {
    return this.runs.get(user.id, threadId, runId);
  }

  @Post(':threadId/runs/:runId/cancel')
  @ChatScope()
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a run (OpenAI wire format)' })
  cancel(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string, @Param('runId') runId: string): Promise<OpenAiRun> {
    return this.runs.cancel(user.id, threadId, runId);
  }
}
