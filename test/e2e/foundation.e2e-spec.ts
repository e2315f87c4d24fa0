import { Controller, Get, Module, Post, Body } from '@nestjs/common';
import { IsString } from 'class-validator';
import request from 'supertest';
import { Public } from '../../src/common/auth/public.decorator.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

class ProbeDto {
  @IsString()
  name!: string;
}

@Public()
@Controller('probe')
class ProbeController {
  @Get('boom')
  boom(): never {
    throw new Error('secret internal detail at /srv/app/internal.ts:42');
  }

  @Post('echo')
  echo(@Body() body: ProbeDto) {
    return body;
  }
}

@Module({ controllers: [ProbeController] })
class ProbeModule {}

describe('foundation: error envelope, limits, operations endpoints', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ extraImports: [ProbeModule] });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  it('answers /health with the database up', async () => {
    const response = await request(testApp.baseUrl).get('/health').expect(200);
    expect(response.body).toMatchObject({ status: 'ok', database: 'up' });
  });

  it('describes the API: Swagger UI at /docs and the OpenAPI document, built from the DTOs, at /docs-json', async () => {
    const ui = await request(testApp.baseUrl).get('/docs').redirects(1).expect(200);
    expect(ui.headers['content-type']).toContain('text/html');
    expect(ui.text).toContain('swagger-ui');
    const document = await request(testApp.baseUrl).get('/docs-json').expect(200);
    expect(document.body.openapi).toMatch(/^3\./);
    expect(Object.keys(document.body.paths)).toEqual(expect.arrayContaining(['/api/chat', '/api/threads/{id}/messages', '/api/assistants']));
    expect(document.body.components.schemas.ChatDto.properties).toHaveProperty('message');
    expect(document.body.components.schemas.CreateAssistantDto.required).toContain('name');
  });

  it('serves /config without secrets and /api with name and version', async () => {
    const config = await request(testApp.baseUrl).get('/config').expect(200);
    expect(config.body).toMatchObject({ environment: 'test', defaultModel: expect.any(String), limits: expect.any(Object) });
    expect(JSON.stringify(config.body)).not.toContain(testApp.config.session.secrets[0]);
    expect(JSON.stringify(config.body)).not.toMatch(/postgres:\/\//);
    const info = await request(testApp.baseUrl).get('/api').expect(200);
    expect(info.body).toMatchObject({ name: 'assistants-platform', version: expect.stringMatching(/^\d+\.\d+\.\d+/), links: { docs: '/docs' } });
  });

  it('turns malformed JSON into a 400 envelope', async () => {
    const response = await request(testApp.baseUrl)
      .post('/probe/echo')
      .set('Content-Type', 'application/json')
      .send('{"name": ');
    expect(response.status).toBe(400);
    expect(response.body).toEqual({ error: expect.any(String), code: 'invalid_json' });
  });

  it('names an unknown field in a 400 envelope', async () => {
    const response = await request(testApp.baseUrl).post('/probe/echo').send({ name: 'a', isAdmin: true });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'isAdmin' })]));
    expect(response.body.error).toContain('isAdmin');
  });

  it('refuses a body over the limit with 413', async () => {
    const big = JSON.stringify({ name: 'x'.repeat(1024 * 1024 + 10) });
    const response = await request(testApp.baseUrl)
      .post('/probe/echo')
      .set('Content-Type', 'application/json')
      .send(big);
    expect(response.status).toBe(413);
    expect(response.body.code).toBe('payload_too_large');
  });

  it('logs each request as one JSON line with its request id, and masks credentials in the query', async () => {
    // Refused (the route takes no query), and logged all the same.
    const response = await request(testApp.baseUrl).get('/config?api_key=sk-should-not-be-logged&view=1').set('X-Request-Id', 'probe-log-1').expect(400);
    expect(response.headers['x-request-id']).toBe('probe-log-1');
    const lines = testApp.logs.entries().filter((entry) => entry.requestId === 'probe-log-1');
    expect(lines).toEqual([
      expect.objectContaining({ method: 'GET', status: 400, url: expect.stringMatching(/^\/config\?/), durationMs: expect.any(Number) }),
    ]);
    expect(testApp.logs.text()).not.toContain('sk-should-not-be-logged');
    // An incoming id that is not well-formed is replaced by one of the server's own.
    const replaced = await request(testApp.baseUrl).get('/health').set('X-Request-Id', 'not a well-formed id!').expect(200);
    expect(replaced.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('sends the security headers on API answers', async () => {
    const response = await request(testApp.baseUrl).get('/api').expect(200);
    expect(response.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'x-frame-options': expect.any(String),
      'content-security-policy': expect.stringContaining("default-src 'self'"),
      'referrer-policy': expect.any(String),
    });
    expect(response.headers['x-powered-by']).toBeUndefined();
  });

  it('answers an unknown route with a 404 envelope', async () => {
    const response = await request(testApp.baseUrl).get('/no/such/route').expect(404);
    expect(response.body).toEqual({ error: expect.stringContaining('/no/such/route'), code: 'not_found' });
  });

  it('hides internals of a thrown error behind a 500 with a request id', async () => {
    const response = await request(testApp.baseUrl).get('/probe/boom').expect(500);
    expect(response.body.code).toBe('internal_error');
    expect(response.body.requestId).toBe(response.headers['x-request-id']);
    const text = JSON.stringify(response.body);
    expect(text).not.toContain('secret internal detail');
    expect(text).not.toContain('.ts:');
    expect(testApp.logs.text()).toContain('secret internal detail');
  });
});
