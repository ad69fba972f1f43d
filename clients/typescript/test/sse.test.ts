// The SSE reader's line and field rules (WHATWG event-stream), on text the way it arrives:
// split anywhere. A pure function, so a table; no server involved.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SseParser } from '../src/sse.js';

const cases: { name: string; chunks: string[]; events: { id?: string; event: string; data: string }[] }[] = [
  {
    name: 'the server’s framing, with a heartbeat comment',
    chunks: [': heartbeat\n\nid: j:0\nevent: start\ndata: {"a":1}\n\n'],
    events: [{ id: 'j:0', event: 'start', data: '{"a":1}' }],
  },
  {
    name: 'CRLF split between chunks, and CR alone',
    chunks: ['id: 1\r', '\ndata: x\r\r', 'data: y\n\n'],
    events: [
      { id: '1', event: 'message', data: 'x' },
      { id: '1', event: 'message', data: 'y' },
    ],
  },
  {
    name: 'multi-line data, no space after the colon, one space kept',
    chunks: ['data:a\ndata:  b\n', '\n'],
    events: [{ event: 'message', data: 'a\n b' }],
  },
  {
    name: 'an event split mid-field, and an unfinished one at the end dropped',
    chunks: ['ev', 'ent: stdout\nda', 'ta: {"x":', '2}\n\n', 'data: cut'],
    events: [{ event: 'stdout', data: '{"x":2}' }],
  },
  {
    name: 'an id with NUL is ignored; the previous id sticks',
    chunks: ['id: 5\ndata: a\n\nid: 6\0\ndata: b\n\n'],
    events: [
      { id: '5', event: 'message', data: 'a' },
      { id: '5', event: 'message', data: 'b' },
    ],
  },
];

for (const c of cases) {
  test(`sse parser: ${c.name}`, () => {
    const parser = new SseParser();
    const got = c.chunks.flatMap((chunk) => parser.push(chunk));
    assert.deepEqual(
      got,
      c.events.map((e) => ({ id: e.id, event: e.event, data: e.data })),
    );
  });
}
