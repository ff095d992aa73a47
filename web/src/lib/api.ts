import type {
  Agent, Alert, AlertRule, AlertRuleInput, AlertRuleKind, AnswerValue, AuditEntry, AuditQuery, CallDetail, CallListItem, CallNote, CallFilter, CallMetrics, CreatedTapKey, Dispute, Evaluation, EvaluationDetail, NewUser, Page, ReviewAnswer, Role, SearchHit,
  ScorecardIssue, ScorecardPreview, ScorecardSummary, ScorecardVersion, ScorecardVersionSummary, SearchQuery, Session, TapKey, TapProtocol,
  Team, Transcript, User,
} from './types';
import type { AnalyticsQuery, AnalyticsReport } from './analytics-types';

/** A refused or failed API request: `status` is the HTTP status (0 when the server could not be reached). */
export class ApiError extends Error {
  /** A scorecard's validation problems, when the 400 carried them. */
  readonly issues: ScorecardIssue[];
  constructor(message: string, readonly status: number, issues: ScorecardIssue[] = []) {
    super(message);
    this.name = 'ApiError';
    this.issues = issues;
  }
}

const CSRF_COOKIE = 'cs_csrf';
let csrfToken: string | undefined;
const unauthorizedListeners = new Set<() => void>();

/** The session's CSRF token (from login or /me; the readable cookie as a fallback), sent as X-CSRF-Token on changes. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

function currentCsrf(): string | undefined {
  if (csrfToken) return csrfToken;
  const m = document.cookie.match(new RegExp(`(?:^|;\\s*)${CSRF_COOKIE}=([^;]*)`));
  return m ? decodeURIComponent(m[1]) : undefined;
}

/** Called when a request answers 401 (the session ended): the shell sends the user to the login page. */
export function onUnauthorized(listener: () => void): () => void {
  unauthorizedListeners.add(listener);
  return () => unauthorizedListeners.delete(listener);
}

type Query = Record<string, string | number | undefined>;

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `${path}?${s}` : path;
}

async function request<T>(method: string, path: string, opts: { body?: unknown; query?: Query; signal?: AbortSignal } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD') {
    const token = currentCsrf();
    if (token) headers['x-csrf-token'] = token;
  }
  let res: Response;
  try {
    res = await fetch(withQuery(path, opts.query), {
      method, headers, credentials: 'same-origin', signal: opts.signal,
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(err instanceof Error ? err.message : String(err), 0);
  }
  if (res.status === 401 && path !== '/api/auth/login' && path !== '/api/auth/me') for (const l of unauthorizedListeners) l();
  if (!res.ok) {
    let message = res.statusText;
    let issues: ScorecardIssue[] = [];
    try {
      const body = await res.json() as { error?: string; issues?: ScorecardIssue[] };
      if (body.error) message = body.error;
      if (Array.isArray(body.issues)) issues = body.issues;
    } catch {
      // not JSON: keep the status text
    }
    throw new ApiError(message, res.status, issues);
  }
  if (res.status === 204) return undefined as T;
  return await res.json() as T;
}

/** The typed API client: one function per endpoint the web app uses. */
export const api = {
  me: () => request<Session>('GET', '/api/auth/me'),
  login: (username: string, password: string) => request<Session>('POST', '/api/auth/login', { body: { username, password } }),
  logout: () => request<void>('POST', '/api/auth/logout'),

  calls: (filter: CallFilter, signal?: AbortSignal) => request<Page<CallListItem>>('GET', '/api/calls', { query: { ...filter }, signal }),
  call: (id: string) => request<CallDetail>('GET', `/api/calls/${encodeURIComponent(id)}`),
  transcript: (id: string) => request<Transcript>('GET', `/api/calls/${encodeURIComponent(id)}/transcript`),
  metrics: (id: string) => request<CallMetrics>('GET', `/api/calls/${encodeURIComponent(id)}/metrics`),
  notes: (callId: string) => request<{ callId: string; items: CallNote[] }>('GET', `/api/calls/${encodeURIComponent(callId)}/notes`),
  addNote: (callId: string, note: { atMs: number; text: string }) =>
    request<CallNote>('POST', `/api/calls/${encodeURIComponent(callId)}/notes`, { body: note }),
  deleteNote: (callId: string, noteId: string) =>
    request<void>('DELETE', `/api/calls/${encodeURIComponent(callId)}/notes/${encodeURIComponent(noteId)}`),
  search: (q: SearchQuery, signal?: AbortSignal) => request<Page<SearchHit>>('GET', '/api/search', { query: { ...q }, signal }),

  evaluations: (query: { callId?: string; limit?: number; offset?: number }) => request<Page<Evaluation>>('GET', '/api/evaluations', { query }),
  evaluation: (id: string) => request<EvaluationDetail>('GET', `/api/evaluations/${encodeURIComponent(id)}`),
  reviewEvaluation: (id: string, body: { answers: ReviewAnswer[]; submit: boolean }) =>
    request<EvaluationDetail>('POST', `/api/evaluations/${encodeURIComponent(id)}/review`, { body }),
  acknowledgeEvaluation: (id: string) => request<EvaluationDetail>('POST', `/api/evaluations/${encodeURIComponent(id)}/acknowledge`),
  disputeEvaluation: (id: string, item: { questionId: string; reason: string; proposedValue?: AnswerValue | null }) =>
    request<{ items: Dispute[] }>('POST', `/api/evaluations/${encodeURIComponent(id)}/disputes`, { body: item }),
  myEvaluations: (query: { limit?: number; offset?: number } = {}) => request<Page<Evaluation>>('GET', '/api/me/evaluations', { query }),

  analytics: (query: AnalyticsQuery, signal?: AbortSignal) => request<AnalyticsReport>('GET', '/api/analytics', { query: { ...query }, signal }),

  alerts: (query: { open?: 'true' | 'false'; callId?: string; limit?: number } = {}) => request<Page<Alert>>('GET', '/api/alerts', { query }),
  acknowledgeAlert: (id: string) => request<Alert>('POST', `/api/alerts/${encodeURIComponent(id)}/acknowledge`),

  scorecards: {
    list: () => request<{ items: ScorecardSummary[] }>('GET', '/api/scorecards'),
    versions: (id: string) => request<{ scorecardId: string; items: ScorecardVersionSummary[] }>('GET', `/api/scorecards/${encodeURIComponent(id)}/versions`),
    version: (id: string, n: number) => request<ScorecardVersion>('GET', `/api/scorecards/${encodeURIComponent(id)}/versions/${n}`),
    validate: (id: string, source: string, signal?: AbortSignal) =>
      request<{ valid: true; id: string; name: string }>('POST', `/api/scorecards/${encodeURIComponent(id)}/validate`, { body: { source }, signal }),
    preview: (id: string, body: { source: string; last?: number; from?: string; to?: string }) =>
      request<ScorecardPreview>('POST', `/api/scorecards/${encodeURIComponent(id)}/preview`, { body }),
    saveDraft: (id: string, source: string) => request<ScorecardVersion>('POST', `/api/scorecards/${encodeURIComponent(id)}/versions`, { body: { source } }),
    publish: (id: string, n: number) => request<ScorecardVersion>('POST', `/api/scorecards/${encodeURIComponent(id)}/versions/${n}/publish`),
  },

  admin: {
    users: (role?: Role) => request<{ items: User[] }>('GET', '/api/admin/users', { query: { role } }),
    createUser: (u: NewUser) => request<User>('POST', '/api/admin/users', { body: u }),
    updateUser: (id: string, patch: Partial<Pick<User, 'displayName' | 'role' | 'disabled'>> & { password?: string }) =>
      request<User>('PATCH', `/api/admin/users/${encodeURIComponent(id)}`, { body: patch }),
    tapKeys: () => request<{ items: TapKey[] }>('GET', '/api/admin/tap-keys'),
    createTapKey: (k: { name: string; protocols?: TapProtocol[]; clientSecret?: true }) =>
      request<CreatedTapKey>('POST', '/api/admin/tap-keys', { body: k }),
    revokeTapKey: (id: string) => request<TapKey>('POST', `/api/admin/tap-keys/${encodeURIComponent(id)}/revoke`),

    teams: () => request<{ items: Team[] }>('GET', '/api/admin/teams'),
    createTeam: (name: string) => request<Team>('POST', '/api/admin/teams', { body: { name } }),
    addSupervisor: (teamId: string, userId: string) =>
      request<Team>('PUT', `/api/admin/teams/${encodeURIComponent(teamId)}/supervisors/${encodeURIComponent(userId)}`),
    removeSupervisor: (teamId: string, userId: string) =>
      request<Team>('DELETE', `/api/admin/teams/${encodeURIComponent(teamId)}/supervisors/${encodeURIComponent(userId)}`),
    agents: () => request<{ items: Agent[] }>('GET', '/api/admin/agents'),
    createAgent: (a: { externalId: string; displayName?: string; teamId?: string | null; userId?: string | null }) =>
      request<Agent>('POST', '/api/admin/agents', { body: a }),
    updateAgent: (id: string, patch: { displayName?: string; teamId?: string | null; userId?: string | null }) =>
      request<Agent>('PATCH', `/api/admin/agents/${encodeURIComponent(id)}`, { body: patch }),

    alertRules: () => request<{ items: AlertRule[] }>('GET', '/api/admin/alert-rules'),
    createAlertRule: (rule: AlertRuleInput & { kind: AlertRuleKind }) => request<AlertRule>('POST', '/api/admin/alert-rules', { body: rule }),
    updateAlertRule: (id: string, patch: Partial<AlertRuleInput>) =>
      request<AlertRule>('PATCH', `/api/admin/alert-rules/${encodeURIComponent(id)}`, { body: patch }),
    deleteAlertRule: (id: string) => request<void>('DELETE', `/api/admin/alert-rules/${encodeURIComponent(id)}`),

    audit: (query: AuditQuery, signal?: AbortSignal) => request<Page<AuditEntry>>('GET', '/api/admin/audit', { query: { ...query }, signal }),
  },
};
