import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsNumber, IsObject, IsOptional, IsString, Matches, Max, MaxLength, Min, MinLength, ValidateIf } from 'class-validator';
import { IsMetadata, ModelId, OptionalNotNull } from '../common/http/dto-helpers.js';

/** What OpenAI's list routes take: `limit` 1–100 (20), `order` asc|desc (desc), and cursors. */
export class OpenAiListQuery {
  @ApiPropertyOptional({ default: 20, minimum: 1, maximum: 100 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'An object id: the page starts after it' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string;

  @ApiPropertyOptional({ description: 'An object id: the page ends before it' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  before?: string;
}

const nullable = () => ValidateIf((_: object, value: unknown) => value !== null && value !== undefined);

/** The fields OpenAI's assistant create and modify take (checked further by the service). */
export class ModifyOpenAiAssistantDto {
  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsString()
  @MinLength(1)
  @MaxLength(128)
  @ModelId()
  model?: string;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 256 })
  @nullable()
  @IsString()
  @MaxLength(256)
  name?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 512 })
  @nullable()
  @IsString()
  @MaxLength(512)
  description?: string | null;

  @ApiPropertyOptional({ nullable: true, type: String, maxLength: 256000 })
  @nullable()
  @IsString()
  @MaxLength(256_000)
  instructions?: string | null;

  @ApiPropertyOptional({ type: 'array', items: { type: 'object' }, description: 'code_interpreter and file_search' })
  @OptionalNotNull()
  @IsArray()
  @ArrayMaxSize(128)
  tools?: unknown[];

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: true, description: 'file_search.vector_store_ids (one store): its files become the assistant’s documents; code_interpreter files are refused' })
  @nullable()
  @IsObject()
  tool_resources?: Record<string, unknown> | null;

  @ApiPropertyOptional({ nullable: true, type: 'object', additionalProperties: { type: 'string' } })
  @nullable()
  @IsMetadata()
  metadata?: Record<string, string> | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: 2 })
  @nullable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  temperature?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Only 1 (the default) is taken' })
  @nullable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  top_p?: number | null;

  @ApiPropertyOptional({ nullable: true, description: 'Only "auto" (the default) is taken' })
  @nullable()
  response_format?: unknown;

  @ApiPropertyOptional({ nullable: true, type: String })
  @nullable()
  @IsString()
  @Matches(/^(minimal|low|medium|high)$/, { message: 'reasoning_effort must be minimal, low, medium or high' })
  reasoning_effort?: string | null;
}

/** As modify; `model` is required (checked by the service, which names it as OpenAI does). */
export class CreateOpenAiAssistantDto extends ModifyOpenAiAssistantDto {}
