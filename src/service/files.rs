//! Workspaces and file operations for callers: which workspace a caller may use and as whom,
//! the checks around each operation (role, quota, redaction markers, protected paths), the
//! redaction of everything read, the audit record of every change. The confined work itself
//! is `crate::files`, run on a blocking thread with the workspace owner's identity.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;

use super::file_types::*;
use super::types::OutputEncoding;
use super::workspaces::{self, Registry, WorkspaceRecord, DEFAULT_ID};
use super::{audit, ExecService, ServiceError};
use crate::auth::Caller;
use crate::config::{FileSettings, WorkspaceSettings};
use crate::domain::Role;
use crate::files::creds::AsUser;
use crate::files::patch::{self, PatchFormat, PatchOp};
use crate::files::root::{ReadRange, WriteMode, WriteOpts};
use crate::files::walk::{self, Control, WalkOpts};
use crate::files::{FileCode, FileError, Kind, RelPath, Root, Stat};

/// The marker redaction leaves; content holding one came from a read.
const MARKER: &[u8] = b"[REDACTED:";
/// Largest file a patch reads.
const MAX_PATCH_FILE_BYTES: u64 = 16 << 20;
/// How far a byte range is widened to reach whole lines.
const LINE_WIDEN_BYTES: u64 = 64 << 10;

/// Bytes leaving as they are read (a download or an archive being made).
pub type ByteStream = tokio::sync::mpsc::Receiver<Result<Bytes, std::io::Error>>;

/// Workspace state the service keeps.
pub(super) struct FilesState {
    registry: Registry,
    settings: FileSettings,
    workspace: WorkspaceSettings,
    protected: Option<globset::GlobSet>,
    /// One API writer at a time per workspace, so If-Match checks and renames pair up.
    write_locks: std::sync::Mutex<std::collections::HashMap<PathBuf, Arc<tokio::sync::Mutex<()>>>>,
    /// Workspaces the janitor found over quota (commands' own writes count too).
    over_quota: std::sync::Mutex<std::collections::HashSet<PathBuf>>,
}

impl FilesState {
    pub(super) fn new(
        settings: &crate::config::Settings,
        first_root: &Path,
    ) -> anyhow::Result<FilesState> {
        let ws = &settings.workspace;
        let dir = if ws.named_dir.is_empty() {
            first_root.join(".workspaces")
        } else {
            PathBuf::from(&ws.named_dir)
        };
        let protected = walk::globs(&settings.files.protected)
            .map_err(|e| anyhow::anyhow!("files.protected: {e}"))?;
        Ok(FilesState {
            registry: Registry::open(&settings.state_dir(), dir)?,
            settings: settings.files.clone(),
            workspace: ws.clone(),
            protected,
            write_locks: Default::default(),
            over_quota: Default::default(),
        })
    }
}

/// The workspace an operation works in, and as whom.
#[derive(Debug, Clone)]
pub(super) struct Target {
    pub(super) id: String,
    pub(super) path: PathBuf,
    pub(super) owner: String,
    pub(super) ids: Option<(u32, u32)>,
    quota_bytes: Option<u64>,
    quota_files: Option<u64>,
    record: Option<WorkspaceRecord>,
}

fn quota(n: u64) -> Option<u64> {
    (n > 0).then_some(n)
}

fn file_err(e: FileError) -> ServiceError {
    ServiceError::Files(e)
}

/// Take the workspace owner's identity on this (blocking) thread and open the root as it.
fn enter(dir: &Path, ids: Option<(u32, u32)>) -> Result<(AsUser, Root), ServiceError> {
    let guard = AsUser::enter(ids)
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("take the workspace identity: {e}")))?;
    let root = Root::open(dir).map_err(file_err)?;
    Ok((guard, root))
}

impl Target {
    /// A caller's path inside this workspace.
    fn rel(&self, raw: &[u8]) -> Result<RelPath, ServiceError> {
        RelPath::parse(raw, self.path.as_os_str().as_encoded_bytes()).map_err(file_err)
    }
}

impl ExecService {
    /// The workspace `id` (`default` = the caller's own) if the caller may use it.
    pub(super) fn target(&self, caller: &Caller, id: &str) -> Result<Target, ServiceError> {
        let ws = &self.files.workspace;
        if id == DEFAULT_ID {
            let ids = self
                .identities
                .for_caller(caller, self.limits.root_for_admin)?;
            let area = self.workspace.area(caller, ids)?;
            let own = area.is_own();
            return Ok(Target {
                id: DEFAULT_ID.into(),
                path: area.base().to_path_buf(),
                owner: caller.name.clone(),
                ids,
                quota_bytes: quota(ws.quota_bytes).filter(|_| own),
                quota_files: quota(ws.quota_files).filter(|_| own),
                record: None,
            });
        }
        let owner = (caller.role != Role::Admin).then_some(caller.name.as_str());
        let record = self
            .files
            .registry
            .get(id, owner)
            .ok_or_else(|| ServiceError::WorkspaceNotFound(id.to_string()))?;
        Ok(Target {
            id: record.id.clone(),
            path: record.path.clone(),
            owner: record.owner.clone(),
            ids: self.identities.for_name(&record.owner)?,
            quota_bytes: record.quota_bytes,
            quota_files: record.quota_files,
            record: Some(record),
        })
    }

    /// Refuse a command in a workspace the janitor found over quota.
    pub(super) fn check_not_over_quota(&self, dir: &Path) -> Result<(), ServiceError> {
        let over = self
            .files
            .over_quota
            .lock()
            .map(|s| s.contains(dir))
            .unwrap_or(false);
        if over {
            return Err(file_err(FileError::new(
                FileCode::QuotaExceeded,
                format!(
                    "the workspace {} is over its quota; delete files before running more \
                     commands in it",
                    dir.display()
                ),
            )));
        }
        Ok(())
    }

    /// Run `f` on a blocking thread, as the workspace owner, with the root open.
    async fn in_workspace<T: Send + 'static>(
        &self,
        t: &Target,
        f: impl FnOnce(&Root) -> Result<T, FileError> + Send + 'static,
    ) -> Result<T, ServiceError> {
        let (path, ids) = (t.path.clone(), t.ids);
        tokio::task::spawn_blocking(move || {
            let (_as, root) = enter(&path, ids)?;
            f(&root).map_err(file_err)
        })
        .await
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("file operation failed: {e}")))?
    }

    fn may_read(&self, caller: &Caller) -> Result<(), ServiceError> {
        let need = self.files.settings.read_role;
        if caller.role < need {
            return Err(ServiceError::Forbidden(format!(
                "reading workspace files needs the {} role (files.read_role); token `{}` has {}",
                need.as_str(),
                caller.name,
                caller.role.as_str()
            )));
        }
        Ok(())
    }

    fn lock_for(&self, t: &Target) -> Arc<tokio::sync::Mutex<()>> {
        let mut map = self
            .files
            .write_locks
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        map.entry(t.path.clone()).or_default().clone()
    }

    /// Redact bytes that leave: the counts say what was replaced.
    fn redact_bytes(&self, bytes: &[u8]) -> (Vec<u8>, BTreeMap<String, u64>) {
        let mut filter = self.filter.stream();
        let mut out = filter.push(bytes);
        out.extend(filter.flush());
        (out, filter.counts())
    }

    fn redact_line(&self, bytes: &[u8], counts: &mut BTreeMap<String, u64>) -> String {
        let (out, c) = self.redact_bytes(bytes);
        for (k, v) in c {
            *counts.entry(k).or_default() += v;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    /// Whether changing `rel` needs a person to confirm (`files.protected`), and if so
    /// whether `token` confirms exactly this change.
    fn confirm_protected(
        &self,
        caller: &Caller,
        t: &Target,
        op: &str,
        paths: &[&RelPath],
        digest: &[u8],
        token: Option<&str>,
    ) -> Result<(), ServiceError> {
        let Some(set) = &self.files.protected else {
            return Ok(());
        };
        let Some(hit) = paths
            .iter()
            .find(|p| walk::glob_matches(Some(set), p) || under_protected_dir(set, p))
        else {
            return Ok(());
        };
        let args: Vec<String> = std::iter::once(op.to_string())
            .chain(paths.iter().map(|p| p.display()))
            .collect();
        let (mode, _) = self.approval_mode(caller);
        let subject = super::seams::PolicySubject {
            program: "shellwise-files",
            args: &args,
            command: None,
            code: None,
            cwd: &t.path,
            env: &[],
            caller,
            mode,
        };
        let reason = format!(
            "`{}` is protected (files.protected): changing it needs a person to confirm",
            hit.display()
        );
        if mode == crate::domain::ApprovalMode::Never {
            return Err(ServiceError::PolicyDenied {
                rule_id: "protected-path".into(),
                reason: format!("{reason}{}", super::policy_gate::NEVER_NOTE),
                mode: Some(mode),
            });
        }
        let bound = format!("{}|{}", t.id, hex::encode(sha2_digest(digest)));
        let binding = super::policy_gate::binding(&subject, &bound);
        let display = self.filter_text(&args.join(" "));
        self.confirm_with(&subject, binding, "protected-path", reason, &display, token)
    }

    fn audit_change(&self, caller: &Caller, t: &Target, what: &str) {
        let what = self.filter_text(what);
        self.audit(audit::AuditRecord {
            ts_ms: audit::AuditLog::now_ms(),
            kind: "file",
            request_id: &crate::telemetry::current_request_id().unwrap_or_default(),
            exec_id: &t.id,
            who: &caller.name,
            role: caller.role.as_str(),
            what: &what,
            cwd: &t.path.display().to_string(),
            decision: "changed",
            rule_id: "",
            exit_code: None,
            limit: None,
            duration_ms: None,
        });
    }

    pub(super) fn refuse_over_audit(&self) -> Result<(), ServiceError> {
        if self.audit_blocks() {
            return Err(ServiceError::AuditUnavailable);
        }
        Ok(())
    }

    // ---- workspaces ----

    fn describe(&self, t: &Target, usage: Option<WorkspaceUsage>) -> Workspace {
        let r = t.record.as_ref();
        Workspace {
            id: t.id.clone(),
            name: r.and_then(|r| r.name.clone()),
            default: r.is_none(),
            path: t.path.display().to_string(),
            owner: t.owner.clone(),
            created_ms: r.map(|r| r.created_ms),
            expires_ms: r.and_then(|r| r.expires_ms),
            quota_bytes: t.quota_bytes,
            quota_files: t.quota_files,
            usage,
        }
    }

    /// The caller's workspaces (all of them for admin): its default one first.
    pub async fn list_workspaces(&self, caller: &Caller) -> Result<WorkspaceList, ServiceError> {
        let default = self.target(caller, DEFAULT_ID)?;
        let mut workspaces = vec![self.describe(&default, None)];
        let owner = (caller.role != Role::Admin).then_some(caller.name.as_str());
        for record in self.files.registry.list(owner) {
            let t = self.target(caller, &record.id)?;
            workspaces.push(self.describe(&t, None));
        }
        Ok(WorkspaceList { workspaces })
    }

    /// One workspace, with what it holds now.
    pub async fn get_workspace(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<Workspace, ServiceError> {
        let t = self.target(caller, id)?;
        let usage = self.in_workspace(&t, usage_of).await?;
        Ok(self.describe(&t, Some(usage)))
    }

    /// Make a named workspace for the caller.
    pub async fn create_workspace(
        &self,
        caller: &Caller,
        req: CreateWorkspaceRequest,
    ) -> Result<Workspace, ServiceError> {
        self.refuse_over_audit()?;
        let ws = &self.files.workspace;
        let admin = caller.role == Role::Admin;
        if self.files.registry.count_for(&caller.name) >= ws.max_per_token {
            return Err(ServiceError::TooManyWorkspaces(format!(
                "token `{}` already has {} workspaces (workspace.max_per_token); delete one first",
                caller.name, ws.max_per_token
            )));
        }
        if req
            .name
            .as_deref()
            .is_some_and(|n| n.len() > 200 || n.contains('\0'))
        {
            return Err(ServiceError::Invalid(
                "`name` is at most 200 bytes, without NUL".into(),
            ));
        }
        if let Some(ttl) = req.ttl_secs {
            if ttl == 0 || (ws.max_ttl_secs > 0 && ttl > ws.max_ttl_secs) {
                return Err(ServiceError::Invalid(format!(
                    "`ttlSecs` must be 1..={} (workspace.max_ttl_secs)",
                    if ws.max_ttl_secs > 0 {
                        ws.max_ttl_secs
                    } else {
                        u64::MAX
                    }
                )));
            }
        }
        let pick = |asked: Option<u64>, default: u64, what: &str| match asked {
            Some(n) if !admin && default > 0 && n > default => Err(ServiceError::LimitNotAllowed(
                format!("`{what}` {n} is above the default {default}; more needs the admin role"),
            )),
            Some(0) if !admin && default > 0 => Err(ServiceError::LimitNotAllowed(format!(
                "`{what}` 0 (no quota) needs the admin role"
            ))),
            Some(n) => Ok(quota(n)),
            None => Ok(quota(default)),
        };
        let quota_bytes = pick(req.quota_bytes, ws.quota_bytes, "quotaBytes")?;
        let quota_files = pick(req.quota_files, ws.quota_files, "quotaFiles")?;
        // Decode the initial files before anything is made: a bad one refuses the create.
        let mut initial = Vec::new();
        for (i, f) in req.files.iter().flatten().enumerate() {
            let bytes = decode(&f.content, f.encoding, &format!("files[{i}].content"))?;
            initial.push((f.path.clone(), bytes));
        }
        let ids = self.identities.for_name(&caller.name)?;
        let now = workspaces::now_ms();
        let record = WorkspaceRecord {
            id: workspaces::new_id(),
            name: req.name.clone(),
            owner: caller.name.clone(),
            created_ms: now,
            expires_ms: req
                .ttl_secs
                .map(|t| now.saturating_add(t.saturating_mul(1000))),
            quota_bytes,
            quota_files,
            path: PathBuf::new(),
        };
        let record = self
            .files
            .registry
            .create(record, ids)
            .map_err(ServiceError::Internal)?;
        let t = self.target(caller, &record.id)?;
        let git = req.git_init;
        let setup = self
            .in_workspace(&t, move |root| {
                let mut total = 0u64;
                for (path, bytes) in initial {
                    let rel = root.rel(path.as_bytes())?;
                    total += bytes.len() as u64;
                    if quota_bytes.is_some_and(|q| total > q) {
                        return Err(FileError::new(
                            FileCode::QuotaExceeded,
                            "the initial files are larger than the workspace's byte quota",
                        ));
                    }
                    root.write(
                        &rel,
                        &bytes,
                        &WriteOpts {
                            parents: true,
                            ..Default::default()
                        },
                    )?;
                }
                Ok(())
            })
            .await;
        let setup = match setup {
            Ok(()) if git => git_init(&t.path, t.ids),
            other => other,
        };
        if let Err(e) = setup {
            // Nothing half-made stays behind.
            let _ = self.remove_workspace(&t).await;
            return Err(e);
        }
        self.audit_change(caller, &t, &format!("create workspace {}", t.id));
        Ok(self.describe(&t, None))
    }

    /// Delete a named workspace and everything in it.
    pub async fn delete_workspace(
        &self,
        caller: &Caller,
        id: &str,
    ) -> Result<DeleteResult, ServiceError> {
        if id == DEFAULT_ID {
            return Err(ServiceError::Invalid(
                "the default workspace cannot be deleted; delete its files instead".into(),
            ));
        }
        self.refuse_over_audit()?;
        let t = self.target(caller, id)?;
        let removed = self.remove_workspace(&t).await?;
        self.audit_change(caller, &t, &format!("delete workspace {}", t.id));
        Ok(DeleteResult {
            path: t.id.clone(),
            removed,
        })
    }

    /// Remove a workspace's tree and record; returns the entries removed.
    async fn remove_workspace(&self, t: &Target) -> Result<u64, ServiceError> {
        let dir = t.path.clone();
        let (parent, name) = match (dir.parent(), dir.file_name()) {
            (Some(p), Some(n)) => (p.to_path_buf(), n.to_os_string()),
            _ => {
                return Err(ServiceError::Internal(anyhow::anyhow!(
                    "bad workspace path"
                )))
            }
        };
        // The tree is removed as its owner (nothing it holds can make root follow a link),
        // then the empty directory itself by the server.
        let owner = t.ids;
        let removed = tokio::task::spawn_blocking(move || -> Result<u64, ServiceError> {
            let mut removed = 0;
            {
                let (_as, root) = enter(&dir, owner)?;
                let mut names = Vec::new();
                walk::walk(
                    &root,
                    &RelPath::root(),
                    &WalkOpts {
                        gitignore: false,
                        ..Default::default()
                    },
                    &mut |e| {
                        names.push(e.path.clone());
                        Control::Skip
                    },
                )
                .map_err(file_err)?;
                for rel in names {
                    removed += root.remove(&rel, true).map_err(file_err)?;
                }
            }
            let parent = Root::open(&parent).map_err(file_err)?;
            use std::os::unix::ffi::OsStrExt;
            let rel = RelPath::root().join(name.as_bytes());
            parent.remove(&rel, false).map_err(file_err)?;
            Ok(removed)
        })
        .await
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("remove workspace: {e}")))??;
        self.files
            .registry
            .remove(&t.id)
            .map_err(ServiceError::Internal)?;
        Ok(removed)
    }

    /// The janitor: remove expired workspaces and note which are over quota.
    pub async fn sweep_workspaces(&self) {
        for record in self.files.registry.expired(workspaces::now_ms()) {
            let admin = Caller {
                name: record.owner.clone(),
                role: Role::Admin,
            };
            match self.target(&admin, &record.id) {
                Ok(t) => {
                    if let Err(e) = self.remove_workspace(&t).await {
                        tracing::warn!(id = %record.id, error = %e, "expired workspace not removed");
                    } else {
                        tracing::info!(id = %record.id, "expired workspace removed");
                    }
                }
                Err(e) => tracing::warn!(id = %record.id, error = %e, "expired workspace"),
            }
        }
        let mut over = std::collections::HashSet::new();
        for record in self.files.registry.list(None) {
            let admin = Caller {
                name: record.owner.clone(),
                role: Role::Admin,
            };
            let Ok(t) = self.target(&admin, &record.id) else {
                continue;
            };
            if let Ok(u) = self.in_workspace(&t, usage_of).await {
                if t.quota_bytes.is_some_and(|q| u.bytes > q)
                    || t.quota_files.is_some_and(|q| u.files > q)
                {
                    over.insert(t.path.clone());
                }
            }
        }
        if let Ok(mut set) = self.files.over_quota.lock() {
            *set = over;
        }
    }

    // ---- files ----

    /// Read part or all of a file, redacted.
    pub async fn read_file(
        &self,
        caller: &Caller,
        id: &str,
        q: ReadQuery,
    ) -> Result<FileContent, ServiceError> {
        self.may_read(caller)?;
        let t = self.target(caller, id)?;
        let s = &self.files.settings;
        let max_bytes = q
            .max_bytes
            .unwrap_or(s.default_read_bytes)
            .min(s.max_read_bytes)
            .max(1);
        let lines = q.start_line.is_some() || q.end_line.is_some();
        let raw = exact_path(&q.path, q.path_base64.as_deref())?;
        let (out, rel) = self
            .in_workspace(&t, move |root| {
                let rel = root.rel(&raw)?;
                let mut range = ReadRange {
                    offset: q.offset.unwrap_or(0),
                    length: q.length,
                    start_line: q.start_line,
                    end_line: q.end_line,
                    max_bytes,
                };
                let asked = range.offset;
                if !lines && range.offset > 0 {
                    // Widen back to the start of the line, so a page never starts inside a
                    // secret that redaction would no longer recognise — but only as far as
                    // the page still reaches past where it was asked to start: a line longer
                    // than a page is read on in pieces, never from its start again.
                    let back = range.offset.min(LINE_WIDEN_BYTES).min(max_bytes - 1);
                    let head = root.read(
                        &rel,
                        &ReadRange {
                            offset: range.offset - back,
                            length: Some(back),
                            max_bytes: back,
                            ..Default::default()
                        },
                    )?;
                    if let Some(nl) = memchr::memrchr(b'\n', &head.bytes) {
                        let start = head.offset + nl as u64 + 1;
                        range.length = range.length.map(|l| l + (range.offset - start));
                        range.offset = start;
                    }
                }
                let mut out = root.read(&rel, &range)?;
                if !lines && out.truncated {
                    // End a cut page at a line end too (the next page starts there).
                    // Only where that end lies past the asked offset: every page moves on.
                    if let Some(nl) = memchr::memrchr(b'\n', &out.bytes) {
                        let end = out.offset + nl as u64 + 1;
                        if nl + 1 < out.bytes.len() && end > asked {
                            out.bytes.truncate(nl + 1);
                            out.next_offset = Some(end);
                        }
                    }
                }
                Ok((out, rel))
            })
            .await?;
        let utf8 = std::str::from_utf8(&out.bytes).is_ok();
        let encoding = q.encoding.unwrap_or(if utf8 {
            OutputEncoding::Text
        } else {
            OutputEncoding::Base64
        });
        let (bytes, redactions) = self.redact_bytes(&out.bytes);
        let content = match encoding {
            OutputEncoding::Text => String::from_utf8_lossy(&bytes).into_owned(),
            OutputEncoding::Base64 => base64::engine::general_purpose::STANDARD.encode(&bytes),
        };
        Ok(FileContent {
            path: rel.display(),
            encoding,
            content,
            size: out.stat.size,
            etag: out.stat.etag.clone(),
            modified_ms: out.stat.modified_ms,
            offset: out.offset,
            truncated: out.truncated,
            next_offset: out.next_offset,
            lines: out.lines.map(|l| LineRange {
                start: l.start,
                end: l.end,
                next: l.next,
                total: l.total,
            }),
            redactions,
        })
    }

    /// What is at a path.
    pub async fn stat_file(
        &self,
        caller: &Caller,
        id: &str,
        q: PathQuery,
    ) -> Result<FileInfo, ServiceError> {
        self.may_read(caller)?;
        let t = self.target(caller, id)?;
        let path = exact_path(&q.path, q.path_base64.as_deref())?;
        let info = self
            .in_workspace(&t, move |root| {
                let rel = root.rel(&path)?;
                let stat = root.stat(&rel)?;
                let target = (stat.kind == Kind::Symlink)
                    .then(|| root.read_link(&rel).ok())
                    .flatten();
                Ok(info_of(&rel, &stat, target, None))
            })
            .await?;
        Ok(self.redact_info(info))
    }

    fn redact_info(&self, mut info: FileInfo) -> FileInfo {
        info.target = info.target.map(|t| self.filter_text(&t));
        info
    }

    /// A page of a directory's entries.
    pub async fn list_files(
        &self,
        caller: &Caller,
        id: &str,
        q: ListQuery,
    ) -> Result<FileList, ServiceError> {
        self.may_read(caller)?;
        let t = self.target(caller, id)?;
        let limit = q.limit.unwrap_or(200);
        let depth = q.depth.unwrap_or(1);
        if !(1..=5000).contains(&limit) || !(1..=32).contains(&depth) {
            return Err(ServiceError::Invalid(
                "`limit` is 1..=5000 and `depth` 1..=32".into(),
            ));
        }
        let list = self
            .in_workspace(&t, move |root| {
                let start = root.rel(q.path.as_deref().unwrap_or("").as_bytes())?;
                let glob = walk::globs(&q.glob.into_iter().collect::<Vec<_>>())?;
                let after = q
                    .cursor
                    .as_deref()
                    .map(|c| {
                        base64::engine::general_purpose::URL_SAFE_NO_PAD
                            .decode(c)
                            .map_err(|_| {
                                FileError::new(
                                    FileCode::PathInvalid,
                                    "`cursor` is not one this server gave",
                                )
                            })
                            .and_then(|b| root.rel(&b))
                    })
                    .transpose()?;
                let opts = WalkOpts {
                    max_depth: depth,
                    hidden: q.hidden.unwrap_or(true),
                    gitignore: q.gitignore.unwrap_or(true),
                    ..WalkOpts::default()
                };
                let mut entries = Vec::new();
                let mut next = None;
                walk::walk(root, &start, &opts, &mut |e| {
                    if after
                        .as_ref()
                        .is_some_and(|a| e.path <= *a && !a.starts_with(&e.path))
                    {
                        // Already sent, and not an ancestor of where the last page stopped.
                        return if after.as_ref().is_some_and(|a| a.starts_with(&e.path)) {
                            Control::Continue
                        } else {
                            Control::Skip
                        };
                    }
                    if after
                        .as_ref()
                        .is_some_and(|a| *a == e.path || a.starts_with(&e.path))
                    {
                        return Control::Continue;
                    }
                    if !walk::glob_matches(glob.as_ref(), &e.path) {
                        return Control::Continue;
                    }
                    if entries.len() == limit {
                        next = Some(
                            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(
                                entries
                                    .last()
                                    .map(|(p, _): &(RelPath, FileInfo)| p.to_bytes())
                                    .unwrap_or_default(),
                            ),
                        );
                        return Control::Stop;
                    }
                    entries.push((
                        e.path.clone(),
                        info_of(&e.path, &e.stat, None, Some(e.depth)),
                    ));
                    Control::Continue
                })?;
                Ok(FileList {
                    path: start.display(),
                    entries: entries.into_iter().map(|(_, i)| i).collect(),
                    next_cursor: next,
                })
            })
            .await?;
        Ok(list)
    }

    /// Write a whole file.
    pub async fn write_file(
        &self,
        caller: &Caller,
        id: &str,
        req: WriteFileRequest,
        if_match_header: Option<String>,
    ) -> Result<WriteResult, ServiceError> {
        self.refuse_over_audit()?;
        let t = self.target(caller, id)?;
        let bytes = decode(&req.content, req.encoding, "content")?;
        refuse_markers(&bytes, req.force)?;
        let permissions = parse_permissions(req.permissions.as_deref())?;
        let raw = exact_path(&req.path, req.path_base64.as_deref())?;
        let rel = t.rel(&raw)?;
        self.confirm_protected(
            caller,
            &t,
            "write",
            &[&rel],
            &bytes,
            req.confirm_token.as_deref(),
        )?;
        let opts = WriteOpts {
            mode: match req.mode.unwrap_or_default() {
                WriteModeWire::Overwrite => WriteMode::Overwrite,
                WriteModeWire::Create => WriteMode::Create,
                WriteModeWire::Append => WriteMode::Append,
            },
            if_match: req.if_match.or(if_match_header),
            permissions,
            parents: req.parents.unwrap_or(true),
        };
        let lock = self.lock_for(&t);
        let _one = lock.lock().await;
        let (qb, qf) = (t.quota_bytes, t.quota_files);
        let (stat, created) = self
            .in_workspace(&t, move |root| {
                let before = root.stat(&rel).ok();
                if qb.is_some() || qf.is_some() {
                    let u = usage_of(root)?;
                    let grow = match opts.mode {
                        WriteMode::Append => bytes.len() as u64,
                        _ => (bytes.len() as u64)
                            .saturating_sub(before.as_ref().map_or(0, |b| b.size)),
                    };
                    check_quota(qb, qf, u, grow, u64::from(before.is_none()))?;
                }
                let stat = root.write(&rel, &bytes, &opts)?;
                Ok(((rel, stat), before.is_none()))
            })
            .await?;
        let (rel, stat) = stat;
        self.audit_change(
            caller,
            &t,
            &format!("write {} ({} bytes)", rel.display(), stat.size),
        );
        Ok(WriteResult {
            file: info_of(&rel, &stat, None, None),
            created,
        })
    }

    /// Delete a file or (with `recursive`) a directory.
    pub async fn delete_file(
        &self,
        caller: &Caller,
        id: &str,
        q: DeleteQuery,
    ) -> Result<DeleteResult, ServiceError> {
        self.refuse_over_audit()?;
        let t = self.target(caller, id)?;
        let raw = exact_path(&q.path, q.path_base64.as_deref())?;
        let rel = t.rel(&raw)?;
        self.confirm_protected(
            caller,
            &t,
            "delete",
            &[&rel],
            b"",
            q.confirm_token.as_deref(),
        )?;
        let recursive = q.recursive.unwrap_or(false);
        let lock = self.lock_for(&t);
        let _one = lock.lock().await;
        let (rel, removed) = self
            .in_workspace(&t, move |root| {
                let n = root.remove(&rel, recursive)?;
                Ok((rel, n))
            })
            .await?;
        self.audit_change(
            caller,
            &t,
            &format!("delete {} ({removed} entries)", rel.display()),
        );
        Ok(DeleteResult {
            path: rel.display(),
            removed,
        })
    }

    /// Move or rename.
    pub async fn move_file(
        &self,
        caller: &Caller,
        id: &str,
        req: MoveRequest,
    ) -> Result<FileInfo, ServiceError> {
        self.refuse_over_audit()?;
        let t = self.target(caller, id)?;
        let from = t.rel(req.from.as_bytes())?;
        let to = t.rel(req.to.as_bytes())?;
        self.confirm_protected(
            caller,
            &t,
            "move",
            &[&from, &to],
            b"",
            req.confirm_token.as_deref(),
        )?;
        let parents = req.parents.unwrap_or(true);
        let overwrite = req.overwrite;
        let lock = self.lock_for(&t);
        let _one = lock.lock().await;
        let (from, info) = self
            .in_workspace(&t, move |root| {
                if parents {
                    if let Some((p, _)) = to.split_last() {
                        root.mkdir(&p, true)?;
                    }
                }
                root.rename(&from, &to, overwrite)?;
                let stat = root.stat(&to)?;
                Ok((from, info_of(&to, &stat, None, None)))
            })
            .await?;
        self.audit_change(
            caller,
            &t,
            &format!("move {} -> {}", from.display(), info.path),
        );
        Ok(info)
    }

    /// Apply a unified diff or an apply-patch envelope: every file or none.
    pub async fn patch_files(
        &self,
        caller: &Caller,
        id: &str,
        req: PatchRequest,
    ) -> Result<PatchResult, ServiceError> {
        self.refuse_over_audit()?;
        let t = self.target(caller, id)?;
        let format = match req.format.unwrap_or_default() {
            PatchFormatWire::Auto => PatchFormat::Auto,
            PatchFormatWire::Unified => PatchFormat::Unified,
            PatchFormatWire::Envelope => PatchFormat::Envelope,
        };
        let patches = patch::parse(&req.patch, format).map_err(|e| {
            ServiceError::PatchInvalid(format!("patch line {}: {}", e.line, e.message))
        })?;
        let mut rels = Vec::new();
        let mut added = Vec::new();
        for p in &patches {
            rels.push(t.rel(p.path.as_bytes())?);
            match &p.op {
                PatchOp::Add { content } => added.extend_from_slice(content.as_bytes()),
                PatchOp::Update { hunks, move_to } => {
                    if let Some(m) = move_to {
                        rels.push(t.rel(m.as_bytes())?);
                    }
                    for h in hunks {
                        // Only lines the patch adds: a marker already in the file is not
                        // this patch's doing.
                        for l in h.new_lines.iter().filter(|l| !h.old_lines.contains(l)) {
                            added.extend_from_slice(l.as_bytes());
                            added.push(b'\n');
                        }
                    }
                }
                PatchOp::Delete => {}
            }
        }
        refuse_markers(&added, req.force)?;
        let rel_refs: Vec<&RelPath> = rels.iter().collect();
        self.confirm_protected(
            caller,
            &t,
            "patch",
            &rel_refs,
            req.patch.as_bytes(),
            req.confirm_token.as_deref(),
        )?;
        let lock = self.lock_for(&t);
        let _one = lock.lock().await;
        let dry_run = req.dry_run;
        let (qb, qf) = (t.quota_bytes, t.quota_files);
        let outcome = self
            .in_workspace(&t, move |root| {
                Ok(apply_patches(root, patches, dry_run, qb, qf))
            })
            .await?;
        match outcome {
            Ok(files) => {
                if !dry_run {
                    let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
                    self.audit_change(caller, &t, &format!("patch {}", names.join(", ")));
                }
                Ok(PatchResult {
                    applied: !dry_run,
                    files,
                })
            }
            Err(Failed::File(e)) => Err(file_err(e)),
            Err(Failed::Conflicts(list)) => {
                let mut counts = BTreeMap::new();
                let conflicts: Vec<crate::error::PatchConflict> = list
                    .into_iter()
                    .map(|(path, c)| crate::error::PatchConflict {
                        path,
                        hunk: c.hunk,
                        line: c.line,
                        expected: c
                            .expected
                            .iter()
                            .map(|l| self.redact_line(l.as_bytes(), &mut counts))
                            .collect(),
                        found: c
                            .found
                            .iter()
                            .map(|l| self.redact_line(l.as_bytes(), &mut counts))
                            .collect(),
                        message: self.filter_text(&c.message),
                    })
                    .collect();
                Err(ServiceError::PatchConflict(conflicts))
            }
        }
    }

    /// Search the workspace's files.
    pub async fn search_files(
        &self,
        caller: &Caller,
        id: &str,
        req: SearchRequest,
    ) -> Result<SearchResult, ServiceError> {
        self.may_read(caller)?;
        let t = self.target(caller, id)?;
        if req.pattern.is_empty() {
            return Err(ServiceError::Invalid("`pattern` is empty".into()));
        }
        let s = &self.files.settings;
        let context = req.context.unwrap_or(0);
        let wanted = req.max_matches.unwrap_or(100);
        if context > 10 || wanted == 0 {
            return Err(ServiceError::Invalid(
                "`context` is 0..=10 and `maxMatches` at least 1".into(),
            ));
        }
        let opts_max = (wanted as usize).min(s.max_search_matches.max(1));
        let max_file = s.search_max_file_bytes;
        let out = self
            .in_workspace(&t, move |root| {
                let start = root.rel(req.path.as_deref().unwrap_or("").as_bytes())?;
                crate::files::search::search(
                    root,
                    &crate::files::search::SearchOpts {
                        pattern: req.pattern,
                        literal: req.literal,
                        case_insensitive: req.case_insensitive,
                        globs: req.globs.unwrap_or_default(),
                        start,
                        context: context as usize,
                        max_matches: opts_max,
                        max_file_bytes: max_file,
                        max_line_bytes: 500,
                        hidden: req.hidden.unwrap_or(false),
                        gitignore: req.gitignore.unwrap_or(true),
                        max_depth: 64,
                    },
                )
            })
            .await?;
        let mut redactions = BTreeMap::new();
        // The answer stays under the response budget an Action can take: matches past it
        // are dropped and the result says it was cut.
        let budget = self.settings.max_response_chars;
        let mut spent = 0usize;
        let mut truncated = out.truncated;
        let matches = out
            .hits
            .into_iter()
            .take_while(|h| {
                spent += 120
                    + h.text.len()
                    + h.before
                        .iter()
                        .chain(&h.after)
                        .map(|(_, l)| l.len() + 20)
                        .sum::<usize>();
                let fits = spent <= budget;
                truncated |= !fits;
                fits
            })
            .map(|h| SearchMatch {
                path: h.path.display(),
                line: h.line,
                column: h.column,
                text: self.redact_line(&h.text, &mut redactions),
                before: h
                    .before
                    .iter()
                    .map(|(n, l)| ContextLine {
                        line: *n,
                        text: self.redact_line(l, &mut redactions),
                    })
                    .collect(),
                after: h
                    .after
                    .iter()
                    .map(|(n, l)| ContextLine {
                        line: *n,
                        text: self.redact_line(l, &mut redactions),
                    })
                    .collect(),
            })
            .collect();
        Ok(SearchResult {
            matches,
            files_searched: out.files_searched,
            files_matched: out.files_matched,
            files_skipped: out.files_skipped,
            truncated,
            redactions,
        })
    }

    /// Stream a file's bytes, redacted. The first item is the file's info.
    pub async fn download_file(
        &self,
        caller: &Caller,
        id: &str,
        q: PathQuery,
    ) -> Result<(FileInfo, ByteStream), ServiceError> {
        self.may_read(caller)?;
        let t = self.target(caller, id)?;
        let path = exact_path(&q.path, q.path_base64.as_deref())?;
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let (info_tx, info_rx) = tokio::sync::oneshot::channel();
        let mut filter = self.filter.stream();
        let (dir, ids) = (t.path.clone(), t.ids);
        tokio::task::spawn_blocking(move || {
            let opened = enter(&dir, ids).and_then(|(guard, root)| {
                let rel = root.rel(&path).map_err(file_err)?;
                let (file, stat) = root.open_file(&rel).map_err(file_err)?;
                Ok((guard, file, info_of(&rel, &stat, None, None)))
            });
            let (_guard, mut file) = match opened {
                Ok((g, f, info)) => {
                    if info_tx.send(Ok(info)).is_err() {
                        return;
                    }
                    (g, f)
                }
                Err(e) => {
                    let _ = info_tx.send(Err(e));
                    return;
                }
            };
            use std::io::Read;
            let mut buf = vec![0u8; 256 << 10];
            loop {
                match file.read(&mut buf) {
                    Ok(0) => break,
                    Ok(n) => {
                        let out = filter.push(&buf[..n]);
                        if !out.is_empty() && tx.blocking_send(Ok(Bytes::from(out))).is_err() {
                            return; // the client went away
                        }
                    }
                    Err(e) => {
                        let _ = tx.blocking_send(Err(e));
                        return;
                    }
                }
            }
            let rest = filter.flush();
            if !rest.is_empty() {
                let _ = tx.blocking_send(Ok(Bytes::from(rest)));
            }
        });
        let info = info_rx
            .await
            .map_err(|_| ServiceError::Internal(anyhow::anyhow!("download task ended")))??;
        Ok((info, rx))
    }

    /// Stream a directory as tar.gz, every file's content redacted.
    pub async fn download_archive(
        &self,
        caller: &Caller,
        id: &str,
        q: ArchiveQuery,
    ) -> Result<(String, ByteStream), ServiceError> {
        self.may_read(caller)?;
        let t = self.target(caller, id)?;
        let rel = t.rel(q.path.as_deref().unwrap_or("").as_bytes())?;
        // Refuse a missing or non-directory path before the 200 goes out.
        let check = rel.clone();
        self.in_workspace(&t, move |root| root.open_dir(&check).map(|_| ()))
            .await?;
        let name = rel
            .components()
            .last()
            .map(|n| String::from_utf8_lossy(n).into_owned())
            .unwrap_or_else(|| t.id.clone());
        let (tx, rx) = tokio::sync::mpsc::channel(4);
        let filter = self.filter.clone();
        let max = self.files.settings.archive_max_file_bytes;
        let (dir, ids) = (t.path.clone(), t.ids);
        let gitignore = q.gitignore.unwrap_or(true);
        tokio::task::spawn_blocking(move || {
            // The 200 is already on its way: a failure ends the body with an error, which
            // the client sees as a cut transfer, never as a complete (empty) archive.
            let (_as, root) = match enter(&dir, ids) {
                Ok(opened) => opened,
                Err(e) => {
                    let _ = tx.blocking_send(Err(std::io::Error::other(e.to_string())));
                    return;
                }
            };
            let sink = ChannelWriter {
                tx: tx.clone(),
                buf: Vec::with_capacity(256 << 10),
            };
            let opts = WalkOpts {
                max_depth: 64,
                hidden: true,
                gitignore,
                ..WalkOpts::default()
            };
            let result =
                crate::files::archive::tar_gz(&root, &rel, &opts, max, sink, &mut |content| {
                    let mut f = filter.stream();
                    let mut out = f.push(&content);
                    out.extend(f.flush());
                    out
                });
            if let Err(e) = result {
                let _ = tx.blocking_send(Err(std::io::Error::other(e.message)));
            }
        });
        Ok((format!("{name}.tar.gz"), rx))
    }

    /// Write an upload (raw bytes arriving in chunks) to a path, atomically.
    pub async fn upload_file(
        &self,
        caller: &Caller,
        id: &str,
        q: UploadQuery,
        if_match: Option<String>,
        mut body: tokio::sync::mpsc::Receiver<Result<Bytes, String>>,
    ) -> Result<WriteResult, ServiceError> {
        self.refuse_over_audit()?;
        let t = self.target(caller, id)?;
        let raw = exact_path(&q.path, q.path_base64.as_deref())?;
        let rel = t.rel(&raw)?;
        self.confirm_protected(
            caller,
            &t,
            "upload",
            &[&rel],
            b"",
            q.confirm_token.as_deref(),
        )?;
        let opts = WriteOpts {
            mode: if q.overwrite.unwrap_or(true) {
                WriteMode::Overwrite
            } else {
                WriteMode::Create
            },
            if_match,
            permissions: parse_permissions(q.permissions.as_deref())?,
            parents: true,
        };
        let max = self.files.settings.max_upload_bytes;
        let lock = self.lock_for(&t);
        let _one = lock.lock().await;
        let (qb, qf) = (t.quota_bytes, t.quota_files);
        let (dir, ids) = (t.path.clone(), t.ids);
        let result = tokio::task::spawn_blocking(move || -> Result<(RelPath, Stat, bool), ServiceError> {
            let (_as, root) = enter(&dir, ids)?;
            let before = root.stat(&rel).ok();
            let room = if qb.is_some() || qf.is_some() {
                let u = usage_of(&root).map_err(file_err)?;
                check_quota(qb, qf, u, 0, u64::from(before.is_none())).map_err(file_err)?;
                qb.map(|q| q.saturating_sub(u.bytes) + before.as_ref().map_or(0, |b| b.size))
            } else {
                None
            };
            let limit = room.map_or(max, |r| r.min(max));
            let mut pending = root.begin_write(&rel, &opts).map_err(file_err)?;
            while let Some(chunk) = body.blocking_recv() {
                let chunk = chunk.map_err(ServiceError::Invalid)?;
                if pending.written() + chunk.len() as u64 > limit {
                    return Err(if room.is_some_and(|r| r < max) {
                        file_err(FileError::new(FileCode::QuotaExceeded, "the upload does not fit in the workspace's byte quota; nothing was written"))
                    } else {
                        ServiceError::TooLarge(format!("the upload is over {max} bytes (files.max_upload_bytes); nothing was written"))
                    });
                }
                pending.write_all(&chunk).map_err(file_err)?;
            }
            let stat = pending.commit().map_err(file_err)?;
            Ok((rel, stat, before.is_none()))
        })
        .await
        .map_err(|e| ServiceError::Internal(anyhow::anyhow!("upload task: {e}")))??;
        let (rel, stat, created) = result;
        self.audit_change(
            caller,
            &t,
            &format!("upload {} ({} bytes)", rel.display(), stat.size),
        );
        Ok(WriteResult {
            file: info_of(&rel, &stat, None, None),
            created,
        })
    }
}

/// A `Write` that sends full buffers down a channel (the archive is made on a blocking
/// thread and streamed as it is made).
struct ChannelWriter {
    tx: tokio::sync::mpsc::Sender<Result<Bytes, std::io::Error>>,
    buf: Vec<u8>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= 256 << 10 {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::take(&mut self.buf));
        self.tx
            .blocking_send(Ok(chunk))
            .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))
    }
}

enum Failed {
    File(FileError),
    Conflicts(Vec<(String, patch::Conflict)>),
}

/// Work out every file's new content first; write only when all apply. A write that fails
/// midway puts back what was already written.
fn apply_patches(
    root: &Root,
    patches: Vec<patch::FilePatch>,
    dry_run: bool,
    quota_bytes: Option<u64>,
    quota_files: Option<u64>,
) -> Result<Vec<PatchedFile>, Failed> {
    struct Planned {
        rel: RelPath,
        to: Option<RelPath>,
        old: Option<(Vec<u8>, Stat)>,
        new: Option<String>,
        report: PatchedFile,
    }
    let mut planned = Vec::new();
    let mut conflicts = Vec::new();
    for p in patches {
        let rel = root.rel(p.path.as_bytes()).map_err(Failed::File)?;
        let current = match root.stat(&rel) {
            Ok(s) => Some(s),
            Err(e) if e.code == FileCode::NotFound => None,
            Err(e) => return Err(Failed::File(e)),
        };
        let read_old = |rel: &RelPath| -> Result<(Vec<u8>, Stat), Failed> {
            let out = root
                .read(
                    rel,
                    &ReadRange {
                        max_bytes: MAX_PATCH_FILE_BYTES + 1,
                        ..Default::default()
                    },
                )
                .map_err(Failed::File)?;
            if out.bytes.len() as u64 > MAX_PATCH_FILE_BYTES {
                return Err(Failed::File(FileError::new(
                    FileCode::TooLarge,
                    format!(
                        "`{}` is over {MAX_PATCH_FILE_BYTES} bytes; patch it with a command",
                        rel.display()
                    ),
                )));
            }
            Ok((out.bytes, out.stat))
        };
        match p.op {
            PatchOp::Add { content } => {
                if current.is_some() {
                    return Err(Failed::File(FileError::new(
                        FileCode::AlreadyExists,
                        format!("the patch adds `{}`, which already exists", rel.display()),
                    )));
                }
                planned.push(Planned {
                    report: PatchedFile {
                        path: rel.display(),
                        op: "add".into(),
                        moved_to: None,
                        hunks: 1,
                        offsets: vec![0],
                        fuzzy: false,
                        etag: None,
                    },
                    rel,
                    to: None,
                    old: None,
                    new: Some(content),
                });
            }
            PatchOp::Delete => {
                if current.is_none() {
                    return Err(Failed::File(FileError::new(
                        FileCode::NotFound,
                        format!(
                            "the patch deletes `{}`, which does not exist",
                            rel.display()
                        ),
                    )));
                }
                let old = read_old(&rel)?;
                planned.push(Planned {
                    report: PatchedFile {
                        path: rel.display(),
                        op: "delete".into(),
                        moved_to: None,
                        hunks: 0,
                        offsets: vec![],
                        fuzzy: false,
                        etag: None,
                    },
                    rel,
                    to: None,
                    old: Some(old),
                    new: None,
                });
            }
            PatchOp::Update { hunks, move_to } => {
                if current.is_none() {
                    return Err(Failed::File(FileError::new(
                        FileCode::NotFound,
                        format!(
                            "the patch changes `{}`, which does not exist",
                            rel.display()
                        ),
                    )));
                }
                let (bytes, stat) = read_old(&rel)?;
                let Ok(text) = String::from_utf8(bytes.clone()) else {
                    return Err(Failed::File(FileError::new(
                        FileCode::UnsupportedType,
                        format!(
                            "`{}` is not UTF-8 text; patches apply to text",
                            rel.display()
                        ),
                    )));
                };
                let to = move_to
                    .map(|m| root.rel(m.as_bytes()))
                    .transpose()
                    .map_err(Failed::File)?;
                match patch::apply(&text, &hunks) {
                    Ok(applied) => planned.push(Planned {
                        report: PatchedFile {
                            path: rel.display(),
                            op: "update".into(),
                            moved_to: to.as_ref().map(|t| t.display()),
                            hunks: hunks.len(),
                            offsets: applied.offsets.iter().map(|o| *o as i64).collect(),
                            fuzzy: applied.fuzzy,
                            etag: None,
                        },
                        rel,
                        to,
                        old: Some((bytes, stat)),
                        new: Some(applied.content),
                    }),
                    Err(c) => conflicts.push((rel.display(), c)),
                }
            }
        }
    }
    if !conflicts.is_empty() {
        return Err(Failed::Conflicts(conflicts));
    }
    if quota_bytes.is_some() || quota_files.is_some() {
        let u = usage_of(root).map_err(Failed::File)?;
        let grow: i64 = planned
            .iter()
            .map(|p| {
                p.new.as_ref().map_or(0, |n| n.len() as i64)
                    - p.old.as_ref().map_or(0, |o| o.0.len() as i64)
            })
            .sum();
        let new_files = planned.iter().filter(|p| p.old.is_none()).count() as u64;
        check_quota(quota_bytes, quota_files, u, grow.max(0) as u64, new_files)
            .map_err(Failed::File)?;
    }
    if dry_run {
        return Ok(planned.into_iter().map(|p| p.report).collect());
    }
    // Write everything; on a failure put back what was done.
    let mut done: Vec<usize> = Vec::new();
    let mut failure = None;
    for (i, p) in planned.iter_mut().enumerate() {
        let if_match = p.old.as_ref().map(|(_, s)| s.etag.clone());
        let result = match (&p.new, &p.to) {
            (Some(new), to) => {
                let target = to.as_ref().unwrap_or(&p.rel);
                let opts = WriteOpts {
                    mode: if to.is_some() || p.old.is_none() {
                        WriteMode::Create
                    } else {
                        WriteMode::Overwrite
                    },
                    if_match: if to.is_some() { None } else { if_match },
                    permissions: p.old.as_ref().map(|(_, s)| s.mode),
                    parents: true,
                };
                root.write(target, new.as_bytes(), &opts).and_then(|stat| {
                    p.report.etag = Some(stat.etag);
                    if to.is_some() {
                        root.remove(&p.rel, false).map(|_| ())
                    } else {
                        Ok(())
                    }
                })
            }
            (None, _) => root.remove(&p.rel, false).map(|_| ()),
        };
        match result {
            Ok(()) => done.push(i),
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    if let Some(e) = failure {
        for i in done.into_iter().rev() {
            let p = &planned[i];
            if let Some(to) = &p.to {
                let _ = root.remove(to, false);
            } else if p.old.is_none() {
                let _ = root.remove(&p.rel, false);
            }
            if let Some((bytes, stat)) = &p.old {
                let _ = root.write(
                    &p.rel,
                    bytes,
                    &WriteOpts {
                        permissions: Some(stat.mode),
                        ..Default::default()
                    },
                );
            }
        }
        return Err(Failed::File(FileError::new(
            e.code,
            format!("{}; nothing was changed", e.message),
        )));
    }
    Ok(planned.into_iter().map(|p| p.report).collect())
}

/// Bytes and entries under the root (hidden and ignored files count).
fn usage_of(root: &Root) -> Result<WorkspaceUsage, FileError> {
    let mut u = WorkspaceUsage::default();
    let opts = WalkOpts {
        max_depth: 256,
        hidden: true,
        gitignore: false,
        ..WalkOpts::default()
    };
    walk::walk(root, &RelPath::root(), &opts, &mut |e| {
        u.files += 1;
        if e.stat.kind == Kind::File {
            u.bytes += e.stat.size;
        }
        Control::Continue
    })?;
    Ok(u)
}

fn check_quota(
    qb: Option<u64>,
    qf: Option<u64>,
    u: WorkspaceUsage,
    grow: u64,
    new_files: u64,
) -> Result<(), FileError> {
    if let Some(q) = qb {
        if u.bytes.saturating_add(grow) > q {
            return Err(FileError::new(
                FileCode::QuotaExceeded,
                format!("the workspace holds {} of {q} bytes; this write needs {grow} more; nothing was written", u.bytes),
            ));
        }
    }
    if let Some(q) = qf {
        if u.files.saturating_add(new_files) > q {
            return Err(FileError::new(
                FileCode::QuotaExceeded,
                format!(
                    "the workspace holds {} of {q} entries; nothing was written",
                    u.files
                ),
            ));
        }
    }
    Ok(())
}

fn info_of(rel: &RelPath, stat: &Stat, target: Option<Vec<u8>>, depth: Option<usize>) -> FileInfo {
    let bytes = rel.to_bytes();
    let utf8 = std::str::from_utf8(&bytes).is_ok();
    FileInfo {
        path: rel.display(),
        path_base64: (!utf8).then(|| base64::engine::general_purpose::STANDARD.encode(&bytes)),
        kind: stat.kind,
        size: stat.size,
        permissions: format!("{:04o}", stat.mode),
        modified_ms: stat.modified_ms,
        etag: (stat.kind == Kind::File).then(|| stat.etag.clone()),
        target: target.map(|t| String::from_utf8_lossy(&t).into_owned()),
        depth,
    }
}

/// Whether `p` lies inside a directory a protected glob names (`.git/**` protects `.git`'s
/// contents; moving or deleting `.git` itself is protected too).
fn under_protected_dir(set: &globset::GlobSet, p: &RelPath) -> bool {
    let probe = p.join(b"x");
    walk::glob_matches(Some(set), &probe)
}

fn decode(
    content: &str,
    encoding: Option<OutputEncoding>,
    what: &str,
) -> Result<Vec<u8>, ServiceError> {
    match encoding.unwrap_or_default() {
        OutputEncoding::Text => Ok(content.as_bytes().to_vec()),
        OutputEncoding::Base64 => base64::engine::general_purpose::STANDARD
            .decode(content)
            .map_err(|e| ServiceError::Invalid(format!("`{what}` is not valid base64: {e}"))),
    }
}

/// The bytes a caller names: `pathBase64` when given (a name that is not UTF-8), else `path`.
fn exact_path(path: &str, b64: Option<&str>) -> Result<Vec<u8>, ServiceError> {
    match b64 {
        None => Ok(path.as_bytes().to_vec()),
        Some(b) => {
            // What the schema's pattern admits decodes: unused trailing bits are allowed.
            let lenient = base64::engine::GeneralPurpose::new(
                &base64::alphabet::STANDARD,
                base64::engine::general_purpose::PAD.with_decode_allow_trailing_bits(true),
            );
            lenient.decode(b).map_err(|e| {
                ServiceError::Invalid(format!("`pathBase64` is not valid base64: {e}"))
            })
        }
    }
}

fn parse_permissions(p: Option<&str>) -> Result<Option<u32>, ServiceError> {
    let Some(p) = p else { return Ok(None) };
    u32::from_str_radix(p, 8)
        .ok()
        .filter(|m| *m <= 0o7777)
        .map(|m| Some(m & 0o1777)) // setuid/setgid bits are never set through the API
        .ok_or_else(|| {
            ServiceError::Invalid(format!("`permissions` {p:?} is not octal bits like 0644"))
        })
}

/// Refuse content holding a redaction marker unless forced.
fn refuse_markers(content: &[u8], force: bool) -> Result<(), ServiceError> {
    if force {
        return Ok(());
    }
    let Some(at) = memchr::memmem::find(content, MARKER) else {
        return Ok(());
    };
    let line = content[..at].iter().filter(|b| **b == b'\n').count() + 1;
    let end = content[at..]
        .iter()
        .position(|b| *b == b']')
        .map_or(content.len(), |e| at + e + 1);
    let marker = String::from_utf8_lossy(&content[at..end.min(at + 80)]).into_owned();
    Err(ServiceError::RedactionMarker(format!(
        "line {line} holds `{marker}`: it came from a read and would overwrite the real secret; \
         send \"force\": true if it is meant"
    )))
}

fn sha2_digest(data: &[u8]) -> [u8; 32] {
    use sha2::Digest;
    sha2::Sha256::digest(data).into()
}

/// `git init` in a new workspace, as its owner.
fn git_init(dir: &Path, ids: Option<(u32, u32)>) -> Result<(), ServiceError> {
    use std::os::unix::process::CommandExt;
    let mut cmd = std::process::Command::new("git");
    cmd.args(["init", "-q"])
        .current_dir(dir)
        .env_clear()
        .env("PATH", "/usr/local/bin:/usr/bin:/bin")
        .env("HOME", dir)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped());
    if let Some((uid, gid)) = ids {
        // As root, std drops the supplementary groups when it sets the uid.
        cmd.uid(uid).gid(gid);
    }
    let out = cmd.output().map_err(|e| {
        ServiceError::Invalid(format!("`gitInit`: git could not run on this server: {e}"))
    })?;
    if !out.status.success() {
        return Err(ServiceError::Internal(anyhow::anyhow!(
            "git init failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(())
}
