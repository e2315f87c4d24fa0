import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsOptional, IsUUID, Matches, Max, Min } from 'class-validator';
import { AUDIT_ACTIONS, type AuditAction } from '../audit/audit-log.js';

/** Most entries one page of the audit log holds. */
export const AUDIT_PAGE_MAX = 200;

export class AuditQuery {
  @ApiPropertyOptional({ enum: AUDIT_ACTIONS })
  @IsOptional()
  @IsIn(AUDIT_ACTIONS, { message: 'action must be one of the audit actions' })
  action?: AuditAction;

  @ApiPropertyOptional({ format: 'uuid', description: 'Entries of this actor' })
  @IsOptional()
  @IsUUID('all', { message: 'actorId must be a user id' })
  actorId?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'From (inclusive)' })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO-8601 date or time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'To (exclusive)' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO-8601 date or time' })
  to?: string;

  @ApiPropertyOptional({ description: 'Entries older than this one (the id of the last entry of the previous page)' })
  @IsOptional()
  @Matches(/^[1-9]\d{0,17}$/, { message: 'before must be the id of an audit entry' })
  before?: string;

  @ApiPropertyOptional({ default: 50, maximum: AUDIT_PAGE_MAX })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(AUDIT_PAGE_MAX)
  limit?: number;
}

export class AuditEntryResponse {
  @ApiProperty() id!: string;
  @ApiProperty({ format: 'date-time' }) at!: string;
  @ApiProperty() action!: string;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) actorId!: string | null;
  @ApiProperty({ nullable: true, type: String }) actorEmail!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) targetId!: string | null;
  @ApiProperty({ nullable: true, type: String }) targetEmail!: string | null;
  @ApiProperty({ nullable: true, type: String }) address!: string | null;
  @ApiProperty({ type: 'object', additionalProperties: true }) detail!: Record<string, unknown>;
}

export class AuditPageResponse {
  @ApiProperty({ type: [AuditEntryResponse] }) entries!: AuditEntryResponse[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as before for the next page (null: no more)' }) nextBefore!: string | null;
}
