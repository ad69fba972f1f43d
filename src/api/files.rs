//! Workspaces and the file operations inside them: `/v1/workspaces` (list, create, get,
//! delete) and `/v1/workspaces/{id}/files…` (read, write, delete, stat, list, move, patch,
//! search, raw upload and download, tar.gz of a directory).

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use futures_util::StreamExt;

use super::routes::{Access, Route};
use crate::auth::Caller;
use crate::domain::Role;
use crate::error::{ApiError, Problem};
use crate::service::file_types::*;
use crate::service::ExecService;

type Json<T> = web::Json<crate::lenient::Object<T>>;

/// A named workspace in the path (the default one cannot be deleted).
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct NamedWorkspaceId {
    /// An id from createWorkspace.
    #[param(pattern = "^ws_[0-9a-f]+$", example = "ws_4f1c9a0b2d3e5f60")]
    pub id: String,
}

/// The workspace named in the path.
#[derive(Debug, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
pub struct WorkspaceId {
    /// `default` (the token's own workspace) or an id from createWorkspace.
    #[param(pattern = "^(default|ws_[0-9a-f]+)$", example = "default")]
    pub id: String,
}

fn if_match(req: &HttpRequest) -> Option<String> {
    req.headers()
        .get(header::IF_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

/// `Content-Disposition` for a download named `name`: a plain ASCII `filename` (anything
/// else becomes `_`, so a name a command chose can never make the header invalid) and the
/// exact name as RFC 5987 `filename*`.
fn attachment(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() && !matches!(c, '"' | '\\' | '%') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let exact: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{exact}")
}

fn stream_body(
    rx: tokio::sync::mpsc::Receiver<Result<bytes::Bytes, std::io::Error>>,
) -> impl futures_util::Stream<Item = Result<bytes::Bytes, std::io::Error>> {
    futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    })
}

#[utoipa::path(
    get,
    path = "/v1/workspaces",
    operation_id = "listWorkspaces",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "workspaces",
    summary = "List the token's workspaces (its default one first)",
    description = "The token's default workspace (`default`) and the named ones it created \
(admin: every token's). Commands take `workspace` to run in one; file operations name it in \
their path. Operator role.",
    responses(
        (status = 200, description = "The workspaces.", body = WorkspaceList),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or role below operator.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn list_workspaces(
    caller: Caller,
    service: web::Data<ExecService>,
) -> Result<web::Json<WorkspaceList>, ApiError> {
    Ok(web::Json(service.list_workspaces(&caller).await?))
}

#[utoipa::path(
    post,
    path = "/v1/workspaces",
    operation_id = "createWorkspace",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "workspaces",
    summary = "Create a named workspace (optional expiry, quotas, initial files, git init)",
    description = "A directory of the token's own (0700, owned by its identity). `ttlSecs` has \
the janitor remove it later; quotas default to `workspace.quota_bytes` and \
`workspace.quota_files` (more needs admin). Nothing half-made stays if an initial file fails. \
Operator role.",
    request_body(content = CreateWorkspaceRequest, examples(
        ("scratch" = (summary = "An empty workspace for a day", value = json!({"name": "scratch", "ttlSecs": 86400}))),
        ("seeded" = (summary = "Start with files and a git repository", value = json!({"name": "fix-login-bug", "gitInit": true,
            "files": [{"path": "README.md", "content": "# scratch\n"}]})))
    )),
    responses(
        (status = 200, description = "Created.", body = Workspace),
        (status = 400, description = "Invalid body: `invalid_request`, `path_invalid`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, role below operator, a quota above the default \
without admin (`limit_not_allowed`), or an initial file outside the workspace \
(`path_outside_workspace`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The token has `workspace.max_per_token` workspaces \
(`too_many_workspaces`), or an initial file names the root (`path_conflict`).", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 507, description = "The initial files exceed the quota (`workspace_full`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn create_workspace(
    caller: Caller,
    service: web::Data<ExecService>,
    body: Json<CreateWorkspaceRequest>,
) -> Result<HttpResponse, ApiError> {
    let ws = service
        .create_workspace(&caller, body.into_inner().0)
        .await?;
    Ok(HttpResponse::Ok().json(ws))
}

#[utoipa::path(
    get,
    path = "/v1/workspaces/{id}",
    operation_id = "getWorkspace",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "workspaces",
    summary = "One workspace, with the bytes and entries it holds",
    description = "Another token's workspace is `workspace_not_found` (admin sees all). Operator role.",
    params(WorkspaceId),
    responses(
        (status = 200, description = "The workspace.", body = Workspace),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or role below operator.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workspace, or not yours (`workspace_not_found`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn get_workspace(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
) -> Result<web::Json<Workspace>, ApiError> {
    Ok(web::Json(service.get_workspace(&caller, &path.id).await?))
}

#[utoipa::path(
    delete,
    path = "/v1/workspaces/{id}",
    operation_id = "deleteWorkspace",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "workspaces",
    summary = "Delete a named workspace and everything in it",
    description = "Removes the directory tree (symlinks are removed, never followed). The \
default workspace cannot be deleted. Operator role.",
    params(NamedWorkspaceId),
    responses(
        (status = 200, description = "Deleted: what went.", body = DeleteResult),
        (status = 400, description = "Not a named workspace's id, e.g. `default` (`invalid_request`).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token or role below operator.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such workspace, or not yours (`workspace_not_found`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn delete_workspace(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
) -> Result<web::Json<DeleteResult>, ApiError> {
    Ok(web::Json(
        service.delete_workspace(&caller, &path.id).await?,
    ))
}

#[utoipa::path(
    get,
    path = "/v1/workspaces/{id}/files",
    operation_id = "readFile",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "files",
    summary = "Read a file, or a byte or line range of it (redacted, paged)",
    description = "Text (base64 if not UTF-8) and the `etag` to send back as `ifMatch`. Long \
files come in pages (`truncated`, then `nextOffset` or `lines.next`) that start and end on \
whole lines. Secrets are replaced (`redactions` counts them). Role `files.read_role`.",
    params(WorkspaceId, ReadQuery),
    responses(
        (status = 200, description = "The content.", body = FileContent),
        (status = 400, description = "Bad path or parameter: `path_invalid`, `invalid_request`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, role below `files.read_role` \
(`insufficient_role`), a path leading outside the workspace (`path_outside_workspace`), or one \
the owner may not read (`permission_denied`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`file_not_found` or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A directory (`not_a_file`) or a FIFO, socket or device \
(`unsupported_file_type`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn read_file(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    query: web::Query<ReadQuery>,
) -> Result<web::Json<FileContent>, ApiError> {
    Ok(web::Json(
        service
            .read_file(&caller, &path.id, query.into_inner())
            .await?,
    ))
}

#[utoipa::path(
    put,
    path = "/v1/workspaces/{id}/files",
    operation_id = "writeFile",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "files",
    summary = "Write a whole file atomically (create, overwrite or append; If-Match)",
    description = "Temp file renamed over the target: readers see old or new, never a mix. \
`ifMatch` (or `If-Match`) writes only over the version read. Created as the workspace owner. \
A `[REDACTED:…]` marker is refused unless `force`; `files.protected` paths need a \
confirmation. Operator role.",
    request_body(content = WriteFileRequest, examples(
        ("overwrite" = (summary = "Replace a file, only over the version read", value = json!({"path": "src/config.py", "content": "DEBUG = False\n", "ifMatch": "\"4d2.4d2.18c3.2f1\""}))),
        ("create" = (summary = "Create a new script, executable", value = json!({"path": "bin/run.sh", "content": "#!/bin/sh\nexec make test\n", "mode": "create", "permissions": "0755"})))
    )),
    params(WorkspaceId),
    responses(
        (status = 200, description = "Written.", body = WriteResult),
        (status = 400, description = "`path_invalid`, `invalid_request`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, role below operator, `path_outside_workspace`, \
`permission_denied`, a protected path under approval mode `never` (`policy_denied`) or a \
rejected confirmation (`approval_rejected`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`workspace_not_found`, or a missing parent with \
`parents: false` (`file_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`file_exists` (mode create), `not_a_file`, \
`unsupported_file_type`, the root (`path_conflict`), or a protected path \
(`confirmation_required`, or `approval_pending` until an approver approves).", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The file changed since it was read (`precondition_failed`).", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large (use uploadFile for big files).", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The content holds a redaction marker (`redaction_marker`).", body = Problem, content_type = "application/problem+json"),
        (status = 507, description = "Over the workspace quota (`workspace_full`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn write_file(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    req: HttpRequest,
    body: Json<WriteFileRequest>,
) -> Result<web::Json<WriteResult>, ApiError> {
    Ok(web::Json(
        service
            .write_file(&caller, &path.id, body.into_inner().0, if_match(&req))
            .await?,
    ))
}

#[utoipa::path(
    delete,
    path = "/v1/workspaces/{id}/files",
    operation_id = "deleteFile",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "files",
    summary = "Delete a file, a symlink, or (recursive=true) a directory",
    description = "A symlink is removed, never what it points to; a directory with entries \
needs `recursive=true`. Operator role.",
    params(WorkspaceId, DeleteQuery),
    responses(
        (status = 200, description = "Deleted.", body = DeleteResult),
        (status = 400, description = "`path_invalid`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, role below operator, \
`path_outside_workspace`, `permission_denied`, a protected path under approval mode `never` \
(`policy_denied`) or a rejected confirmation (`approval_rejected`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`file_not_found` or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`directory_not_empty`, the root (`path_conflict`), or a \
protected path (`confirmation_required`, or `approval_pending` until an approver approves).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn delete_file(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    query: web::Query<DeleteQuery>,
) -> Result<web::Json<DeleteResult>, ApiError> {
    Ok(web::Json(
        service
            .delete_file(&caller, &path.id, query.into_inner())
            .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/v1/workspaces/{id}/files/stat",
    operation_id = "statFile",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "files",
    summary = "What is at a path (a final symlink is described, not followed)",
    description = "Kind, size, permissions, modification time, `etag` for files, target for \
symlinks. Role `files.read_role`.",
    params(WorkspaceId, PathQuery),
    responses(
        (status = 200, description = "The entry.", body = FileInfo),
        (status = 400, description = "`path_invalid`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, `insufficient_role`, \
`path_outside_workspace` or `permission_denied`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`file_not_found` or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn stat_file(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    query: web::Query<PathQuery>,
) -> Result<web::Json<FileInfo>, ApiError> {
    Ok(web::Json(
        service
            .stat_file(&caller, &path.id, query.into_inner())
            .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/v1/workspaces/{id}/files/list",
    operation_id = "listFiles",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "files",
    summary = "List a directory (depth, glob, .gitignore aware, paged)",
    description = "Entries in path order, depth first; `nextCursor` continues a long listing. \
`.gitignore` files and `.git` are honoured unless `gitignore=false`. Symlinks are listed, not \
followed. Role `files.read_role`.",
    params(WorkspaceId, ListQuery),
    responses(
        (status = 200, description = "A page of entries.", body = FileList),
        (status = 400, description = "`path_invalid` (also a bad glob or cursor).", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, `insufficient_role`, \
`path_outside_workspace` or `permission_denied`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`file_not_found` or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a directory (`not_a_directory`).", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "A directory with more than 100000 entries (`file_too_large`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn list_files(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    query: web::Query<ListQuery>,
) -> Result<web::Json<FileList>, ApiError> {
    Ok(web::Json(
        service
            .list_files(&caller, &path.id, query.into_inner())
            .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/v1/workspaces/{id}/files/move",
    operation_id = "moveFile",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "files",
    summary = "Move or rename a file or directory inside the workspace",
    description = "Atomic (`renameat2`); `overwrite` replaces what is at `to`. Operator role.",
    request_body(content = MoveRequest, examples(
        ("rename" = (summary = "Rename a module", value = json!({"from": "src/old_name.py", "to": "src/new_name.py"})))
    )),
    params(WorkspaceId),
    responses(
        (status = 200, description = "Moved; the entry at its new path.", body = FileInfo),
        (status = 400, description = "`path_invalid`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, role below operator, \
`path_outside_workspace`, `permission_denied`, a protected path under approval mode `never` \
(`policy_denied`) or a rejected confirmation (`approval_rejected`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`file_not_found` or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`file_exists` without overwrite, the root or a move into \
itself (`path_conflict`), or a protected path (`confirmation_required`, or `approval_pending` until an approver approves).", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn move_file(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    body: Json<MoveRequest>,
) -> Result<web::Json<FileInfo>, ApiError> {
    Ok(web::Json(
        service
            .move_file(&caller, &path.id, body.into_inner().0)
            .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/v1/workspaces/{id}/files/patch",
    operation_id = "patchFiles",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "files",
    summary = "Apply a unified diff or an apply-patch envelope: all files or none",
    description = "`git diff` / `diff -u` output or the `*** Begin Patch` envelope. Hunks go \
where their header says, else the nearest match (`offsets`, `fuzzy`). If any hunk fails, \
nothing changes and the 409 lists each conflict with what the file has there. `dryRun` only \
checks. Operator role.",
    request_body(content = PatchRequest, examples(
        ("unified" = (summary = "A unified diff", value = json!({"patch": "--- a/app.py\n+++ b/app.py\n@@ -1,2 +1,2 @@\n def handler():\n-    return 500\n+    return 200\n"}))),
        ("envelope" = (summary = "The apply-patch envelope", value = json!({"patch": "*** Begin Patch\n*** Update File: app.py\n@@ def handler():\n-    return 500\n+    return 200\n*** End Patch\n"})))
    )),
    params(WorkspaceId),
    responses(
        (status = 200, description = "Applied (or would apply).", body = PatchResult),
        (status = 400, description = "The patch does not parse (`patch_invalid`), or `path_invalid`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, role below operator, \
`path_outside_workspace`, `permission_denied`, a protected path under approval mode `never` \
(`policy_denied`) or a rejected confirmation (`approval_rejected`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "A file it changes is missing (`file_not_found`), or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A hunk does not apply (`patch_conflict`, with `conflicts`), \
a file it adds exists (`file_exists`), or a protected path (`confirmation_required`, or `approval_pending` until an approver approves).", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "A file changed while the patch was applied (`precondition_failed`); nothing changed.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Added lines hold a redaction marker (`redaction_marker`).", body = Problem, content_type = "application/problem+json"),
        (status = 507, description = "Over the workspace quota (`workspace_full`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn patch_files(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    body: Json<PatchRequest>,
) -> Result<web::Json<PatchResult>, ApiError> {
    Ok(web::Json(
        service
            .patch_files(&caller, &path.id, body.into_inner().0)
            .await?,
    ))
}

#[utoipa::path(
    post,
    path = "/v1/workspaces/{id}/files/search",
    operation_id = "searchFiles",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "files",
    summary = "Search file contents (regex or literal, globs, context lines)",
    description = "ripgrep's searcher over the workspace: `.gitignore` honoured, hidden files \
and binary files skipped by default, matches in path order with line, column and context, \
capped by `maxMatches`. Returned lines are redacted. Role `files.read_role`.",
    request_body(content = SearchRequest, examples(
        ("literal" = (summary = "Find a function in Python files", value = json!({"pattern": "def handler", "literal": true, "globs": ["*.py"], "context": 2}))),
        ("regex" = (summary = "A case-insensitive regex", value = json!({"pattern": "todo|fixme", "caseInsensitive": true})))
    )),
    params(WorkspaceId),
    responses(
        (status = 200, description = "Matches.", body = SearchResult),
        (status = 400, description = "A bad regex or glob (`path_invalid`), or `invalid_request`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, `insufficient_role`, `path_outside_workspace`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`file_not_found` or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not JSON.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn search_files(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    body: Json<SearchRequest>,
) -> Result<web::Json<SearchResult>, ApiError> {
    Ok(web::Json(
        service
            .search_files(&caller, &path.id, body.into_inner().0)
            .await?,
    ))
}

#[utoipa::path(
    get,
    path = "/v1/workspaces/{id}/files/raw",
    operation_id = "downloadFile",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "files",
    summary = "Download a file's bytes (streamed, redacted)",
    description = "The bytes as `application/octet-stream`, streamed with flat memory. They pass \
redaction like every byte that leaves: a file without secrets arrives byte for byte. `ETag` \
is the version. Role `files.read_role`.",
    params(WorkspaceId, PathQuery),
    responses(
        (status = 200, description = "The bytes.", content_type = "application/octet-stream", body = FileBytes,
            example = json!("def handler():\n    return 200\n")),
        (status = 400, description = "`path_invalid`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, `insufficient_role`, \
`path_outside_workspace` or `permission_denied`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`file_not_found` or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_a_file` or `unsupported_file_type`.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn download_file(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    query: web::Query<PathQuery>,
) -> Result<HttpResponse, ApiError> {
    let (info, rx) = service
        .download_file(&caller, &path.id, query.into_inner())
        .await?;
    let name = info.path.rsplit('/').next().unwrap_or("file").to_string();
    let mut resp = HttpResponse::Ok();
    resp.content_type("application/octet-stream")
        .insert_header((header::CONTENT_DISPOSITION, attachment(&name)));
    if let Some(etag) = &info.etag {
        resp.insert_header((header::ETAG, etag.clone()));
    }
    Ok(resp.streaming(stream_body(rx)))
}

#[utoipa::path(
    put,
    path = "/v1/workspaces/{id}/files/raw",
    operation_id = "uploadFile",
    extensions(("x-openai-isConsequential" = json!(true))),
    tag = "files",
    summary = "Upload raw bytes to a path (streamed, atomic, size-limited)",
    description = "The body (`application/octet-stream`, up to `files.max_upload_bytes`) is \
streamed to a temporary file and renamed into place when complete: an upload cut short leaves \
nothing. `If-Match` writes only over that version. Operator role.",
    params(WorkspaceId, UploadQuery),
    request_body(content = FileBytes, content_type = "application/octet-stream"),
    responses(
        (status = 200, description = "Written.", body = WriteResult),
        (status = 400, description = "`path_invalid`, `invalid_request`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, role below operator, \
`path_outside_workspace`, `permission_denied`, a protected path under approval mode `never` \
(`policy_denied`) or a rejected confirmation (`approval_rejected`).", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`file_exists` (overwrite=false), `not_a_file`, \
`unsupported_file_type`, the root (`path_conflict`), or a protected path \
(`confirmation_required`, or `approval_pending` until an approver approves).", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The file changed (`precondition_failed`).", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Over `files.max_upload_bytes` (`file_too_large`).", body = Problem, content_type = "application/problem+json"),
        (status = 507, description = "Over the workspace quota (`workspace_full`).", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn upload_file(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    query: web::Query<UploadQuery>,
    req: HttpRequest,
    mut payload: web::Payload,
) -> Result<web::Json<WriteResult>, ApiError> {
    let (tx, rx) = tokio::sync::mpsc::channel(8);
    let feed = async move {
        while let Some(chunk) = payload.next().await {
            let item = chunk.map_err(|e| format!("the upload broke off: {e}"));
            let stop = item.is_err();
            if tx.send(item).await.is_err() || stop {
                break;
            }
        }
    };
    let write = service.upload_file(&caller, &path.id, query.into_inner(), if_match(&req), rx);
    let (result, ()) = futures_util::future::join(write, feed).await;
    Ok(web::Json(result?))
}

#[utoipa::path(
    get,
    path = "/v1/workspaces/{id}/files/archive",
    operation_id = "downloadArchive",
    extensions(("x-openai-isConsequential" = json!(false))),
    tag = "files",
    summary = "Download a directory as tar.gz (streamed, redacted)",
    description = "Made while it streams. Every file's content passes redaction; symlinks are \
stored as links; files over `files.archive_max_file_bytes` are left out. Role \
`files.read_role`.",
    params(WorkspaceId, ArchiveQuery),
    responses(
        (status = 200, description = "The archive (gzip bytes; the name ends in `.tar.gz`).", content_type = "application/octet-stream", body = FileBytes,
            example = json!("(gzip bytes: a tar of the directory)")),
        (status = 400, description = "`path_invalid`.", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No bearer token.", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Invalid token, `insufficient_role`, `path_outside_workspace`.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "`file_not_found` or `workspace_not_found`.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`not_a_directory`.", body = Problem, content_type = "application/problem+json"),
    ),
    security(("bearer" = []))
)]
#[tracing::instrument(skip_all, fields(caller = %caller.name))]
pub async fn download_archive(
    caller: Caller,
    service: web::Data<ExecService>,
    path: web::Path<WorkspaceId>,
    query: web::Query<ArchiveQuery>,
) -> Result<HttpResponse, ApiError> {
    let (name, rx) = service
        .download_archive(&caller, &path.id, query.into_inner())
        .await?;
    Ok(HttpResponse::Ok()
        .content_type("application/octet-stream")
        .insert_header((header::CONTENT_DISPOSITION, attachment(&name)))
        .streaming(stream_body(rx)))
}

/// The workspace and file operations. Reads are gated at viewer here and checked against
/// `files.read_role` by the service (configurable, default operator).
pub(super) fn routes() -> Vec<Route> {
    let op = Access::Role(Role::Operator);
    let read = Access::Role(Role::Viewer);
    vec![
        Route::of::<__path_list_workspaces, _, _>(op, list_workspaces),
        Route::of::<__path_create_workspace, _, _>(op, create_workspace),
        Route::of::<__path_get_workspace, _, _>(op, get_workspace),
        Route::of::<__path_delete_workspace, _, _>(op, delete_workspace),
        Route::of::<__path_read_file, _, _>(read, read_file),
        Route::of::<__path_write_file, _, _>(op, write_file),
        Route::of::<__path_delete_file, _, _>(op, delete_file),
        Route::of::<__path_stat_file, _, _>(read, stat_file),
        Route::of::<__path_list_files, _, _>(read, list_files),
        Route::of::<__path_move_file, _, _>(op, move_file),
        Route::of::<__path_patch_files, _, _>(op, patch_files),
        Route::of::<__path_search_files, _, _>(read, search_files),
        Route::of::<__path_download_file, _, _>(read, download_file),
        Route::of::<__path_upload_file, _, _>(op, upload_file),
        Route::of::<__path_download_archive, _, _>(read, download_archive),
    ]
}
