import { readFileSync } from 'node:fs';
import { AppModule } from '../../src/app.module.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { loadConfig } from '../../src/config/config.js';
import { openApiDocument, SCHEMA_FILE, schemaTypes } from '../../scripts/api-schema.js';

const modules = { AppModule, loadConfig, createLogger };

/** The first line where two texts differ, to say what is stale without printing 2,000 lines. */
function firstDifference(actual: string, expected: string): string | undefined {
  const a = actual.split('\n');
  const b = expected.split('\n');
  for (let index = 0; index < Math.max(a.length, b.length); index++) {
    if (a[index] !== b[index]) return `line ${index + 1}: file has ${JSON.stringify(a[index])}, the server's document gives ${JSON.stringify(b[index])}`;
  }
  return undefined;
}

describe("the web client's API types (web/src/api/schema.d.ts)", () => {
  it("are those of the current server's OpenAPI document (npm run api:types writes them)", async () => {
    const document = await openApiDocument(modules);
    // The document is the application's: every route the API serves is in it.
    expect(Object.keys(document.paths)).toEqual(expect.arrayContaining(['/api/login', '/api/chat', '/api/threads', '/api/upload']));
    const stale = firstDifference(readFileSync(SCHEMA_FILE, 'utf8'), await schemaTypes(document));
    if (stale) throw new Error(`web/src/api/schema.d.ts is stale (run npm run api:types): ${stale}`);
  });

  it('change when a response shape changes', async () => {
    const document = await openApiDocument(modules);
    const user = document.components!.schemas!.UserResponse as { properties: Record<string, unknown>; required: string[] };
    const before = await schemaTypes(document);
    user.properties.nickname = { type: 'string' };
    user.required.push('nickname');
    const after = await schemaTypes(document);
    expect(firstDifference(after, before)).toContain('nickname: string;');
  });
});
