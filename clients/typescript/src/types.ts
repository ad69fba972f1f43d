// Corrections to generated types whose generated form says something the server does not do.
// The generated files stay untouched; this layer exports the corrected names.
import type { ExecRequest as GeneratedExecRequest } from './generated/index.js';

/** A program and its arguments: at least the program. */
export type Argv = [string, ...string[]];

// The spec gives `argv` as `prefixItems: [program]` plus `items: string`, `minItems: 1`, which
// @hey-api/openapi-ts 0.95 turns into the 2-tuple `[string, string]`: `['ls']` and
// `['ls', '-l', '/']` would not type-check. Same shape otherwise (one of `command`, `argv`,
// or `code` with `language`).
type WithArgv<T> = T extends { argv: unknown[] } ? Omit<T, 'argv'> & { argv: Argv } : T;

/** What to run: exactly one of `command`, `argv`, or `code` with `language`, plus options. */
export type ExecRequest = WithArgv<GeneratedExecRequest>;

/** The generated operations' view of a request (identical on the wire). */
export function wire(request: ExecRequest): GeneratedExecRequest {
  return request as GeneratedExecRequest;
}
