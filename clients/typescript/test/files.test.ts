// Workspaces and their files against the live server: a named workspace per test (the
// `default` one is a shared directory the per-token identity cannot write), removed at the end.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { ConfirmationRequired, type FileInfo, ProblemError } from '@shellwise/client';
import { client, collect, rejection } from './helpers.js';

const sw = client();

const APP = 'def handler():\n    return 500\n';
const NOTES = 'one\ntwo\nthree\nfour\n';
const FIX = `--- a/src/app.py
+++ b/src/app.py
@@ -1,2 +1,2 @@
 def handler():
-    return 500
+    return 200
`;
// Every byte value, and a few lines of them: not UTF-8, and nothing that looks like a secret.
const BLOB = new Uint8Array([...Array.from({ length: 3 * 256 }, (_, i) => i % 256), 10, 0, 255, 10]);

/** A model without what changes from run to run (versions and times). */
function stable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stable);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'etag' && k !== 'modifiedMs' && k !== 'createdMs')
      .map(([k, v]) => [k, stable(v)]),
  );
}

/** The problem a call failed with, checked to be one. */
async function problem(p: Promise<unknown>): Promise<ProblemError> {
  const err = await rejection(p);
  assert.ok(err instanceof ProblemError, String(err));
  return err;
}

/** The names in a tar archive (ustar headers: name at 0, size in octal at 124). */
function tarNames(tar: Uint8Array): string[] {
  const names: string[] = [];
  const text = new TextDecoder();
  for (let at = 0; at + 512 <= tar.length; ) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const field = (from: number, len: number) => text.decode(header.subarray(from, from + len)).replace(/\0.*$/s, '');
    const prefix = field(345, 155);
    const name = field(0, 100);
    names.push((prefix ? `${prefix}/${name}` : name).replace(/\/$/, ''));
    const size = parseInt(field(124, 12).trim() || '0', 8);
    at += 512 + Math.ceil(size / 512) * 512;
  }
  return names;
}

function streamOf(bytes: Uint8Array, chunk: number): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(ctl) {
      if (at >= bytes.length) return ctl.close();
      ctl.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

describe('workspaces', () => {
  test('a workspace is created with its files, listed, and deleted', async () => {
    const created = await sw.workspaces.create({
      name: 'sdk-lifecycle',
      ttlSecs: 3600,
      files: [
        { path: 'a.txt', content: 'a\n' },
        { path: 'd/b.txt', content: 'YmIK', encoding: 'base64' },
      ],
    });
    try {
      assert.match(created.id, /^ws_[0-9a-f]+$/);
      assert.deepEqual([created.name, created.default, created.owner], ['sdk-lifecycle', false, 'sdk-operator']);
      assert.equal((created.expiresMs ?? 0) - (created.createdMs ?? 0), 3_600_000);
      const got = await sw.workspaces.get(created.id);
      assert.equal(got.usage?.files, 3); // a.txt, d and d/b.txt
      const listed = (await sw.workspaces.list()).workspaces;
      assert.deepEqual(
        listed.map((w) => [w.id, w.default]),
        [
          ['default', true],
          [created.id, false],
        ],
      );
      assert.equal(await sw.files.readAllText(created.id, 'd/b.txt'), 'bb\n');
    } finally {
      assert.deepEqual(await sw.workspaces.delete(created.id), { path: created.id, removed: 3 });
    }
    const err = await problem(sw.workspaces.get(created.id));
    assert.deepEqual([err.status, err.code], [404, 'workspace_not_found']);
  });

  test('the default workspace cannot be deleted', async () => {
    const err = await problem(sw.workspaces.delete('default'));
    assert.deepEqual([err.status, err.code], [400, 'invalid_request']);
  });
});

describe('files', () => {
  let ws = '';
  beforeEach(async () => {
    ws = (await sw.workspaces.create({ name: 'sdk-test', files: [{ path: 'src/app.py', content: APP }, { path: 'notes.txt', content: NOTES }] })).id;
  });
  afterEach(async () => {
    const gone = await sw.workspaces.delete(ws);
    assert.equal(gone.path, ws);
  });

  test('a line range is read with where to go on', async () => {
    const page = await sw.files.read(ws, 'notes.txt', { startLine: 2, endLine: 3 });
    assert.deepEqual(stable(page), {
      path: 'notes.txt',
      encoding: 'text',
      content: 'two\nthree\n',
      size: 19,
      offset: 4,
      truncated: true,
      lines: { start: 2, end: 3, next: 4, total: 4 },
      redactions: {},
    });
    assert.equal(page.etag, (await sw.files.stat(ws, 'notes.txt')).etag);
  });

  test('a patch applies and a command in the workspace sees it', async () => {
    const changed = [{ path: 'src/app.py', op: 'update', hunks: 1, offsets: [0], fuzzy: false }];
    assert.deepEqual(stable(await sw.files.patch(ws, FIX, { dryRun: true })), { applied: false, files: changed });
    assert.equal(await sw.files.readAllText(ws, 'src/app.py'), APP);

    const applied = await sw.files.patch(ws, FIX);
    assert.deepEqual(stable(applied), { applied: true, files: changed });
    assert.equal(applied.files[0]?.etag, (await sw.files.stat(ws, 'src/app.py')).etag);

    const root = (await sw.workspaces.get(ws)).path;
    const result = await sw.run({ command: 'cat src/app.py && pwd', workspace: ws });
    assert.deepEqual([result.exitCode, result.stdout], [0, `def handler():\n    return 200\n${root}\n`]);
    const job = await sw.jobs.start({ command: 'grep -c return src/app.py', workspace: ws }, { waitMs: 10_000 });
    assert.deepEqual([job.result?.exitCode, job.result?.stdout], [0, '1\n']);
  });

  test('a hunk that does not apply is a 409 patch_conflict with the conflicts', async () => {
    const err = await problem(sw.files.patch(ws, FIX.replace('500', '404')));
    assert.deepEqual([err.status, err.code], [409, 'patch_conflict']);
    assert.deepEqual(
      err.conflicts?.map(({ message: _, ...c }) => c),
      [{ path: 'src/app.py', hunk: 1, line: 1, expected: ['def handler():', '    return 404'], found: ['def handler():', '    return 500'] }],
    );
    assert.match(err.conflicts?.[0]?.message ?? '', /^hunk 1 does not apply/);
    assert.equal(await sw.files.readAllText(ws, 'src/app.py'), APP); // nothing changed
  });

  test('a write over a version that changed is a 412 precondition_failed', async () => {
    const first = await sw.files.read(ws, 'notes.txt');
    const written = await sw.files.write(ws, 'notes.txt', 'changed\n', { ifMatch: first.etag });
    assert.deepEqual([written.created, written.file.size], [false, 8]);
    const err = await problem(sw.files.write(ws, 'notes.txt', 'lost update\n', { ifMatch: first.etag }));
    assert.deepEqual([err.status, err.code], [412, 'precondition_failed']);
    const upload = await problem(sw.files.upload(ws, 'notes.txt', new TextEncoder().encode('lost\n'), { ifMatch: first.etag }));
    assert.deepEqual([upload.status, upload.code], [412, 'precondition_failed']);
    assert.equal(await sw.files.readAllText(ws, 'notes.txt'), 'changed\n');
  });

  test('write modes append and create, and bytes written as base64', async () => {
    await sw.files.write(ws, 'notes.txt', 'five\n', { mode: 'append' });
    assert.equal(await sw.files.readAllText(ws, 'notes.txt'), `${NOTES}five\n`);
    const err = await problem(sw.files.write(ws, 'notes.txt', 'x\n', { mode: 'create' }));
    assert.deepEqual([err.status, err.code], [409, 'file_exists']);
    const made = await sw.files.write(ws, 'new/deep/file.sh', '#!/bin/sh\n', { mode: 'create', permissions: '0755' });
    assert.deepEqual(stable(made), {
      file: { path: 'new/deep/file.sh', kind: 'file', size: 10, permissions: '0755' },
      created: true,
    });
    await sw.files.write(ws, 'bin/written', BLOB);
    assert.deepEqual(await sw.files.download(ws, 'bin/written'), BLOB);
  });

  test('search finds matches with context', async () => {
    assert.deepEqual(stable(await sw.files.search(ws, 'return', { context: 1 })), {
      matches: [
        {
          path: 'src/app.py',
          line: 2,
          column: 5,
          text: '    return 500',
          before: [{ line: 1, text: 'def handler():' }],
        },
      ],
      filesSearched: 2,
      filesMatched: 1,
      filesSkipped: 0,
      truncated: false,
      redactions: {},
    });
    const literal = await sw.files.search(ws, 'handler()', { literal: true });
    assert.deepEqual(literal.matches.map((m) => [m.path, m.line, m.text]), [['src/app.py', 1, 'def handler():']]);
    const regex = await sw.files.search(ws, '^t', { globs: ['*.txt'] });
    assert.deepEqual(regex.matches.map((m) => [m.path, m.line, m.text]), [
      ['notes.txt', 2, 'two'],
      ['notes.txt', 3, 'three'],
    ]);
  });

  test('uploaded bytes download back identical', async () => {
    const up = await sw.files.upload(ws, 'bin/blob', BLOB);
    assert.deepEqual(stable(up), { file: { path: 'bin/blob', kind: 'file', size: BLOB.length, permissions: '0644' }, created: true });
    assert.deepEqual(await sw.files.download(ws, 'bin/blob'), BLOB);

    // A Blob is sent with a length; a ReadableStream is streamed.
    await sw.files.upload(ws, 'bin/from-blob', new Blob([BLOB]));
    await sw.files.upload(ws, 'bin/from-stream', streamOf(BLOB, 100));
    assert.deepEqual(await sw.files.download(ws, 'bin/from-blob'), BLOB);
    const chunks = await collect(sw.files.downloadStream(ws, 'bin/from-stream'));
    assert.deepEqual(new Uint8Array(Buffer.concat(chunks)), BLOB);

    await sw.files.upload(ws, 'empty', new Uint8Array());
    assert.deepEqual(await sw.files.download(ws, 'empty'), new Uint8Array());
    assert.equal((await sw.files.read(ws, 'bin/blob')).encoding, 'base64'); // not UTF-8
    const exists = await problem(sw.files.upload(ws, 'bin/blob', new Uint8Array([1]), { overwrite: false }));
    assert.deepEqual([exists.status, exists.code], [409, 'file_exists']);
  });

  test('a missing file is a 404 file_not_found for every read', async () => {
    for (const call of [
      () => sw.files.read(ws, 'nope.txt'),
      () => sw.files.stat(ws, 'nope.txt'),
      () => sw.files.download(ws, 'nope.txt'),
      () => collect(sw.files.downloadStream(ws, 'nope.txt')),
      () => sw.files.delete(ws, 'nope.txt'),
    ]) {
      const err = await problem(call());
      assert.deepEqual([err.status, err.code], [404, 'file_not_found']);
    }
  });

  test('a listing comes in pages and entries follows them', async () => {
    for (let i = 0; i < 5; i++) await sw.files.write(ws, `d/f${i}.txt`, `${i}\n`);
    const first = await sw.files.list(ws, { path: 'd', limit: 2 });
    assert.deepEqual(first.entries.map((e) => e.path), ['d/f0.txt', 'd/f1.txt']);
    assert.equal(typeof first.nextCursor, 'string');
    const second = await sw.files.list(ws, { path: 'd', limit: 2, cursor: first.nextCursor ?? undefined });
    assert.deepEqual(second.entries.map((e) => e.path), ['d/f2.txt', 'd/f3.txt']);

    const paths = (entries: FileInfo[]) => entries.map((e) => e.path);
    assert.deepEqual(paths(await collect(sw.files.entries(ws, { path: 'd', limit: 2 }))), [0, 1, 2, 3, 4].map((i) => `d/f${i}.txt`));
    const everything = await collect(sw.files.entries(ws, { depth: 5, limit: 3 }));
    assert.deepEqual(
      everything.map((e) => [e.path, e.kind, e.depth]),
      [
        ['d', 'directory', 1],
        ['d/f0.txt', 'file', 2],
        ['d/f1.txt', 'file', 2],
        ['d/f2.txt', 'file', 2],
        ['d/f3.txt', 'file', 2],
        ['d/f4.txt', 'file', 2],
        ['notes.txt', 'file', 1],
        ['src', 'directory', 1],
        ['src/app.py', 'file', 2],
      ],
    );
    assert.deepEqual(paths(await collect(sw.files.entries(ws, { depth: 5, glob: '**/*.py' }))), ['src/app.py']);
  });

  test('readAllText joins the pages of a long file', async () => {
    const text = Array.from({ length: 500 }, (_, i) => `line ${String(i).padStart(4, '0')} of the long file\n`).join('');
    await sw.files.write(ws, 'long.txt', text);
    const first = await sw.files.read(ws, 'long.txt', { maxBytes: 1000 });
    // Cut at a line end: 1000 // 27 whole lines of 27 bytes.
    assert.deepEqual([first.truncated, first.nextOffset, first.content.length], [true, 999, 999]);
    assert.equal(await sw.files.readAllText(ws, 'long.txt', { pageBytes: 1000 }), text);
  });

  test('move, stat and delete', async () => {
    const moved = await sw.files.move(ws, 'notes.txt', 'archive/notes.txt');
    assert.deepEqual(stable(moved), { path: 'archive/notes.txt', kind: 'file', size: 19, permissions: '0644' });
    const exists = await problem(sw.files.move(ws, 'src/app.py', 'archive/notes.txt'));
    assert.deepEqual([exists.status, exists.code], [409, 'file_exists']);
    await sw.files.move(ws, 'src/app.py', 'archive/notes.txt', { overwrite: true });
    assert.equal(await sw.files.readAllText(ws, 'archive/notes.txt'), APP);

    const full = await problem(sw.files.delete(ws, 'archive'));
    assert.deepEqual([full.status, full.code], [409, 'directory_not_empty']);
    assert.deepEqual(await sw.files.delete(ws, 'archive', { recursive: true }), { path: 'archive', removed: 2 });
  });

  test('a protected path needs a confirmation, and the same call with its token goes through once', async () => {
    const err = await rejection(sw.files.write(ws, '.env', 'MODE=dev\n'));
    assert.ok(err instanceof ConfirmationRequired, String(err));
    assert.deepEqual([err.status, err.code, err.ruleId], [409, 'confirmation_required', 'protected-path']);
    const written = await sw.files.write(ws, '.env', 'MODE=dev\n', err.confirmed());
    assert.equal(written.created, true);
    assert.deepEqual(await sw.files.download(ws, '.env'), new TextEncoder().encode('MODE=dev\n'));

    const body = new TextEncoder().encode('MODE=prod\n');
    const upload = await rejection(sw.files.upload(ws, '.env', body));
    assert.ok(upload instanceof ConfirmationRequired, String(upload));
    const options = upload.confirmed({ overwrite: true });
    assert.equal((await sw.files.upload(ws, '.env', body, options)).created, false);
    assert.ok((await rejection(sw.files.upload(ws, '.env', body, options))) instanceof ConfirmationRequired);

    const del = await rejection(sw.files.delete(ws, '.env'));
    assert.ok(del instanceof ConfirmationRequired, String(del));
    assert.equal((await sw.files.delete(ws, '.env', del.confirmed())).removed, 1);
  });

  test('an archive holds the workspace', async () => {
    await sw.files.write(ws, '.gitignore', '*.log\n');
    await sw.files.write(ws, 'debug.log', 'noise\n');
    const whole = tarNames(gunzipSync(await sw.files.archive(ws)));
    assert.deepEqual(whole.sort(), ['.gitignore', 'notes.txt', 'src', 'src/app.py']);
    assert.deepEqual(tarNames(gunzipSync(await sw.files.archive(ws, { path: 'src' }))), ['app.py']);
    const err = await problem(sw.files.archive(ws, { path: 'notes.txt' }));
    assert.deepEqual([err.status, err.code], [409, 'not_a_directory']);
  });
});
