import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { QueryFailedError, Repository } from 'typeorm';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { User } from './user.entity.js';

const UNIQUE_VIOLATION = '23505';

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

  async get(id: string): Promise<User> {
    const user = await this.users.findOneBy({ id });
    if (!user) throw notFound('User');
    return user;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.users.update({ id }, { passwordHash });
  }

  /** Removes the user; every row the user owns goes with it (foreign keys cascade). */
  async delete(id: string): Promise<void> {
    await this.users.delete({ id });
  }
}
