// What every test needs: the live server from ../testserver.sh, clients for its tokens, and a
// loopback TCP proxy that can really cut connections mid-stream.
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { Shellwise, type ShellwiseOptions } from '@shellwise/client';

function env(name: string): string {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set: run the tests through clients/testserver.sh (see test.sh)`);
  return v;
}

export const url = env('SHELLWISE_URL');
export const tokens = {
  admin: env('SHELLWISE_TOKEN'),
  operator: env('SHELLWISE_OPERATOR_TOKEN'),
  viewer: env('SHELLWISE_VIEWER_TOKEN'),
};

export function client(options: Partial<ShellwiseOptions> = {}): Shellwise {
  return new Shellwise({ baseUrl: url, token: tokens.operator, timeoutMs: 30_000, ...options });
}

/** A word no other test's command has, to find this test's jobs among the server's. */
export function nonce(): string {
  return `n${randomBytes(6).toString('hex')}`;
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** The thrown error, for assertions on its class and fields. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to fail');
}

export interface Proxy {
  url: string;
  /** How many times the clients sent this request line, e.g. `POST /v1/exec/stream`. */
  requests(line: string): number;
  /** The values of this header, in the order requests carried it. */
  headerValues(name: string): string[];
  /** Cut every open connection at once (an RST), as a network failure would. */
  dropAll(): void;
  close(): Promise<void>;
}

/** A TCP proxy to the server on 127.0.0.1 that records what clients send. */
export async function startProxy(): Promise<Proxy> {
  const target = new URL(url);
  const open = new Set<net.Socket>();
  let sent = '';
  const server = net.createServer((downstream) => {
    const upstream = net.connect(Number(target.port), target.hostname);
    open.add(downstream);
    open.add(upstream);
    downstream.on('data', (chunk) => {
      sent += chunk.toString('latin1');
    });
    downstream.pipe(upstream);
    upstream.pipe(downstream);
    const close = () => {
      downstream.destroy();
      upstream.destroy();
      open.delete(downstream);
      open.delete(upstream);
    };
    for (const s of [downstream, upstream]) {
      s.on('error', close);
      s.on('close', close);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    // A request line may follow the previous request's body on the same connection, so count
    // occurrences rather than lines.
    requests: (line) => sent.split(`${line} HTTP/1.1\r\n`).length - 1,
    headerValues: (name) =>
      sent
        .split('\r\n')
        .filter((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
        .map((l) => l.slice(name.length + 1).trim()),
    dropAll() {
      for (const s of open) {
        // A socket still connecting has no TCP handle to reset.
        if (s.readyState === 'open') s.resetAndDestroy();
        else s.destroy();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of open) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A loopback port nothing listens on. */
export async function deadPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
