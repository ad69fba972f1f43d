//! Wire types of the workspace and file operations (they become the OpenAPI schemas).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::types::OutputEncoding;
use crate::files::Kind;

/// Create a named workspace.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"name": "fix-login-bug", "ttlSecs": 86400, "gitInit": true,
    "files": [{"path": "README.md", "content": "# scratch\n"}]}))]
pub struct CreateWorkspaceRequest {
    /// A label for people (not unique, not an id).
    #[schema(max_length = 200)]
    pub name: Option<String>,
    /// Remove the workspace this many seconds after it was made (at most
    /// `workspace.max_ttl_secs` when that is set). Left out = kept until deleted.
    #[serde(default, deserialize_with = "crate::lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub ttl_secs: Option<u64>,
    /// Byte quota (default `workspace.quota_bytes`; more needs admin).
    #[serde(default, deserialize_with = "crate::lenient::opt_u64")]
    #[schema(value_type = Option<u64>)]
    pub quota_bytes: Option<u64>,
    /// File-count quota (default `workspace.quota_files`; more needs admin).
    #[serde(default, deserialize_with = "crate::lenient::opt_u64")]
    #[schema(value_type = Option<u64>)]
    pub quota_files: Option<u64>,
    /// Files to put in it (written as the workspace's owner, parents created).
    pub files: Option<Vec<InitialFile>>,
    /// Run `git init` in it.
    #[serde(default)]
    pub git_init: bool,
}

/// A file a new workspace starts with.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InitialFile {
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    pub content: String,
    /// `text` (default) or `base64`.
    pub encoding: Option<OutputEncoding>,
}

/// A workspace: where commands (`workspace` in runCommand and submitJob) and file
/// operations work.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"id": "ws_4f1c9a0b2d3e5f60", "name": "fix-login-bug", "default": false,
    "path": "/var/lib/shellwise/work/.workspaces/ws_4f1c9a0b2d3e5f60", "owner": "agent",
    "createdMs": 1764700000000u64, "expiresMs": 1764786400000u64, "quotaBytes": 1073741824u64,
    "quotaFiles": 100000, "usage": {"bytes": 10, "files": 2}}))]
pub struct Workspace {
    /// `default` for the token's own workspace, else `ws_…`.
    pub id: String,
    pub name: Option<String>,
    /// Whether this is the token's default workspace.
    pub default: bool,
    /// The directory on the server (the `cwd` of commands run in it).
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// The token that owns it.
    pub owner: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub created_ms: Option<u64>,
    /// When the janitor removes it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_ms: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota_bytes: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub quota_files: Option<u64>,
    /// What it holds now (only when one workspace is asked for).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub usage: Option<WorkspaceUsage>,
}

/// Bytes and entries a workspace holds.
#[derive(Debug, Clone, Copy, Default, Serialize, ToSchema, PartialEq, Eq)]
pub struct WorkspaceUsage {
    pub bytes: u64,
    pub files: u64,
}

/// The caller's workspaces: its default one first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WorkspaceList {
    pub workspaces: Vec<Workspace>,
}

/// A path in a query string.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PathQuery {
    /// Path from the workspace root (an absolute path inside the workspace also works).
    #[param(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// The exact bytes of the path, base64 (standard alphabet), for a name that is not
    /// UTF-8 (a listing's `pathBase64`); when given it is used instead of `path`.
    #[param(pattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub path_base64: Option<String>,
}

/// Which part of a file to read.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ReadQuery {
    /// Path from the workspace root.
    #[param(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// The exact bytes of the path, base64 (standard alphabet), for a name that is not
    /// UTF-8 (a listing's `pathBase64`); when given it is used instead of `path`.
    #[param(pattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub path_base64: Option<String>,
    /// Byte offset to start at (widened back to the start of its line, so a secret is never
    /// cut in half by a page boundary).
    pub offset: Option<u64>,
    /// Bytes to read from `offset`.
    pub length: Option<u64>,
    /// First line (1-based); with it the range is in lines.
    #[param(minimum = 1)]
    pub start_line: Option<u64>,
    /// Last line, inclusive.
    #[param(minimum = 1)]
    pub end_line: Option<u64>,
    /// Most bytes to return (default `files.default_read_bytes`, at most
    /// `files.max_read_bytes`); a longer range is cut at a line end and says where to go on.
    #[param(minimum = 1)]
    pub max_bytes: Option<u64>,
    /// `text` or `base64`; left out = text when the bytes are UTF-8, else base64.
    pub encoding: Option<OutputEncoding>,
}

/// Part or all of a file.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"path": "src/app.py", "encoding": "text",
    "content": "def handler():\n    return 200\n", "size": 1234, "etag": "\"4d2.4d2.18c3.2f1\"",
    "modifiedMs": 1764700000000u64, "offset": 0, "truncated": true,
    "lines": {"start": 1, "end": 2, "next": 3, "total": 40}, "redactions": {}}))]
pub struct FileContent {
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    pub encoding: OutputEncoding,
    /// The bytes, redacted: a secret in a file never leaves (see `redactions`).
    pub content: String,
    /// The whole file's size in bytes.
    pub size: u64,
    /// The version read; send it as `If-Match` (or `ifMatch`) to write only over this one.
    pub etag: String,
    pub modified_ms: i64,
    /// Byte offset of the first byte returned.
    pub offset: u64,
    /// More of the file (or of the asked range) follows.
    pub truncated: bool,
    /// Where the next byte page starts; for a line range, where the rest of a line longer
    /// than `maxBytes` goes on (read it with `offset`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_offset: Option<u64>,
    /// For a line range: what was returned and where to go on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<LineRange>,
    /// Secrets replaced, by rule id.
    pub redactions: BTreeMap<String, u64>,
}

/// Lines returned by a read.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LineRange {
    pub start: u64,
    pub end: u64,
    /// The next line to ask for (`startLine`), when more follow.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<u64>,
    /// Lines in the file.
    pub total: u64,
}

/// An entry in a workspace.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(example = json!({"path": "src/app.py", "kind": "file", "size": 1234,
    "permissions": "0644", "modifiedMs": 1764700000000u64, "etag": "\"4d2.4d2.18c3.2f1\""}))]
pub struct FileInfo {
    /// Path from the workspace root (UTF-8; see `pathBase64`).
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// The exact bytes of a name that is not UTF-8 (then `path` shows it lossily).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(pattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub path_base64: Option<String>,
    pub kind: Kind,
    pub size: u64,
    /// Octal permission bits, e.g. `0644`.
    pub permissions: String,
    pub modified_ms: i64,
    /// The version (files only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
    /// A symlink's target, as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// Depth below the listed directory (listings only; 1 = its own entries).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub depth: Option<usize>,
}

/// How a write treats an existing file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum WriteModeWire {
    /// Create or replace (default).
    #[default]
    Overwrite,
    /// Only if nothing is there (else 409 `file_exists`).
    Create,
    /// Add to the end.
    Append,
}

/// Write a whole file (atomically: readers see the old or the new content, never a mix).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"path": "src/config.py", "content": "DEBUG = False\n",
    "ifMatch": "\"4d2.4d2.18c3.2f1\""}))]
pub struct WriteFileRequest {
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// The exact bytes of the path, base64 (standard alphabet), for a name that is not
    /// UTF-8 (a listing's `pathBase64`); when given it is used instead of `path`.
    #[schema(pattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub path_base64: Option<String>,
    pub content: String,
    /// `text` (default) or `base64`.
    pub encoding: Option<OutputEncoding>,
    pub mode: Option<WriteModeWire>,
    /// Octal permission bits (`0755`); left out keeps an existing file's, else `0644`.
    #[schema(pattern = "^0?[0-7]{3,4}$")]
    pub permissions: Option<String>,
    /// Write only over this version (the `etag` of a read; `*` = any existing file). The
    /// `If-Match` header does the same.
    pub if_match: Option<String>,
    /// Create missing parent directories (default true).
    pub parents: Option<bool>,
    /// Write even though the content holds a `[REDACTED:…]` marker.
    #[serde(default)]
    pub force: bool,
    /// For a protected path: the token a `confirmation_required` problem handed out.
    pub confirm_token: Option<String>,
}

/// What a write did.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WriteResult {
    pub file: FileInfo,
    /// Nothing was there before.
    pub created: bool,
}

/// A directory's entries.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Directory from the workspace root (default: the root).
    #[param(pattern = "^[^\\u0000]*$")]
    pub path: Option<String>,
    /// Levels to descend (1 = its own entries; at most 32).
    #[param(minimum = 1, maximum = 32)]
    pub depth: Option<usize>,
    /// Only entries whose path matches this glob (`*.rs`, `src/**/test_*.py`).
    pub glob: Option<String>,
    /// Leave out what `.gitignore` ignores, and `.git` (default true).
    pub gitignore: Option<bool>,
    /// Include names starting with `.` (default true).
    pub hidden: Option<bool>,
    /// Entries per page (default 200, at most 5000).
    #[param(minimum = 1, maximum = 5000)]
    pub limit: Option<usize>,
    /// `nextCursor` of the previous page.
    #[param(pattern = "^[A-Za-z0-9_-]*$")]
    pub cursor: Option<String>,
}

/// A page of entries, in path order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FileList {
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    pub entries: Vec<FileInfo>,
    /// Pass as `cursor` for the next page; absent on the last one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_cursor: Option<String>,
}

/// Delete a path.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteQuery {
    #[param(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// The exact bytes of the path, base64 (standard alphabet), for a name that is not
    /// UTF-8 (a listing's `pathBase64`); when given it is used instead of `path`.
    #[param(pattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub path_base64: Option<String>,
    /// Delete a directory and everything in it (symlinks are removed, never followed).
    pub recursive: Option<bool>,
    /// For a protected path: the token a `confirmation_required` problem handed out.
    pub confirm_token: Option<String>,
}

/// What a delete removed.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DeleteResult {
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// Entries removed (1 for a file).
    pub removed: u64,
}

/// Move or rename a file or directory inside the workspace.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"from": "src/old_name.py", "to": "src/new_name.py"}))]
pub struct MoveRequest {
    #[schema(pattern = "^[^\\u0000]*$")]
    pub from: String,
    #[schema(pattern = "^[^\\u0000]*$")]
    pub to: String,
    /// Replace what is at `to` (default: 409 `file_exists`).
    #[serde(default)]
    pub overwrite: bool,
    /// Create missing parents of `to` (default true).
    pub parents: Option<bool>,
    pub confirm_token: Option<String>,
}

/// Which patch format the text is in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum PatchFormatWire {
    /// The envelope when the text starts with `*** Begin Patch`, else a unified diff.
    #[default]
    Auto,
    /// `diff -u` / `git diff` output.
    Unified,
    /// The apply-patch envelope coding agents emit (`*** Begin Patch` … `*** End Patch`).
    Envelope,
}

/// Apply a patch: every file changes, or none does.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"patch": "--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+    return 200\n"}))]
pub struct PatchRequest {
    pub patch: String,
    pub format: Option<PatchFormatWire>,
    /// Check that it applies and report what would change; nothing is written.
    #[serde(default)]
    pub dry_run: bool,
    /// Apply even though added lines hold a `[REDACTED:…]` marker.
    #[serde(default)]
    pub force: bool,
    pub confirm_token: Option<String>,
}

/// What a patch changed (or would change, for a dry run).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PatchResult {
    /// False for a dry run.
    pub applied: bool,
    pub files: Vec<PatchedFile>,
}

/// One file of a patch.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PatchedFile {
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// `add`, `update` or `delete`.
    pub op: String,
    /// Where an update moved the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_to: Option<String>,
    pub hunks: usize,
    /// Per hunk: lines away from where its header said (0 = exactly there).
    pub offsets: Vec<i64>,
    /// Some hunk matched only when whitespace was ignored.
    pub fuzzy: bool,
    /// The new version (not for a delete or a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub etag: Option<String>,
}

/// Search the workspace's files (ripgrep's searcher; `.gitignore` honoured, binary files
/// skipped).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"pattern": "def handler", "globs": ["*.py"], "context": 2}))]
pub struct SearchRequest {
    /// A regular expression (Rust syntax), or text with `literal`; not empty.
    #[schema(min_length = 1)]
    pub pattern: String,
    #[serde(default)]
    pub literal: bool,
    #[serde(default)]
    pub case_insensitive: bool,
    /// Directory or file to search (default: the whole workspace).
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: Option<String>,
    /// Only files whose path matches one of these globs.
    pub globs: Option<Vec<String>>,
    /// Lines of context before and after each match (at most 10).
    #[serde(default, deserialize_with = "crate::lenient::opt_u64")]
    #[schema(value_type = Option<u64>, maximum = 10)]
    pub context: Option<u64>,
    /// Most matches returned (default 100; more than `files.max_search_matches` gives that
    /// many).
    #[serde(default, deserialize_with = "crate::lenient::opt_u64")]
    #[schema(value_type = Option<u64>, minimum = 1)]
    pub max_matches: Option<u64>,
    /// Include names starting with `.` (default false, like ripgrep).
    pub hidden: Option<bool>,
    /// Leave out what `.gitignore` ignores (default true).
    pub gitignore: Option<bool>,
}

/// Matches, in path order.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchResult {
    pub matches: Vec<SearchMatch>,
    pub files_searched: u64,
    pub files_matched: u64,
    /// Binary, larger than `files.search_max_file_bytes`, or unreadable.
    pub files_skipped: u64,
    /// `maxMatches` was reached; more may exist.
    pub truncated: bool,
    /// Secrets replaced in the returned lines, by rule id.
    pub redactions: BTreeMap<String, u64>,
}

/// A matching line.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SearchMatch {
    #[schema(pattern = "^[^\\u0000]*$")]
    pub path: String,
    pub line: u64,
    /// 1-based byte column of the first match.
    pub column: u64,
    pub text: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub before: Vec<ContextLine>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub after: Vec<ContextLine>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct ContextLine {
    pub line: u64,
    pub text: String,
}

/// Upload raw bytes to a path.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct UploadQuery {
    #[param(pattern = "^[^\\u0000]*$")]
    pub path: String,
    /// The exact bytes of the path, base64 (standard alphabet), for a name that is not
    /// UTF-8 (a listing's `pathBase64`); when given it is used instead of `path`.
    #[param(pattern = "^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$")]
    pub path_base64: Option<String>,
    /// Replace an existing file (default true; false = 409 `file_exists`).
    pub overwrite: Option<bool>,
    /// Octal permission bits for the file.
    #[param(pattern = "^0?[0-7]{3,4}$")]
    pub permissions: Option<String>,
    pub confirm_token: Option<String>,
}

/// Download a directory as tar.gz.
#[derive(Debug, Clone, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ArchiveQuery {
    /// Directory from the workspace root (default: the root).
    #[param(pattern = "^[^\\u0000]*$")]
    pub path: Option<String>,
    /// Leave out what `.gitignore` ignores, and `.git` (default true).
    pub gitignore: Option<bool>,
}

/// Raw bytes (a download or an upload body).
#[derive(Debug, Clone, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct FileBytes(pub Vec<u8>);
