//! Who a caller's commands run as: a uid (and gid) of its own from `limits.uid_range`, stable
//! per token name and recorded in the state dir, so that children of different tokens can
//! never signal, trace or read each other, and a token's workspace files keep their owner
//! across restarts. The seam [files] uses: `for_caller` is the identity that owns a caller's
//! workspace.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use super::ServiceError;
use crate::auth::Caller;

/// How children get their uid.
pub(super) enum Identities {
    /// The server is not root: children run as the server's own user.
    Server,
    /// `limits.run_as` names one user for every caller (weaker; kept for old configs).
    One((u32, u32)),
    /// A uid per token name (the default when the server is root).
    PerCaller(IdentityMap),
}

impl Identities {
    /// Whether children run as users other than the server's.
    pub(super) fn drops_privileges(&self) -> bool {
        !matches!(self, Identities::Server)
    }

    /// The `(uid, gid)` a caller's commands run as; `None` = the server's own (not root, or
    /// an admin when `limits.root_for_admin`).
    pub(super) fn for_caller(
        &self,
        caller: &Caller,
        root_for_admin: bool,
    ) -> Result<Option<(u32, u32)>, ServiceError> {
        if root_for_admin && caller.role == crate::domain::Role::Admin {
            return Ok(None);
        }
        match self {
            Identities::Server => Ok(None),
            Identities::One(ids) => Ok(Some(*ids)),
            Identities::PerCaller(map) => map
                .uid_for(&caller.name)
                .map(|uid| Some((uid, uid)))
                .map_err(ServiceError::Internal),
        }
    }

    /// The `(uid, gid)` the token `name`'s files belong to (a workspace's owner), whoever
    /// asks; `None` = the server's own.
    pub(super) fn for_name(&self, name: &str) -> Result<Option<(u32, u32)>, ServiceError> {
        match self {
            Identities::Server => Ok(None),
            Identities::One(ids) => Ok(Some(*ids)),
            Identities::PerCaller(map) => map
                .uid_for(name)
                .map(|uid| Some((uid, uid)))
                .map_err(ServiceError::Internal),
        }
    }

    /// One line for `/readyz`.
    pub(super) fn describe(&self) -> String {
        match self {
            Identities::Server => "the server's own user (not root)".into(),
            Identities::One((uid, _)) => format!("one user for every caller (uid {uid})"),
            Identities::PerCaller(m) => format!(
                "a uid per token from {}-{} ({} assigned)",
                m.range.start(),
                m.range.end(),
                m.assigned()
            ),
        }
    }
}

/// The identities the settings ask for: a uid per caller from `limits.uid_range` when the
/// server is root (unless `limits.run_as` names one user), else the server's own.
pub(super) fn from_settings(
    limits: &crate::config::LimitsSettings,
    state_dir: &Path,
) -> anyhow::Result<Identities> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(Identities::Server);
    }
    if !limits.run_as.is_empty() {
        let ids = crate::sandbox::resolve_user(&limits.run_as).ok_or_else(|| {
            anyhow::anyhow!("limits.run_as: no user {:?} on this host", limits.run_as)
        })?;
        return Ok(Identities::One(ids));
    }
    let range = parse_range(&limits.uid_range).ok_or_else(|| {
        anyhow::anyhow!(
            "limits.uid_range {:?} is not FIRST-LAST with 0 < FIRST <= LAST",
            limits.uid_range
        )
    })?;
    Ok(Identities::PerCaller(IdentityMap::load(
        &state_dir.join("identities.json"),
        range,
    )?))
}

/// Parses `"70000-79999"`.
pub(super) fn parse_range(text: &str) -> Option<RangeInclusive<u32>> {
    let (a, b) = text.split_once('-')?;
    let (a, b): (u32, u32) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
    (a > 0 && a <= b).then_some(a..=b)
}

/// Token name → uid, persisted as JSON (`identities.json`, 0600) in the state dir.
pub(super) struct IdentityMap {
    range: RangeInclusive<u32>,
    path: PathBuf,
    map: Mutex<BTreeMap<String, u32>>,
}

impl IdentityMap {
    /// Loads the mapping (an absent file is an empty one). Entries outside `range` are kept:
    /// their files still belong to those uids.
    pub(super) fn load(path: &Path, range: RangeInclusive<u32>) -> anyhow::Result<Self> {
        use anyhow::Context;
        let map = match std::fs::read_to_string(path) {
            Ok(text) => serde_json::from_str(&text)
                .with_context(|| format!("{} is not a JSON object of uids", path.display()))?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => BTreeMap::new(),
            Err(e) => return Err(e).with_context(|| format!("read {}", path.display())),
        };
        Ok(Self {
            range,
            path: path.to_path_buf(),
            map: Mutex::new(map),
        })
    }

    fn assigned(&self) -> usize {
        self.map.lock().unwrap_or_else(|e| e.into_inner()).len()
    }

    /// The caller's uid, allocating the lowest free one of the range (and recording it) the
    /// first time a name is seen.
    pub(super) fn uid_for(&self, name: &str) -> anyhow::Result<u32> {
        let mut map = self.map.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(uid) = map.get(name) {
            return Ok(*uid);
        }
        let taken: std::collections::BTreeSet<u32> = map.values().copied().collect();
        let uid = self
            .range
            .clone()
            .find(|u| !taken.contains(u))
            .ok_or_else(|| {
                anyhow::anyhow!(
                    "limits.uid_range {}-{} is exhausted ({} identities recorded in {})",
                    self.range.start(),
                    self.range.end(),
                    map.len(),
                    self.path.display()
                )
            })?;
        map.insert(name.to_string(), uid);
        if let Err(e) = self.save(&map) {
            map.remove(name);
            return Err(e);
        }
        Ok(uid)
    }

    fn save(&self, map: &BTreeMap<String, u32>) -> anyhow::Result<()> {
        super::selection::write_private(&self.path, serde_json::to_string_pretty(map)?.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn uid_ranges_parse_and_refuse_nonsense() {
        assert_eq!(parse_range("70000-79999"), Some(70000..=79999));
        assert_eq!(parse_range(" 5 - 5 "), Some(5..=5));
        for bad in ["", "7", "9-3", "0-10", "a-b", "-5"] {
            assert_eq!(parse_range(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn each_name_gets_its_own_uid_which_survives_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("identities.json");
        let m = IdentityMap::load(&path, 100..=102).unwrap();
        let a = m.uid_for("alice").unwrap();
        let b = m.uid_for("bob").unwrap();
        assert_ne!(a, b);
        assert_eq!(m.uid_for("alice").unwrap(), a);

        let again = IdentityMap::load(&path, 100..=102).unwrap();
        assert_eq!(
            (
                again.uid_for("bob").unwrap(),
                again.uid_for("alice").unwrap()
            ),
            (b, a)
        );
        let c = again.uid_for("carol").unwrap();
        assert!(![a, b].contains(&c) && (100..=102).contains(&c));
        let err = again.uid_for("dave").unwrap_err().to_string();
        assert!(err.contains("exhausted"), "{err}");
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
}
