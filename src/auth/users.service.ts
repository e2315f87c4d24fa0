import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { User } from './user.entity.js';

const UNIQUE_VIOLATION = '23505';

const USER_COLUMNS =
  'id, email, name, password_hash, api_key_ciphertext, api_key_key_id, api_key_hint, api_key_version, default_assistant_id, created_at, updated_at';

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === UNIQUE_VIOLATION && (constraint === undefined || driverError.constraint === constraint);
}

@Injectable()
export class UsersService {
  constructor(@InjectRepository(User) private readonly users: Repository<User>) {}

  async create(email: string, passwordHash: string, name: string | null): Promise<User> {
    try {
      return await this.users.save(this.users.create({ email, passwordHash, name }));
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) {
        throw new DomainError('email_taken', 'An account with this e-mail already exists');
      }
      throw error;
    }
  }

  findByEmail(email: string): Promise<User | null> {
    return this.users.findOneBy({ email });
  }

  /** One primary-key read, mapped by hand: every signed-in page asks for it. */
  async get(id: string): Promise<User> {
    const [row] = (await this.users.query(`SELECT ${USER_COLUMNS} FROM users WHERE id = $1`, [id])) as Array<Record<string, unknown>>;
    if (!row) throw notFound('User');
    return Object.assign(new User(), {
      id: row.id,
      email: row.email,
      name: row.name ?? null,
      passwordHash: row.password_hash,
      apiKeyCiphertext: row.api_key_ciphertext ?? null,
      apiKeyKeyId: row.api_key_key_id ?? null,
      apiKeyHint: row.api_key_hint ?? null,
      apiKeyVersion: row.api_key_version,
      defaultAssistantId: row.default_assistant_id ?? null,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
    });
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /** Replaces the hash only if it is still `current` (a password changed meanwhile wins). */
  async replacePasswordHash(id: string, current: string, passwordHash: string): Promise<void> {
    await this.users.update({ id, passwordHash: current }, { passwordHash });
  }

  /** Removes the user; every row the user owns goes with it (foreign keys cascade). */
  async delete(id: string): Promise<void> {
    await this.users.delete({ id });
  }
}
