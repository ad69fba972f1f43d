//! Named workspaces: directories a token creates beside its default one, each with an owner
//! token, an optional expiry and quotas. The records live in the private state dir
//! (`workspaces.json`, 0600, replaced atomically); the directories live under
//! `workspace.named_dir` (default `<first root>/.workspaces`), each 0700 and owned by its
//! token's identity, so one caller's commands cannot enter another's.

use std::collections::BTreeMap;
use std::io::Write;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// The id every token's default workspace answers to.
pub const DEFAULT_ID: &str = "default";

/// One named workspace.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "camelCase")]
pub struct WorkspaceRecord {
    pub id: String,
    /// A label the caller chose (not unique).
    pub name: Option<String>,
    /// The token that owns it.
    pub owner: String,
    pub created_ms: u64,
    /// When the janitor removes it; `None` = kept until deleted.
    pub expires_ms: Option<u64>,
    pub quota_bytes: Option<u64>,
    pub quota_files: Option<u64>,
    pub path: PathBuf,
}

/// The registry of named workspaces.
pub(super) struct Registry {
    file: PathBuf,
    dir: PathBuf,
    records: Mutex<BTreeMap<String, WorkspaceRecord>>,
}

impl Registry {
    /// Load the records (a missing file = none). `dir` is where the directories go.
    pub(super) fn open(state_dir: &Path, dir: PathBuf) -> anyhow::Result<Registry> {
        use anyhow::Context;
        let file = state_dir.join("workspaces.json");
        let records = match std::fs::read(&file) {
            Ok(bytes) => serde_json::from_slice::<Vec<WorkspaceRecord>>(&bytes)
                .with_context(|| format!("{} is not a workspace list", file.display()))?
                .into_iter()
                .map(|r| (r.id.clone(), r))
                .collect(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e).with_context(|| format!("read {}", file.display())),
        };
        Ok(Registry {
            file,
            dir,
            records: Mutex::new(records),
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<String, WorkspaceRecord>> {
        // A panic while holding the lock cannot leave the map half-changed (each change is
        // one insert or remove), so a poisoned lock is still usable.
        self.records.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The record `id` if `owner` may see it (`None` for admin = any owner).
    pub(super) fn get(&self, id: &str, owner: Option<&str>) -> Option<WorkspaceRecord> {
        self.lock()
            .get(id)
            .filter(|r| owner.is_none_or(|o| r.owner == o))
            .cloned()
    }

    pub(super) fn list(&self, owner: Option<&str>) -> Vec<WorkspaceRecord> {
        self.lock()
            .values()
            .filter(|r| owner.is_none_or(|o| r.owner == o))
            .cloned()
            .collect()
    }

    pub(super) fn count_for(&self, owner: &str) -> usize {
        self.lock().values().filter(|r| r.owner == owner).count()
    }

    /// Make the directory for a new workspace (0700, owned by `ids`) and record it.
    pub(super) fn create(
        &self,
        mut record: WorkspaceRecord,
        ids: Option<(u32, u32)>,
    ) -> anyhow::Result<WorkspaceRecord> {
        use anyhow::Context;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o711)
            .create(&self.dir)
            .with_context(|| format!("create {}", self.dir.display()))?;
        // Callers' commands traverse this directory to reach their own; they never list it.
        std::fs::set_permissions(&self.dir, std::fs::Permissions::from_mode(0o711))?;
        let path = self.dir.join(&record.id);
        std::fs::DirBuilder::new()
            .mode(0o700)
            .create(&path)
            .with_context(|| format!("create {}", path.display()))?;
        if let Some((uid, gid)) = ids {
            std::os::unix::fs::lchown(&path, Some(uid), Some(gid))?;
        }
        record.path = path;
        let mut records = self.lock();
        records.insert(record.id.clone(), record.clone());
        self.save(&records)?;
        Ok(record)
    }

    /// Forget a workspace (its directory is removed by the caller first).
    pub(super) fn remove(&self, id: &str) -> anyhow::Result<()> {
        let mut records = self.lock();
        records.remove(id);
        self.save(&records)
    }

    /// The workspaces whose time is up.
    pub(super) fn expired(&self, now_ms: u64) -> Vec<WorkspaceRecord> {
        self.lock()
            .values()
            .filter(|r| r.expires_ms.is_some_and(|t| t <= now_ms))
            .cloned()
            .collect()
    }

    /// Write the records: a temporary file (0600) renamed over the old one.
    fn save(&self, records: &BTreeMap<String, WorkspaceRecord>) -> anyhow::Result<()> {
        let list: Vec<&WorkspaceRecord> = records.values().collect();
        let bytes = serde_json::to_vec_pretty(&list)?;
        let tmp = self.file.with_extension("json.tmp");
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW)
            .open(&tmp)?;
        f.write_all(&bytes)?;
        f.sync_data()?;
        std::fs::rename(&tmp, &self.file)?;
        Ok(())
    }
}

/// A fresh workspace id.
pub(super) fn new_id() -> String {
    format!("ws_{}", crate::telemetry::new_id())
}

/// Milliseconds since the Unix epoch.
pub(super) fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn records_survive_a_reopen_and_the_file_is_private() {
        let state = tempfile::tempdir().unwrap();
        let dirs = tempfile::tempdir().unwrap();
        let reg = Registry::open(state.path(), dirs.path().join("ws")).unwrap();
        let rec = WorkspaceRecord {
            id: new_id(),
            name: Some("scratch".into()),
            owner: "alice".into(),
            created_ms: now_ms(),
            expires_ms: Some(1),
            quota_bytes: None,
            quota_files: None,
            path: PathBuf::new(),
        };
        let made = reg.create(rec.clone(), None).unwrap();
        assert!(made.path.is_dir());
        let again = Registry::open(state.path(), dirs.path().join("ws")).unwrap();
        assert_eq!(again.get(&rec.id, Some("alice")), Some(made.clone()));
        assert_eq!(again.get(&rec.id, Some("bob")), None);
        assert_eq!(again.expired(now_ms()), vec![made]);
        let mode = std::fs::metadata(state.path().join("workspaces.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
