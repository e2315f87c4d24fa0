import { ApiProperty, ApiPropertyOptional, IntersectionType } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsBoolean, IsInt, IsNumber, IsOptional, IsString, IsUUID, Max, MaxLength, Min, MinLength } from 'class-validator';
import { ModelId, Trimmed } from '../common/http/dto-helpers.js';
import { CitationResponse, MessageReferencesDto, MessageResponse, UsageResponse } from '../threads/threads.dto.js';

/** Per-turn choices that override the assistant's. */
export class TurnOptionsDto {
  @ApiPropertyOptional({ description: 'Stream the reply as Server-Sent Events (also chosen by Accept: text/event-stream)' })
  @IsOptional()
  @IsBoolean()
  stream?: boolean;

  @ApiPropertyOptional({ example: 'gpt-4o-mini' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1, { message: 'model must not be empty' })
  @MaxLength(128)
  @ModelId()
  model?: string;

  @ApiPropertyOptional({ minimum: 0, maximum: 2 })
  @IsOptional()
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(2)
  temperature?: number;

  @ApiPropertyOptional({ minimum: 16, maximum: 128000 })
  @IsOptional()
  @IsInt()
  @Min(16)
  @Max(128_000)
  maxOutputTokens?: number;
}

export class ChatDto extends IntersectionType(TurnOptionsDto, MessageReferencesDto) {
  @ApiProperty({ description: 'What the user says' })
  @IsString()
  @MinLength(1, { message: 'message must not be empty' })
  message!: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Omit to start a new thread' })
  @IsOptional()
  @IsUUID('all', { message: 'threadId must be a thread id (UUID)' })
  threadId?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Who answers; defaults to the thread’s assistant, then the default one, else the plain chat (no instructions or tools)' })
  @IsOptional()
  @IsUUID('all', { message: 'assistantId must be an assistant id (UUID)' })
  assistantId?: string;

}

export class EditMessageDto extends TurnOptionsDto {
  @ApiProperty({ minLength: 1, description: 'The new version of the message (at most the chat input limit)' })
  @IsString()
  @MinLength(1, { message: 'content must not be empty' })
  content!: string;

  @ApiPropertyOptional({ type: [String], description: 'Files that go with the new version; the original’s when omitted' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true, message: 'fileIds must hold file ids (UUIDs)' })
  fileIds?: string[];
}

export class TextContent {
  @ApiProperty({ enum: ['text'] }) type!: 'text';
  @ApiProperty() text!: string;
}

export class ChatReply {
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ format: 'uuid', description: 'The reply' }) messageId!: string;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The stored user message' }) userMessageId!: string | null;
  @ApiProperty({ type: [TextContent] }) content!: TextContent[];
  @ApiProperty({ type: [CitationResponse] }) citations!: CitationResponse[];
  @ApiProperty({ nullable: true, type: UsageResponse }) usage!: UsageResponse | null;
  @ApiProperty({ nullable: true, type: Number }) cost!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'The thread title, when one was set by this turn' }) title!: string | null;
  @ApiProperty({ enum: ['completed', 'cancelled'] }) status!: string;
  @ApiProperty({ type: MessageResponse }) message!: MessageResponse;
}

export class CancelResponse {
  @ApiProperty() message!: string;
  @ApiProperty({ format: 'uuid' }) runId!: string;
  @ApiProperty({ description: 'The run’s state after the cancel' }) status!: string;
}
