/**
 * Extracts the JSON Schemas of the request bodies the fake OpenAI server validates
 * from the official OpenAPI description, with every referenced component bundled
 * under `$defs`, into a file committed with the tests (tests never read the spec).
 * A second file holds the objects of the Assistants API that the platform's /v1
 * routes answer with, which the tests check every /v1 answer against.
 *
 *   npm run openai:schemas -- [path/to/openapi.yaml] [output.json] [wire-output.json]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';

const DEFAULT_SPEC_PATH = '/work/shared/openai/openapi.yaml';
const DEFAULT_OUTPUT_PATH = 'test/support/fake-openai/openai-request-schemas.json';
const DEFAULT_WIRE_OUTPUT_PATH = 'test/support/openai-wire/assistants-api-schemas.json';
const SCHEMA_DOCUMENT_ID = 'https://fake-openai.test/openai-request-schemas.json';
const WIRE_DOCUMENT_ID = 'https://platform.test/assistants-api-schemas.json';

/** The Assistants API objects (with files and vector stores) the platform's /v1 routes answer with, and the stream events of a run. */
const WIRE_COMPONENTS = [
  'AssistantObject',
  'ListAssistantsResponse',
  'DeleteAssistantResponse',
  'ThreadObject',
  'DeleteThreadResponse',
  'MessageObject',
  'ListMessagesResponse',
  'MessageDeltaObject',
  'RunObject',
  'ListRunsResponse',
  'OpenAIFile',
  'ListFilesResponse',
  'DeleteFileResponse',
  'VectorStoreObject',
  'ListVectorStoresResponse',
  'DeleteVectorStoreResponse',
  'VectorStoreFileObject',
  'ListVectorStoreFilesResponse',
  'DeleteVectorStoreFileResponse',
  'VectorStoreFileBatchObject',
  'ErrorResponse',
];
const COMPONENT_REF_PREFIX = '#/components/schemas/';
const DEFS_REF_PREFIX = '#/$defs/';

/** The operations the fake implements that carry a request body. */
const OPERATION_IDS = ['createResponse', 'createVectorStore', 'createVectorStoreFile', 'createFile'];

/** Documentation-only keywords: dropped to keep the generated file small. */
const DROPPED_KEYWORDS = new Set(['description', 'example', 'examples', 'title', 'deprecated', 'discriminator']);

/** Keywords whose values are data, not schemas: copied untouched. */
const DATA_KEYWORDS = new Set(['default', 'enum', 'const', 'required']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

interface OpenApiDocument {
  info: { version: string };
  paths: Record<string, Record<string, JsonObject>>;
  components: { schemas: Record<string, Json> };
}

interface ExtractedOperation {
  method: string;
  path: string;
  contentType: string;
  schemaRef: string;
}

function isObject(value: Json | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function findOperation(document: OpenApiDocument, operationId: string) {
  for (const [path, pathItem] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(pathItem)) {
      if (isObject(operation) && operation.operationId === operationId) return { path, method, operation };
    }
  }
  throw new Error(`operation ${operationId} not found in the spec`);
}

function requestBodySchemaName(operation: JsonObject, operationId: string) {
  const content = isObject(operation.requestBody) ? operation.requestBody.content : undefined;
  if (!isObject(content)) throw new Error(`${operationId} has no request body`);
  const [contentType, media] = Object.entries(content)[0];
  const ref = isObject(media) && isObject(media.schema) ? media.schema.$ref : undefined;
  if (typeof ref !== 'string' || !ref.startsWith(COMPONENT_REF_PREFIX)) {
    throw new Error(`${operationId}: expected the request body schema to be a component $ref`);
  }
  return { contentType, schemaName: ref.slice(COMPONENT_REF_PREFIX.length) };
}

function referencedComponents(schema: Json, found: Set<string> = new Set()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((item) => referencedComponents(item, found));
  if (!isObject(schema)) return found;
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string' && value.startsWith(COMPONENT_REF_PREFIX)) {
      found.add(value.slice(COMPONENT_REF_PREFIX.length));
    } else {
      referencedComponents(value, found);
    }
  }
  return found;
}

function componentClosure(document: OpenApiDocument, roots: string[]): string[] {
  const closure = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (closure.has(name)) continue;
    const schema = document.components.schemas[name];
    if (schema === undefined) throw new Error(`component ${name} is referenced but not defined`);
    closure.add(name);
    pending.push(...referencedComponents(schema));
  }
  return [...closure].sort();
}

/**
 * Turns an OpenAPI 3.1 schema into plain JSON Schema 2020-12:
 * - `#/components/schemas/X` becomes `#/$defs/X`;
 * - `$recursiveRef: "#"` (2019-09, unknown to 2020-12) becomes a $ref to its own component;
 * - `nullable: true` (an OpenAPI 3.0 leftover the spec still uses) becomes an explicit null branch;
 * - `oneOf` becomes `anyOf`: the spec's alternatives overlap (a `{role, content: [...]}` message
 *   is both an EasyInputMessage and an InputMessage), so strict `oneOf` rejects bodies the real
 *   API accepts. The real API dispatches on `type`, which `discriminator` (dropped) only hints at.
 */
function toJsonSchema(schema: Json, componentName: string): Json {
  if (Array.isArray(schema)) return schema.map((item) => toJsonSchema(item, componentName));
  if (!isObject(schema)) return schema;
  const converted: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-') || key === 'nullable' || key === '$recursiveAnchor') {
      continue;
    }
    if (key === '$ref' && typeof value === 'string') {
      converted.$ref = value.replace(COMPONENT_REF_PREFIX, DEFS_REF_PREFIX);
    } else if (key === '$recursiveRef') {
      converted.$ref = `${DEFS_REF_PREFIX}${componentName}`;
    } else if (DATA_KEYWORDS.has(key)) {
      converted[key] = value;
    } else if (key === 'properties' && isObject(value)) {
      converted.properties = Object.fromEntries(
        Object.entries(value).map(([property, propertySchema]) => [property, toJsonSchema(propertySchema, componentName)]),
      );
    } else {
      converted[key === 'oneOf' ? 'anyOf' : key] = toJsonSchema(value, componentName);
    }
  }
  return schema.nullable === true ? { anyOf: [converted, { type: 'null' }] } : converted;
}

function extract(specPath: string) {
  const document = parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
  const operations: Record<string, ExtractedOperation> = {};
  const roots: string[] = [];
  for (const operationId of OPERATION_IDS) {
    const { path, method, operation } = findOperation(document, operationId);
    const { contentType, schemaName } = requestBodySchemaName(operation, operationId);
    operations[operationId] = { method: method.toUpperCase(), path, contentType, schemaRef: `${DEFS_REF_PREFIX}${schemaName}` };
    roots.push(schemaName);
  }
  const defs = Object.fromEntries(
    componentClosure(document, roots).map((name) => [name, toJsonSchema(document.components.schemas[name], name)]),
  );
  return {
    source: { spec: 'openai/openai-openapi', version: document.info.version, generatedBy: 'scripts/extract-openai-schemas.ts' },
    operations,
    schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: SCHEMA_DOCUMENT_ID, $defs: defs },
  };
}

function extractWire(specPath: string) {
  const document = parse(readFileSync(specPath, 'utf8')) as OpenApiDocument;
  const defs = Object.fromEntries(
    componentClosure(document, WIRE_COMPONENTS).map((name) => [name, toJsonSchema(document.components.schemas[name], name)]),
  );
  return {
    source: { spec: 'openai/openai-openapi', version: document.info.version, generatedBy: 'scripts/extract-openai-schemas.ts' },
    components: WIRE_COMPONENTS,
    schema: { $schema: 'https://json-schema.org/draft/2020-12/schema', $id: WIRE_DOCUMENT_ID, $defs: defs },
  };
}

const [specPath = DEFAULT_SPEC_PATH, outputPath = DEFAULT_OUTPUT_PATH, wireOutputPath = DEFAULT_WIRE_OUTPUT_PATH] = process.argv.slice(2);
const extracted = extract(specPath);
writeFileSync(resolve(outputPath), `${JSON.stringify(extracted, null, 1)}\n`);
console.log(
  `wrote ${Object.keys(extracted.schema.$defs).length} schemas for ${Object.keys(extracted.operations).join(', ')} to ${outputPath}`,
);
const wire = extractWire(specPath);
writeFileSync(resolve(wireOutputPath), `${JSON.stringify(wire, null, 1)}\n`);
console.log(`wrote ${Object.keys(wire.schema.$defs).length} schemas for the Assistants API objects to ${wireOutputPath}`);
