import { Body, Controller, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConsumes, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { UploadDirectoryDto, UploadFieldsDto, UploadResponse } from './files.dto.js';
import type { IncomingFile } from './files.service.js';
import { AcceptsFiles, uploadedFiles } from './multipart.interceptor.js';
import type { SpooledFile } from './upload-spool.js';
import { UploadsService } from './uploads.service.js';

export function toIncoming(file: SpooledFile, relativePath?: string): IncomingFile {
  return {
    originalName: file.originalName,
    relativePath: relativePath ?? (/[\\/]/.test(file.originalName) ? file.originalName : null),
    claimedType: file.claimedType,
    path: file.path,
    sample: file.sample,
  };
}

@ApiTags('files')
@Controller('api')
@AcceptsFiles()
export class UploadsController {
  constructor(private readonly uploads: UploadsService) {}

  @Post('upload')
  @ApiOperation({ summary: 'Upload one file (field "file") or several (field "files"); documents attach to assistantId' })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        file: { type: 'string', format: 'binary' },
        files: { type: 'array', items: { type: 'string', format: 'binary' } },
        assistantId: { type: 'string', format: 'uuid' },
      },
    },
  })
  @ApiCreatedResponse({ type: UploadResponse })
  upload(@CurrentUser() user: AuthUser, @Req() request: Request, @Body() fields: UploadFieldsDto): Promise<UploadResponse> {
    const files = uploadedFiles(request, ['file', 'files']).map((file) => toIncoming(file));
    return this.uploads.upload(user.id, files, { assistantId: fields.assistantId });
  }

  @Post('upload-directory')
  @ApiOperation({
    summary:
      'Upload a folder: multipart files with their relative paths (as a browser sends a chosen folder), ' +
      'or JSON {dir} for a folder under the configured import root',
  })
  @ApiConsumes('multipart/form-data', 'application/json')
  @ApiBody({
    description: 'Multipart form: files (and paths, one per file). JSON form: dir. assistantId in either.',
    schema: {
      type: 'object',
      properties: {
        files: {
          type: 'array',
          items: { type: 'string', format: 'binary' },
          description: "Multipart form: the folder's files, each named by its relative path (as a browser sends a chosen folder)",
        },
        paths: { type: 'array', items: { type: 'string' }, description: 'Multipart form: relative paths, in the order of the files' },
        dir: { type: 'string', maxLength: 1024, description: 'JSON form: a folder under the configured import root' },
        assistantId: { type: 'string', format: 'uuid', description: 'Attach the documents to this assistant' },
      },
    },
  })
  @ApiCreatedResponse({ type: UploadResponse })
  uploadDirectory(
    @CurrentUser() user: AuthUser,
    @Req() request: Request,
    @Body() fields: UploadDirectoryDto,
  ): Promise<UploadResponse> {
    if (!request.is('multipart/form-data')) {
      if (!fields.dir) {
        throw new DomainError('validation_failed', 'Send the folder as multipart files, or {dir} as JSON', [
          { field: 'dir', message: 'dir is required for the JSON form' },
        ]);
      }
      return this.uploads.importDirectory(user.id, fields.dir, fields.assistantId);
    }
    if (fields.dir) throw new DomainError('validation_failed', 'dir is only accepted as JSON', [{ field: 'dir', message: 'dir is only accepted as JSON' }]);
    const files = uploadedFiles(request, ['files', 'file']);
    const paths = fields.paths === undefined ? [] : Array.isArray(fields.paths) ? fields.paths : [fields.paths];
    if (paths.length > 0 && paths.length !== files.length) {
      throw new DomainError('validation_failed', 'Send one path per file', [{ field: 'paths', message: 'Send one path per file' }]);
    }
    const incoming = files.map((file, index) => toIncoming(file, paths[index] ?? file.originalName));
    return this.uploads.upload(user.id, incoming, { assistantId: fields.assistantId, skipUnsupported: true });
  }
}
