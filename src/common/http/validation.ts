import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { DomainError, type ErrorDetail } from '../errors/domain-error.js';
import { ValidQueryMemo } from './valid-query-memo.js';

/** Problems listed in one answer at most: a body of thousands of bad fields still gets a short answer. */
export const MAX_ERROR_DETAILS = 20;
/** Longest field name or message in an answer, in characters (an unknown key may be as long as the body). */
export const MAX_DETAIL_CHARS = 200;
/** Longest summary (the envelope's `error`), in characters. */
export const MAX_SUMMARY_CHARS = 1_000;

const clip = (text: string, max: number): string => (text.length > max ? `${text.slice(0, max - 1)}…` : text);

interface Collected {
  details: ErrorDetail[];
  total: number;
}

function collect(errors: ValidationError[], prefix: string, into: Collected): void {
  for (const error of errors) {
    const field = clip(prefix ? `${prefix}.${error.property}` : error.property, MAX_DETAIL_CHARS);
    for (const message of Object.values(error.constraints ?? {})) {
      into.total++;
      if (into.details.length >= MAX_ERROR_DETAILS) continue;
      const unknownField = message.endsWith('should not exist');
      into.details.push({
        field,
        message: clip(unknownField ? `${field} is not an accepted field` : message.replace(error.property, field), MAX_DETAIL_CHARS),
      });
    }
    if (error.children?.length) collect(error.children, field, into);
  }
}

/** The problems as `{field, message}` (the first MAX_ERROR_DETAILS of them), and how many there were in all. */
export function flattenValidationErrors(errors: ValidationError[]): Collected {
  const collected: Collected = { details: [], total: 0 };
  collect(errors, '', collected);
  return collected;
}

/** The envelope's `error` for a list of problems (the first of them, and how many more there were). */
export function summaryOf({ details, total }: Collected): string {
  if (details.length === 0) return 'The request is not valid';
  const listed = clip(details.map((detail) => detail.message).join('; '), MAX_SUMMARY_CHARS);
  return total > details.length ? `${listed} (and ${total - details.length} more)` : listed;
}

/**
 * A value that a field's conversion cannot read throws from class-transformer
 * (`Number()` of an object whose `toString` is not a function, say): that is
 * the request's fault, answered 400 like any other bad field.
 *
 * Query strings repeat (`?limit=50` on every page of a list), and converting
 * and validating one costs more than the rest of a small read: a query that
 * was valid before is answered from a small memo of its converted form.
 */
class InputValidationPipe extends ValidationPipe {
  private readonly validQueries = new ValidQueryMemo();

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const key = metadata.type === 'query' && metadata.data === undefined && metadata.metatype ? this.validQueries.keyOf(value) : undefined;
    if (key !== undefined) {
      const known = this.validQueries.get(metadata.metatype!, key);
      if (known) return known;
    }
    try {
      const result = await super.transform(value, metadata);
      if (key !== undefined) this.validQueries.remember(metadata.metatype!, key, result);
      return result;
    } catch (error) {
      if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
      throw new DomainError('validation_failed', 'The request is not valid: a value could not be read as the type of its field');
    }
  }
}

/** Whitelists DTO fields, refuses unknown ones, converts types, and names each bad field (up to a bound). */
export function createValidationPipe(): ValidationPipe {
  return new InputValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const collected = flattenValidationErrors(errors);
      return new DomainError('validation_failed', summaryOf(collected), collected.details);
    },
  });
}
