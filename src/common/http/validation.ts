import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError, type ErrorDetail } from '../errors/domain-error.js';

function collect(errors: ValidationError[], prefix: string, into: ErrorDetail[]): void {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    for (const message of Object.values(error.constraints ?? {})) {
      const unknownField = message.endsWith('should not exist');
      into.push({
        field,
        message: unknownField ? `${field} is not an accepted field` : message.replace(error.property, field),
      });
    }
    if (error.children?.length) collect(error.children, field, into);
  }
}

export function flattenValidationErrors(errors: ValidationError[]): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  collect(errors, '', details);
  return details;
}

/** Whitelists DTO fields, refuses unknown ones, converts types, and names each bad field. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    stopAtFirstError: false,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => {
      const details = flattenValidationErrors(errors);
      const summary = details.map((detail) => detail.message).join('; ');
      return new DomainError('validation_failed', summary || 'The request is not valid', details);
    },
  });
}
