import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean } from 'class-validator';
import { OptionalNotNull } from '../common/http/dto-helpers.js';

export class CreateShareDto {
  @ApiPropertyOptional({
    default: false,
    description: 'Show the files attached to the messages (names, types, sizes, and a download for anyone with the link) and the names of the files replies cite; never their ids',
  })
  @OptionalNotNull()
  @IsBoolean({ message: 'includeFiles must be true or false' })
  includeFiles?: boolean;
}

export class ShareResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty({ format: 'uuid' }) threadId!: string;
  @ApiProperty({ nullable: true, type: String, description: 'The title when the link was made' }) title!: string | null;
  @ApiProperty() messageCount!: number;
  @ApiProperty() includeFiles!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class CreatedShareResponse extends ShareResponse {
  @ApiProperty({ description: 'The secret of the link: shown this once (only its hash is kept)' }) token!: string;
  @ApiProperty({ description: 'The path that reads the snapshot without a session', example: '/api/shared/…' }) path!: string;
}

export class SharedFileResponse {
  @ApiProperty() filename!: string;
  @ApiProperty() contentType!: string;
  @ApiProperty() size!: number;
  @ApiProperty({ description: 'Downloads the file without a session (while the owner keeps it)', example: '/api/shared/…/files/0' }) path!: string;
}

export class SharedMessageResponse {
  @ApiProperty({ enum: ['user', 'assistant'] }) role!: 'user' | 'assistant';
  @ApiProperty() content!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiPropertyOptional({ type: [SharedFileResponse], description: 'Only when the owner included files' }) files?: SharedFileResponse[];
  @ApiPropertyOptional({ type: [String], description: 'Names of the files a reply cites; only when the owner included files' }) sources?: string[];
}

export class SharedThreadResponse {
  @ApiProperty({ nullable: true, type: String }) title!: string | null;
  @ApiProperty({ format: 'date-time' }) sharedAt!: string;
  @ApiProperty({ type: [SharedMessageResponse] }) messages!: SharedMessageResponse[];
}
