// "Is the helper there?" for the options page: a `ping` request (PROTOCOL.md) and its answer in
// the page's terms.
import type { PingReply } from '../shared/messages.js';
import { parsePingResult } from '../../protocol/answer.js';
import { PING_TIMEOUT_MS } from '../../protocol/limits.js';
import type { HostClient, HostOutcome } from './native-port.js';

export async function pingHost(client: HostClient, extensionId: string): Promise<PingReply> {
  return pingReplyOf(await client.request({ type: 'ping' }, PING_TIMEOUT_MS), extensionId);
}

/** Pure: how a ping ended → the reply the options page shows. */
export function pingReplyOf(outcome: HostOutcome, extensionId: string): PingReply {
  if (outcome.kind === 'host-missing')
    return { ok: false, state: 'host-missing', message: outcome.message, extensionId };
  if (outcome.kind === 'failed') return { ok: false, state: 'failed', message: outcome.message, extensionId };
  if (outcome.answer.kind === 'failure') {
    return { ok: false, state: 'failed', message: `${outcome.answer.code}: ${outcome.answer.message}`, extensionId };
  }
  const version = parsePingResult(outcome.answer.result);
  return version === null
    ? { ok: false, state: 'failed', message: 'The helper sent an invalid ping answer.', extensionId }
    : { ok: true, version };
}
