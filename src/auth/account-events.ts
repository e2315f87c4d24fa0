import { Injectable } from '@nestjs/common';
import type { User } from './user.entity.js';

type AccountDeletionHandler = (user: User) => Promise<void>;

/**
 * Lets modules that keep things outside the database (upstream files, vector
 * stores, file bytes in object storage) clean up before an account's rows are
 * removed, and after.
 */
@Injectable()
export class AccountEvents {
  private readonly deletionHandlers: AccountDeletionHandler[] = [];
  private readonly deletedHandlers: AccountDeletionHandler[] = [];

  onAccountDeletion(handler: AccountDeletionHandler): void {
    this.deletionHandlers.push(handler);
  }

  /** After the account's rows are gone; a handler keeps its own failures (the account is deleted whatever they do). */
  onAccountDeleted(handler: AccountDeletionHandler): void {
    this.deletedHandlers.push(handler);
  }

  async accountDeleting(user: User): Promise<void> {
    for (const handler of this.deletionHandlers) await handler(user);
  }

  async accountDeleted(user: User): Promise<void> {
    for (const handler of this.deletedHandlers) await handler(user);
  }
}
