import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Not, Repository } from 'typeorm';
import { SessionRecord } from './session-record.entity.js';

/** Server-side control over a user's sessions (found by the indexed user_id column). */
@Injectable()
export class SessionsService {
  constructor(@InjectRepository(SessionRecord) private readonly sessions: Repository<SessionRecord>) {}

  async endOthers(userId: string, keepSessionId: string): Promise<void> {
    await this.sessions.delete({ userId, sid: Not(keepSessionId) });
  }

  async endAll(userId: string): Promise<void> {
    await this.sessions.delete({ userId });
  }
}
