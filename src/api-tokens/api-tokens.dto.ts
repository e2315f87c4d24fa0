import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, ArrayUnique, IsArray, IsIn, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OptionalNotNull, Trimmed } from '../common/http/dto-helpers.js';
import { API_TOKEN_SCOPES, type ApiTokenScope } from './api-token.entity.js';

export const MAX_TOKEN_DAYS = 3_650;

export class CreateApiTokenDto {
  @ApiProperty({ maxLength: 100, description: 'What the token is for (shown in the list)' })
  @Trimmed()
  @IsString()
  @MinLength(1, { message: 'name must not be empty' })
  @MaxLength(100)
  name!: string;

  @ApiProperty({ enum: API_TOKEN_SCOPES, isArray: true, description: 'read: GET requests; write: other requests; chat: running the model' })
  @IsArray()
  @ArrayMinSize(1, { message: 'scopes must name at least one scope' })
  @ArrayMaxSize(API_TOKEN_SCOPES.length)
  @ArrayUnique({ message: 'scopes must not repeat a scope' })
  @IsIn(API_TOKEN_SCOPES, { each: true, message: `scopes must be among ${API_TOKEN_SCOPES.join(', ')}` })
  scopes!: ApiTokenScope[];

  @ApiPropertyOptional({ minimum: 1, maximum: MAX_TOKEN_DAYS, description: 'Days until the token stops working; omitted: it does not expire' })
  @OptionalNotNull()
  @IsInt()
  @Min(1)
  @Max(MAX_TOKEN_DAYS)
  expiresInDays?: number;
}

export class ApiTokenResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: API_TOKEN_SCOPES, isArray: true }) scopes!: ApiTokenScope[];
  @ApiProperty({ description: 'The start of the token, to recognise it', example: 'ap_Xy3kQ9' }) prefix!: string;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) expiresAt!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Updated at most once a minute' }) lastUsedAt!: string | null;
}

export class CreatedApiTokenResponse extends ApiTokenResponse {
  @ApiProperty({ description: 'The token: shown this once (only its hash is kept). Send it as `Authorization: Bearer <token>`' })
  token!: string;
}
