// Workspaces and their files: the directories commands run in (`run({ workspace })`) and the
// file operations on them, over the generated operations and the same transport as the rest.
import { ShellwiseError } from './errors.js';
import {
  createWorkspace,
  deleteFile,
  deleteWorkspace,
  downloadArchive,
  downloadFile,
  getWorkspace,
  listFiles,
  listWorkspaces,
  moveFile,
  patchFiles,
  readFile,
  searchFiles,
  statFile,
  uploadFile,
  writeFile,
} from './generated/sdk.gen.js';
import type {
  CreateWorkspaceRequest,
  DeleteFileData,
  DeleteResult,
  DownloadArchiveData,
  FileContent,
  FileInfo,
  FileList,
  ListFilesData,
  MoveRequest,
  PatchRequest,
  PatchResult,
  ReadFileData,
  SearchRequest,
  SearchResult,
  UploadFileData,
  Workspace,
  WorkspaceList,
  WriteFileRequest,
  WriteResult,
} from './generated/types.gen.js';
import type { CallOptions, Transport } from './transport.js';

/** The id of the token's own workspace; named ones (`ws_…`) come from `workspaces.create`. */
export const DEFAULT_WORKSPACE = 'default';

export type ReadOptions = Omit<NonNullable<ReadFileData['query']>, 'path'> & CallOptions;
export type WriteOptions = Omit<WriteFileRequest, 'path' | 'content'> & CallOptions;
export type DeleteOptions = Omit<NonNullable<DeleteFileData['query']>, 'path'> & CallOptions;
/** `path` is the directory to list (default: the root); `cursor` a page's `nextCursor`. */
export type ListOptions = NonNullable<ListFilesData['query']> & CallOptions;
/** As {@link ListOptions}; `limit` is the size of each page fetched. */
export type EntriesOptions = Omit<ListOptions, 'cursor'>;
export type MoveOptions = Omit<MoveRequest, 'from' | 'to'> & CallOptions;
export type PatchOptions = Omit<PatchRequest, 'patch'> & CallOptions;
export type SearchOptions = Omit<SearchRequest, 'pattern'> & CallOptions;
/** `ifMatch` (an `etag`) uploads only over that version (412 `precondition_failed` else). */
export type UploadOptions = Omit<NonNullable<UploadFileData['query']>, 'path'> & { ifMatch?: string } & CallOptions;
/** `path` is the directory to pack (default: the root). */
export type ArchiveOptions = NonNullable<DownloadArchiveData['query']> & CallOptions;

/**
 * What `files.upload` sends: bytes are sent with a length; a `ReadableStream` is streamed
 * (and cannot be sent again, e.g. after a `ConfirmationRequired`: upload again with the token).
 */
export type UploadBody = Blob | ArrayBuffer | ArrayBufferView | ReadableStream<Uint8Array>;

/** Named workspaces of the token's own, and its `default` one. */
export class Workspaces {
  constructor(private readonly t: Transport) {}

  /** This token's workspaces, its default one first. */
  async list(opts?: CallOptions): Promise<WorkspaceList> {
    const { data } = await this.t.call('workspaces.list', opts, (signal) => listWorkspaces({ client: this.t.client, signal }));
    return data;
  }

  /**
   * Make a named workspace: `files` to start with, `gitInit`, `ttlSecs` after which the server
   * removes it, quotas (above the server's defaults needs admin).
   */
  async create(request: CreateWorkspaceRequest = {}, opts?: CallOptions): Promise<Workspace> {
    const { data } = await this.t.call('workspaces.create', opts, (signal) =>
      createWorkspace({ client: this.t.client, body: request, signal }),
    );
    return data;
  }

  /** One workspace, with what it holds (`usage`). */
  async get(id: string, opts?: CallOptions): Promise<Workspace> {
    const { data } = await this.t.call(`workspaces.get ${id}`, opts, (signal) =>
      getWorkspace({ client: this.t.client, path: { id }, signal }),
    );
    return data;
  }

  /** Delete a named workspace and everything in it (`default` cannot be deleted). */
  async delete(id: string, opts?: CallOptions): Promise<DeleteResult> {
    const { data } = await this.t.call(`workspaces.delete ${id}`, opts, (signal) =>
      deleteWorkspace({ client: this.t.client, path: { id }, signal }),
    );
    return data;
  }
}

/**
 * The files of a workspace. Every call takes the workspace id first (`'default'` or a `ws_…`
 * id) and a path from its root. Reads, searches and downloads are redacted. A change to a
 * protected path (`.env`, `.git/**`, …) throws `ConfirmationRequired`: call again with
 * `err.confirmed(options)`.
 */
export class Files {
  constructor(private readonly t: Transport) {}

  /**
   * A page of a file: lines `startLine..endLine`, or bytes from `offset`. A longer file comes
   * back `truncated` with `nextOffset` (or `lines.next`); `etag` is the version for `ifMatch`.
   */
  async read(ws: string, path: string, options?: ReadOptions): Promise<FileContent> {
    const { call, rest } = split(options);
    const { data } = await this.t.call(`files.read ${path}`, call, (signal) =>
      readFile({ client: this.t.client, path: { id: ws }, query: { ...rest, path }, signal }),
    );
    return data;
  }

  /**
   * The whole file as (redacted) text, read page by page (`pageBytes` each; `timeoutMs` is per
   * page). Bytes that are not UTF-8 come back as U+FFFD.
   */
  async readAllText(ws: string, path: string, options?: { pageBytes?: number } & CallOptions): Promise<string> {
    const { call, rest } = split(options);
    const pages = new TextPages(path);
    for (;;) {
      const page = await this.read(ws, path, { offset: pages.offset, maxBytes: rest.pageBytes, encoding: 'text', ...call });
      if (pages.add(page)) return pages.text;
    }
  }

  /**
   * Write a whole file atomically (bytes travel as base64). `ifMatch` (an `etag`) writes only
   * over that version, else 412 `precondition_failed`; `mode: 'create'` only where nothing is.
   */
  async write(ws: string, path: string, content: string | Uint8Array, options?: WriteOptions): Promise<WriteResult> {
    const { call, rest } = split(options);
    const body: WriteFileRequest =
      typeof content === 'string' ? { ...rest, path, content } : { ...rest, path, content: toBase64(content), encoding: 'base64' };
    const { data } = await this.t.call(`files.write ${path}`, call, (signal) =>
      writeFile({ client: this.t.client, path: { id: ws }, body, signal }),
    );
    return data;
  }

  /** Delete a file or symlink, or a directory with `recursive: true`. */
  async delete(ws: string, path: string, options?: DeleteOptions): Promise<DeleteResult> {
    const { call, rest } = split(options);
    const { data } = await this.t.call(`files.delete ${path}`, call, (signal) =>
      deleteFile({ client: this.t.client, path: { id: ws }, query: { ...rest, path }, signal }),
    );
    return data;
  }

  /** What is at a path (a symlink is described, not followed). */
  async stat(ws: string, path: string, opts?: CallOptions): Promise<FileInfo> {
    const { data } = await this.t.call(`files.stat ${path}`, opts, (signal) =>
      statFile({ client: this.t.client, path: { id: ws }, query: { path }, signal }),
    );
    return data;
  }

  /** One page of a directory's entries in path order; `nextCursor` continues (see `entries`). */
  async list(ws: string, options?: ListOptions): Promise<FileList> {
    const { call, rest } = split(options);
    const { data } = await this.t.call(`files.list ${rest.path ?? ''}`, call, (signal) =>
      listFiles({ client: this.t.client, path: { id: ws }, query: rest, signal }),
    );
    return data;
  }

  /** Every entry of a listing, fetching the next page (by `nextCursor`) as the loop goes on. */
  async *entries(ws: string, options?: EntriesOptions): AsyncGenerator<FileInfo, void, undefined> {
    let cursor: string | undefined;
    do {
      const page = await this.list(ws, { ...options, cursor });
      yield* page.entries;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  /** Move or rename a file or directory (409 `file_exists` unless `overwrite`); the entry at `to`. */
  async move(ws: string, from: string, to: string, options?: MoveOptions): Promise<FileInfo> {
    const { call, rest } = split(options);
    const { data } = await this.t.call(`files.move ${from}`, call, (signal) =>
      moveFile({ client: this.t.client, path: { id: ws }, body: { ...rest, from, to }, signal }),
    );
    return data;
  }

  /**
   * Apply a unified diff (or a `*** Begin Patch` envelope): every file changes or none. A hunk
   * that does not apply is a `ProblemError` 409 `patch_conflict` with `conflicts`.
   */
  async patch(ws: string, patch: string, options?: PatchOptions): Promise<PatchResult> {
    const { call, rest } = split(options);
    const { data } = await this.t.call('files.patch', call, (signal) =>
      patchFiles({ client: this.t.client, path: { id: ws }, body: { ...rest, patch }, signal }),
    );
    return data;
  }

  /** Search file contents for a regex (or text, with `literal`), with `context` lines. */
  async search(ws: string, pattern: string, options?: SearchOptions): Promise<SearchResult> {
    const { call, rest } = split(options);
    const { data } = await this.t.call('files.search', call, (signal) =>
      searchFiles({ client: this.t.client, path: { id: ws }, body: { ...rest, pattern }, signal }),
    );
    return data;
  }

  /** Put raw bytes at a path, atomically: an upload cut short leaves nothing. */
  async upload(ws: string, path: string, data: UploadBody, options?: UploadOptions): Promise<WriteResult> {
    const { call, rest } = split(options);
    const { ifMatch, ...query } = rest;
    const streamed = typeof ReadableStream !== 'undefined' && data instanceof ReadableStream;
    const { data: result } = await this.t.call(`files.upload ${path}`, call, (signal) =>
      uploadFile({
        client: this.t.client,
        path: { id: ws },
        query: { ...query, path },
        // The generated type says Blob; with `bodySerializer: null` the fetch client sends any
        // BodyInit as it is.
        body: data as Blob,
        headers: ifMatch === undefined ? undefined : { 'If-Match': ifMatch },
        signal,
        // fetch sends a stream body only when told it is half duplex (not in the DOM types).
        ...(streamed ? ({ duplex: 'half' } as object) : {}),
      }),
    );
    return result;
  }

  /** A file's bytes (redacted: a file without secrets arrives byte for byte). */
  async download(ws: string, path: string, opts?: CallOptions): Promise<Uint8Array> {
    const { data } = await this.t.call(`files.download ${path}`, opts, (signal) =>
      downloadFile({ client: this.t.client, path: { id: ws }, query: { path }, parseAs: 'blob', signal }),
    );
    return new Uint8Array(await data.arrayBuffer());
  }

  /**
   * A file's bytes as they arrive, without holding them all. `timeoutMs` is the longest wait
   * for the answer and then between chunks; leaving the loop hangs up.
   */
  downloadStream(ws: string, path: string, opts: CallOptions = {}): AsyncGenerator<Uint8Array, void, undefined> {
    return this.t.chunks(`files.download ${path}`, opts, (signal) =>
      downloadFile({ client: this.t.client, path: { id: ws }, query: { path }, parseAs: 'stream', signal }),
    );
  }

  /** A directory as tar.gz bytes; `.gitignore`d files and `.git` are left out unless `gitignore: false`. */
  async archive(ws: string, options?: ArchiveOptions): Promise<Uint8Array> {
    const { call, rest } = split(options);
    const { data } = await this.t.call(`files.archive ${rest.path ?? ''}`, call, (signal) =>
      downloadArchive({ client: this.t.client, path: { id: ws }, query: rest, parseAs: 'blob', signal }),
    );
    return new Uint8Array(await data.arrayBuffer());
  }
}

/**
 * Puts a whole file's text together from its byte pages. Byte pages start and end on whole
 * lines, so no secret is cut in half and the redacted pages join up; line pages are not used,
 * as a line longer than a page comes back cut with `lines.next` after it. If the file changes
 * between pages (its etag moves) the text would mix versions, so it starts again, a few times.
 */
class TextPages {
  static readonly MAX_RESTARTS = 3;
  offset = 0;
  private parts: string[] = [];
  private etag: string | undefined;
  private restarts = 0;

  constructor(private readonly path: string) {}

  get text(): string {
    return this.parts.join('');
  }

  /** Take one page; `true` when the file is complete. */
  add(page: FileContent): boolean {
    if (this.etag !== undefined && page.etag !== this.etag) {
      if (++this.restarts > TextPages.MAX_RESTARTS) {
        throw new ShellwiseError(`${this.path} kept changing while it was read (${this.restarts} times)`);
      }
      this.offset = 0;
      this.parts = [];
      this.etag = undefined;
      return false;
    }
    if (page.offset !== this.offset) {
      throw new ShellwiseError(`read ${this.path}: asked for offset ${this.offset}, got a page at ${page.offset}`);
    }
    this.etag = page.etag;
    this.parts.push(page.content);
    if (!page.truncated) return true;
    const next = page.nextOffset;
    if (typeof next !== 'number' || next <= this.offset) {
      throw new ShellwiseError(`read ${this.path}: a truncated page at ${this.offset} without a later nextOffset`);
    }
    this.offset = next;
    return false;
  }
}

/** The call's own options apart from what goes on the wire. */
function split<T extends CallOptions>(options: T | undefined): { call: CallOptions; rest: Omit<T, keyof CallOptions> } {
  const { timeoutMs, signal, ...rest } = options ?? ({} as T);
  return { call: { timeoutMs, signal }, rest };
}

/** Standard base64, without Node's Buffer (the library also runs in browsers). */
function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
