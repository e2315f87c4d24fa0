import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsInt, IsOptional, Matches, Max, Min, ValidateIf, registerDecorator, type ValidationOptions } from 'class-validator';

/** Trims string input; other types pass through for validation to refuse. */
export const Trimmed = () => Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value));

/**
 * An optional field that is not nullable: null is validated (and so refused)
 * like any other wrong value, where @IsOptional() would pass it on to a NOT
 * NULL column.
 */
export const OptionalNotNull = () => ValidateIf((_: object, value: unknown) => value !== undefined);

/**
 * A model id as OpenAI and compatible gateways spell them (`gpt-4o-mini`,
 * `ft:gpt-4o:org::id`, `openai/gpt-4o`): other characters (a NUL, a newline)
 * would only fail later, after the model has answered, when the reply is stored.
 */
export const ModelId = () => Matches(/^[A-Za-z0-9._:/-]+$/, { message: 'model must be a model id such as gpt-4o-mini' });

export const MAX_METADATA_PAIRS = 16;

/** Metadata as OpenAI's objects had it: at most 16 string pairs, keys of 1 to 64 characters, values up to 512. */
export function IsMetadata(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isMetadata',
      target: target.constructor,
      propertyName,
      options,
      validator: {
        validate(value: unknown) {
          if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
          const entries = Object.entries(value);
          return (
            entries.length <= MAX_METADATA_PAIRS &&
            entries.every(([key, item]) => key.length >= 1 && key.length <= 64 && typeof item === 'string' && item.length <= 512)
          );
        },
        defaultMessage: () =>
          `metadata must be an object of at most ${MAX_METADATA_PAIRS} string pairs (keys up to 64, values up to 512 characters)`,
      },
    });
}

/** Query-string paging shared by the lists that page by offset. */
export class PageQuery {
  @ApiPropertyOptional({ default: 50, maximum: 200 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;

  @ApiPropertyOptional({ default: 0 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  offset?: number;
}
