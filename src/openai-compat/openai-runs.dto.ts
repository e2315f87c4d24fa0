import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { Allow, ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNumber, IsObject, IsString, Max, MaxLength, Min, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { ModelId, OptionalNotNull } from '../common/http/dto-helpers.js';
import { CreateOpenAiMessageDto, CreateOpenAiThreadDto, MAX_INITIAL_MESSAGES } from './openai-threads.dto.js';

const nullable = () => ValidateIf((_: object, value: unknown) => value !== null && value !== undefined);

/** The fields of OpenAI's create-run the platform honours; the others are taken only at their defaults (checked by the service). */
export class CreateOpenAiRunDto {
  @ApiProperty({ description: 'asst_… id' })
  @IsString({ message: 'assistant_id is required' })
  @MinLength(1)
  @MaxLength(64)
  assistant_id!: string;

  @ApiPropertyOptional({ nullable: true, type: String })
  @nullable()
  @IsString()
  @MaxLength(128)
  @ModelId()
  model?: string | null;

  @ApiPropertyOptional({ nullable: true, type: Number, minimum: 0, maximum: 2 })
  @nullable()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  temperature?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Number, description: 'Taken as the reply length bound (at least 256)' })
  @nullable()
  @IsInt()
  @Min(256)
  @Max(1_000_000)
  max_completion_tokens?: number | null;

  @ApiPropertyOptional({ nullable: true, type: Boolean })
  @nullable()
  @IsBoolean()
  stream?: boolean | null;

  @ApiPropertyOptional({ nullable: true, type: [CreateOpenAiMessageDto], description: 'Added to the thread before the run' })
  @nullable()
  @IsArray()
  @ArrayMaxSize(MAX_INITIAL_MESSAGES)
  @ValidateNested({ each: true })
  @Type(() => CreateOpenAiMessageDto)
  additional_messages?: CreateOpenAiMessageDto[] | null;

  @ApiPropertyOptional({ nullable: true, description: 'Not supported: only null' }) @Allow() instructions?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Not supported: only null' }) @Allow() additional_instructions?: unknown;
  @ApiPropertyOptional({ nullable: true, description: "Not supported: only null (the assistant's tools are used)" }) @Allow() tools?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Only empty' }) @Allow() metadata?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Only 1' }) @Allow() top_p?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Not supported: only null' }) @Allow() max_prompt_tokens?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Only auto' }) @Allow() truncation_strategy?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Only auto' }) @Allow() tool_choice?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Only true' }) @Allow() parallel_tool_calls?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Only auto' }) @Allow() response_format?: unknown;
  @ApiPropertyOptional({ nullable: true, description: 'Not supported: only null' }) @Allow() reasoning_effort?: unknown;
}

export class CreateThreadAndRunDto extends CreateOpenAiRunDto {
  @ApiPropertyOptional({ type: CreateOpenAiThreadDto })
  @OptionalNotNull()
  @IsObject()
  @ValidateNested()
  @Type(() => CreateOpenAiThreadDto)
  thread?: CreateOpenAiThreadDto;

  @ApiPropertyOptional({ nullable: true, description: 'Only empty' }) @Allow() tool_resources?: unknown;
}
