import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { notFound } from '../common/errors/domain-error.js';
import { Assistant } from './assistant.entity.js';

@Injectable()
export class AssistantsService {
  constructor(@InjectRepository(Assistant) private readonly assistants: Repository<Assistant>) {}

  /** The user's assistant, or 404 whether it does not exist or belongs to someone else. */
  async findOwned(userId: string, id: string): Promise<Assistant> {
    const assistant = await this.assistants.findOneBy({ id, userId });
    if (!assistant) throw notFound('Assistant');
    return assistant;
  }
}
