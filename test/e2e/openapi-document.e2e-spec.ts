import { jest } from '@jest/globals';
import { SwaggerModule } from '@nestjs/swagger';
import request from 'supertest';
import { startTestApp, type TestApp } from '../support/test-app.js';

/** The OpenAPI document as the application serves it (/docs-json, behind the Swagger UI at /docs). */
describe('the OpenAPI document served at /docs-json', () => {
  let app: TestApp;
  let document: any;
  const builds = jest.spyOn(SwaggerModule, 'createDocument');
  let buildsAtStart: number;

  beforeAll(async () => {
    app = await startTestApp();
    buildsAtStart = builds.mock.calls.length;
    document = (await request(app.baseUrl).get('/docs-json').expect(200)).body;
    await request(app.baseUrl).get('/docs-yaml').expect(200);
    await request(app.baseUrl).get('/docs-json').expect(200);
  });

  afterAll(async () => {
    builds.mockRestore();
    await app?.close();
  });

  it('is built on the first request for it, not at start, and once', () => {
    expect(buildsAtStart).toBe(0);
    expect(builds).toHaveBeenCalledTimes(1);
  });

  it('describes the files of a folder upload: a multipart array of binary files, beside paths and the JSON form\'s dir', () => {
    const body = document.paths['/api/upload-directory'].post.requestBody;
    const multipart = body.content['multipart/form-data'].schema;
    expect(multipart.properties.files).toMatchObject({ type: 'array', items: { type: 'string', format: 'binary' } });
    expect(multipart.properties.paths).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(multipart.properties.assistantId).toMatchObject({ type: 'string', format: 'uuid' });
    expect(body.content['application/json'].schema.properties.dir).toMatchObject({ type: 'string' });
  });

  it.each([['/api/chat'], ['/api/threads/{id}/run'], ['/api/threads/{id}/regenerate']])(
    'documents %s as JSON or a text/event-stream of events, not the JSON reply in both',
    (path) => {
      const answer = document.paths[path].post.responses['200'];
      expect(answer.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/ChatReply' });
      const stream = answer.content['text/event-stream'];
      expect(stream.schema.type).toBe('string');
      expect(stream.schema.$ref).toBeUndefined();
      expect(stream.schema.description).toEqual(expect.stringContaining('token {delta}'));
      expect(stream.example).toContain('event: done');
      expect(document.components.schemas.ChatReply).toBeDefined();
    },
  );
});
