import { Type } from 'class-transformer';
import { IsInt, IsOptional } from 'class-validator';
import { DomainError } from '../errors/domain-error.js';
import { createValidationPipe } from './validation.js';

class CountDto {
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  count?: number;
}

describe('the validation pipe', () => {
  const pipe = createValidationPipe();
  const body = (value: unknown) => pipe.transform(value, { type: 'body', metatype: CountDto });

  it('answers a value its conversion cannot read with validation_failed, not a crash', async () => {
    // Number() of an object whose toString is not a function throws a TypeError inside class-transformer.
    const error = await body({ count: [[{ toString: 0 }]] }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(DomainError);
    expect((error as DomainError).code).toBe('validation_failed');
  });

  it('still converts and checks readable values', async () => {
    await expect(body({ count: '7' })).resolves.toEqual(Object.assign(new CountDto(), { count: 7 }));
    const error = await body({ count: 'seven' }).catch((caught: unknown) => caught);
    expect((error as DomainError).details).toEqual([{ field: 'count', message: 'count must be an integer number' }]);
  });
});
