// A Server-Sent Events parser for the text of a fetch body, following the WHATWG event-stream
// rules (any of CRLF/LF/CR ends a line, one optional space after the colon, `id` sticks across
// events, comments are ignored). It never reconnects by itself: whoever opened the stream
// decides whether a resume is safe (a GET of a job's events is; re-POSTing a command never is).

/** One dispatched event, before its `data` is interpreted. */
export interface SseMessage {
  /** The `id:` in force when it was dispatched (the id to resume after). */
  id: string | undefined;
  /** The `event:` name; `message` when none was given. */
  event: string;
  data: string;
}

/** Incremental parser: feed decoded text, get the events completed so far. */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private event = '';
  private lastId: string | undefined;
  // A chunk ending in CR may be half of a CRLF; the LF that follows must not end another line.
  private skipLf = false;

  push(text: string): SseMessage[] {
    const out: SseMessage[] = [];
    let start = 0;
    const s = this.buffer + text;
    let i = 0;
    if (this.skipLf && s.startsWith('\n')) i = start = 1;
    this.skipLf = false;
    for (; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.line(s.slice(start, i), out);
      if (c === 13) {
        if (i + 1 === s.length) this.skipLf = true;
        else if (s.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.buffer = s.slice(start);
    return out;
  }

  private line(line: string, out: SseMessage[]): void {
    if (line === '') {
      if (this.data.length > 0) {
        out.push({ id: this.lastId, event: this.event || 'message', data: this.data.join('\n') });
      }
      this.data = [];
      this.event = '';
      return;
    }
    if (line.startsWith(':')) return; // a comment, e.g. the server's heartbeat
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    else if (field === 'id' && !value.includes('\0')) this.lastId = value;
    // `retry:` is advice for automatic reconnection, which this reader leaves to its caller.
  }
}
