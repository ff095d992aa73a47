import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { originAllowed } from './origin.js';

const req = (origin: string | undefined, host = 'callsight.example:8080') => ({ headers: { origin, host } }) as unknown as IncomingMessage;

describe('supervisor socket Origin check', () => {
  const opts = { allowedOrigins: ['https://wallboard.example/'], publicUrl: 'https://cs.example.com/base' };
  it('lets the server\'s own origin, PUBLIC_URL and listed origins through', () => {
    expect(originAllowed(req('http://callsight.example:8080'), opts)).toBe(true);
    expect(originAllowed(req('https://cs.example.com'), opts)).toBe(true);
    expect(originAllowed(req('https://wallboard.example'), opts)).toBe(true);
  });
  it('refuses other sites, look-alikes and garbage', () => {
    expect(originAllowed(req('https://evil.example'), opts)).toBe(false);
    expect(originAllowed(req('http://callsight.example:8081'), opts)).toBe(false);
    expect(originAllowed(req('http://callsight.example:8080.evil.example'), opts)).toBe(false);
    expect(originAllowed(req('null'), opts)).toBe(false);
    expect(originAllowed(req('file://callsight.example:8080'), opts)).toBe(false);
  });
  it('leaves requests without Origin (not from a browser page) to the cookie check', () => {
    expect(originAllowed(req(undefined), { allowedOrigins: [] })).toBe(true);
  });
});
