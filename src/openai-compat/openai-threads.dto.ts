import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsDefined, IsIn, IsObject, ValidateIf, ValidateNested } from 'class-validator';
import { IsMetadata, OptionalNotNull } from '../common/http/dto-helpers.js';

/** Messages a thread may be created with in one request (OpenAI's own bound). */
export const MAX_INITIAL_MESSAGES = 32;
/** Content parts one message may have. */
export const MAX_CONTENT_PARTS = 32;

const nullable = () => ValidateIf((_: object, value: unknown) => value !== null && value !== undefined);

/** A message as OpenAI's create-message and create-thread take it (content checked further by the service). */
export class CreateOpenAiMessageDto {
  @ApiProperty({ enum: ['user', 'assistant'] })
  @IsIn(['user', 'assistant'], { message: 'role must be user or assistant' })
  role!: 'user' | 'assistant';

  @ApiProperty({ description: 'Text, or a list of {"type": "text", "text": "..."} parts' })
  @IsDefined({ message: 'content is required' })
  content!: unknown;

  @ApiPropertyOptional({ nullable: true, type: 'array', items: { type: 'object' }, description: 'Only an empty list is taken' })
  @nullable()
  @IsArray()
  @ArrayMaxSize(MAX_CONTENT_PARTS)
  attachments?: unknown[] | null;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: { type: 'string' } })
  @nullable()
  @IsMetadata()
  metadata?: Record<string, string> | null;
}

export class CreateOpenAiThreadDto {
  @ApiPropertyOptional({ type: [CreateOpenAiMessageDto] })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(MAX_INITIAL_MESSAGES)
  @ValidateNested({ each: true })
  @Type(() => CreateOpenAiMessageDto)
  messages?: CreateOpenAiMessageDto[];

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, description: 'Only empty resources are taken' })
  @nullable()
  @IsObject()
  tool_resources?: Record<string, unknown> | null;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: { type: 'string' } })
  @nullable()
  @IsMetadata()
  metadata?: Record<string, string> | null;
}

export class ModifyOpenAiThreadDto {
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, description: 'Only empty resources are taken' })
  @nullable()
  @IsObject()
  tool_resources?: Record<string, unknown> | null;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: { type: 'string' } })
  @nullable()
  @IsMetadata()
  metadata?: Record<string, string> | null;
}

export class ModifyOpenAiMessageDto {
  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: { type: 'string' } })
  @nullable()
  @IsMetadata()
  metadata?: Record<string, string> | null;
}
