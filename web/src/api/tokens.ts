// Typed calls for the user's personal API tokens (/api/tokens, session only).
import { requestJson } from './http';
import type { components } from './schema';
import type { Confirmation } from './types';

type Schemas = components['schemas'];

export type ApiToken = Schemas['ApiTokenResponse'];
export type CreatedApiToken = Schemas['CreatedApiTokenResponse'];
export type ApiTokenScope = ApiToken['scopes'][number];
export type NewApiToken = Schemas['CreateApiTokenDto'];

export const apiTokens = {
  list: () => requestJson<ApiToken[]>('GET', '/api/tokens'),
  create: (token: NewApiToken) => requestJson<CreatedApiToken>('POST', '/api/tokens', { body: token }),
  revoke: (id: string) => requestJson<Confirmation>('DELETE', `/api/tokens/${encodeURIComponent(id)}`),
};
