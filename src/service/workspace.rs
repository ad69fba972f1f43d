//! Where commands may run: workspace roots, the default working directory, per-token
//! directories, and the resolution of a request's `cwd` (symlinks followed) inside them.

use std::path::{Path, PathBuf};

use super::ServiceError;
use crate::auth::Caller;
use crate::config::{ExecSettings, WorkspaceSettings};

/// Where commands may run: the configured roots (canonical), the default working directory,
/// and optionally one sub-directory per token.
pub(super) struct Workspace {
    pub(super) roots: Vec<PathBuf>,
    pub(super) default_cwd: PathBuf,
    per_token: bool,
    owner: Option<(u32, u32)>,
}

impl Workspace {
    pub(super) fn new(
        exec: &ExecSettings,
        ws: &WorkspaceSettings,
        owner: Option<(u32, u32)>,
    ) -> anyhow::Result<Self> {
        use anyhow::Context;
        let default_cwd = if exec.default_cwd.is_empty() {
            std::env::current_dir()?
        } else {
            PathBuf::from(&exec.default_cwd)
        };
        let default_cwd = default_cwd
            .canonicalize()
            .with_context(|| format!("exec.default_cwd {}", default_cwd.display()))?;
        let mut roots = Vec::new();
        for r in &ws.roots {
            roots.push(
                Path::new(r)
                    .canonicalize()
                    .with_context(|| format!("workspace.roots: {r}"))?,
            );
        }
        if roots.is_empty() {
            roots.push(default_cwd.clone());
        }
        if !ws.per_token && !roots.iter().any(|r| default_cwd.starts_with(r)) {
            anyhow::bail!(
                "exec.default_cwd {} is outside every workspace.roots entry",
                default_cwd.display()
            );
        }
        Ok(Self {
            roots,
            default_cwd,
            per_token: ws.per_token,
            owner,
        })
    }

    /// The per-token area, created (and given to the child user) on first use.
    fn token_dir(&self, caller: &Caller) -> Result<PathBuf, ServiceError> {
        let name: String = caller
            .name
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        let root = self
            .roots
            .first()
            .cloned()
            .unwrap_or_else(|| self.default_cwd.clone());
        let dir = root.join(name);
        if !dir.is_dir() {
            std::fs::create_dir_all(&dir).map_err(|e| {
                ServiceError::Internal(anyhow::anyhow!("create {}: {e}", dir.display()))
            })?;
            if let Some((uid, gid)) = self.owner {
                let _ = nix::unistd::chown(
                    &dir,
                    Some(nix::unistd::Uid::from_raw(uid)),
                    Some(nix::unistd::Gid::from_raw(gid)),
                );
            }
        }
        Ok(dir)
    }

    /// Resolve a request's `cwd` (symlinks followed) and check it stays inside the workspace.
    pub(super) fn resolve(
        &self,
        requested: Option<&str>,
        caller: &Caller,
    ) -> Result<PathBuf, ServiceError> {
        let (base, allowed) = if self.per_token {
            let dir = self.token_dir(caller)?;
            (dir.clone(), vec![dir])
        } else {
            (self.default_cwd.clone(), self.roots.clone())
        };
        let path = match requested {
            None => base,
            Some(p) if p.contains('\0') => {
                return Err(ServiceError::InvalidCwd("`cwd` contains a NUL byte".into()))
            }
            Some(p) => base.join(p),
        };
        let real = path
            .canonicalize()
            .map_err(|e| ServiceError::InvalidCwd(format!("`cwd` {}: {e}", path.display())))?;
        if !allowed.iter().any(|root| real.starts_with(root)) {
            return Err(ServiceError::CwdOutsideWorkspace(format!(
                "`cwd` {} resolves to {}, outside the workspace ({})",
                path.display(),
                real.display(),
                allowed
                    .iter()
                    .map(|r| r.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        if !real.is_dir() {
            return Err(ServiceError::InvalidCwd(format!(
                "`cwd` {} is not a directory",
                real.display()
            )));
        }
        Ok(real)
    }
}
