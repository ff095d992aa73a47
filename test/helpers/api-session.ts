/** A logged-in API client for integration tests: keeps the session cookie and sends the CSRF token like the web app. */
export interface ApiSession {
  cookie: string;
  csrfToken: string;
  user: { id: string; username: string; role: string };
  request(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Response>;
  get(path: string, headers?: Record<string, string>): Promise<Response>;
}

/** The `name=value` pairs of a response's Set-Cookie headers, for a Cookie request header. */
export function cookieHeader(res: Response): string {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
}

export async function login(baseUrl: string, username: string, password: string): Promise<ApiSession> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  const body = await res.json() as { user: ApiSession['user']; csrfToken: string };
  const cookie = cookieHeader(res);
  const request = (method: string, path: string, data?: unknown, headers: Record<string, string> = {}) => fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      cookie, 'x-csrf-token': body.csrfToken, ...(data === undefined ? {} : { 'content-type': 'application/json' }), ...headers,
    },
    body: data === undefined ? undefined : JSON.stringify(data),
  });
  return { cookie, csrfToken: body.csrfToken, user: body.user, request, get: (path, headers) => request('GET', path, undefined, headers) };
}
