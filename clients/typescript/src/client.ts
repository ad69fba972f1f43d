// The hand-written client: one class over the generated operations, with typed errors, a
// deadline on every call, typed stream events and jobs that survive a dropped connection.
import { ConnectionError, TimeoutError } from './errors.js';
import type { StreamEvent } from './events.js';
import { Files, Workspaces } from './files.js';
import {
  analyzeFailure,
  approveConfirmation,
  cancelJob,
  chatWithModel,
  checkPolicy,
  getJob,
  getJobOutput,
  listApprovals,
  listJobs,
  listModels,
  rejectConfirmation,
  runCommand,
  startJob,
} from './generated/sdk.gen.js';
import type {
  Analysis,
  AnalyzeRequest,
  Approval,
  ApprovalList,
  ChatBody,
  ChatResponse,
  ExecResult,
  GetJobOutputData,
  Job,
  JobList,
  JobOutput,
  JobStatus,
  ListJobsData,
  ModelList,
  PolicyDecision,
  StreamCommandData,
  StreamJobEventsData,
} from './generated/types.gen.js';
import { BEARER, type CallOptions, sleep, Transport } from './transport.js';
import { type ExecRequest, wire } from './types.js';

export interface ShellwiseOptions {
  /** Where the server is, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** A bearer token (its role decides what the calls may do). */
  token?: string;
  /** The default {@link CallOptions.timeoutMs} (60 000). */
  timeoutMs?: number;
  /** A fetch to use instead of `globalThis.fetch`. */
  fetch?: typeof fetch;
}

export interface StreamOptions extends CallOptions {
  /**
   * Run it as a detached job and follow its events: a dropped connection (or leaving the loop)
   * does not stop the command. Without it, hanging up kills the command.
   */
  detached?: boolean;
  /** Reconnects to the job's events after drops in a row before giving up (default 5). */
  maxReconnects?: number;
}

export interface EventsOptions extends CallOptions {
  /** Resume after this event id (`<job>:<n>`); from the start when left out. */
  after?: string;
  /** Reconnects after drops in a row before giving up (default 5). */
  maxReconnects?: number;
}

/** A job status after which nothing changes. */
export function isFinished(status: JobStatus): boolean {
  return status !== 'queued' && status !== 'running';
}

/** The most the server waits in one long poll (`jobs.max_wait_ms`); longer waits are cut to it. */
const LONG_POLL_MS = 30_000;
/** Room for the answer to travel after a server-side wait. */
const WAIT_GRACE_MS = 10_000;

export class Shellwise {
  readonly jobs: Jobs;
  readonly policy: Policy;
  readonly models: Models;
  /** Named workspaces and the token's `default` one (commands run in one with `workspace`). */
  readonly workspaces: Workspaces;
  /** The files of a workspace. */
  readonly files: Files;
  private readonly t: Transport;

  constructor(options: ShellwiseOptions) {
    this.t = new Transport(options.baseUrl, options.token, options.timeoutMs ?? 60_000, options.fetch);
    this.jobs = new Jobs(this.t);
    this.policy = new Policy(this.t);
    this.models = new Models(this.t);
    this.workspaces = new Workspaces(this.t);
    this.files = new Files(this.t);
  }

  /**
   * The generated client this one sends through (base URL and token set, SSE retries off),
   * for the operations this layer does not wrap: `listModels({ client: sw.client })`.
   */
  get client() {
    return this.t.client;
  }

  /** Run a command and wait for its result. A non-zero exit is a result, not an error. */
  async run(request: ExecRequest, opts?: CallOptions & { maxResponseChars?: number }): Promise<ExecResult> {
    const query = opts?.maxResponseChars === undefined ? undefined : { maxResponseChars: opts.maxResponseChars };
    const { data } = await this.t.call('run', opts, (signal) =>
      runCommand({ client: this.t.client, body: wire(request), query, signal }),
    );
    return data;
  }

  /**
   * Run a command and yield its events live: `start`, `stdout`/`stderr`, `exit`, `analysis`
   * (on failure), `end` (or `error`). The command is POSTed once, never again: if the
   * connection drops after `start`, the rest comes from the job's event store by
   * `Last-Event-ID`; if it drops before, a {@link ConnectionError}. Leaving the loop hangs up,
   * which kills the command (unless `detached`).
   */
  stream(request: ExecRequest, opts: StreamOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    return opts.detached ? this.detachedStream(request, opts) : this.liveStream(request, opts);
  }

  private async *liveStream(request: ExecRequest, opts: StreamOptions): AsyncGenerator<StreamEvent, void, undefined> {
    const url: StreamCommandData['url'] = '/v1/exec/stream';
    let jobId: string | undefined;
    let lastId: string | undefined;
    try {
      const events = this.t.sse('stream', opts, (signal) =>
        this.t.client.post({
          url,
          body: wire(request),
          parseAs: 'stream',
          security: BEARER,
          headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
          signal,
        }),
      );
      for await (const event of events) {
        if (event.event === 'start') jobId = event.jobId;
        lastId = event.eventId ?? lastId;
        yield event;
        if (event.event === 'end' || event.event === 'error') return;
      }
    } catch (e) {
      if (!isDrop(e) || opts.signal?.aborted || jobId === undefined) throw e;
    }
    if (jobId === undefined) {
      throw new ConnectionError('stream: the connection ended before the command started; it was not re-sent');
    }
    // Dropped mid-run. The server killed the command when we were gone; its job's store has
    // every event up to the end, which says so.
    yield* this.jobs.events(jobId, { ...opts, after: lastId });
  }

  private async *detachedStream(request: ExecRequest, opts: StreamOptions): AsyncGenerator<StreamEvent, void, undefined> {
    const job = await this.jobs.start(request, { waitMs: 0, timeoutMs: opts.timeoutMs, signal: opts.signal });
    yield* this.jobs.events(job.id, opts);
  }

  /** Explain a failure that happened elsewhere (a CI log, a local run). */
  async analyze(request: AnalyzeRequest, opts?: CallOptions): Promise<Analysis> {
    const { data } = await this.t.call('analyze', opts, (signal) =>
      analyzeFailure({ client: this.t.client, body: request, signal }),
    );
    return data;
  }

  /** Chat with the server's LLM (`503 llm_unavailable` when it has none). */
  async chat(body: ChatBody, opts?: CallOptions): Promise<ChatResponse> {
    const { data } = await this.t.call('chat', opts, (signal) => chatWithModel({ client: this.t.client, body, signal }));
    return data;
  }
}

/** Commands that outlive a request: start, poll, follow, resume, cancel. */
export class Jobs {
  constructor(private readonly t: Transport) {}

  /**
   * Start a job. Waits up to `waitMs` for it to finish (server default when left out): a job
   * that finished comes back with `result`; one still going comes back `queued`/`running`.
   */
  async start(
    request: ExecRequest,
    opts?: CallOptions & { waitMs?: number; maxResponseChars?: number },
  ): Promise<Job> {
    const { data } = await this.t.call('jobs.start', withWait(opts, this.t), (signal) =>
      startJob({
        client: this.t.client,
        body: wire(request),
        query: { waitMs: opts?.waitMs, maxResponseChars: opts?.maxResponseChars },
        signal,
      }),
    );
    return data;
  }

  /** A job's status (and `result` once finished); with `waitMs`, a long poll for the end. */
  async get(id: string, opts?: CallOptions & { waitMs?: number; maxResponseChars?: number }): Promise<Job> {
    const { data } = await this.t.call(`jobs.get ${id}`, withWait(opts, this.t), (signal) =>
      getJob({
        client: this.t.client,
        path: { id },
        query: { waitMs: opts?.waitMs, maxResponseChars: opts?.maxResponseChars },
        signal,
      }),
    );
    return data;
  }

  /**
   * Long-poll until the job is finished and return it (with `result`). `timeoutMs` bounds the
   * whole wait: past it, a {@link TimeoutError}, and the job runs on.
   */
  async wait(id: string, opts?: CallOptions): Promise<Job> {
    const timeoutMs = opts?.timeoutMs ?? this.t.timeoutMs;
    const deadline = Number.isFinite(timeoutMs) && timeoutMs > 0 ? Date.now() + timeoutMs : Infinity;
    for (;;) {
      const left = deadline - Date.now();
      if (left <= 0) throw new TimeoutError(timeoutMs, `jobs.wait ${id}`);
      const waitMs = Math.min(left, LONG_POLL_MS);
      const job = await this.get(id, { waitMs, timeoutMs: waitMs + WAIT_GRACE_MS, signal: opts?.signal });
      if (isFinished(job.status)) return job;
    }
  }

  /** Cancel a queued or running job (its process tree is killed); `409 job_finished` if it is over. */
  async cancel(id: string, opts?: CallOptions): Promise<Job> {
    const { data } = await this.t.call(`jobs.cancel ${id}`, opts, (signal) =>
      cancelJob({ client: this.t.client, path: { id }, signal }),
    );
    return data;
  }

  /** A byte range of the job's stored (redacted) output. */
  async output(id: string, query?: GetJobOutputData['query'], opts?: CallOptions): Promise<JobOutput> {
    const { data } = await this.t.call(`jobs.output ${id}`, opts, (signal) =>
      getJobOutput({ client: this.t.client, path: { id }, query, signal }),
    );
    return data;
  }

  /** This token's jobs, newest first (`before`: the previous page's `nextBefore`). */
  async list(query?: ListJobsData['query'], opts?: CallOptions): Promise<JobList> {
    const { data } = await this.t.call('jobs.list', opts, (signal) => listJobs({ client: this.t.client, query, signal }));
    return data;
  }

  /**
   * The job's events, replayed from the start (or after `after`) and then live, until `end`.
   * A dropped connection is resumed with `Last-Event-ID`, so each event comes once; the job is
   * never started again. Leaving the loop does not stop the job.
   */
  async *events(id: string, opts: EventsOptions = {}): AsyncGenerator<StreamEvent, void, undefined> {
    const url: StreamJobEventsData['url'] = '/v1/jobs/{id}/events';
    const maxReconnects = opts.maxReconnects ?? 5;
    // The furthest event yielded: what a reconnect resumes after.
    let after = opts.after;
    let drops = 0;
    for (;;) {
      let drop: unknown = new ConnectionError(`events of job ${id}: the stream ended before its end event`);
      try {
        const events = this.t.sse(`events of job ${id}`, opts, (signal) =>
          this.t.client.get({
            url,
            path: { id },
            parseAs: 'stream',
            security: BEARER,
            headers: { Accept: 'text/event-stream', ...(after === undefined ? {} : { 'Last-Event-ID': after }) },
            signal,
          }),
        );
        for await (const event of events) {
          // The server may replay events this stream already yielded (it clamps Last-Event-ID
          // to what its store has written, which can lag the live stream): skip them by seq.
          if (!isAfter(event.eventId, after)) continue;
          after = event.eventId ?? after;
          drops = 0;
          yield event;
          if (event.event === 'end' || event.event === 'error') return;
        }
      } catch (e) {
        if (!isDrop(e) || opts.signal?.aborted) throw e;
        drop = e;
      }
      if (++drops > maxReconnects) throw drop;
      // A short, growing pause: the server (or the network) may be restarting.
      await sleep(Math.min(250 * 2 ** (drops - 1), 4_000), opts.signal);
    }
  }
}

/** The allow/deny policy. */
export class Policy {
  constructor(private readonly t: Transport) {}

  /** What the policy would decide for a request, without running anything. */
  async check(request: ExecRequest, opts?: CallOptions): Promise<PolicyDecision> {
    const { data } = await this.t.call('policy.check', opts, (signal) =>
      checkPolicy({ client: this.t.client, body: wire(request), signal }),
    );
    return data;
  }

  /**
   * The confirm tokens waiting for an approver (`policy.approver_role`; this token must hold
   * that role).
   */
  async approvals(opts?: CallOptions): Promise<ApprovalList> {
    const { data } = await this.t.call('policy.approvals', opts, (signal) =>
      listApprovals({ client: this.t.client, signal }),
    );
    return data;
  }

  /**
   * Approve another token's confirm token (`err.confirmToken` of its `ConfirmationRequired`):
   * its requester's resubmission then runs once. A token cannot approve its own.
   */
  async approve(confirmToken: string, opts?: CallOptions): Promise<Approval> {
    const { data } = await this.t.call('policy.approve', opts, (signal) =>
      approveConfirmation({ client: this.t.client, path: { token: confirmToken }, signal }),
    );
    return data;
  }

  /** Reject a confirm token: its requester's resubmission is refused (`approval_rejected`). */
  async reject(confirmToken: string, opts?: CallOptions): Promise<Approval> {
    const { data } = await this.t.call('policy.reject', opts, (signal) =>
      rejectConfirmation({ client: this.t.client, path: { token: confirmToken }, signal }),
    );
    return data;
  }
}

/** The LLM models the server can use. */
export class Models {
  constructor(private readonly t: Transport) {}

  async list(opts?: CallOptions): Promise<ModelList> {
    const { data } = await this.t.call('models.list', opts, (signal) => listModels({ client: this.t.client, signal }));
    return data;
  }
}

/** Whether event `id` comes after `than` (both `<job>:<n>`); `true` when either has no seq. */
function isAfter(id: string | undefined, than: string | undefined): boolean {
  const a = seqOf(id);
  const b = seqOf(than);
  return a === undefined || b === undefined || a > b;
}

function seqOf(id: string | undefined): bigint | undefined {
  const m = id === undefined ? null : /(?:^|:)([0-9]{1,19})$/.exec(id);
  return m?.[1] === undefined ? undefined : BigInt(m[1]);
}

/** A connection that broke or went silent (safe to resume by GET); not a problem answer. */
function isDrop(e: unknown): boolean {
  return e instanceof ConnectionError || e instanceof TimeoutError;
}

/** A call that waits server-side gets that long on top of its usual deadline. */
function withWait<O extends CallOptions & { waitMs?: number }>(opts: O | undefined, t: Transport): CallOptions {
  if (opts?.timeoutMs !== undefined || opts?.waitMs === undefined) return { timeoutMs: opts?.timeoutMs, signal: opts?.signal };
  return { timeoutMs: Math.max(t.timeoutMs, Math.min(opts.waitMs, LONG_POLL_MS) + WAIT_GRACE_MS), signal: opts.signal };
}
