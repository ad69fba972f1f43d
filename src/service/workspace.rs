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
}

impl Workspace {
    pub(super) fn new(exec: &ExecSettings, ws: &WorkspaceSettings) -> anyhow::Result<Self> {
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
            if default_cwd == Path::new("/") {
                // Started from `/` (systemd's default WorkingDirectory) with nothing configured:
                // the workspace, which commands may write, would be the whole filesystem.
                anyhow::bail!(
                    "no workspace is configured and the server runs in `/`: commands could write \
                     anywhere Landlock otherwise protects. Set workspace.roots (or \
                     exec.default_cwd), e.g. SHELLWISE__WORKSPACE__ROOTS='[\"/var/lib/shellwise/work\"]', \
                     or start the server in the directory commands should work in"
                );
            }
            roots.push(default_cwd.clone());
        }
        if roots.iter().any(|r| r == Path::new("/")) {
            tracing::warn!(
                "workspace.roots includes `/`: commands may write anywhere their uid can \
                 (Landlock confines nothing there)"
            );
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
        })
    }

    /// The per-token directory: created on first use, owned by the caller's identity and
    /// private to it (0700), re-owned when it belongs to someone else (e.g. the single child
    /// user of an older version). A symlink is refused.
    fn token_dir(
        &self,
        caller: &Caller,
        owner: Option<(u32, u32)>,
    ) -> Result<PathBuf, ServiceError> {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
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
        let internal = |what: &str, e: std::io::Error| {
            ServiceError::Internal(anyhow::anyhow!("{what} {}: {e}", dir.display()))
        };
        let meta = match std::fs::symlink_metadata(&dir) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                match std::fs::create_dir(&dir) {
                    Ok(()) => {}
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                    Err(e) => return Err(internal("create", e)),
                }
                std::fs::symlink_metadata(&dir).map_err(|e| internal("stat", e))?
            }
            Err(e) => return Err(internal("stat", e)),
        };
        if !meta.is_dir() {
            return Err(ServiceError::Internal(anyhow::anyhow!(
                "{} is not a directory (a symlink?)",
                dir.display()
            )));
        }
        if let Some((uid, gid)) = owner {
            if meta.uid() != uid || meta.gid() != gid {
                nix::unistd::chown(
                    &dir,
                    Some(nix::unistd::Uid::from_raw(uid)),
                    Some(nix::unistd::Gid::from_raw(gid)),
                )
                .map_err(|e| internal("chown", e.into()))?;
            }
            if meta.mode() & 0o777 != 0o700 {
                std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o700))
                    .map_err(|e| internal("chmod", e))?;
            }
        }
        Ok(dir)
    }

    /// The area a caller's command works in: its own directory (per-token), or the roots.
    pub(super) fn area(
        &self,
        caller: &Caller,
        owner: Option<(u32, u32)>,
    ) -> Result<Area, ServiceError> {
        if self.per_token {
            let dir = self.token_dir(caller, owner)?;
            Ok(Area {
                base: dir.clone(),
                allowed: vec![dir.clone()],
                writable: vec![dir],
                own: true,
            })
        } else {
            Ok(Area {
                base: self.default_cwd.clone(),
                allowed: self.roots.clone(),
                writable: self.roots.clone(),
                own: false,
            })
        }
    }
}

/// Where one caller's command may work.
pub(super) struct Area {
    base: PathBuf,
    allowed: Vec<PathBuf>,
    /// What the command may write (Landlock), besides its private `/tmp`.
    pub(super) writable: Vec<PathBuf>,
    /// The caller's own directory (per-token), not a shared root.
    own: bool,
}

impl Area {
    /// A workspace directory of the caller's own (a named workspace).
    pub(super) fn own(dir: PathBuf) -> Area {
        Area {
            base: dir.clone(),
            allowed: vec![dir.clone()],
            writable: vec![dir],
            own: true,
        }
    }

    /// Where `cwd` is resolved from: the workspace's directory.
    pub(super) fn base(&self) -> &Path {
        &self.base
    }

    /// Whether this is the caller's own directory (not a shared root).
    pub(super) fn is_own(&self) -> bool {
        self.own
    }

    /// The child's `HOME`: its own directory, else its private `/tmp`, else unchanged.
    pub(super) fn home(&self, private_tmp: bool) -> Option<String> {
        if self.own {
            Some(self.base.display().to_string())
        } else if private_tmp {
            Some("/tmp".to_string())
        } else {
            None
        }
    }

    /// Resolve a request's `cwd` (symlinks followed) and check it stays inside the area.
    pub(super) fn resolve(&self, requested: Option<&str>) -> Result<PathBuf, ServiceError> {
        let (base, allowed) = (&self.base, &self.allowed);
        let path = match requested {
            None => base.clone(),
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_server_started_in_the_root_directory_with_no_workspace_refuses_to_start() {
        let defaults = crate::config::Settings::load_from(None, Vec::new()).unwrap();
        // Each test is its own process under nextest: changing the cwd touches no other test.
        std::env::set_current_dir("/").unwrap();
        let err = Workspace::new(&defaults.exec, &defaults.workspace)
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("workspace.roots"), "{err}");
        // Saying where commands work is enough.
        let dir = tempfile::tempdir().unwrap();
        let mut ws = defaults.workspace.clone();
        ws.roots = vec![dir.path().display().to_string()];
        let mut exec = defaults.exec.clone();
        exec.default_cwd = dir.path().display().to_string();
        let w = Workspace::new(&exec, &ws).unwrap();
        assert_eq!(w.roots, vec![dir.path().canonicalize().unwrap()]);
    }
}
