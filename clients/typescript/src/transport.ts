// How every call goes out: the generated fetch client for requests, responses and problem
// bodies; this file adds the deadline, the typed errors, and the reading of streamed bodies
// (event streams and downloads). Nothing here retries a request: a call is sent once, and
// only `Jobs.events` (a GET) reconnects.
import { type Client, createClient, createConfig } from './generated/client/index.js';
import { ConnectionError, problemError, ShellwiseError, TimeoutError } from './errors.js';
import { type StreamEvent, toStreamEvent } from './events.js';
import { withoutSseRetries } from './runtime-config.js';
import { SseParser } from './sse.js';

/** What every call accepts. */
export interface CallOptions {
  /**
   * Milliseconds before the call gives up with a {@link TimeoutError} (default: the client's
   * `timeoutMs`). For a stream, the longest silence allowed between bytes: the server sends a
   * heartbeat every few seconds, so a long, quiet command does not trip it, a dead link does.
   * `0` or `Infinity`: no limit.
   */
  timeoutMs?: number;
  /** Abort the call (a stream: hang up). The promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What a generated operation resolves to (its `fields` response style). */
interface Fields {
  data?: unknown;
  error?: unknown;
  response?: Response;
}

export const BEARER = [{ scheme: 'bearer', type: 'http' }] as const;

/** setTimeout's delay is a signed 32-bit int; anything longer fires at once. */
const MAX_DELAY = 2 ** 31 - 1;

export class Transport {
  readonly client: Client;

  constructor(
    readonly baseUrl: string,
    token: string | undefined,
    readonly timeoutMs: number,
    fetchImpl: typeof fetch | undefined,
  ) {
    this.client = createClient(
      withoutSseRetries(createConfig({ baseUrl, auth: token, ...(fetchImpl ? { fetch: fetchImpl } : {}) })),
    );
  }

  /** Send one generated operation once, within the deadline; its data, or a typed error. */
  async call<R extends Fields>(
    what: string,
    opts: CallOptions | undefined,
    send: (signal: AbortSignal) => Promise<R>,
  ): Promise<{ data: NonNullable<R['data']>; response: Response }> {
    const timeoutMs = opts?.timeoutMs ?? this.timeoutMs;
    const ctl = new AbortController();
    const unlink = link(opts?.signal, ctl);
    const timer = startTimer(timeoutMs, () => ctl.abort(new TimeoutError(timeoutMs, what)));
    try {
      const result = await send(ctl.signal);
      return { data: this.unwrap(result, ctl.signal, what) as NonNullable<R['data']>, response: result.response as Response };
    } catch (e) {
      throw this.failure(e, ctl.signal, what);
    } finally {
      clearTimeout(timer);
      unlink();
    }
  }

  /**
   * Open one SSE response and yield its typed events (each with its `eventId`, for whoever
   * resumes). Ends when the body ends; throws when it breaks.
   */
  async *sse(
    what: string,
    opts: CallOptions,
    open: (signal: AbortSignal) => Promise<Fields>,
  ): AsyncGenerator<StreamEvent, void, undefined> {
    const parser = new SseParser();
    const decoder = new TextDecoder();
    // Every chunk counts as activity (heartbeats included), so a quiet command is not a dead link.
    for await (const chunk of this.chunks(what, opts, open)) {
      for (const message of parser.push(decoder.decode(chunk, { stream: true }))) {
        const event = toStreamEvent(message);
        if (event) yield event;
      }
    }
    // An event without its closing blank line is incomplete and, per the standard, dropped.
  }

  /**
   * Open one streamed response (`parseAs: 'stream'`) and yield its body's chunks as they
   * arrive. `timeoutMs` is the longest wait for the answer and then for each chunk; the
   * caller's time with a chunk does not count. Leaving the loop hangs up.
   */
  async *chunks(
    what: string,
    opts: CallOptions,
    open: (signal: AbortSignal) => Promise<Fields>,
  ): AsyncGenerator<Uint8Array, void, undefined> {
    const timeoutMs = opts.timeoutMs ?? this.timeoutMs;
    const ctl = new AbortController();
    const unlink = link(opts.signal, ctl);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const arm = () => {
      clearTimeout(timer);
      timer = startTimer(timeoutMs, () => ctl.abort(new TimeoutError(timeoutMs, what)));
    };
    try {
      arm();
      let body: ReadableStream<Uint8Array>;
      try {
        body = this.unwrap(await open(ctl.signal), ctl.signal, what) as ReadableStream<Uint8Array>;
      } catch (e) {
        throw this.failure(e, ctl.signal, what);
      }
      const reader = body.getReader();
      try {
        for (;;) {
          let next: ReadableStreamReadResult<Uint8Array>;
          try {
            next = await reader.read();
          } catch (e) {
            throw this.failure(e, ctl.signal, what);
          }
          if (next.done) return;
          clearTimeout(timer);
          try {
            yield next.value;
          } finally {
            arm();
          }
        }
      } finally {
        // Hanging up is what tells the server to stop (and, for a command's own stream, to kill it).
        await reader.cancel().catch(() => {});
      }
    } finally {
      clearTimeout(timer);
      unlink();
      ctl.abort(); // hang up if the caller stopped early
    }
  }

  /** `data` of a successful response, else the problem (or connection failure) as an error. */
  private unwrap(result: Fields, signal: AbortSignal, what: string): unknown {
    const { response } = result;
    if (!response) throw this.failure(result.error, signal, what);
    if (!response.ok) throw problemError(response.status, result.error, response.headers);
    if (result.data === undefined || result.data === null) {
      throw new ConnectionError(`${what}: the server answered ${response.status} without a body`);
    }
    return result.data;
  }

  /** Anything a call threw, as the error the caller should see. */
  failure(e: unknown, signal: AbortSignal, what: string): unknown {
    if (e instanceof ShellwiseError) return e;
    // Our own timeout (a TimeoutError) or the caller's abort reason, as they gave it.
    if (signal.aborted) return signal.reason;
    return new ConnectionError(`${what}: ${describe(e)} (${this.baseUrl})`, { cause: e });
  }
}

function startTimer(ms: number, fire: () => void): ReturnType<typeof setTimeout> | undefined {
  return Number.isFinite(ms) && ms > 0 ? setTimeout(fire, Math.min(ms, MAX_DELAY)) : undefined;
}

/** Forward `outer`'s abort to `ctl`; returns the unsubscribe. */
function link(outer: AbortSignal | undefined, ctl: AbortController): () => void {
  if (!outer) return () => {};
  if (outer.aborted) {
    ctl.abort(outer.reason);
    return () => {};
  }
  const onAbort = () => ctl.abort(outer.reason);
  outer.addEventListener('abort', onAbort, { once: true });
  return () => outer.removeEventListener('abort', onAbort);
}

/** fetch's errors say "fetch failed"; the reason (ECONNREFUSED, a reset) is in `cause`. */
function describe(e: unknown): string {
  const parts: string[] = [];
  for (let c = e, depth = 0; c !== undefined && c !== null && depth < 4; depth++) {
    const rec = c as { message?: unknown; code?: unknown; cause?: unknown };
    const text = [typeof rec.code === 'string' ? rec.code : '', typeof rec.message === 'string' ? rec.message : String(c)]
      .filter(Boolean)
      .join(' ');
    if (text && !parts.includes(text)) parts.push(text);
    c = rec.cause;
  }
  return parts.join(': ') || 'connection failed';
}

/** Sleep that an abort cuts short (rejecting with the abort's reason). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal?.reason);
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
