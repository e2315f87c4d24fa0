// Explains a failed request to the person (see error-advice) and picks out
// the errors of each form field, in friendlier words than the validator's.
import { ApiError } from '../api/http';
import { format } from '../strings';
import { common, fieldMessages } from '../strings/common';
import { adviceFor, type ErrorAdvice } from './error-advice';
import { formatDateTime } from './format';

export function describeError(error: unknown): ErrorAdvice {
  if (error instanceof ApiError) {
    const advice = adviceFor(error.code, error.message, error.retryAfterSeconds);
    // A used-up budget says when it renews.
    const resetsAt = error.extra.resetsAt;
    if (error.code === 'budget_exceeded' && typeof resetsAt === 'string' && !Number.isNaN(Date.parse(resetsAt))) {
      return { ...advice, action: `${format(common.itRenews, { when: formatDateTime(resetsAt) })} ${advice.action ?? ''}`.trim() };
    }
    return advice;
  }
  return adviceFor('internal_error', '');
}

/** The validator's message for a field in plain words ("email must be an email" → "Enter an email address…"). */
export function friendlyFieldMessage(field: string, message: string): string {
  const known = fieldMessages.find((entry) => entry.field === field && entry.pattern.test(message));
  if (known) return known.text;
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(sentence) ? sentence : `${sentence}.`;
}

/** Errors for a form field, from the envelope's details. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const detail of error.details) {
    if (detail.field && !result[detail.field]) result[detail.field] = friendlyFieldMessage(detail.field, detail.message);
  }
  return result;
}

/** True when every problem of the error is shown next to one of `fields`: the notice then only points at them. */
export function onlyFieldErrors(error: unknown, fields: readonly string[]): boolean {
  return (
    error instanceof ApiError &&
    error.code === 'validation_failed' &&
    error.details.length > 0 &&
    error.details.every((detail) => detail.field !== undefined && fields.includes(detail.field))
  );
}
