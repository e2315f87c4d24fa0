import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

/** The purposes the platform keeps files for: documents for assistants to search, images as chat inputs. */
export const FILE_PURPOSES = ['assistants', 'vision', 'user_data'] as const;
export type FilePurpose = (typeof FILE_PURPOSES)[number];

/** The form fields of an upload besides the file. */
export class OpenAiUploadFieldsDto {
  @ApiProperty({ enum: FILE_PURPOSES })
  @IsIn(FILE_PURPOSES, { message: `purpose must be one of ${FILE_PURPOSES.join(', ')}` })
  purpose!: FilePurpose;
}

/** OpenAI's file list: `purpose`, `limit` 1–10,000 (10,000), `order` (desc) and `after`. */
export class OpenAiFileListQuery {
  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  purpose?: string;

  @ApiPropertyOptional({ default: 10_000, minimum: 1, maximum: 10_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;

  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'desc' })
  @IsOptional()
  @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
  order?: 'asc' | 'desc';

  @ApiPropertyOptional({ description: 'A file id: the page starts after it' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  after?: string;
}
