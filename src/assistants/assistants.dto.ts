import { ApiProperty, ApiPropertyOptional, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsNumber,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
  registerDecorator,
  type ValidationOptions,
} from 'class-validator';
import { IsMetadata, ModelId, OptionalNotNull, Trimmed } from '../common/http/dto-helpers.js';
import { FileResponse } from '../files/files.dto.js';
import type { AssistantTool, ToolType } from './assistant.entity.js';

export const TOOL_TYPES: readonly ToolType[] = ['file_search', 'web_search', 'code_interpreter'];

/** How the API document describes a list of tools: objects naming their type. */
const TOOL_LIST_SCHEMA: ApiPropertyOptions = {
  type: 'array',
  items: { type: 'object', properties: { type: { type: 'string', enum: [...TOOL_TYPES] } }, required: ['type'] },
  example: [{ type: 'file_search' }],
};
/** Names earlier assistant tools used for the same capability. */
const TOOL_ALIASES: Record<string, ToolType> = { retrieval: 'file_search', web_search_preview: 'web_search' };

/** Accepts `["file_search"]` or `[{"type": "retrieval"}]`; stores `{type}` with current names. */
function normalizeTools({ value }: { value: unknown }): unknown {
  if (!Array.isArray(value)) return value;
  return value.map((tool: unknown) => {
    const type = typeof tool === 'string' ? tool : (tool as { type?: unknown } | null)?.type;
    if (typeof type !== 'string') return tool;
    // Other keys stay, so that validation refuses them instead of dropping them silently.
    return { ...(typeof tool === 'object' ? tool : {}), type: TOOL_ALIASES[type] ?? type };
  });
}

function IsToolList(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isToolList',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (!Array.isArray(value) || value.length > TOOL_TYPES.length) return false;
          const types = value.map((tool) => (tool as { type?: unknown } | null)?.type);
          const keys = value.every((tool) => tool && typeof tool === 'object' && Object.keys(tool).length === 1);
          return keys && types.every((type) => TOOL_TYPES.includes(type as ToolType)) && new Set(types).size === types.length;
        },
        defaultMessage: () => `tools must be a list of distinct tools among ${TOOL_TYPES.join(', ')} (retrieval is accepted for file_search)`,
      },
    });
}

class AssistantFieldsDto {
  @ApiPropertyOptional({ maxLength: 512, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(512)
  description?: string | null;

  @ApiPropertyOptional({ example: 'gpt-4o', description: 'Defaults to the configured model' })
  @OptionalNotNull()
  @Trimmed()
  @IsString()
  @MinLength(1, { message: 'model must not be empty' })
  @MaxLength(128)
  @ModelId()
  model?: string;

  @ApiPropertyOptional({ maxLength: 256000, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsString()
  @MaxLength(256_000)
  instructions?: string | null;

  @ApiPropertyOptional({ minimum: 0, maximum: 2, nullable: true, type: Number })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  temperature?: number | null;

  @ApiPropertyOptional({ ...TOOL_LIST_SCHEMA, description: 'file_search (or retrieval), web_search, code_interpreter' })
  @OptionalNotNull()
  @Transform(normalizeTools)
  @IsToolList()
  tools?: AssistantTool[];

  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' }, example: { team: 'support' } })
  @OptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, string>;

  @ApiPropertyOptional({ default: true })
  @OptionalNotNull()
  @IsBoolean()
  isActive?: boolean;
}

export class CreateAssistantDto extends AssistantFieldsDto {
  @ApiProperty({ minLength: 1, maxLength: 256, example: 'Research helper' })
  @Trimmed()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(256)
  name!: string;

  @ApiPropertyOptional({ type: [String], description: 'Documents to attach' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'fileIds must hold file ids (UUIDs)' })
  fileIds?: string[];
}

export class UpdateAssistantDto extends AssistantFieldsDto {
  @ApiPropertyOptional({ minLength: 1, maxLength: 256 })
  @OptionalNotNull()
  @Trimmed()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(256)
  name?: string;

  @ApiPropertyOptional({ type: [String], description: 'Documents to attach' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'addFileIds must hold file ids (UUIDs)' })
  addFileIds?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Documents to detach' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(500)
  @IsUUID('all', { each: true, message: 'removeFileIds must hold file ids (UUIDs)' })
  removeFileIds?: string[];
}

export class AssistantResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) userId!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ nullable: true, type: String }) description!: string | null;
  @ApiProperty() model!: string;
  @ApiProperty({ nullable: true, type: String }) instructions!: string | null;
  @ApiProperty({ nullable: true, type: Number }) temperature!: number | null;
  @ApiProperty(TOOL_LIST_SCHEMA) tools!: AssistantTool[];
  @ApiProperty({ type: [String] }) fileIds!: string[];
  @ApiProperty({ nullable: true, type: String }) vectorStoreId!: string | null;
  @ApiProperty() isActive!: boolean;
  @ApiProperty({
    description:
      'True when the assistant has ready documents but no file_search among its tools, so its replies do not search them ' +
      '(the user turned file_search off while it had documents; add it to tools to search them)',
  })
  documentsUnused!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When it was moved to the trash (null: not in the trash)' })
  deletedAt!: string | null;
}

export class AssistantFilesResponse {
  @ApiProperty({ nullable: true, type: String }) vectorStoreId!: string | null;
  @ApiProperty({ type: [FileResponse] }) files!: FileResponse[];
}
