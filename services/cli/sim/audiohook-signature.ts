import { createHmac, randomBytes } from 'node:crypto';

/** The components Genesys signs, in order (PROTOCOLS.md §1.1). */
export const AUDIOHOOK_SIGNED_COMPONENTS = [
  '@request-target', '@authority', 'audiohook-organization-id', 'audiohook-session-id', 'audiohook-correlation-id', 'x-api-key',
] as const;

export interface AudiohookSignatureInput {
  /** Path plus query, e.g. `/tap/audiohook`. */
  requestTarget: string;
  /** Host, with the port only when it is not the scheme's default. */
  authority: string;
  organizationId: string;
  sessionId: string;
  correlationId: string;
  apiKey: string;
  /** Base64 client secret; the HMAC key is its decoded bytes. */
  clientSecret: string;
  /** At least 22 characters; random when absent. */
  nonce?: string;
  /** Unix seconds; now when absent. */
  created?: number;
  /** Unix seconds; `created + 30` when absent. */
  expires?: number;
}

export interface AudiohookSignature {
  signature: string;
  signatureInput: string;
  /** The exact text that was MACed (for tests and debugging). */
  base: string;
}

/** RFC 9421 HTTP message signature with hmac-sha256, as Genesys Cloud signs the AudioHook upgrade. */
export function signAudiohookRequest(input: AudiohookSignatureInput): AudiohookSignature {
  const created = input.created ?? Math.floor(Date.now() / 1000);
  const expires = input.expires ?? created + 30;
  const nonce = input.nonce ?? randomBytes(18).toString('base64url');
  const values: Record<(typeof AUDIOHOOK_SIGNED_COMPONENTS)[number], string> = {
    '@request-target': input.requestTarget,
    '@authority': input.authority,
    'audiohook-organization-id': input.organizationId,
    'audiohook-session-id': input.sessionId,
    'audiohook-correlation-id': input.correlationId,
    'x-api-key': input.apiKey,
  };
  const list = `(${AUDIOHOOK_SIGNED_COMPONENTS.map((c) => `"${c}"`).join(' ')})`;
  const params = `${list};keyid="${input.apiKey}";nonce="${nonce}";alg="hmac-sha256";created=${created};expires=${expires}`;
  const base = [
    ...AUDIOHOOK_SIGNED_COMPONENTS.map((c) => `"${c}": ${values[c]}`),
    `"@signature-params": ${params}`,
  ].join('\n');
  const mac = createHmac('sha256', Buffer.from(input.clientSecret, 'base64')).update(base).digest('base64');
  return { signature: `sig1=:${mac}:`, signatureInput: `sig1=${params}`, base };
}

/** `@authority` for a URL: the host, with the port only when it is not the default for the scheme. */
export function authorityOf(url: URL): string {
  return url.host; // URL.host already omits default ports (80 for ws, 443 for wss)
}
