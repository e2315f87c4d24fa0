import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { PageQuery } from '../common/http/dto-helpers.js';
import type { FileStatus } from './stored-file.entity.js';

export class FileAttachmentResponse {
  @ApiProperty({ format: 'uuid' }) assistantId!: string;
  @ApiProperty({ enum: ['processing', 'ready', 'failed'] }) status!: FileStatus;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
}

export class FileResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() filename!: string;
  @ApiProperty({ nullable: true, type: String, description: 'Path inside an uploaded folder' }) relativePath!: string | null;
  @ApiProperty({ description: 'Detected from the content' }) mimeType!: string;
  @ApiProperty({ enum: ['document', 'image'] }) kind!: 'document' | 'image';
  @ApiProperty() sizeBytes!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ enum: ['processing', 'ready', 'failed'] }) status!: FileStatus;
  @ApiProperty({ nullable: true, type: String }) error!: string | null;
  @ApiProperty({ type: [FileAttachmentResponse] }) assistants!: FileAttachmentResponse[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class SkippedFile {
  @ApiProperty() name!: string;
  @ApiProperty() reason!: string;
}

export class UploadResponse {
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assistantId!: string | null;
  @ApiProperty({
    type: [String],
    description: "Ids of the request's files, each content once; a file the user already stores with the same content answers with its id",
  })
  fileIds!: string[];
  @ApiProperty({ type: [String], description: 'Those of fileIds that were stored before (same content): nothing was stored again' })
  existingFileIds!: string[];
  @ApiProperty({
    type: [String],
    nullable: true,
    description: "With assistantId: the ids of all the assistant's documents after this upload, oldest first",
  })
  assistantFileIds!: string[] | null;
  @ApiProperty() message!: string;
  @ApiProperty({ type: [FileResponse] }) files!: FileResponse[];
  @ApiPropertyOptional({ type: [SkippedFile], description: 'Folder uploads: files left out and why' })
  skipped?: SkippedFile[];
}

export class UploadFieldsDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'Attach the documents to this assistant' })
  @IsOptional()
  @IsUUID('all', { message: 'assistantId must be an assistant id (UUID)' })
  assistantId?: string;
}

export class UploadDirectoryDto extends UploadFieldsDto {
  @ApiPropertyOptional({ description: 'JSON form: a folder under the configured import root' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  dir?: string;

  @ApiPropertyOptional({ type: [String], description: 'Multipart form: relative paths, in the order of the files' })
  @IsOptional()
  @IsString({ each: true })
  @MaxLength(1024, { each: true })
  paths?: string[] | string;
}

export class ListFilesQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all')
  assistantId?: string;

  @ApiPropertyOptional({ enum: ['document', 'image'] })
  @IsOptional()
  @IsIn(['document', 'image'])
  kind?: 'document' | 'image';
}
