import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { PageQuery, Trimmed } from '../common/http/dto-helpers.js';
import { UsageFigures } from '../usage/usage.dto.js';

export class ListUsersQuery extends PageQuery {
  @ApiPropertyOptional({ description: 'Part of the e-mail or name (case-insensitive)' })
  @IsOptional()
  @Trimmed()
  @IsString()
  @MaxLength(320)
  search?: string;
}

export class ChangeRoleDto {
  @ApiProperty({ enum: ['admin', 'user'] })
  @IsIn(['admin', 'user'], { message: 'role must be admin or user' })
  role!: 'admin' | 'user';
}

export class AdminUserResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ enum: ['admin', 'user'] }) role!: 'admin' | 'user';
  @ApiProperty({ nullable: true, type: String, format: 'date-time', description: 'Set while the account is disabled' })
  disabledAt!: string | null;
  @ApiProperty({ description: 'The next sign-in may only change the password' }) mustChangePassword!: boolean;
  @ApiProperty() hasApiKey!: boolean;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time', description: 'Start of the period usage counts from (the calendar month, UTC)' }) periodStart!: string;
  @ApiProperty({ type: UsageFigures, description: 'Calls made for the user since periodStart' }) usage!: UsageFigures;
}
