import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString } from 'class-validator';
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

describe('the validation pipe on query strings', () => {
  class TagsQuery {
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    limit?: number;

    @IsOptional()
    @IsString({ each: true })
    tag?: string[];
  }
  const pipe = createValidationPipe();
  const query = (value: unknown) => pipe.transform(value, { type: 'query', metatype: TagsQuery }) as Promise<TagsQuery>;

  it('answers a repeated valid query with a converted copy of its own, each time', async () => {
    const first = await query({ limit: '5', tag: ['a', 'b'] });
    const second = await query({ limit: '5', tag: ['a', 'b'] });
    expect(second).toBeInstanceOf(TagsQuery);
    expect(second).toEqual(Object.assign(new TagsQuery(), { limit: 5, tag: ['a', 'b'] }));
    expect(second).not.toBe(first);
    second.tag!.push('changed by a handler');
    second.limit = 99;
    await expect(query({ limit: '5', tag: ['a', 'b'] })).resolves.toEqual(Object.assign(new TagsQuery(), { limit: 5, tag: ['a', 'b'] }));
  });

  it('checks an invalid query every time it comes', async () => {
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await query({ limit: 'many' }).catch((caught: unknown) => caught);
      expect((error as DomainError).details).toEqual([{ field: 'limit', message: 'limit must be an integer number' }]);
    }
    const unknown = await query({ limit: '5', extra: '1' }).catch((caught: unknown) => caught);
    expect((unknown as DomainError).code).toBe('validation_failed');
  });
});
