// NextBank's health for the service heartbeat: one POST /management/status through the same
// policy (and breaker) as the deliveries. An open breaker is reported without a request.
import { BrokenCircuitError, IsolatedCircuitError, describeCallFailure } from '../resilience/integration-policies';
import type { NextbankClient } from './client';

export interface NextbankHealth {
  state: 'up' | 'down' | 'breaker_open';
  breaker: string;
  /** The operator-facing reason when not up (never credentials). */
  error?: string;
}

export async function pingNextbank(client: NextbankClient, signal?: AbortSignal): Promise<NextbankHealth> {
  try {
    const reply = await client.ping(signal);
    const up = reply.body.status.toUpperCase() === 'UP';
    return { state: up ? 'up' : 'down', breaker: client.policy.breakerState(), ...(up ? {} : { error: `NextBank reports status ${reply.body.status}` }) };
  } catch (error) {
    const refused = error instanceof BrokenCircuitError || error instanceof IsolatedCircuitError;
    return { state: refused ? 'breaker_open' : 'down', breaker: client.policy.breakerState(), error: describeCallFailure('nextbank', error) };
  }
}
