import { injectionRefusal } from '../../calls/index.js';
import type { LiveCall } from './call-directory.js';
import type { LiveCallItem } from './protocol.js';

/** A live call as the wallboard shows it, with why whisper or barge would be refused (from its capabilities). */
export function liveCallItem(call: LiveCall, now = Date.now()): LiveCallItem {
  const refusals: LiveCallItem['refusals'] = {};
  const whisper = injectionRefusal(call.capabilities, 'agent', true);
  const barge = injectionRefusal(call.capabilities, 'both', true);
  if (whisper) refusals.whisper = whisper;
  if (barge) refusals.barge = barge;
  return {
    callId: call.callId,
    startedAt: call.startedAt.toISOString(),
    durationMs: Math.max(0, now - call.startedAt.getTime()),
    protocol: call.protocol,
    direction: call.direction,
    agent: call.agentExternalId ? { externalId: call.agentExternalId, displayName: call.agent?.displayName ?? null } : null,
    team: call.agent?.teamId ? { id: call.agent.teamId, name: call.agent.teamName } : null,
    queue: call.queue,
    customerSentiment: call.customerSentiment && { score: call.customerSentiment.score, label: call.customerSentiment.label },
    openAlerts: call.openAlerts,
    capabilities: call.capabilities,
    refusals,
  };
}
