// Streams against the live server: live delivery, event order, redaction, hang-up kills,
// and a really dropped connection resumed from the job's store without re-running anything.
import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { describe, test } from 'node:test';
import { type StreamEvent } from '@shellwise/client';
import { streamCommand } from '@shellwise/client/generated';
import { client, collect, nonce, startProxy, tokens } from './helpers.js';

const sw = client();

function text(events: StreamEvent[], name: 'stdout' | 'stderr'): string {
  return events.map((e) => (e.event === name ? e.data : '')).join('');
}

function random(alphabet: string, n: number): string {
  return Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The jobs whose command contains `word`: how many times the server ran it. */
async function jobsWith(word: string) {
  const page = await sw.jobs.list({ limit: 100 });
  return page.jobs.filter((j) => j.command.includes(word));
}

describe('stream', () => {
  test('delivers output live: the first line arrives long before the command ends', async () => {
    const started = Date.now();
    const seen: { event: StreamEvent; at: number }[] = [];
    for await (const event of sw.stream({ command: 'echo first; sleep 2; echo second' })) {
      seen.push({ event, at: Date.now() - started });
    }
    const first = seen.find((s) => s.event.event === 'stdout');
    const exit = seen.find((s) => s.event.event === 'exit');
    assert.ok(first && exit);
    assert.equal(first.event.event === 'stdout' && first.event.data, 'first\n');
    assert.ok(exit.event.event === 'exit' && exit.event.durationMs >= 2_000);
    assert.ok(exit.at - first.at >= 1_500, `first stdout at ${first.at} ms, exit at ${exit.at} ms`);
  });

  test('yields typed events in order with consecutive ids: start, output, exit, analysis, end', async () => {
    const events = await collect(sw.stream({ command: 'echo out; echo err >&2; exit 3' }));
    const names = events.map((e) => e.event);
    assert.match(names.join(' '), /^start( stdout| stderr)+ exit analysis end$/);
    const start = events[0];
    assert.ok(start?.event === 'start');
    assert.equal(
      events.map((e) => e.eventId).join(' '),
      events.map((_, n) => `${start.jobId}:${n}`).join(' '),
    );
    assert.equal(text(events, 'stdout'), 'out\n');
    assert.equal(text(events, 'stderr'), 'err\n');
    const exit = events.find((e) => e.event === 'exit');
    assert.ok(exit?.event === 'exit');
    assert.equal(exit.exitCode, 3);
    assert.equal(exit.id, start.jobId);
    const end = events.at(-1);
    assert.ok(end?.event === 'end');
    assert.equal(end.status, 'failed');
  });

  test('redacts secrets, even one written in two pieces', async () => {
    const github = `ghp_${random('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789', 36)}`;
    const aws = `AKIA${random('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`;
    const command = `printf 'token=${github.slice(0, 20)}'; sleep 0.5; printf '${github.slice(20)}\\n'; echo key ${aws} >&2`;
    const events = await collect(sw.stream({ command }));
    const wire = JSON.stringify(events);
    assert.ok(!wire.includes(github.slice(4)), 'the GitHub token is not in any event');
    assert.ok(!wire.includes(aws), 'the AWS key id is not in any event');
    const exit = events.find((e) => e.event === 'exit');
    assert.ok(exit?.event === 'exit');
    const rules = Object.keys(exit.redactions).sort();
    assert.equal(rules.length, 2, JSON.stringify(exit.redactions));
    assert.deepEqual(Object.values(exit.redactions), [1, 1]);
    const output = `${text(events, 'stdout')}${text(events, 'stderr')}`;
    assert.deepEqual(
      [...output.matchAll(/\[REDACTED:([a-z0-9-]+)\]/g)].map((m) => m[1]).sort(),
      rules,
    );
    assert.match(text(events, 'stdout'), /^token=\[REDACTED:[a-z0-9-]+\]\n$/);
  });

  test('leaving the loop hangs up, which kills the command', async () => {
    const word = nonce();
    let jobId: string | undefined;
    const started = Date.now();
    for await (const event of sw.stream({ command: `echo ${word}; sleep 20; echo never` })) {
      if (event.event === 'start') jobId = event.jobId;
      if (event.event === 'stdout') break;
    }
    assert.ok(jobId);
    const job = await sw.jobs.wait(jobId, { timeoutMs: 15_000 });
    assert.ok(Date.now() - started < 12_000, 'killed, not run to its end');
    assert.notEqual(job.status, 'succeeded');
    assert.equal(job.result?.stdout, `${word}\n`);
    assert.ok(job.result?.signal, `a signal ended it: ${JSON.stringify(job.result)}`);
  });

  test('a dropped connection is resumed from the job store by Last-Event-ID, never re-POSTed', async () => {
    const proxy = await startProxy();
    try {
      const word = nonce();
      const viaProxy = client({ baseUrl: proxy.url });
      const events: StreamEvent[] = [];
      for await (const event of viaProxy.stream({ command: `echo ${word}; sleep 1; echo after` })) {
        events.push(event);
        if (event.event === 'stdout' && proxy.requests('GET /v1/jobs/' + event.eventId?.split(':')[0] + '/events') === 0) {
          proxy.dropAll();
        }
      }
      const start = events[0];
      assert.ok(start?.event === 'start');
      assert.equal(proxy.requests('POST /v1/exec/stream'), 1, 'the command was sent once');
      assert.equal(proxy.requests(`GET /v1/jobs/${start.jobId}/events`), 1, 'the rest came from the job');
      assert.deepEqual(proxy.headerValues('Last-Event-ID'), [`${start.jobId}:1`]);
      // Each event once, ids consecutive across the two connections.
      assert.equal(
        events.map((e) => e.eventId).join(' '),
        events.map((_, n) => `${start.jobId}:${n}`).join(' '),
      );
      assert.equal(text(events, 'stdout').split(word).length, 2, 'the first line came once');
      // Hanging up (here: the network) killed it, and the store's end event says so.
      const end = events.at(-1);
      assert.ok(end?.event === 'end');
      assert.notEqual(end.status, 'succeeded');
      assert.equal((await jobsWith(word)).length, 1, 'the server ran it once');
    } finally {
      await proxy.close();
    }
  });

  test('a detached stream survives a dropped connection and runs to its end exactly once', async () => {
    const proxy = await startProxy();
    try {
      const word = nonce();
      const viaProxy = client({ baseUrl: proxy.url });
      const events: StreamEvent[] = [];
      let dropped = false;
      const command = `for i in 1 2 3 4; do echo ${word} $i; sleep 0.3; done`;
      for await (const event of viaProxy.stream({ command }, { detached: true })) {
        events.push(event);
        if (event.event === 'stdout' && !dropped) {
          dropped = true;
          proxy.dropAll();
        }
      }
      assert.equal(proxy.requests('POST /v1/jobs?waitMs=0'), 1);
      assert.equal(proxy.requests('POST /v1/exec/stream'), 0);
      const start = events[0];
      assert.ok(start?.event === 'start');
      assert.equal(proxy.requests(`GET /v1/jobs/${start.jobId}/events`), 2, 'one reconnect');
      assert.equal(text(events, 'stdout'), [1, 2, 3, 4].map((i) => `${word} ${i}\n`).join(''));
      const end = events.at(-1);
      assert.ok(end?.event === 'end');
      assert.equal(end.status, 'succeeded');
      assert.equal((await jobsWith(word)).length, 1);
    } finally {
      await proxy.close();
    }
  });
});

describe('the raw generated client', () => {
  test('does not re-send a POST whose SSE request failed (its default is to retry forever)', async () => {
    const proxy = await startProxy();
    try {
      const errors: unknown[] = [];
      const { stream } = await streamCommand({
        baseUrl: proxy.url,
        auth: tokens.operator,
        body: { command: 'echo ok; sudo rm -rf /' },
        onSseError: (e) => errors.push(e),
      });
      const deadline = setTimeout(() => proxy.dropAll(), 5_000);
      const items = await collect(stream);
      clearTimeout(deadline);
      assert.deepEqual(items, []);
      assert.equal(errors.length, 1);
      assert.match(String(errors[0]), /403/);
      assert.equal(proxy.requests('POST /v1/exec/stream'), 1);
    } finally {
      await proxy.close();
    }
  });
});
