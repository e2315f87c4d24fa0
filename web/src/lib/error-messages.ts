// Explains a failed request to the person (see error-advice) and picks out
// the errors of each form field.
import { ApiError } from '../api/http';
import { adviceFor, type ErrorAdvice } from './error-advice';
import { formatDateTime } from './format';

export function describeError(error: unknown): ErrorAdvice {
  if (error instanceof ApiError) {
    const advice = adviceFor(error.code, error.message, error.retryAfterSeconds);
    // A used-up budget says when it renews.
    const resetsAt = error.extra.resetsAt;
    if (error.code === 'budget_exceeded' && typeof resetsAt === 'string' && !Number.isNaN(Date.parse(resetsAt))) {
      return { ...advice, action: `It renews ${formatDateTime(resetsAt)}. ${advice.action ?? ''}`.trim() };
    }
    return advice;
  }
  return adviceFor('internal_error', '');
}

/** Errors for a form field, from the envelope's details. */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError)) return {};
  const result: Record<string, string> = {};
  for (const detail of error.details) {
    if (detail.field && !result[detail.field]) result[detail.field] = detail.message;
  }
  return result;
}
