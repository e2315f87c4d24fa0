import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength, ValidateIf } from 'class-validator';
import { PageQuery, Trimmed } from '../common/http/dto-helpers.js';
import type { FeedbackRating } from './message-feedback.entity.js';

/** The hard ceiling of FEEDBACK_MAX_COMMENT_CHARS. */
const COMMENT_CEILING = 100_000;

export class SetFeedbackDto {
  @ApiProperty({ enum: ['up', 'down'] })
  @IsIn(['up', 'down'], { message: 'rating must be up or down' })
  rating!: FeedbackRating;

  @ApiPropertyOptional({ nullable: true, type: String, description: 'At most FEEDBACK_MAX_COMMENT_CHARS characters (limits.feedbackCommentChars in GET /config); empty or null: none' })
  @IsOptional()
  @ValidateIf((_, value) => value !== null)
  @Trimmed()
  @IsString()
  @MaxLength(COMMENT_CEILING)
  comment?: string | null;
}

export class FeedbackListQuery extends PageQuery {
  @ApiPropertyOptional({ enum: ['json', 'csv'], default: 'json', description: 'csv: every rating as a download (limit and offset page the JSON only)' })
  @IsOptional()
  @IsIn(['json', 'csv'], { message: 'format must be json or csv' })
  format?: 'json' | 'csv';

  @ApiPropertyOptional({ enum: ['up', 'down'] })
  @IsOptional()
  @IsIn(['up', 'down'], { message: 'rating must be up or down' })
  rating?: FeedbackRating;
}

/** Feedback as it shows on its message. */
export class MessageFeedbackResponse {
  @ApiProperty({ enum: ['up', 'down'] }) rating!: FeedbackRating;
  @ApiProperty({ nullable: true, type: String }) comment!: string | null;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class FeedbackResponse extends MessageFeedbackResponse {
  @ApiProperty({ format: 'uuid' }) messageId!: string;
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

/** A rating with what was rated, for review. */
export class FeedbackExportItem extends FeedbackResponse {
  @ApiProperty({ nullable: true, type: String }) threadTitle!: string | null;
  @ApiProperty({ description: 'The start of the rated reply' }) reply!: string;
  @ApiProperty({ nullable: true, type: String }) model!: string | null;
  @ApiProperty({ format: 'uuid', nullable: true, type: String }) assistantId!: string | null;
  @ApiProperty({ format: 'date-time' }) replyCreatedAt!: string;
}
