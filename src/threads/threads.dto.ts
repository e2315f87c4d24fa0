import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  IsUUID,
  Max,
  MaxLength,
  Min,
  MinLength,
  ValidateIf,
} from 'class-validator';
import { IsMetadata, OptionalNotNull, PageQuery, Trimmed } from '../common/http/dto-helpers.js';
import { MessageFeedbackResponse } from '../feedback/feedback.dto.js';
import type { MessageCitation, MessageRole, MessageStatus } from './message.entity.js';

/** Up to 16 string pairs (keys up to 64 characters, values up to 512). */
const METADATA_SCHEMA = { type: 'object', additionalProperties: { type: 'string' }, example: { ticket: 'T-1234' } } as const;

export class CreateThreadDto {
  @ApiPropertyOptional({ maxLength: 200, example: 'Trip planning' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MaxLength(200)
  title?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Defaults to the user’s default assistant' })
  @IsOptional()
  @IsUUID('all', { message: 'assistantId must be an assistant id (UUID)' })
  assistantId?: string;

  @ApiPropertyOptional(METADATA_SCHEMA)
  @OptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, string>;
}

export class UpdateThreadDto {
  @ApiPropertyOptional({ maxLength: 200, nullable: true, type: String })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Trimmed()
  @IsString()
  @MaxLength(200)
  title?: string | null;

  @ApiPropertyOptional()
  @OptionalNotNull()
  @IsBoolean()
  isArchived?: boolean;

  @ApiPropertyOptional({ format: 'uuid', nullable: true, type: String, description: 'Reassign the thread (null: none)' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'assistantId must be an assistant id (UUID) or null' })
  assistantId?: string | null;

  @ApiPropertyOptional({ ...METADATA_SCHEMA, description: 'Replaces the whole metadata' })
  @OptionalNotNull()
  @IsMetadata()
  metadata?: Record<string, string>;
}

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class ListThreadsQuery extends PageQuery {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'assistantId must be an assistant id (UUID)' })
  assistantId?: string;

  @ApiPropertyOptional({ description: 'true: archived threads only; false (default): the others' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'archived must be true or false' })
  archived?: boolean;

  @ApiPropertyOptional({ description: 'true: the threads in the trash, newest deletion first (archived or not, unless archived is given)' })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'trashed must be true or false' })
  trashed?: boolean;

  @ApiPropertyOptional({ description: 'Matches titles (case-insensitive)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}

export class ListMessagesQuery {
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;

  @ApiPropertyOptional({ format: 'uuid', description: 'Messages older than this one (the newest of them)' })
  @IsOptional()
  @IsUUID('all', { message: 'before must be a message id' })
  before?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Messages newer than this one (the oldest of them)' })
  @IsOptional()
  @IsUUID('all', { message: 'after must be a message id' })
  after?: string;
}

/** Ids a new message may refer to: its files, and the message it answers. */
export class MessageReferencesDto {
  @ApiPropertyOptional({ type: [String], description: 'Files (e.g. images) that go with the message' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(20)
  @IsUUID('all', { each: true, message: 'fileIds must hold file ids (UUIDs)' })
  fileIds?: string[];

  @ApiPropertyOptional({ format: 'uuid', description: 'A message of the same thread this one answers' })
  @IsOptional()
  @IsUUID('all', { message: 'replyToId must be a message id' })
  replyToId?: string;
}

export class AddMessageDto extends MessageReferencesDto {
  @ApiProperty({ enum: ['user', 'assistant'] })
  @IsIn(['user', 'assistant'], { message: 'role must be user or assistant' })
  role!: MessageRole;

  @ApiProperty({ minLength: 1, description: 'At most the chat input limit (limits.chatInputChars in GET /config)' })
  @IsString()
  @MinLength(1, { message: 'content must not be empty' })
  content!: string;
}

export class ForkThreadDto {
  @ApiProperty({ format: 'uuid', description: 'The message the copy ends with: the path up to it is copied' })
  @IsUUID('all', { message: 'messageId must be a message id (UUID)' })
  messageId!: string;
}

export class ExportQuery {
  @ApiPropertyOptional({ enum: ['markdown', 'json'], default: 'markdown' })
  @IsOptional()
  @IsIn(['markdown', 'json'], { message: 'format must be markdown or json' })
  format?: 'markdown' | 'json';
}

export class UsageResponse {
  @ApiProperty() inputTokens!: number;
  @ApiProperty() outputTokens!: number;
  @ApiProperty() totalTokens!: number;
}

export class CitationResponse {
  @ApiProperty() fileId!: string;
  @ApiProperty() filename!: string;
  @ApiProperty() index!: number;
}

export class MessageResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ enum: ['user', 'assistant'] }) role!: MessageRole;
  @ApiProperty() content!: string;
  @ApiProperty({ enum: ['completed', 'streaming', 'incomplete', 'cancelled'] }) status!: MessageStatus;
  @ApiProperty({ nullable: true, type: String }) statusReason!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) replyToId!: string | null;
  @ApiProperty({ type: [String] }) fileIds!: string[];
  @ApiProperty({ type: [CitationResponse] }) citations!: MessageCitation[];
  @ApiProperty({ nullable: true, type: UsageResponse }) usage!: UsageResponse | null;
  @ApiProperty({ nullable: true, type: Number, description: 'US dollars' }) cost!: number | null;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assistantId!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The message it follows in the thread’s tree (null: a first message)' })
  parentId!: string | null;
  @ApiPropertyOptional({ description: 'Versions of this message (it and its siblings); in message lists' }) siblingCount?: number;
  @ApiPropertyOptional({ description: 'Which version it is, 1-based, oldest first; in message lists' }) siblingIndex?: number;
  @ApiPropertyOptional({ type: [String], description: 'The ids of its versions, oldest first (for POST …/activate); in message lists' }) siblingIds?: string[];
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: MessageFeedbackResponse, description: "The owner's rating of a reply (null: none)" })
  feedback!: MessageFeedbackResponse | null;
}

export class ThreadResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assistantId!: string | null;
  @ApiProperty() isArchived!: boolean;
  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' } }) metadata!: Record<string, string>;
  @ApiProperty({ nullable: true, type: String }) summary!: string | null;
  @ApiProperty() messageCount!: number;
  @ApiProperty() inputTokens!: number;
  @ApiProperty() outputTokens!: number;
  @ApiProperty() totalTokens!: number;
  @ApiProperty({ description: 'US dollars' }) totalCost!: number;
  @ApiProperty({ format: 'date-time', nullable: true, type: String }) lastMessageAt!: string | null;
  @ApiProperty({ format: 'date-time' }) lastActivityAt!: string;
  @ApiProperty({ format: 'date-time', nullable: true, type: String, description: 'When it was moved to the trash (null: not in the trash)' })
  deletedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}
