// Typed events of a run's stream (`POST /v1/exec/stream`, `GET /v1/jobs/{id}/events`).
import type {
  StreamAnalysisEvent,
  StreamEndEvent,
  StreamErrorEvent,
  StreamExitEvent,
  StreamOutputEvent,
  StreamStartEvent,
} from './generated/index.js';
import type { SseMessage } from './sse.js';

/** `start`: the command started; `jobId` names the job behind the stream. */
export type StartEvent = StreamStartEvent;
/** `stdout`: a redacted chunk of standard output (base64 when the request asked for it). */
export type StdoutEvent = StreamOutputEvent & { event: 'stdout' };
/** `stderr`: a redacted chunk of standard error. */
export type StderrEvent = StreamOutputEvent & { event: 'stderr' };
/** `exit`: how the command ended (the result without its output). */
export type ExitEvent = StreamExitEvent;
/** `analysis`: why it failed (after `exit`). */
export type AnalysisEvent = StreamAnalysisEvent;
/** `end`: the last event: the job's final status. */
export type EndEvent = StreamEndEvent;
/** `error`: the server failed mid-stream; a problem document. The stream ends after it. */
export type ErrorEvent = StreamErrorEvent;

/**
 * One event. `eventId` is the SSE id (`<job>:<n>`); pass it as `after` to
 * `jobs.events()` to resume after it.
 */
export type StreamEvent = (
  | StartEvent
  | StdoutEvent
  | StderrEvent
  | ExitEvent
  | AnalysisEvent
  | EndEvent
  | ErrorEvent
) & { eventId: string | undefined };

export type StreamEventName = StreamEvent['event'];

const NAMES: ReadonlySet<string> = new Set<StreamEventName>([
  'start',
  'stdout',
  'stderr',
  'exit',
  'analysis',
  'end',
  'error',
]);

/**
 * The typed event in an SSE message, or `undefined` for an event this version does not know
 * (a newer server may add some; skipping them keeps old clients working).
 */
export function toStreamEvent(message: SseMessage): StreamEvent | undefined {
  let data: unknown;
  try {
    data = JSON.parse(message.data);
  } catch {
    return undefined;
  }
  if (data === null || typeof data !== 'object') return undefined;
  const record = data as Record<string, unknown>;
  const name = typeof record.event === 'string' ? record.event : message.event;
  if (!NAMES.has(name)) return undefined;
  return { ...record, event: name, eventId: message.id } as StreamEvent;
}

