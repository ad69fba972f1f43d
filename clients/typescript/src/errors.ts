// Typed errors: every failure of a call is one of these, so callers switch on a class or a
// `code`, never on a message.
import type { Code, PatchConflict, Problem } from './generated/index.js';

/** The base of every error this package throws. */
export class ShellwiseError extends Error {
  override name = 'ShellwiseError';
}

/**
 * The server answered with an RFC 9457 problem (`application/problem+json`). `code` is stable:
 * switch on it. `requestId` matches the server's logs (from the body, else `X-Request-Id`).
 */
export class ProblemError extends ShellwiseError {
  override name = 'ProblemError';
  /** The HTTP status (also inside the problem). */
  readonly status: number;
  /** Stable machine-readable code; a newer server may send one this version does not list. */
  readonly code: Code | (string & {});
  readonly title: string;
  readonly detail: string;
  readonly type: string;
  readonly requestId: string | undefined;
  /** The policy rule that decided (`policy_denied`, `confirmation_required`). */
  readonly ruleId: string | undefined;
  /** Why that rule decided so. */
  readonly reason: string | undefined;
  /** Allowed languages or shells, when the problem is about one of them. */
  readonly available: string[] | undefined;
  /** `patch_conflict`: each hunk that did not apply, where, and what the file has there. */
  readonly conflicts: PatchConflict[] | undefined;
  /** The whole problem document as the server sent it, for fields this version does not know. */
  readonly problem: Readonly<Record<string, unknown>>;

  constructor(status: number, problem: Record<string, unknown>, requestIdHeader?: string | null) {
    const code = str(problem.code) ?? 'unknown_problem';
    const detail = str(problem.detail) ?? '';
    super(`${code} (${status}): ${detail || str(problem.title) || 'no detail'}`);
    this.status = status;
    this.code = code;
    this.title = str(problem.title) ?? '';
    this.detail = detail;
    this.type = str(problem.type) ?? `urn:shellwise:problem:${code}`;
    this.requestId = str(problem.requestId) ?? requestIdHeader ?? undefined;
    this.ruleId = str(problem.ruleId);
    this.reason = str(problem.reason);
    this.available = Array.isArray(problem.available)
      ? problem.available.filter((a): a is string => typeof a === 'string')
      : undefined;
    this.conflicts = Array.isArray(problem.conflicts)
      ? problem.conflicts.filter((c): c is PatchConflict => c !== null && typeof c === 'object')
      : undefined;
    this.problem = problem;
  }
}

/**
 * `409 confirmation_required`: the policy wants a person to approve this exact request (a
 * command, or a change to a protected file such as `.env`). Nothing ran. Ask, then resubmit
 * with {@link ConfirmationRequired.confirmed} (the token runs it once).
 */
export class ConfirmationRequired extends ProblemError {
  override name = 'ConfirmationRequired';
  readonly confirmToken: string;
  /** Seconds the token stays valid. */
  readonly expiresInSecs: number | undefined;
  /**
   * With `policy.approver_role` set: the role another token must hold to approve the token
   * (`sw.policy.approve(token)`) before the resubmission runs.
   */
  readonly approverRole: string | undefined;

  constructor(status: number, problem: Record<string, unknown>, requestIdHeader?: string | null) {
    super(status, problem, requestIdHeader);
    this.confirmToken = str(problem.confirmToken) ?? '';
    this.approverRole = str(problem.approverRole);
    this.expiresInSecs = typeof problem.expiresInSecs === 'number' ? problem.expiresInSecs : undefined;
  }

  /**
   * The same request (or a file call's options) carrying the confirm token: pass it to the
   * call that threw this, e.g. `sw.files.write(ws, '.env', text, err.confirmed(options))`.
   */
  confirmed<R extends object = {}>(request: R = {} as R): R & { confirmToken: string } {
    return { ...request, confirmToken: this.confirmToken };
  }
}

/** The server could not be reached, or the connection failed before an answer. Nothing is retried. */
export class ConnectionError extends ShellwiseError {
  override name = 'ConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * The call's `timeoutMs` ran out (for a stream: that long passed without a byte). A command
 * the server already started may still be running: look it up as a job.
 */
export class TimeoutError extends ShellwiseError {
  override name = 'TimeoutError';
  constructor(readonly timeoutMs: number, what: string) {
    super(`${what}: no answer within ${timeoutMs} ms`);
  }
}

/** A problem body (or anything the server answered with) as the matching error. */
export function problemError(status: number, body: unknown, headers?: Headers): ProblemError {
  const requestId = headers?.get('x-request-id');
  const isProblem =
    body !== null && typeof body === 'object' && typeof (body as Record<string, unknown>).code === 'string';
  const problem: Record<string, unknown> = isProblem
    ? (body as Record<string, unknown>)
    : // Not a problem document (a proxy's error page, an empty body): keep what there is.
      {
        status,
        code: 'unexpected_response',
        title: `HTTP ${status}`,
        detail: (typeof body === 'string' ? body : JSON.stringify(body) ?? '').slice(0, 500),
      };
  return problem.code === 'confirmation_required' && typeof problem.confirmToken === 'string'
    ? new ConfirmationRequired(status, problem, requestId)
    : new ProblemError(status, problem, requestId);
}

/** The `error` event of a stream as a {@link ProblemError}, for callers who prefer to throw it. */
export function streamProblem(event: Problem): ProblemError {
  return problemError(event.status, event);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
