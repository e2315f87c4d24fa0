import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsMetadata } from '../common/http/dto-helpers.js';
import { OpenAiListQuery } from './openai-assistants.dto.js';

const nullable = () => ValidateIf((_: object, value: unknown) => value !== null && value !== undefined);

/** OpenAI's vector store create (the service refuses what the platform cannot honour). */
export class CreateOpenAiVectorStoreDto {
  @ApiPropertyOptional({ maxLength: 256 })
  @nullable()
  @IsString()
  @MaxLength(256)
  name?: string | null;

  @ApiPropertyOptional({ type: [String], maxItems: 500, description: 'Ids of your documents (file-…)' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  file_ids?: string[];

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: { type: 'string' } })
  @nullable()
  @IsMetadata()
  metadata?: Record<string, string> | null;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Only {"type": "auto"} is taken' })
  @IsOptional()
  @IsObject()
  chunking_strategy?: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, description: 'Not supported: stores do not expire' })
  @IsOptional()
  expires_after?: unknown;
}

/** OpenAI's vector store modify: its name and metadata. */
export class ModifyOpenAiVectorStoreDto {
  @ApiPropertyOptional({ nullable: true, maxLength: 256 })
  @nullable()
  @IsString()
  @MaxLength(256)
  name?: string | null;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: { type: 'string' } })
  @nullable()
  @IsMetadata()
  metadata?: Record<string, string> | null;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, description: 'Not supported: stores do not expire' })
  @IsOptional()
  expires_after?: unknown;
}

/** OpenAI's vector store file create. */
export class CreateOpenAiVectorStoreFileDto {
  @ApiProperty({ description: 'Id of one of your documents (file-…)' })
  @IsString()
  @MaxLength(64)
  file_id!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Only {"type": "auto"} is taken' })
  @IsOptional()
  @IsObject()
  chunking_strategy?: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, description: 'Not supported' })
  @IsOptional()
  attributes?: unknown;
}

/** OpenAI's file batch create: the files by id (per-file settings are not supported). */
export class CreateOpenAiFileBatchDto {
  @ApiProperty({ type: [String], minItems: 1, maxItems: 500, description: 'Ids of your documents (file-…)' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(500)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  file_ids!: string[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'Only {"type": "auto"} is taken' })
  @IsOptional()
  @IsObject()
  chunking_strategy?: Record<string, unknown>;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, description: 'Not supported' })
  @IsOptional()
  attributes?: unknown;
}

/** The list of a store's files, with OpenAI's `filter` by status. */
export class OpenAiVectorStoreFilesQuery extends OpenAiListQuery {
  @ApiPropertyOptional({ enum: ['in_progress', 'completed', 'failed', 'cancelled'] })
  @IsOptional()
  @IsIn(['in_progress', 'completed', 'failed', 'cancelled'], { message: 'filter must be in_progress, completed, failed or cancelled' })
  filter?: 'in_progress' | 'completed' | 'failed' | 'cancelled';
}
