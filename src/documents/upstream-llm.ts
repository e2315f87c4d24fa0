import { Injectable } from '@nestjs/common';
import { UsersService } from '../auth/users.service.js';
import { LlmService } from '../llm/llm.service.js';
import type { UserLlm } from '../llm/user-llm.js';

/** OpenAI on behalf of the user a job works for. */
@Injectable()
export class UpstreamLlm {
  constructor(
    private readonly users: UsersService,
    private readonly llm: LlmService,
  ) {}

  async forUser(userId: string): Promise<UserLlm> {
    return this.llm.forUser(await this.users.get(userId));
  }
}
