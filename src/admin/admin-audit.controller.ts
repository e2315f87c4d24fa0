import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AuditService } from '../audit/audit.service.js';
import { validationFailed } from '../common/errors/domain-error.js';
import { AdminOnly } from './admin.guard.js';
import { AuditPageResponse, AuditQuery } from './admin-audit.dto.js';

function instant(field: 'from' | 'to', value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw validationFailed(field, `${field} must be a date or time such as 2026-01-31T12:00:00Z`);
  return date;
}

@ApiTags('admin')
@AdminOnly()
@Controller('api/admin/audit')
export class AdminAuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @ApiOperation({ summary: 'The audit log, newest first, filtered by action, actor and time; page with before' })
  @ApiOkResponse({ type: AuditPageResponse })
  async search(@Query() query: AuditQuery): Promise<AuditPageResponse> {
    const limit = query.limit ?? 50;
    const entries = await this.audit.search({
      action: query.action,
      actorId: query.actorId,
      from: instant('from', query.from),
      to: instant('to', query.to),
      before: query.before,
      limit,
    });
    return {
      entries: entries.map((entry) => ({ ...entry, at: entry.at.toISOString() })),
      nextBefore: entries.length === limit ? entries[entries.length - 1].id : null,
    };
  }
}
