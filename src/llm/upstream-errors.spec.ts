import OpenAI from 'openai';
import { toUpstreamError, UpstreamFileMissing } from './upstream-errors.js';

function apiError(status: number, message: string) {
  return OpenAI.APIError.generate(status, { error: { message, type: 'invalid_request_error', param: null, code: null } }, undefined, new Headers());
}

describe('upstream errors', () => {
  it('tells a file OpenAI no longer has from other refusals', () => {
    for (const missing of [apiError(404, 'No such File object: file-abc'), apiError(400, "The file 'file-abc' was not found.")]) {
      const error = toUpstreamError(missing);
      expect(error).toBeInstanceOf(UpstreamFileMissing);
      // To everyone else it is still the refusal it was.
      expect(error).toMatchObject({ code: 'upstream_bad_request', status: 400 });
    }
    for (const other of [apiError(404, "The model 'gpt-9' does not exist"), apiError(400, "Invalid value for 'input'."), apiError(422, 'No such File object: file-abc')]) {
      const error = toUpstreamError(other);
      expect(error).not.toBeInstanceOf(UpstreamFileMissing);
      expect(error.code).toBe('upstream_bad_request');
    }
  });
});
