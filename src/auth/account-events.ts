import { Injectable } from '@nestjs/common';
import type { User } from './user.entity.js';

type AccountDeletionHandler = (user: User) => Promise<void>;

/**
 * Lets modules that keep things outside the database (upstream files, vector
 * stores) clean up before an account's rows are removed.
 */
@Injectable()
export class AccountEvents {
  private readonly deletionHandlers: AccountDeletionHandler[] = [];

  onAccountDeletion(handler: AccountDeletionHandler): void {
    this.deletionHandlers.push(handler);
  }

  async accountDeleting(user: User): Promise<void> {
    for (const handler of this.deletionHandlers) await handler(user);
  }
}
