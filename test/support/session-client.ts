import request from 'supertest';

/** Signs up through the API and returns the session cookie. */
export async function registerUser(
  baseUrl: string,
  overrides: { email?: string; password?: string; name?: string } = {},
): Promise<{ cookie: string; userId: string; email: string; password: string }> {
  const email = overrides.email ?? `user-${Math.random().toString(36).slice(2)}@example.org`;
  const password = overrides.password ?? 'correct horse battery staple';
  const response = await request(baseUrl)
    .post('/api/register')
    .send({ email, password, ...(overrides.name ? { name: overrides.name } : {}) });
  if (response.status !== 201) throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { cookie: sessionCookie(response), userId: response.body.id, email, password };
}

export async function login(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await request(baseUrl).post('/api/login').send({ email, password });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
  return sessionCookie(response);
}

/** The `name=value` part of the session cookie a response set. */
export function sessionCookie(response: { headers: Record<string, unknown> }): string {
  const header = response.headers['set-cookie'];
  const cookies = Array.isArray(header) ? (header as string[]) : typeof header === 'string' ? [header] : [];
  const session = cookies.find((cookie) => cookie.startsWith('sid=') || cookie.startsWith('__Host-sid='));
  if (!session) throw new Error('no session cookie was set');
  return session.split(';')[0];
}

/** The session id inside a signed cookie value (s:<id>.<signature>). */
export function sessionIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  return value.slice(2, value.lastIndexOf('.'));
}
