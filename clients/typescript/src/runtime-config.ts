// Configuration for the generated default client (`@shellwise/client/generated`); the
// generator wires it in through `runtimeConfigPath`, so src/generated stays untouched.
import type { CreateClientConfig } from './generated/client.gen.js';

/**
 * The generated SSE helper reconnects forever by default and re-sends the request each time:
 * for `streamCommand` that re-POSTs the command (a denied command was sent again and again).
 * One attempt, no retry. The option is not in the generated `Config` type, though the client
 * reads it from its config, hence `Object.assign`.
 */
export function withoutSseRetries<T extends object>(config: T): T {
  return Object.assign(config, { sseMaxRetryAttempts: 1 });
}

export const createClientConfig: CreateClientConfig = (config) => withoutSseRetries({ ...config });
