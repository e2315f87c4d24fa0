import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  InternalServerError,
  OpenAIError,
  RateLimitError,
} from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';
import { FakeOpenAI, type Fault } from '../support/fake-openai/index.js';
import { sameRealmFetch } from '../support/fake-openai/same-realm-fetch.js';

const request = { model: 'gpt-4.1-mini', input: 'Tell me something' };

/** Iterates a stream, keeping the events that arrived before it ended or threw. */
async function drain(stream: AsyncIterable<ResponseStreamEvent>) {
  const events: ResponseStreamEvent[] = [];
  try {
    for await (const event of stream) events.push(event);
    return { events, error: undefined };
  } catch (error) {
    return { events, error };
  }
}

function eventTypes(events: ResponseStreamEvent[]) {
  return events.map((event) => event.type);
}

describe('fake OpenAI: faults, as the SDK sees them', () => {
  let fake: FakeOpenAI;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await FakeOpenAI.start();
    client = new OpenAI({ apiKey: 'sk-test', baseURL: fake.baseUrl, maxRetries: 0, fetch: sameRealmFetch });
  });

  afterEach(() => {
    fake.assertNoSchemaViolations();
    fake.reset();
  });

  afterAll(async () => {
    await fake.stop();
  });

  describe('request faults', () => {
    it('rejects missing, sk-invalid and test-rejected keys with 401 invalid_api_key', async () => {
      fake.rejectKey('sk-revoked');
      for (const apiKey of ['', 'not-a-key', 'sk-invalid-123', 'sk-revoked']) {
        const keyed = new OpenAI({ apiKey, baseURL: fake.baseUrl, maxRetries: 0 });
        const error = await keyed.models.list().catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(AuthenticationError);
        expect(error).toMatchObject({ status: 401, code: 'invalid_api_key', type: 'invalid_request_error', param: null });
      }
    });

    it.each<[string, Fault, new (...args: never[]) => Error, Record<string, unknown>]>([
      ['invalid_api_key', { kind: 'invalid_api_key' }, AuthenticationError, { status: 401, code: 'invalid_api_key' }],
      ['rate_limit', { kind: 'rate_limit', retryAfterSeconds: 7 }, RateLimitError, { status: 429, code: 'rate_limit_exceeded' }],
      [
        'insufficient_quota',
        { kind: 'insufficient_quota' },
        RateLimitError,
        { status: 429, code: 'insufficient_quota', type: 'insufficient_quota' },
      ],
      ['server_error', { kind: 'server_error' }, InternalServerError, { status: 500, type: 'server_error' }],
    ])('surfaces a scripted %s as the SDK error class', async (_, fault, errorClass, expected) => {
      fake.enqueueResponse({ fault });

      const error = await client.responses.create(request).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(errorClass);
      expect(error).toMatchObject(expected);
    });

    it('sends Retry-After with a rate limit', async () => {
      fake.failNext('responses', { kind: 'rate_limit', retryAfterSeconds: 7 });

      const error = (await client.responses.create(request).catch((caught: unknown) => caught)) as RateLimitError;

      expect(error).toBeInstanceOf(RateLimitError);
      expect(error.headers?.get('retry-after')).toBe('7');
    });

    it('times the SDK out on a hang, and the fake records the abort', async () => {
      fake.enqueueResponse({ fault: { kind: 'hang' } });

      const error = await client.responses.create(request, { timeout: 150 }).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(APIConnectionTimeoutError);
      const recorded = await fake.waitFor((entry) => entry.path === '/v1/responses' && entry.aborted, 1_000);
      expect(recorded.status).toBeUndefined();
    });

    it('surfaces a dropped connection as APIConnectionError', async () => {
      fake.enqueueResponse({ fault: { kind: 'drop' } });

      const error = await client.responses.create(request).catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(APIConnectionError);
      expect(error).not.toBeInstanceOf(APIConnectionTimeoutError);
      expect(fake.requestsTo('POST', '/v1/responses')[0].aborted).toBe(false);
    });

    it('fails the next N requests of a route group, then answers normally', async () => {
      fake.failNext('files', { kind: 'server_error' }, 2);

      await expect(client.files.list()).rejects.toBeInstanceOf(InternalServerError);
      await expect(client.files.list()).rejects.toBeInstanceOf(InternalServerError);
      await expect(client.files.list()).resolves.toBeDefined();
      await expect(client.models.list()).resolves.toBeDefined();
    });

    it('keeps the queued script for the request after a failNext fault', async () => {
      fake.enqueueResponse({ text: 'after the retry' });
      fake.failNext('responses', { kind: 'rate_limit' });

      await expect(client.responses.create(request)).rejects.toBeInstanceOf(RateLimitError);
      await expect(client.responses.create(request)).resolves.toMatchObject({ output_text: 'after the retry' });
    });

    it('refuses stream faults on routes that do not stream', () => {
      expect(() => fake.failNext('files' as 'responses', { kind: 'cut', afterDeltas: 1 })).toThrow(/only applies to responses/);
    });

    it('stops cleanly while a request hangs', async () => {
      const other = await FakeOpenAI.start();
      other.failNext('models', { kind: 'hang' });
      const otherClient = new OpenAI({ apiKey: 'sk-test', baseURL: other.baseUrl, maxRetries: 0 });
      const pending = otherClient.models.list().catch((caught: unknown) => caught);
      await other.waitFor((entry) => entry.path === '/v1/models');

      await other.stop();

      expect(await pending).toBeInstanceOf(APIConnectionError);
      expect(other.requests[0].aborted).toBe(false);
    });
  });

  describe('stream faults', () => {
    // Jest note: the TypeError comes from Node's realm, so it is matched by name, not instanceof.
    it('cut: the SDK stream throws TypeError "terminated" after the deltas, with no terminal event', async () => {
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'cut', afterDeltas: 2 } });

      const { events, error } = await drain(await client.responses.create({ ...request, stream: true }));

      expect(error).toMatchObject({ name: 'TypeError', message: 'terminated' });
      expect(error).not.toBeInstanceOf(OpenAIError);
      expect(eventTypes(events).filter((type) => type === 'response.output_text.delta')).toHaveLength(2);
      expect(eventTypes(events)).not.toContain('response.completed');
    });

    it('cut: responses.stream() rejects with an OpenAIError wrapping "terminated"', async () => {
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'cut', afterDeltas: 2 } });

      const error = await client.responses.stream(request).finalResponse().catch((caught: unknown) => caught);

      // Plain Node: message "terminated" with the TypeError as cause; under Jest's realms the
      // helper stringifies the foreign error to "TypeError: terminated".
      expect(error).toBeInstanceOf(OpenAIError);
      expect((error as Error).message).toMatch(/terminated$/);
    });

    it('error event (nested, as the real API sends it): the SDK throws an APIError without status', async () => {
      fake.enqueueResponse({
        tokens: 5,
        fault: { kind: 'error_event', afterDeltas: 2, error: { code: 'server_error', message: 'Upstream broke' } },
      });

      const { events, error } = await drain(await client.responses.create({ ...request, stream: true }));
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'error_event', afterDeltas: 2 } });
      const helperError = await client.responses.stream(request).finalResponse().catch((caught: unknown) => caught);

      expect(error).toBeInstanceOf(APIError);
      expect(error).toMatchObject({ status: undefined, code: 'server_error', type: 'server_error', message: 'Upstream broke' });
      expect(eventTypes(events).at(-1)).toBe('response.output_text.delta');
      expect(helperError).toBeInstanceOf(APIError);
    });

    it("error event (flat, the spec's shape): the SDK yields it as an event; stream() rejects with the bare event", async () => {
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'error_event', afterDeltas: 2, shape: 'flat' } });

      const { events, error } = await drain(await client.responses.create({ ...request, stream: true }));
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'error_event', afterDeltas: 2, shape: 'flat' } });
      const helperError = await client.responses.stream(request).finalResponse().catch((caught: unknown) => caught);

      expect(error).toBeUndefined();
      expect(events.at(-1)).toMatchObject({ type: 'error', code: 'server_error', param: null });
      expect(helperError).not.toBeInstanceOf(Error);
      expect(helperError).toMatchObject({ type: 'error', code: 'server_error' });
    });

    it('response.failed arrives as the last event with response.error', async () => {
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'failed', afterDeltas: 3, error: { code: 'server_error', message: 'Model crashed' } } });

      const { events, error } = await drain(await client.responses.create({ ...request, stream: true }));

      expect(error).toBeUndefined();
      const last = events.at(-1);
      expect(last?.type).toBe('response.failed');
      expect(last?.type === 'response.failed' && last.response).toMatchObject({
        status: 'failed',
        error: { code: 'server_error', message: 'Model crashed' },
      });
    });

    it('response.incomplete arrives after the done events with incomplete_details.reason', async () => {
      fake.enqueueResponse({ text: 'one two three four five', fault: { kind: 'incomplete', afterDeltas: 2 } });

      const { events, error } = await drain(await client.responses.create({ ...request, stream: true }));

      expect(error).toBeUndefined();
      expect(eventTypes(events).slice(-4)).toEqual([
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.incomplete',
      ]);
      const last = events.at(-1);
      expect(last?.type === 'response.incomplete' && last.response).toMatchObject({
        status: 'incomplete',
        incomplete_details: { reason: 'max_output_tokens' },
        usage: { output_tokens: 2 },
      });
    });

    it('responses.stream() resolves failed and incomplete replies with the in_progress snapshot', async () => {
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'failed', afterDeltas: 2 } });
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'incomplete', afterDeltas: 2 } });

      const failed = await client.responses.stream(request).finalResponse();
      const incomplete = await client.responses.stream(request).finalResponse();

      // The SDK only replaces its snapshot on response.completed: callers must watch the events.
      expect(failed.status).toBe('in_progress');
      expect(incomplete.status).toBe('in_progress');
    });

    it('stall: the stream goes quiet; aborting ends the SDK iteration silently', async () => {
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'stall', afterDeltas: 1 } });
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'stall', afterDeltas: 1 } });
      const controller = new AbortController();

      const stream = await client.responses.create({ ...request, stream: true }, { signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const { events, error } = await drain(stream);
      const helperError = await client.responses
        .stream(request, { signal: AbortSignal.timeout(100) })
        .finalResponse()
        .catch((caught: unknown) => caught);

      expect(error).toBeUndefined();
      expect(eventTypes(events).at(-1)).toBe('response.output_text.delta');
      expect(helperError).toBeInstanceOf(APIUserAbortError);
    });

    it('non-streamed replies end failed or incomplete in the Response status', async () => {
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'failed', afterDeltas: 2 } });
      fake.enqueueResponse({ tokens: 5, fault: { kind: 'incomplete', afterDeltas: 2, reason: 'content_filter' } });

      const failed = await client.responses.create(request);
      const incomplete = await client.responses.create(request);

      expect(failed).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
      expect(incomplete).toMatchObject({ status: 'incomplete', incomplete_details: { reason: 'content_filter' } });
      expect(incomplete.output_text).toBe('lorem ipsum');
    });

    it('non-streamed cut and error faults: TypeError "terminated" and a 500', async () => {
      fake.enqueueResponse({ fault: { kind: 'cut', afterDeltas: 0 } });
      fake.enqueueResponse({ fault: { kind: 'error_event', afterDeltas: 0 } });

      const cut = await client.responses.create(request).catch((caught: unknown) => caught);
      const errored = await client.responses.create(request).catch((caught: unknown) => caught);

      expect(cut).toMatchObject({ name: 'TypeError', message: 'terminated' });
      expect(errored).toBeInstanceOf(InternalServerError);
    });
  });
});
