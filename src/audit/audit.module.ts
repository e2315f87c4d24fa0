import { Module } from '@nestjs/common';
import { AuditSweeper } from './audit-sweeper.js';
import { AuditRepository } from './audit.repository.js';
import { AuditService } from './audit.service.js';

/** The audit log: written by accounts, settings and administration, read by administrators, purged past its retention. */
@Module({
  providers: [AuditRepository, AuditService, AuditSweeper],
  exports: [AuditService, AuditSweeper],
})
export class AuditModule {}
