import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { Trimmed } from '../common/http/dto-helpers.js';
import { IsEmail, IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

const normalizeEmail = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value);

export const PASSWORD_MIN = 8;
/** Long enough for any passphrase; the bound keeps hashing cheap to refuse. */
export const PASSWORD_MAX = 1024;

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.org' })
  @Transform(normalizeEmail)
  @IsEmail({}, { message: 'email must be a valid e-mail address' })
  @MaxLength(320)
  email!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @MinLength(PASSWORD_MIN, { message: `password must be at least ${PASSWORD_MIN} characters` })
  @MaxLength(PASSWORD_MAX, { message: `password must be at most ${PASSWORD_MAX} characters` })
  password!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MaxLength(200)
  name?: string;

  @ApiPropertyOptional({ description: 'The token of an invite link (needed while sign-up is by invite)' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{1,128}$/, { message: 'inviteToken must be the token of an invite link' })
  inviteToken?: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.org' })
  @Transform(normalizeEmail)
  @IsString()
  @MinLength(1)
  @MaxLength(320)
  email!: string;

  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class ChangePasswordDto {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  currentPassword!: string;

  @ApiProperty({ minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX })
  @IsString()
  @MinLength(PASSWORD_MIN, { message: `newPassword must be at least ${PASSWORD_MIN} characters` })
  @MaxLength(PASSWORD_MAX, { message: `newPassword must be at most ${PASSWORD_MAX} characters` })
  newPassword!: string;
}

export class DeleteAccountDto {
  @ApiProperty({ description: 'The current password, to confirm' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_MAX)
  password!: string;
}

export class UserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty() hasApiKey!: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'sk-…wxyz' }) apiKeyHint!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) defaultAssistantId!: string | null;
  @ApiProperty({ enum: ['admin', 'user'] }) role!: 'admin' | 'user';
  @ApiProperty({ description: 'true: this session may only change the password (POST /api/user/password) until it does' })
  mustChangePassword!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
}

export class ConfirmationResponse {
  @ApiProperty() message!: string;
}
