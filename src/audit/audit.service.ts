import { Injectable } from '@nestjs/common';
import type { AuditDetail, AuditEvent, AuditFilter, AuditRecord } from './audit-log.js';
import { AuditRepository } from './audit.repository.js';

/** Longest text kept in a detail value, and most keys kept: the detail stays small whatever a caller passes. */
const MAX_TEXT = 200;
const MAX_KEYS = 16;
const MAX_LIST = 20;

const clip = (text: string) => (text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text);

function boundedDetail(detail: AuditDetail = {}): AuditDetail {
  const bounded: AuditDetail = {};
  for (const [key, value] of Object.entries(detail).slice(0, MAX_KEYS)) {
    bounded[key] = typeof value === 'string' ? clip(value) : Array.isArray(value) ? value.slice(0, MAX_LIST).map(clip) : value;
  }
  return bounded;
}

/**
 * Writes and reads the audit log. Callers pass what happened with whom; a
 * secret (password, API key, invite token) is never part of an event.
 */
@Injectable()
export class AuditService {
  constructor(private readonly audit: AuditRepository) {}

  async record(event: AuditEvent): Promise<void> {
    await this.audit.insert({
      action: event.action,
      actorId: event.actor?.id ?? null,
      actorEmail: event.actor?.email ?? null,
      targetId: event.target?.id ?? null,
      targetEmail: event.target?.email ?? null,
      address: event.address ? event.address.slice(0, 64) : null,
      detail: boundedDetail(event.detail),
    });
  }

  search(filter: AuditFilter): Promise<AuditRecord[]> {
    return this.audit.search(filter);
  }

  purgeOlderThan(days: number, limit: number): Promise<number> {
    return this.audit.purgeOlderThan(days, limit);
  }
}
