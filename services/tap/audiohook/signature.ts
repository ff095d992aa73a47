import { createHmac } from 'node:crypto';
import { safeEqual } from '../shared/request.js';
import { parseDictionary, serializeBareItem, serializeParams, type BareItem } from './structured-fields.js';

/** The components Genesys signs (PROTOCOLS.md §1.1); all must be covered. */
export const SIGNED_COMPONENTS = [
  '@request-target', '@authority', 'audiohook-organization-id', 'audiohook-session-id', 'audiohook-correlation-id', 'x-api-key',
] as const;

/** Seconds `created` may lie in the future (clock skew). */
const MAX_FUTURE_S = 3;
/** Seconds a signature stays valid after `created`. */
const MAX_AGE_S = 10;
const MIN_NONCE_LENGTH = 22;

export type SignatureResult = { ok: true; nonce: string } | { ok: false; reason: string };

export interface SignedRequest {
  signature?: string;
  signatureInput?: string;
  /** Header values of the signed header components. */
  organizationId?: string;
  sessionId?: string;
  correlationId?: string;
  apiKey: string;
  /** Candidate `@authority` / `@request-target` values (how the client may have addressed us). */
  authorities: string[];
  targets: string[];
  /** Base64 client secret; the HMAC key is its decoded bytes. */
  secret: string;
  /** Unix seconds. */
  now: number;
}

/** The signature base: one `"name": value` line per component, then the `@signature-params` line; no trailing newline. */
export function signatureBase(components: [string, string][], signatureParams: string): string {
  return [...components.map(([name, value]) => `"${name}": ${value}`), `"@signature-params": ${signatureParams}`].join('\n');
}

export function hmacSha256(base: string, secretBase64: string): Buffer {
  return createHmac('sha256', Buffer.from(secretBase64, 'base64')).update(base).digest();
}

const isInt = (v: BareItem | undefined): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

/**
 * Verifies an AudioHook upgrade signed with RFC 9421 hmac-sha256: all six components covered, `keyid` equal to the
 * API key, a nonce of at least 22 characters, `created` not in the future (3 s skew) nor older than 10 s, `expires`
 * not passed, and the MAC (compared in constant time) over one of the candidate authority/target pairs.
 */
export function verifyAudiohookSignature(req: SignedRequest): SignatureResult {
  if (!req.signature || !req.signatureInput) return { ok: false, reason: 'request is not signed' };
  const inputs = parseDictionary(req.signatureInput);
  const sigs = parseDictionary(req.signature);
  if (!inputs || !sigs || inputs.size === 0) return { ok: false, reason: 'malformed Signature or Signature-Input' };
  const [label, input] = [...inputs][0];
  const sig = sigs.get(label);
  if (!sig || sig.inner || !Buffer.isBuffer(sig.value)) return { ok: false, reason: `no signature labelled ${label}` };
  if (!input.inner || !Array.isArray(input.value)) return { ok: false, reason: 'Signature-Input is not an inner list' };
  const components = input.value;
  if (!components.every((c): c is string => typeof c === 'string')) return { ok: false, reason: 'components must be strings' };
  if (new Set(components).size !== components.length || components.length !== SIGNED_COMPONENTS.length
    || !SIGNED_COMPONENTS.every((c) => components.includes(c))) {
    return { ok: false, reason: `signature must cover exactly ${SIGNED_COMPONENTS.join(', ')}` };
  }
  const params = new Map(input.params);
  const known = new Set(['keyid', 'nonce', 'alg', 'created', 'expires']);
  if (input.params.some(([k]) => !known.has(k))) return { ok: false, reason: 'unknown signature parameter' };
  const keyid = params.get('keyid');
  const nonce = params.get('nonce');
  const alg = params.get('alg');
  const created = params.get('created');
  const expires = params.get('expires');
  if (keyid !== req.apiKey) return { ok: false, reason: 'keyid does not match X-API-KEY' };
  if (alg !== undefined && alg !== 'hmac-sha256') return { ok: false, reason: 'unsupported signature algorithm' };
  if (typeof nonce !== 'string' || nonce.length < MIN_NONCE_LENGTH) return { ok: false, reason: 'nonce missing or too short' };
  if (!isInt(created)) return { ok: false, reason: 'created missing' };
  if (expires !== undefined && !isInt(expires)) return { ok: false, reason: 'expires is not an integer' };
  if (created > req.now + MAX_FUTURE_S) return { ok: false, reason: 'created lies in the future' };
  if (req.now - created > MAX_AGE_S) return { ok: false, reason: 'signature too old' };
  if (expires !== undefined && expires <= req.now) return { ok: false, reason: 'signature expired' };

  const headers: Record<string, string | undefined> = {
    'audiohook-organization-id': req.organizationId,
    'audiohook-session-id': req.sessionId,
    'audiohook-correlation-id': req.correlationId,
    'x-api-key': req.apiKey,
  };
  if (Object.values(headers).some((v) => v === undefined)) return { ok: false, reason: 'a signed header is missing' };
  // Re-serialised from the parsed form, so the signer must have been strict.
  const signatureParams = `(${components.map(serializeBareItem).join(' ')})${serializeParams(input.params)}`;
  let match = false;
  for (const target of req.targets.length ? req.targets : ['/']) {
    for (const authority of req.authorities.length ? req.authorities : ['']) {
      const value = (c: string): string => (c === '@request-target' ? target : c === '@authority' ? authority : headers[c]!);
      const base = signatureBase(components.map((c) => [c, value(c)]), signatureParams);
      // Every candidate is compared, match or not, so timing does not depend on which one matched.
      if (safeEqual(hmacSha256(base, req.secret), sig.value)) match = true;
    }
  }
  return match ? { ok: true, nonce } : { ok: false, reason: 'signature does not match' };
}

/** Remembers nonces for as long as a signature is valid, so a captured upgrade cannot be replayed. */
export function createNonceCache(max = 50_000) {
  const seen = new Map<string, number>();
  const ttlMs = (MAX_AGE_S + MAX_FUTURE_S + 1) * 1000;
  return {
    /** True when `nonce` was used within the validity window; otherwise records it. */
    replayed(nonce: string, nowMs: number): boolean {
      const until = seen.get(nonce);
      if (until !== undefined && until > nowMs) return true;
      if (seen.size >= max) {
        for (const [n, t] of seen) if (t <= nowMs) seen.delete(n);
        // Still full of live nonces: forget the oldest (insertion order).
        while (seen.size >= max) seen.delete(seen.keys().next().value!);
      }
      seen.set(nonce, nowMs + ttlMs);
      return false;
    },
  };
}
