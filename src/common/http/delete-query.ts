import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional } from 'class-validator';
import { DomainError } from '../errors/domain-error.js';

/** `true` and `false` in a query string as booleans; anything else is left for validation to refuse. */
export const QueryBoolean = () => Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value));

/** The query of DELETE on an object that has a trash (threads, assistants). */
export class DeleteQuery {
  @ApiPropertyOptional({ description: 'true: delete for good at once; false (default): move to the trash' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'permanent must be true or false' })
  permanent?: boolean;

  @ApiPropertyOptional({ description: 'The other way to say it: true (default) moves to the trash, false deletes for good' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'soft must be true or false' })
  soft?: boolean;
}

/** Whether a DELETE asks to delete for good; `permanent` and `soft` saying opposite things is a 400. */
export function isPermanent(query: DeleteQuery): boolean {
  if (query.permanent !== undefined && query.soft !== undefined && query.permanent === query.soft) {
    const message = 'permanent and soft ask for different deletions; give one of them';
    throw new DomainError('validation_failed', message, [{ field: 'soft', message }]);
  }
  return query.permanent ?? (query.soft === undefined ? false : !query.soft);
}

/** The query of the lists that can show the trash instead (threads, assistants). */
export class TrashedQuery {
  @ApiPropertyOptional({ description: 'true: what is in the trash (newest deletion first); false (default): the rest' })
  @IsOptional()
  @QueryBoolean()
  @IsBoolean({ message: 'trashed must be true or false' })
  trashed?: boolean;
}
