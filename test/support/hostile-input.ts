import fc from 'fast-check';

/**
 * fast-check arbitraries for hostile HTTP input: JSON bodies (written as raw
 * text, so that `__proto__` keys, duplicate keys, 1e309 and -0 reach the
 * server exactly), query strings, path ids and header variants.
 */

/**
 * Field names the API's DTOs accept, for bodies and queries that are not aimed
 * at one route (route-aware input reads each route's fields from the app).
 */
export const BODY_FIELDS = [
  'email', 'password', 'name', 'currentPassword', 'newPassword', 'apiKey', 'assistantId', 'title', 'isArchived',
  'role', 'content', 'fileIds', 'replyToId', 'message', 'threadId', 'stream', 'model', 'temperature',
  'maxOutputTokens', 'description', 'instructions', 'tools', 'metadata', 'isActive', 'addFileIds', 'removeFileIds',
  'dir', 'paths',
] as const;

export const QUERY_FIELDS = [
  'limit', 'offset', 'assistantId', 'archived', 'search', 'before', 'after', 'format', 'from', 'to', 'groupBy', 'kind',
] as const;

/** Keys that attack object handling rather than any one field. */
export const HOSTILE_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', '', ' ',
  'a.b', 'a[b]', '$where', '$gt', 'email\u0000', 'ñame', '\u202Ename', '0', '-1', 'x'.repeat(5_000),
];

/** Ids of real objects, so that some input reaches the services instead of stopping at a 404. */
export interface KnownIds {
  /** The signed-in user's own objects. */
  own: string[];
  /** Objects of another user (must read as 404). */
  foreign: string[];
  /** The signed-in user's objects by kind, for values that should pass validation. */
  assistantId?: string;
  threadId?: string;
  messageId?: string;
  fileId?: string;
}

const NUMBER_TEXTS = [
  '0', '-0', '1', '-1', '0.5', '2', '2.0000000001', '16', '128000', '128001', '1e309', '-1e309', '1e-400', '1e21', '1E2',
  '9007199254740993', '-9007199254740993', '123456789012345678901234567890', '0.1e1', '5e-324', '1.7976931348623157e308',
];

const UNICODE_SAMPLES = [
  '\u0000', 'a\u0000b', '\u0001\u001f', '\uD800', '\uDFFF', 'x\uD83D', '😀', '👨‍👩‍👧‍👦', '\u202Eevil', '\u200B', '\uFEFF',
  'Ａ', 'e\u0301', 'Z̴̡̢̛̗̝̲͎̤̋̒̆a̶̗͚̿̽͊l̸̨̞̀g̷̗͋o̶̞̎', '\u2028\u2029', '\r\n', '\t', '\\', '"', '%00', '%zz', '%',
  '𝕳𝖊𝖑𝖑𝖔', 'ß', 'İ', '\u0085', '\u00A0',
];

const INJECTION_SAMPLES = [
  "' OR 1=1 --", '"; DROP TABLE users; --', '<script>alert(1)</script>', '../../../../etc/passwd', '..\\..\\windows',
  '${jndi:ldap://x}', '{{7*7}}', '%s%s%s%n', 'null', 'undefined', 'true', 'NaN', 'Infinity', '-Infinity', '__proto__',
  'constructor', '[object Object]', '0x10', '1e309', '-0', '', ' ', '   padded   ',
];

const DATE_SAMPLES = [
  '2024-01-01', '2024-01-01T00:00:00Z', '2024-13-45', '2024-02-30', '0000-00-00', '0000-01-01', '9999-12-31T23:59:59Z',
  '-271821-04-20T00:00:00Z', '+275760-09-13T00:00:00.000Z', '+275760-09-14', '2024-01-01T25:61:61', '20240101',
  '2024-W01', '2024-001', '2024-01-01T00:00:00+99:99', '1970-01-01T00:00:00.000000000001Z', '2024',
];

/** A value from `arbitrary` once in `every` draws, else undefined. */
export function onceIn<T>(every: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: every - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary });
}

/** Percent-encodes the UTF-8 bytes of a string (lone surrogates become U+FFFD instead of throwing). */
export function wireEncode(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

export const uuidLike = fc.oneof(
  fc.uuid(),
  fc.uuid().map((id) => id.toUpperCase()),
  fc.uuid().map((id) => id.replace(/-/g, '')),
  fc.uuid().map((id) => `{${id}}`),
  fc.uuid().map((id) => `${id}x`),
  fc.uuid().map((id) => ` ${id}`),
  fc.uuid().map((id) => id.slice(0, 35)),
  fc.constantFrom('00000000-0000-0000-0000-000000000000', 'ffffffff-ffff-ffff-ffff-ffffffffffff', 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz'),
);

/** Characters that text columns, encoders or terminals refuse or misread. */
const DANGEROUS_CHARS = ['\u0000', '\uD800', '\uDFFF', '\u202E', '\uFEFF', '\u2028', '\u0085', '\r\n', '\\', '"', "'", '%00', '\u001b[31m', '😀'];

/** Ordinary text with one dangerous character somewhere inside. */
export const taintedString = fc
  .tuple(fc.string({ maxLength: 12 }), fc.constantFrom(...DANGEROUS_CHARS), fc.string({ maxLength: 12 }))
  .map(([before, char, after]) => `${before}${char}${after}`);

/** Strings that are each a known way to upset a parser, a database or a template. */
export function hostileString(ids: KnownIds = { own: [], foreign: [] }): fc.Arbitrary<string> {
  const known = [...ids.own, ...ids.foreign];
  return fc.oneof(
    { weight: 4, arbitrary: taintedString },
    { weight: 3, arbitrary: fc.string({ maxLength: 40, unit: 'grapheme' }) },
    { weight: 2, arbitrary: fc.string({ maxLength: 20, unit: 'binary' }) },
    { weight: 2, arbitrary: fc.constantFrom(...UNICODE_SAMPLES) },
    { weight: 2, arbitrary: fc.constantFrom(...INJECTION_SAMPLES) },
    { weight: 1, arbitrary: fc.constantFrom(...DATE_SAMPLES) },
    { weight: 2, arbitrary: uuidLike },
    { weight: known.length > 0 ? 3 : 0, arbitrary: fc.constantFrom(...(known.length > 0 ? known : ['unused'])) },
    { weight: 1, arbitrary: fc.emailAddress() },
    { weight: 1, arbitrary: fc.tuple(fc.emailAddress(), fc.constantFrom(...UNICODE_SAMPLES)).map(([email, extra]) => `${email}${extra}`) },
    { weight: 1, arbitrary: fc.constantFrom('sk-test-0123456789abcdef0123', 'sk-invalid-0123456789abcdef', 'sk-\u0000aaaaaaaaaaaaaaaaaaaaaa') },
    { weight: 1, arbitrary: fc.constantFrom('file_search', 'retrieval', 'web_search', 'code_interpreter', 'user', 'assistant', 'system', 'markdown', 'json', 'day', 'model', 'image', 'document') },
    { weight: 1, arbitrary: fc.constantFrom(300, 513, 1_025, 32_001, 70_000, 257_000).map((length) => 'x'.repeat(length)) },
    { weight: 1, arbitrary: fc.constantFrom(1_000, 5_000).map((length) => '\u0000😀'.repeat(length)) },
  );
}

/** One JSON value as text: scalars, wrong types, deep arrays and objects with known and hostile keys. */
export function jsonValueText(ids?: KnownIds): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom<string>(...BODY_FIELDS) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const scalar = fc.oneof(
    { weight: 4, arbitrary: hostileString(ids).map((text) => JSON.stringify(text)) },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBER_TEXTS) },
    { weight: 1, arbitrary: fc.double().map((value) => (Number.isFinite(value) ? JSON.stringify(value) : '1e999')) },
    { weight: 1, arbitrary: fc.integer().map(String) },
    { weight: 2, arbitrary: fc.constantFrom('null', 'true', 'false') },
  );
  const { value } = fc.letrec<{ value: string; array: string; object: string }>((tie) => ({
    value: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }).map((items) => `[${items.join(',')}]`),
    object: fc
      .array(fc.tuple(key, tie('value')), { maxLength: 5 })
      .map((entries) => `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${item}`).join(',')}}`),
  }));
  return value;
}

/** A JSON object of DTO fields (mostly), each holding a plausible or a hostile value. */
export function fieldsObjectText(ids?: KnownIds): fc.Arbitrary<string> {
  const plausible = fc.oneof(
    hostileString(ids).map((text) => JSON.stringify(text)),
    fc.boolean().map(String),
    fc.constantFrom('0', '1', '0.7', '2', '16', '100', '-1', '3', '1e309'),
    fc.array(hostileString(ids), { maxLength: 3 }).map((items) => JSON.stringify(items)),
    fc.constantFrom('[{"type":"file_search"}]', '["retrieval"]', '[{"type":"web_search","x":1}]', '[null]', '[[]]', '{"team":"a"}', '{"a":1}', '{}', '[]', 'null'),
    jsonValueText(ids),
  );
  const entry = fc.tuple(
    fc.oneof({ weight: 8, arbitrary: fc.constantFrom<string>(...BODY_FIELDS) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS) }),
    plausible,
  );
  return fc
    .array(entry, { maxLength: 6 })
    .map((entries) => `{${entries.map(([name, item]) => `${JSON.stringify(name)}:${item}`).join(',')}}`);
}

/** Nesting deep enough to hurt anything recursive. */
export const deepNestingText = fc
  .tuple(fc.constantFrom(50, 500, 5_000, 50_000), fc.constantFrom('array', 'object', 'field'))
  .map(([depth, kind]) => {
    if (kind === 'array') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
    if (kind === 'object') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    return `{"message":${'{"message":'.repeat(depth)}"x"${'}'.repeat(depth)}}`;
  });

/** Text that is not valid JSON, or barely is. */
export const brokenJsonText = fc.constantFrom(
  '', ' ', '{', '}', '{"a":', '{"a":1,}', "{'a':1}", '{"a":NaN}', '{"a":Infinity}', '{"a":undefined}', '{a:1}',
  '/* c */{}', '\uFEFF{}', '{"a":"\u0000"}', '{"a":"\\u0000"}', '{"a":"\\ud800"}', '{"a":1}{"b":2}', 'null', 'true',
  '"string"', '123', '[]', '[1,2,3]', '{"__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}',
  '{"message":"a","message":"b"}', '{"message":"x","stream":"true"}', '{"a":1e309}', '{"a":-0}', '\u0000',
  '{"a":"\\x41"}', '{"a":01}', '{"a":.5}', '{"a":+1}', '{"a":0x10}',
);

/** A body whose size is near or over the JSON limit (1 MB by default). */
export const hugeBodyText = fc
  .tuple(fc.constantFrom<string>(...BODY_FIELDS), fc.constantFrom(200_000, 1_000_000, 1_100_000))
  .map(([field, length]) => `{${JSON.stringify(field)}:"${'y'.repeat(length)}"}`);

export function bodyText(ids?: KnownIds): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 10, arbitrary: fieldsObjectText(ids) },
    { weight: 4, arbitrary: jsonValueText(ids) },
    { weight: 3, arbitrary: brokenJsonText },
    { weight: 1, arbitrary: deepNestingText },
    { weight: 1, arbitrary: hugeBodyText },
  );
}

/** A query string (with its leading `?`): repeated keys, arrays, huge values, broken encodings. */
export function queryText(ids?: KnownIds): fc.Arbitrary<string> {
  const key = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom<string>(...QUERY_FIELDS) },
    { weight: 2, arbitrary: fc.constantFrom<string>(...QUERY_FIELDS).map((name) => `${name}[]`) },
    { weight: 1, arbitrary: fc.constantFrom<string>(...QUERY_FIELDS).map((name) => `${name}[0]`) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_KEYS.filter((name) => name.length < 100)) },
  );
  const value = fc.oneof(
    // A `%` in the text goes out raw, so that `%zz` or `%00` reach the query parser as they are.
    { weight: 4, arbitrary: hostileString(ids).map((text) => wireEncode(text.slice(0, 3_000)).replace(/%25/g, () => '%')) },
    { weight: 3, arbitrary: fc.constantFrom('-1', '0', '1', '-0', '1.5', '200', '201', '500', '501', '1000000', '1000001', '1e3', '1e21', '1e309', '9007199254740993', '99999999999999999999', 'NaN', 'Infinity', '0x10', '%20', '', 'true', 'false', 'TRUE', '1', 'yes') },
    { weight: 2, arbitrary: fc.constantFrom(...DATE_SAMPLES).map(wireEncode) },
    { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%%', '%u0041', '%00', '%C0%AF', '%ED%A0%80', '%FF') },
    { weight: 1, arbitrary: fc.constantFrom(2_000, 7_000).map((length) => 'q'.repeat(length)) },
  );
  const pair = fc.oneof(
    { weight: 9, arbitrary: fc.tuple(key, value).map(([name, item]) => `${wireEncode(name)}=${item}`) },
    { weight: 1, arbitrary: key.map((name) => wireEncode(name)) },
    { weight: 1, arbitrary: fc.constant('') },
  );
  return fc.array(pair, { minLength: 1, maxLength: 6 }).map((pairs) => `?${pairs.join('&')}`);
}

/** A path segment where an id belongs, already as it goes on the wire. */
export function pathIdText(ids?: KnownIds): fc.Arbitrary<string> {
  const known = [...(ids?.own ?? []), ...(ids?.foreign ?? [])];
  return fc.oneof(
    { weight: 3, arbitrary: uuidLike.map(wireEncode) },
    { weight: known.length > 0 ? 2 : 0, arbitrary: fc.constantFrom(...(known.length > 0 ? known : ['unused'])) },
    { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 40, unit: 'grapheme' }).map(wireEncode) },
    {
      weight: 2,
      arbitrary: fc.constantFrom(
        '..', '.', '%2e%2e', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2f', '%2F', '%5C', '%00', '%zz', '%', '%E0%A4%A',
        '%C0%AE%C0%AE', 'null', 'undefined', '0', '-1', '1e309', 'NaN', '__proto__', 'constructor', '%20', '+', '~', '*', ';x=1',
        'a%0d%0aX-Injected:%201', '%F0%9F%98%80', '%ED%A0%80', '%FF%FE',
      ),
    },
    { weight: 1, arbitrary: fc.constantFrom(300, 2_000, 8_000).map((length) => 'a'.repeat(length)) },
    { weight: 1, arbitrary: fc.uuid().map((id) => `${id}${'0'.repeat(3_000)}`) },
  );
}

/** Content types (with charsets) that a client might send with a JSON-looking body. */
export const contentTypeHeader = fc.oneof(
  fc.constantFrom(
    'application/json', 'application/json; charset=utf-8', 'application/json; charset=UTF-8', 'APPLICATION/JSON',
    'application/json; charset=utf-16', 'application/json; charset=utf-16le', 'application/json; charset=latin1',
    'application/json; charset=iso-8859-1', 'application/json; charset=utf-7', 'application/json; charset=bogus',
    'application/json; charset=', 'application/json;;;', 'application/json; boundary=x', 'application/merge-patch+json',
    'application/vnd.api+json', 'application/jsonp', 'application/json-seq', 'application/x-www-form-urlencoded',
    'text/plain', 'text/json', 'text/html', 'application/xml', 'multipart/form-data', 'multipart/form-data; boundary=',
    'multipart/form-data; boundary=zzz', 'multipart/mixed; boundary=zzz', 'application/octet-stream', '*/*', '', ';', 'json',
  ),
  fc.string({ maxLength: 30 }).filter((text) => /^[\x20-\x7e]*$/.test(text)),
);

export const contentEncodingHeader = fc.constantFrom(undefined, 'identity', 'gzip', 'deflate', 'br', 'gzip, gzip', 'x-unknown', 'GZIP', '');

export const acceptHeader = fc.constantFrom(undefined, '*/*', 'application/json', 'text/event-stream', 'text/html', 'application/xml', '', 'application/json;q=0', 'text/event-stream, application/json');

/** Cookies a signed-out client might send: none, junk, forged, oversized. */
export const junkCookieHeader = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom(
    'sid=', 'sid=garbage', 'sid=s%3Aabc.def', 'sid=s%3A.%3D', 'sid=%zz', 'sid=s:undefined.x', '__Host-sid=s%3Aabc.def',
    'sid=a; sid=b', 'sid="quoted"', `sid=${'a'.repeat(4_000)}`, 'sid=s%3A%00.x', '=;=;=', 'connect.sid=s%3Aabc.def',
  ),
  fc.string({ maxLength: 60 }).filter((text) => /^[\x20-\x7e]*$/.test(text)).map((text) => `sid=${text}`),
);

/** A value of the right type and range for a known DTO field (as JSON text), so that a hostile neighbour gets past validation. */
export function validFieldValue(field: string, ids: KnownIds): fc.Arbitrary<string> {
  const id = (value: string | undefined) => fc.constant(JSON.stringify(value ?? '00000000-0000-4000-8000-000000000000'));
  const text = (max: number) => fc.string({ minLength: 1, maxLength: max }).map((value) => JSON.stringify(value));
  switch (field) {
    case 'email':
      return fc.emailAddress().map((value) => JSON.stringify(value));
    case 'password':
    case 'currentPassword':
    case 'newPassword':
      return fc.string({ minLength: 8, maxLength: 30 }).map((value) => JSON.stringify(value));
    case 'model':
      return fc.constantFrom('"gpt-4o-mini"', '"gpt-4o"', '"some-future-model"');
    case 'temperature':
      return fc.double({ min: 0, max: 2, noNaN: true }).map((value) => JSON.stringify(value));
    case 'maxOutputTokens':
      return fc.integer({ min: 16, max: 4_000 }).map(String);
    case 'stream':
      // Mostly JSON replies: streams are fuzzed too, but each costs a full turn.
      return fc.constantFrom('false', 'false', 'true');
    case 'isArchived':
    case 'isActive':
      return fc.boolean().map(String);
    case 'role':
      return fc.constantFrom('"user"', '"assistant"');
    case 'assistantId':
      return fc.oneof(id(ids.assistantId), fc.constant('null'));
    case 'threadId':
      return id(ids.threadId);
    case 'replyToId':
      return id(ids.messageId);
    case 'fileIds':
    case 'addFileIds':
    case 'removeFileIds':
      return fc.constantFrom('[]', JSON.stringify([ids.fileId ?? '00000000-0000-4000-8000-000000000000']));
    case 'tools':
      return fc.constantFrom('[]', '[{"type":"file_search"}]', '["retrieval"]', '[{"type":"web_search"},{"type":"code_interpreter"}]');
    case 'metadata':
      return fc.dictionary(fc.string({ minLength: 1, maxLength: 10 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }).map((value) => JSON.stringify(value));
    case 'apiKey':
      return fc.constantFrom('"sk-test-0123456789abcdef0123456789"', '"sk-invalid-0123456789abcdef"');
    case 'paths':
      return fc.array(fc.string({ minLength: 1, maxLength: 20 }), { maxLength: 3 }).map((value) => JSON.stringify(value));
    case 'name':
    case 'title':
    case 'dir':
      return text(40);
    default:
      return text(60);
  }
}

/** A body field's value: right, hostile text, wrong type, or any JSON. */
export function fieldValueText(field: string, ids: KnownIds): fc.Arbitrary<string> {
  // Mostly right, so that a request usually carries one bad field among good ones and gets as far as it can.
  return fc.oneof(
    { weight: 24, arbitrary: validFieldValue(field, ids) },
    { weight: 3, arbitrary: taintedString.map((text) => JSON.stringify(text)) },
    { weight: 2, arbitrary: hostileString(ids).map((text) => JSON.stringify(text)) },
    { weight: 1, arbitrary: fc.constantFrom(...NUMBER_TEXTS, 'null', 'true', 'false', '[]', '{}', '[null]', '{"__proto__":{"x":1}}') },
    { weight: 1, arbitrary: jsonValueText(ids) },
  );
}

/**
 * One set of field values for all routes: each route builds its body from the
 * fields its DTO has (`bodyForRoute`), so one generated input exercises every
 * route with values that mostly pass validation and a few that attack.
 */
export interface FieldBank {
  values: Record<string, string>;
  /** Per field, 0–15: a required field is left out at 0, an optional one below 8. */
  presence: Record<string, number>;
  /** A dangerous character put inside every string value of the body, sometimes. */
  taint?: string;
  /** An unexpected key, sometimes. */
  extra?: [string, string];
  /** Instead of the fields: one body sent as it is to every route. */
  raw?: string;
}

/** A JSON string literal with `taint` in its middle; other JSON text as it is. */
function taintedJson(text: string, taint: string | undefined): string {
  if (taint === undefined || !text.startsWith('"')) return text;
  const value = JSON.parse(text) as string;
  const middle = Math.floor(value.length / 2);
  return JSON.stringify(`${value.slice(0, middle)}${taint}${value.slice(middle)}`);
}

export function fieldBank(fields: string[], ids: KnownIds): fc.Arbitrary<FieldBank> {
  const values = fc.record(Object.fromEntries(fields.map((field) => [field, fieldValueText(field, ids)])) as Record<string, fc.Arbitrary<string>>);
  const presence = fc.record(Object.fromEntries(fields.map((field) => [field, fc.noBias(fc.integer({ min: 0, max: 15 }))])) as Record<string, fc.Arbitrary<number>>);
  const taint = onceIn(3, fc.constantFrom(...DANGEROUS_CHARS));
  const extra = onceIn(8, fc.tuple(fc.constantFrom(...HOSTILE_KEYS), jsonValueText(ids)));
  const raw = onceIn(5, bodyText(ids));
  return fc.record({ values, presence, taint, extra, raw });
}

/** The body a route gets from the bank: its own fields (the required ones nearly always), or the raw body. */
export function bodyForRoute(bank: FieldBank, fields: { body: string[]; required: string[] }): string {
  if (bank.raw !== undefined) return bank.raw;
  const entries = fields.body
    .filter((field) => bank.values[field] !== undefined && bank.presence[field] >= (fields.required.includes(field) ? 1 : 8))
    .map((field) => `${JSON.stringify(field)}:${taintedJson(bank.values[field]!, bank.taint)}`);
  if (bank.extra) entries.push(`${JSON.stringify(bank.extra[0])}:${bank.extra[1]}`);
  return `{${entries.join(',')}}`;
}

/** A query value that passes validation for a known query field (already encoded). */
function validQueryValue(field: string, ids: KnownIds): fc.Arbitrary<string> {
  switch (field) {
    case 'limit':
      return fc.integer({ min: 1, max: 200 }).map(String);
    case 'offset':
      return fc.integer({ min: 0, max: 1_000 }).map(String);
    case 'archived':
      return fc.constantFrom('true', 'false');
    case 'assistantId':
      return fc.constant(ids.assistantId ?? '00000000-0000-4000-8000-000000000000');
    case 'before':
    case 'after':
      return fc.constant(ids.messageId ?? '00000000-0000-4000-8000-000000000000');
    case 'format':
      return fc.constantFrom('markdown', 'json');
    case 'groupBy':
      return fc.constantFrom('day', 'assistant', 'thread', 'model');
    case 'kind':
      return fc.constantFrom('document', 'image');
    case 'from':
    case 'to':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((date) => wireEncode(date.toISOString()));
    default:
      return fc.string({ maxLength: 20 }).map(wireEncode);
  }
}

const HOSTILE_QUERY_VALUES = fc.oneof(
  { weight: 4, arbitrary: hostileString().map((text) => wireEncode(text.slice(0, 3_000))) },
  { weight: 3, arbitrary: fc.constantFrom('-1', '0', '1', '-0', '1.5', '200', '201', '500', '501', '1000000', '1000001', '1e3', '1e21', '1e309', '9007199254740993', '99999999999999999999', 'NaN', 'Infinity', '0x10', '%20', '', 'true', 'false', 'TRUE', 'yes') },
  { weight: 2, arbitrary: fc.constantFrom(...DATE_SAMPLES).map(wireEncode) },
  { weight: 1, arbitrary: fc.constantFrom('%zz', '%', '%%', '%u0041', '%00', 'a%00b', '%C0%AF', '%ED%A0%80', '%FF') },
  { weight: 1, arbitrary: fc.constantFrom(2_000, 7_000).map((length) => 'q'.repeat(length)) },
);

/** Query values for all routes at once; each route takes the fields of its own query DTO (`queryForRoute`). */
export interface QueryBank {
  /** Each field's values: one is a plain value, several a repeated key. */
  values: Record<string, string[] | undefined>;
  /** A dangerous character added to every value, sometimes. */
  taint?: string;
  extra?: string;
  /** Instead of the fields: one query string sent as it is to every route. */
  raw?: string;
}

export function queryBank(fields: string[], ids: KnownIds): fc.Arbitrary<QueryBank> {
  const value = (field: string) =>
    fc.oneof(
      { weight: 8, arbitrary: validQueryValue(field, ids) },
      { weight: 2, arbitrary: taintedString.map(wireEncode) },
      { weight: 2, arbitrary: HOSTILE_QUERY_VALUES },
    );
  const values = fc.record(
    Object.fromEntries(
      fields.map((field) => [field, onceIn(2, fc.array(value(field), { minLength: 1, maxLength: 3 }).map((items) => (items.length === 3 ? items : items.slice(0, 1))))]),
    ) as Record<string, fc.Arbitrary<string[] | undefined>>,
  );
  const extra = onceIn(
    6,
    fc.tuple(fc.constantFrom(...HOSTILE_KEYS.filter((key) => key.length < 100)), HOSTILE_QUERY_VALUES).map(([key, item]) => `${wireEncode(key)}=${item}`),
  );
  const taint = onceIn(3, fc.constantFrom(...DANGEROUS_CHARS));
  const raw = onceIn(5, queryText(ids));
  return fc.record({ values, taint, extra, raw });
}

export function queryForRoute(bank: QueryBank, fields: string[]): string {
  if (bank.raw !== undefined) return bank.raw;
  const taint = bank.taint === undefined ? '' : wireEncode(bank.taint);
  const pairs = fields.flatMap((field) => (bank.values[field] ?? []).map((item) => `${field}=${item}${taint}`));
  if (bank.extra) pairs.push(bank.extra);
  return pairs.length > 0 ? `?${pairs.join('&')}` : '';
}
