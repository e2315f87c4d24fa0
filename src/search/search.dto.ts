import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { Trimmed } from '../common/http/dto-helpers.js';

/** The furthest a search pages: past it, a narrower query serves better than a deeper page. */
export const SEARCH_MAX_OFFSET = 1_000;
/** The hard ceiling of SEARCH_MAX_QUERY_CHARS. */
const QUERY_CEILING = 1_000;

const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

export class SearchQuery {
  @ApiProperty({
    description: 'Words to find, web-search style: "a phrase", -excluded, or (at most limits.searchQueryChars characters, see GET /config)',
    example: 'invoice "due date" -draft',
  })
  // Required (the service says so when it is missing): optional here so that an unknown parameter is answered alone, as on every route.
  @IsOptional()
  @Trimmed()
  @IsString()
  @MinLength(1, { message: 'q must not be empty' })
  @MaxLength(QUERY_CEILING)
  q?: string;

  @ApiPropertyOptional({ description: 'true: archived threads are searched too (trashed threads never are)', default: false })
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean({ message: 'includeArchived must be true or false' })
  includeArchived?: boolean;

  @ApiPropertyOptional({ default: 20, maximum: 50 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(50)
  limit?: number;

  @ApiPropertyOptional({ default: 0, maximum: SEARCH_MAX_OFFSET })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(SEARCH_MAX_OFFSET)
  offset?: number;
}

export class SnippetPart {
  @ApiProperty() text!: string;
  @ApiProperty({ description: 'A matched word' }) highlight!: boolean;
}

export class SearchHitResponse {
  @ApiProperty({ enum: ['message', 'title'], description: "What matched: a message's text or the thread's title" })
  kind!: 'message' | 'title';
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ nullable: true, type: String }) threadTitle!: string | null;
  @ApiProperty() threadIsArchived!: boolean;
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'The message to jump to (null for a title)' })
  messageId!: string | null;
  @ApiProperty({ enum: ['user', 'assistant'], nullable: true, type: String }) role!: 'user' | 'assistant' | null;
  @ApiProperty({
    type: [SnippetPart],
    description: 'The matched passage as plain-text parts (render as text, never as HTML); highlight marks the words that matched',
  })
  snippet!: SnippetPart[];
  @ApiProperty({ description: 'Relevance (higher first); titles weigh more than message text' }) rank!: number;
  @ApiProperty({ format: 'date-time', description: "The message's time, or the thread's last activity for a title" }) createdAt!: string;
}

export class SearchResponse {
  @ApiProperty({ type: [SearchHitResponse] }) results!: SearchHitResponse[];
  @ApiProperty({ description: 'More results follow: ask again with offset + limit' }) hasMore!: boolean;
  @ApiProperty({
    description: 'More matches exist than were ranked (the newest limits.searchCandidates of each kind, see GET /config): older ones are left out; narrow the words to reach them',
  })
  capped!: boolean;
}
