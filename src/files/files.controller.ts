import { Controller, Delete, Get, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import { ConfirmationResponse } from '../auth/auth.dto.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { IdParam } from '../common/http/id-param.js';
const DEFAULT_PAGE_SIZE = 50;
import { FileResponse, ListFilesQuery } from './files.dto.js';
import { FilesService } from './files.service.js';

/** Sends stored bytes as a download that the browser will not render or sniff. */
export async function sendAttachment(response: Response, file: { filename: string; mimeType: string; sizeBytes: number }, body: AsyncIterable<Buffer>) {
  response.attachment(file.filename);
  response.setHeader('Content-Type', file.mimeType.startsWith('text/') ? `${file.mimeType}; charset=utf-8` : file.mimeType);
  response.setHeader('Content-Length', String(file.sizeBytes));
  response.setHeader('X-Content-Type-Options', 'nosniff');
  response.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
  response.setHeader('Cache-Control', 'private, no-store');
  try {
    await pipeline(Readable.from(body), response);
  } catch (error) {
    // The client went away mid-download: nothing left to answer.
    if ((error as NodeJS.ErrnoException).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
  }
}

@ApiTags('files')
@Controller('api/files')
export class FilesController {
  constructor(private readonly files: FilesService) {}

  @Get()
  @ApiOperation({ summary: "The user's files, newest first (total in X-Total-Count)" })
  @ApiOkResponse({ type: [FileResponse] })
  async list(@CurrentUser() user: AuthUser, @Query() query: ListFilesQuery, @Res({ passthrough: true }) response: Response) {
    const [files, total] = await this.files.list(user.id, {
      assistantId: query.assistantId,
      kind: query.kind,
      limit: query.limit ?? DEFAULT_PAGE_SIZE,
      offset: query.offset ?? 0,
    });
    response.setHeader('X-Total-Count', String(total));
    return this.files.toResponses(user.id, files);
  }

  @Get(':id')
  @ApiOperation({ summary: 'One file with its status per assistant' })
  @ApiOkResponse({ type: FileResponse })
  async get(@CurrentUser() user: AuthUser, @IdParam('id', 'File') id: string): Promise<FileResponse> {
    const file = await this.files.findOwned(user.id, id);
    const [response] = await this.files.toResponses(user.id, [file]);
    return response;
  }

  @Get(':id/content')
  @ApiOperation({ summary: 'Download the original bytes (as an attachment)' })
  @ApiProduces('application/octet-stream')
  async content(@CurrentUser() user: AuthUser, @IdParam('id', 'File') id: string, @Res() response: Response): Promise<void> {
    const file = await this.files.findOwned(user.id, id);
    await sendAttachment(response, file, this.files.content(file));
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete the file here and, in the background, at OpenAI' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async delete(@CurrentUser() user: AuthUser, @IdParam('id', 'File') id: string): Promise<ConfirmationResponse> {
    await this.files.delete(user.id, id);
    return { message: 'File deleted' };
  }
}
