// Buffered calls against the live server: run, analyze, policy, the confirm flow, and the
// typed error for every problem the README documents.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  ConfirmationRequired,
  ConnectionError,
  type ExecRequest,
  ProblemError,
  Shellwise,
  TimeoutError,
} from '@shellwise/client';
import { client, deadPort, nonce, rejection, startProxy, tokens, url } from './helpers.js';

const sw = client();

describe('run', () => {
  test('returns the exit code and the output of a command', async () => {
    const word = nonce();
    const result = await sw.run({ command: `echo ${word}; echo oops >&2; exit 3` });
    assert.equal(result.exitCode, 3);
    assert.equal(result.stdout, `${word}\n`);
    assert.equal(result.stderr, 'oops\n');
    assert.equal(result.timedOut, false);
  });

  test('runs argv without a shell and code with an interpreter', async () => {
    const argv = await sw.run({ argv: ['printf', '%s|', 'a b', '$HOME'] });
    assert.equal(argv.stdout, 'a b|$HOME|');
    const code = await sw.run({ code: 'print(6 * 7)', language: 'python' });
    assert.equal(code.exitCode, 0);
    assert.equal(code.stdout, '42\n');
  });

  test('attaches an analysis to a failure', async () => {
    const result = await sw.run({ command: 'python3 -c "import no_such_module_here"' });
    assert.notEqual(result.exitCode, 0);
    assert.ok(result.aiAnalysis, 'a failed command comes with aiAnalysis');
    assert.equal(result.aiAnalysis.category, 'missing_dependency');
    assert.ok(result.aiAnalysis.evidence.some((line) => line.includes('no_such_module_here')));
  });
});

describe('analyze and policy', () => {
  test('analyze explains a failure that happened elsewhere', async () => {
    const analysis = await sw.analyze({
      command: 'python3 train.py',
      exitCode: 1,
      stderr: "Traceback (most recent call last):\nModuleNotFoundError: No module named 'yaml'\n",
    });
    assert.equal(analysis.category, 'missing_dependency');
    assert.ok(analysis.summary.includes('yaml'), analysis.summary);
    assert.ok(analysis.confidence > 0 && analysis.confidence <= 1);
    assert.equal(analysis.source, 'heuristic');
  });

  test('policy.check reports allow, deny and confirm without running anything', async () => {
    const allow = await sw.policy.check({ command: 'echo hi' });
    assert.equal(allow.decision, 'allow');
    assert.deepEqual(allow.commands.map((c) => c.argv), [['echo', 'hi']]);
    const deny = await sw.policy.check({ command: 'git status && rm -rf /' });
    assert.equal(deny.decision, 'deny');
    assert.deepEqual(
      deny.commands.map((c) => c.decision),
      ['allow', 'deny'],
    );
    const confirm = await sw.policy.check({ command: 'git push --force origin main' });
    assert.equal(confirm.decision, 'confirm');
    assert.ok(confirm.ruleId.length > 0);
    assert.equal(confirm.approvalMode, 'on-request');
    assert.equal(confirm.approvalModeSource, 'default');
  });

  test('without an approver the approval helpers answer approvals_not_configured', async () => {
    // Each call starts only when the one before has been answered: a promise created early
    // rejects before it is awaited, which node reports as an unhandled rejection.
    const calls = [() => sw.policy.approvals(), () => sw.policy.approve('cf_x'), () => sw.policy.reject('cf_x')];
    for (const call of calls) {
      const err = await rejection(call());
      assert.ok(err instanceof ProblemError, String(err));
      assert.equal(err.status, 404);
      assert.equal(err.code, 'approvals_not_configured');
    }
  });
});

describe('confirm flow', () => {
  const request: ExecRequest = { command: 'git push --force origin main' };

  test('a command the policy wants confirmed throws ConfirmationRequired and runs once with its token', async () => {
    const expected = await sw.policy.check(request);
    const err = await rejection(sw.run(request));
    assert.ok(err instanceof ConfirmationRequired, String(err));
    assert.ok(err instanceof ProblemError);
    assert.equal(err.status, 409);
    assert.equal(err.code, 'confirmation_required');
    assert.equal(err.ruleId, expected.ruleId);
    assert.equal(err.reason, expected.reason);
    assert.match(err.confirmToken, /\S/);
    assert.ok((err.expiresInSecs ?? 0) > 0);

    const confirmed = err.confirmed(request);
    assert.deepEqual(confirmed, { ...request, confirmToken: err.confirmToken });
    const result = await sw.run(confirmed);
    // It ran (and failed: the sandbox's working directory is not a git repository).
    assert.equal(typeof result.exitCode, 'number');
    assert.match(result.stderr, /git/);

    // The token is spent: the same request asks again.
    const again = await rejection(sw.run(confirmed));
    assert.ok(again instanceof ConfirmationRequired);
    assert.notEqual(again.confirmToken, err.confirmToken);
  });

  test('jobs.start and stream ask for confirmation the same way', async () => {
    const fromJob = await rejection(sw.jobs.start(request));
    assert.ok(fromJob instanceof ConfirmationRequired);
    const job = await sw.jobs.start(fromJob.confirmed(request), { waitMs: 10_000 });
    assert.equal(job.status, 'failed');
    assert.equal(job.command, request.command);

    const fromStream = await rejection(sw.stream(request).next());
    assert.ok(fromStream instanceof ConfirmationRequired);
  });
});

describe('problems are typed errors', () => {
  async function problem(p: Promise<unknown>): Promise<ProblemError> {
    const err = await rejection(p);
    assert.ok(err instanceof ProblemError, `expected a ProblemError, got ${String(err)}`);
    assert.match(err.requestId ?? '', /^[0-9a-f]+$/, 'every problem carries the request id');
    assert.match(err.detail, /\S/);
    assert.match(err.title, /\S/);
    return err;
  }

  test('401 unauthorized without a token', async () => {
    const err = await problem(new Shellwise({ baseUrl: url }).run({ command: 'echo' }));
    assert.equal(err.status, 401);
    assert.equal(err.code, 'unauthorized');
  });

  test('403 invalid_token with a token the server does not know', async () => {
    const err = await problem(new Shellwise({ baseUrl: url, token: 'not-a-token' }).run({ command: 'echo' }));
    assert.equal(err.status, 403);
    assert.equal(err.code, 'invalid_token');
  });

  test('403 insufficient_role when a viewer runs a command or touches jobs; it may still check the policy', async () => {
    const viewer = client({ token: tokens.viewer });
    const err = await problem(viewer.run({ command: 'echo' }));
    assert.equal(err.status, 403);
    assert.equal(err.code, 'insufficient_role');
    const streamErr = await problem(viewer.stream({ command: 'echo' }).next());
    assert.equal(streamErr.code, 'insufficient_role');
    const listErr = await problem(viewer.jobs.list());
    assert.equal(listErr.code, 'insufficient_role');
    const decision = await viewer.policy.check({ command: 'ls' });
    assert.equal(decision.decision, 'allow');
  });

  test('403 policy_denied names the rule', async () => {
    const err = await problem(sw.run({ command: 'echo ok; sudo rm -rf /' }));
    assert.equal(err.status, 403);
    assert.equal(err.code, 'policy_denied');
    assert.equal(err.ruleId, (await sw.policy.check({ command: 'sudo rm -rf /' })).ruleId);
    assert.match(err.reason ?? '', /\S/);
  });

  test('400 invalid_request, unknown_field and unsupported_language for bad input', async () => {
    const invalid = await problem(sw.run({ command: 'echo', timeoutMs: 0 }));
    assert.equal(invalid.status, 400);
    assert.equal(invalid.code, 'invalid_request');
    const unknown = await problem(sw.run({ command: 'echo', comand: 'x' } as ExecRequest));
    assert.equal(unknown.code, 'unknown_field');
    const language = await problem(sw.run({ code: 'x', language: 'cobol' } as unknown as ExecRequest));
    assert.equal(language.code, 'unsupported_language');
    assert.ok(language.available?.includes('python'), String(language.available));
  });

  test('404 job_not_found and 409 job_finished', async () => {
    const missing = await problem(sw.jobs.get('ex_0000000000000000'));
    assert.equal(missing.status, 404);
    assert.equal(missing.code, 'job_not_found');
    const job = await sw.jobs.start({ command: 'true' }, { waitMs: 10_000 });
    assert.equal(job.status, 'succeeded');
    const finished = await problem(sw.jobs.cancel(job.id));
    assert.equal(finished.status, 409);
    assert.equal(finished.code, 'job_finished');
  });

  test('503 llm_unavailable from chat on a server without an LLM; models still lists', async () => {
    const err = await problem(sw.chat({ messages: [{ role: 'user', content: 'hi' }] }));
    assert.equal(err.status, 503);
    assert.equal(err.code, 'llm_unavailable');
    const models = await sw.models.list();
    assert.ok(Array.isArray(models.providers));
  });
});

describe('transport failures', () => {
  test('a server that is down is a ConnectionError, not a retry', async () => {
    const down = new Shellwise({ baseUrl: `http://127.0.0.1:${await deadPort()}`, token: tokens.operator });
    const err = await rejection(down.run({ command: 'echo' }));
    assert.ok(err instanceof ConnectionError, String(err));
    assert.match(err.message, /ECONNREFUSED/);
    const streamErr = await rejection(down.stream({ command: 'echo' }).next());
    assert.ok(streamErr instanceof ConnectionError, String(streamErr));
  });

  test('timeoutMs gives up with a TimeoutError, and a POST is sent exactly once', async () => {
    const proxy = await startProxy();
    try {
      const slow = client({ baseUrl: proxy.url });
      const started = Date.now();
      const err = await rejection(slow.run({ command: 'sleep 5' }, { timeoutMs: 300 }));
      assert.ok(err instanceof TimeoutError, String(err));
      assert.equal(err.timeoutMs, 300);
      assert.ok(Date.now() - started < 3_000);
      assert.equal(proxy.requests('POST /v1/exec'), 1);
    } finally {
      await proxy.close();
    }
  });

  test('an abort signal cancels a call with its own reason', async () => {
    const ctl = new AbortController();
    const reason = new Error('the caller changed its mind');
    setTimeout(() => ctl.abort(reason), 100);
    const err = await rejection(sw.run({ command: 'sleep 5' }, { signal: ctl.signal }));
    assert.equal(err, reason);
  });
});
