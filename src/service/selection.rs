//! The selected default model, persisted as `selected-model.json` in the state directory so
//! that it survives restarts. Loaded once at start; a corrupt or stale file is logged and
//! ignored, never fatal.

use std::io::Write as _;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::{Deserialize, Serialize};

use crate::llm::Router;

/// File name inside the state directory.
pub const FILE_NAME: &str = "selected-model.json";

/// The persisted choice.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Selection {
    /// Provider name.
    pub provider: String,
    /// Model id.
    pub model: String,
}

/// Where the selection lives on disk.
#[derive(Debug, Clone)]
pub struct SelectionStore {
    path: PathBuf,
}

impl SelectionStore {
    /// A store in `state_dir` (created on the first save).
    pub fn new(state_dir: &Path) -> Self {
        SelectionStore {
            path: state_dir.join(FILE_NAME),
        }
    }

    /// Applies the stored selection to `router`, if there is a usable one.
    pub fn load_into(&self, router: &Router) {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "cannot read the selected model; ignoring it");
                return;
            }
        };
        let sel: Selection = match serde_json::from_str(&text) {
            Ok(s) => s,
            Err(e) => {
                tracing::warn!(path = %self.path.display(), error = %e, "the selected-model file is corrupt; ignoring it");
                return;
            }
        };
        match router.select_default(&sel.provider, &sel.model) {
            Ok(()) => {
                tracing::info!(provider = %sel.provider, model = %sel.model, "selected model restored")
            }
            Err(e) => {
                tracing::warn!(error = %e, "the stored selected model no longer applies; ignoring it")
            }
        }
    }

    /// Writes `sel` atomically (a temporary file renamed over the old one).
    pub fn save(&self, sel: &Selection) -> anyhow::Result<()> {
        let dir = self
            .path
            .parent()
            .context("the selected-model path has no directory")?;
        std::fs::create_dir_all(dir)
            .with_context(|| format!("Failed to create {}", dir.display()))?;
        write_private(&self.path, &serde_json::to_vec_pretty(sel)?)
    }
}

/// Writes a state-dir file atomically: a private (0600) temporary file, never through a
/// symlink, synced and renamed over `path`.
pub(super) fn write_private(path: &std::path::Path, body: &[u8]) -> anyhow::Result<()> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&tmp)
        .with_context(|| format!("Failed to create {}", tmp.display()))?;
    file.write_all(body)
        .with_context(|| format!("Failed to write {}", tmp.display()))?;
    file.sync_all()
        .with_context(|| format!("Failed to sync {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("Failed to replace {}", path.display()))?;
    Ok(())
}
