import { Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ConfirmationResponse } from '../auth/auth.dto.js';
import { AssistantFilesResponse } from '../assistants/assistants.dto.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { FileResponse, UploadResponse } from '../files/files.dto.js';
import { FilesService } from '../files/files.service.js';
import { AcceptsFiles, refuseFields, uploadedFiles } from '../files/multipart.interceptor.js';
import { toIncoming } from '../files/uploads.controller.js';
import { UploadsService } from '../files/uploads.service.js';
import { DocumentsService } from './documents.service.js';

/** An assistant's documents: upload and attach, list, detach, and retry a failed indexing. */
@ApiTags('assistants')
@Controller('api')
export class DocumentsController {
  constructor(
    private readonly documents: DocumentsService,
    private readonly uploads: UploadsService,
    private readonly files: FilesService,
  ) {}

  @Post('assistants/:id/files')
  @AcceptsFiles()
  @ApiOperation({ summary: 'Upload documents (field "file" or "files") and attach them to the assistant' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { file: { type: 'string', format: 'binary' }, files: { type: 'array', items: { type: 'string', format: 'binary' } } },
    },
  })
  @ApiCreatedResponse({ type: UploadResponse })
  upload(@CurrentUser() user: AuthUser, @IdParam('id', 'Assistant') assistantId: string, @Req() request: Request): Promise<UploadResponse> {
    refuseFields(request);
    const files = uploadedFiles(request, ['file', 'files']).map((file) => toIncoming(file));
    return this.uploads.upload(user.id, files, { assistantId });
  }

  @Get('assistants/:id/files')
  @ApiOperation({ summary: "The assistant's documents and its vector store" })
  @ApiOkResponse({ type: AssistantFilesResponse })
  list(@CurrentUser() user: AuthUser, @IdParam('id', 'Assistant') id: string): Promise<AssistantFilesResponse> {
    return this.documents.list(user.id, id);
  }

  @Delete('assistants/:id/files/:fileId')
  @ApiOperation({ summary: 'Detach a document from the assistant (the file itself stays)' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async detach(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Assistant') id: string,
    @IdParam('fileId', 'File') fileId: string,
  ): Promise<ConfirmationResponse> {
    await this.documents.detach(user.id, id, fileId);
    return { message: 'File detached' };
  }

  @Post('files/:id/retry')
  @HttpCode(200)
  @ApiTags('files')
  @ApiOperation({ summary: 'Try the failed upstream indexing of this file again' })
  @ApiOkResponse({ type: FileResponse })
  async retry(@CurrentUser() user: AuthUser, @IdParam('id', 'File') id: string): Promise<FileResponse> {
    await this.documents.retry(user.id, id);
    const [response] = await this.files.toResponses(user.id, [await this.files.findOwned(user.id, id)]);
    return response;
  }
}
