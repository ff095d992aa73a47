import { isUuid, type Queryable } from './rows.js';

/** A customer satisfaction survey result for one call (score 1–5). */
export interface CsatResponse {
  callId: string;
  score: number;
  comment: string | null;
  tapKeyId: string | null;
  postedBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewCsatResponse {
  callId: string;
  score: number;
  comment?: string | null;
  tapKeyId?: string | null;
  postedBy?: string | null;
}

interface Row {
  call_id: string; score: number; comment: string | null; tap_key_id: string | null; posted_by: string | null;
  created_at: Date; updated_at: Date; inserted: boolean;
}
const COLUMNS = 'call_id, score, comment, tap_key_id, posted_by, created_at, updated_at';
const toResponse = (r: Row): CsatResponse => ({
  callId: r.call_id, score: r.score, comment: r.comment, tapKeyId: r.tap_key_id, postedBy: r.posted_by,
  createdAt: r.created_at, updatedAt: r.updated_at,
});

/** Survey results, one per call: saving again replaces the call's result. */
export function createCsatRepo(db: Queryable) {
  return {
    /** Stores the call's result (`created` false when it replaced an earlier one); undefined when the call is unknown. */
    async save(r: NewCsatResponse): Promise<{ response: CsatResponse; created: boolean } | undefined> {
      if (!isUuid(r.callId)) return undefined;
      const [row] = await db.query<Row>(
        `insert into csat_responses (call_id, score, comment, tap_key_id, posted_by)
         select $1, $2, $3, $4, $5 where exists (select 1 from calls where id = $1)
         on conflict (call_id) do update set score = excluded.score, comment = excluded.comment,
           tap_key_id = excluded.tap_key_id, posted_by = excluded.posted_by, updated_at = now()
         returning ${COLUMNS}, (xmax = 0) as inserted`,
        [r.callId, r.score, r.comment ?? null, r.tapKeyId ?? null, r.postedBy ?? null],
      );
      return row ? { response: toResponse(row), created: row.inserted } : undefined;
    },
    async get(callId: string): Promise<CsatResponse | undefined> {
      if (!isUuid(callId)) return undefined;
      const [row] = await db.query<Row>(`select ${COLUMNS}, false as inserted from csat_responses where call_id = $1`, [callId]);
      return row ? toResponse(row) : undefined;
    },
  };
}

export type CsatRepo = ReturnType<typeof createCsatRepo>;
