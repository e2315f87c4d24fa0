import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { sendAttachment } from '../files/files.controller.js';
import { AcceptsFiles, uploadedFiles } from '../files/multipart.interceptor.js';
import { toIncoming } from '../files/uploads.controller.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import { FILE_PURPOSES, OpenAiFileListQuery, OpenAiUploadFieldsDto } from './openai-files.dto.js';
import { OpenAiFilesService, type OpenAiFile } from './openai-files.service.js';
import type { OpenAiList } from './openai-wire.js';

@ApiTags('openai-compatible')
@UseFilters(OpenAiErrorFilter)
@Controller('v1/files')
export class OpenAiFilesController {
  constructor(private readonly files: OpenAiFilesService) {}

  @Post()
  @HttpCode(200)
  @AcceptsFiles()
  @ApiOperation({ summary: 'Upload a file (OpenAI wire format; stored as POST /api/upload stores, with the same limits)' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file', 'purpose'], properties: { file: { type: 'string', format: 'binary' }, purpose: { type: 'string', enum: [...FILE_PURPOSES] } } } })
  upload(@CurrentUser() user: AuthUser, @Req() request: Request, @Body() fields: OpenAiUploadFieldsDto): Promise<OpenAiFile> {
    const incoming = uploadedFiles(request, ['file']).map((file) => toIncoming(file));
    return this.files.upload(user.id, incoming, fields.purpose);
  }

  @Get()
  @ApiOperation({ summary: 'List files (OpenAI wire format)' })
  list(@CurrentUser() user: AuthUser, @Query() query: OpenAiFileListQuery): Promise<OpenAiList<OpenAiFile>> {
    return this.files.list(user.id, query);
  }

  @Get(':fileId')
  @ApiOperation({ summary: 'Retrieve a file (OpenAI wire format)' })
  get(@CurrentUser() user: AuthUser, @Param('fileId') id: string): Promise<OpenAiFile> {
    return this.files.get(user.id, id);
  }

  @Get(':fileId/content')
  @ApiOperation({ summary: "A file's bytes (as GET /api/files/:id/content)" })
  @ApiProduces('application/octet-stream')
  async content(@CurrentUser() user: AuthUser, @Param('fileId') id: string, @Res() response: Response): Promise<void> {
    const file = await this.files.findOwned(user.id, id);
    await sendAttachment(response, file, this.files.content(file));
  }

  @Delete(':fileId')
  @ApiOperation({ summary: 'Delete a file (OpenAI wire format; as DELETE /api/files/:id)' })
  delete(@CurrentUser() user: AuthUser, @Param('fileId') id: string): Promise<{ id: string; object: 'file'; deleted: true }> {
    return this.files.delete(user.id, id);
  }
}
