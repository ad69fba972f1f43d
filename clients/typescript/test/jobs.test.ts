// Jobs against the live server: detach, poll, wait, cancel, stored output, and following
// events across a really dropped connection without the command running twice.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isFinished, type StreamEvent, TimeoutError } from '@shellwise/client';
import { client, collect, nonce, rejection, startProxy } from './helpers.js';

const sw = client();

function stdout(events: StreamEvent[]): string {
  return events.map((e) => (e.event === 'stdout' ? e.data : '')).join('');
}

describe('jobs', () => {
  test('start with a small waitMs detaches (202: running, no result) and wait returns the result', async () => {
    const word = nonce();
    const job = await sw.jobs.start({ command: `sleep 1; echo ${word}` }, { waitMs: 50 });
    assert.ok(!isFinished(job.status), job.status);
    assert.equal(job.result ?? null, null);
    assert.equal(job.links.self, `/v1/jobs/${job.id}`);

    const polled = await sw.jobs.get(job.id);
    assert.equal(polled.id, job.id);

    const done = await sw.jobs.wait(job.id, { timeoutMs: 15_000 });
    assert.equal(done.status, 'succeeded');
    assert.equal(done.result?.exitCode, 0);
    assert.equal(done.result?.stdout, `${word}\n`);
  });

  test('a job that ends within waitMs comes back finished with its result', async () => {
    const job = await sw.jobs.start({ command: 'echo quick; exit 4' }, { waitMs: 10_000 });
    assert.equal(job.status, 'failed');
    assert.equal(job.result?.exitCode, 4);
    assert.equal(job.result?.stdout, 'quick\n');
  });

  test('wait gives up with a TimeoutError while the job runs on', async () => {
    const job = await sw.jobs.start({ command: 'sleep 3' }, { waitMs: 0 });
    const err = await rejection(sw.jobs.wait(job.id, { timeoutMs: 300 }));
    assert.ok(err instanceof TimeoutError, String(err));
    assert.equal((await sw.jobs.get(job.id)).status, 'running');
    await sw.jobs.cancel(job.id);
  });

  test('cancel kills a running job and keeps its output up to then', async () => {
    const word = nonce();
    const job = await sw.jobs.start({ command: `echo ${word}; sleep 30` }, { waitMs: 300 });
    assert.equal(job.status, 'running');
    const started = Date.now();
    const cancelled = await sw.jobs.cancel(job.id);
    assert.equal(cancelled.status, 'cancelled');
    assert.ok(Date.now() - started < 10_000);
    const out = await sw.jobs.output(job.id);
    assert.equal(out.data, `${word}\n`);
    assert.equal(out.complete, true);
  });

  test('output reads stored bytes by range', async () => {
    const job = await sw.jobs.start({ command: 'printf "step 1\\nstep 2\\nstep 3\\n"' }, { waitMs: 10_000 });
    const page = await sw.jobs.output(job.id, { offset: 7, length: 7 });
    assert.deepEqual(
      { data: page.data, offset: page.offset, length: page.length, nextOffset: page.nextOffset, totalBytes: page.totalBytes },
      { data: 'step 2\n', offset: 7, length: 7, nextOffset: 14, totalBytes: 21 },
    );
  });

  test('events replays a finished job, or only what came after `after`', async () => {
    const job = await sw.jobs.start({ command: 'echo a; echo b' }, { waitMs: 10_000 });
    const all = await collect(sw.jobs.events(job.id));
    assert.match(all.map((e) => e.event).join(' '), /^start( stdout)+ exit end$/);
    assert.equal(stdout(all), 'a\nb\n');
    const rest = await collect(sw.jobs.events(job.id, { after: all[1]?.eventId }));
    assert.deepEqual(rest.map((e) => e.eventId), all.slice(2).map((e) => e.eventId));
  });

  test('events follows a running job across a dropped connection with Last-Event-ID; it runs once', async () => {
    const proxy = await startProxy();
    try {
      const word = nonce();
      const viaProxy = client({ baseUrl: proxy.url });
      const job = await viaProxy.jobs.start(
        { command: `for i in 1 2 3 4 5; do echo ${word} $i; sleep 0.3; done` },
        { waitMs: 0 },
      );
      const events: StreamEvent[] = [];
      for await (const event of viaProxy.jobs.events(job.id)) {
        events.push(event);
        if (event.event === 'stdout' && event.data.includes(`${word} 2`)) proxy.dropAll();
      }
      const expected = [1, 2, 3, 4, 5].map((i) => `${word} ${i}\n`).join('');
      assert.equal(stdout(events), expected, 'every line once, in order');
      assert.equal(events.at(-1)?.event, 'end');
      const ids = events.map((e) => e.eventId);
      assert.equal(new Set(ids).size, ids.length, 'no event twice');

      assert.equal(proxy.requests('POST /v1/jobs?waitMs=0'), 1, 'started once');
      assert.equal(proxy.requests(`GET /v1/jobs/${job.id}/events`), 2, 'reconnected once');
      const resumedAfter = proxy.headerValues('Last-Event-ID');
      assert.equal(resumedAfter.length, 1);
      assert.ok(ids.includes(resumedAfter[0]), `resumed after an event it had: ${resumedAfter[0]}`);

      const done = await sw.jobs.wait(job.id);
      assert.equal(done.status, 'succeeded');
      assert.equal(done.result?.stdout, expected, 'the job ran once');
      const page = await sw.jobs.list({ limit: 100 });
      assert.equal(page.jobs.filter((j) => j.command.includes(word)).length, 1);
    } finally {
      await proxy.close();
    }
  });

  test('list shows this token’s jobs, newest first', async () => {
    const word = nonce();
    const first = await sw.jobs.start({ command: `echo ${word} 1` }, { waitMs: 10_000 });
    const second = await sw.jobs.start({ command: `echo ${word} 2` }, { waitMs: 10_000 });
    const page = await sw.jobs.list({ limit: 100 });
    const mine = page.jobs.filter((j) => j.command.includes(word)).map((j) => j.id);
    assert.deepEqual(mine, [second.id, first.id]);
    const succeeded = await sw.jobs.list({ status: 'succeeded', limit: 100 });
    assert.ok(succeeded.jobs.every((j) => j.status === 'succeeded'));
  });
});
