/**
 * Runs the fake OpenAI server on its own (benchmarks, browser tests):
 *   FAKE_OPENAI_PORT=4010 npm run fake-openai
 * Prints the base URL first. Script it over HTTP through the /__fake routes
 * (see fake-openai/control-api.ts). For long runs, FAKE_OPENAI_RECORD_BODIES=false
 * and FAKE_OPENAI_MAX_RECORDED_REQUESTS keep the request log small.
 */
import { FakeOpenAI } from './fake-openai/index.js';

const fake = await FakeOpenAI.start({
  port: Number(process.env.FAKE_OPENAI_PORT ?? 0),
  recordBodies: process.env.FAKE_OPENAI_RECORD_BODIES !== 'false',
  maxRecordedRequests: process.env.FAKE_OPENAI_MAX_RECORDED_REQUESTS
    ? Number(process.env.FAKE_OPENAI_MAX_RECORDED_REQUESTS)
    : undefined,
});
console.log(fake.baseUrl);
console.log(`control routes: ${fake.controlUrl}`);

async function shutdown() {
  await fake.stop();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
