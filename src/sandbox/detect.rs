//! Finds which cgroup version this host offers and prepares the per-run directory under the
//! server's own cgroup.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};

use super::control::{read_pids, write_control};

/// Where (and whether) per-exec cgroups can be created.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CgroupMode {
    /// Unified hierarchy; `base` is this run's directory (`<own cgroup>/shellwise-<pid>-<seq>`)
    /// with `memory`, `pids` and `cpu` enabled in its `cgroup.subtree_control`.
    V2 {
        /// This run's directory; exec groups are its children.
        base: PathBuf,
    },
    /// Legacy/hybrid hierarchies; each path is this run's directory in that hierarchy.
    /// `cpu` and `cpuacct` are equal when the two are co-mounted as `cpu,cpuacct`.
    V1 {
        /// Run directory in the memory hierarchy.
        memory: PathBuf,
        /// Run directory in the pids hierarchy.
        pids: PathBuf,
        /// Run directory in the cpu hierarchy.
        cpu: PathBuf,
        /// Run directory in the cpuacct hierarchy.
        cpuacct: PathBuf,
        /// Run directory in the freezer hierarchy, when mounted (used for race-free kills).
        freezer: Option<PathBuf>,
    },
    /// No usable cgroups; execs run with rlimits only.
    Unavailable {
        /// Human-readable reason, shown by `/readyz`.
        reason: String,
    },
}

impl CgroupMode {
    /// Short description for `/readyz`, e.g. `v1 (memory,pids,cpu,cpuacct,freezer)`.
    pub fn describe(&self) -> String {
        match self {
            CgroupMode::V2 { .. } => "v2 (memory,pids,cpu)".to_string(),
            CgroupMode::V1 { freezer, .. } => {
                let freezer = if freezer.is_some() { ",freezer" } else { "" };
                format!("v1 (memory,pids,cpu,cpuacct{freezer})")
            }
            CgroupMode::Unavailable { reason } => format!("unavailable ({reason})"),
        }
    }

    /// True for `V1` and `V2`.
    pub fn is_available(&self) -> bool {
        !matches!(self, CgroupMode::Unavailable { .. })
    }
}

/// One line of `/proc/self/mountinfo` (the fields this module needs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MountEntry {
    /// Root of the mount within its filesystem (field 4), e.g. `/` or `/docker/abc`.
    pub root: String,
    /// Mount point (field 5), unescaped.
    pub mount_point: PathBuf,
    /// Filesystem type, e.g. `cgroup` or `cgroup2`.
    pub fstype: String,
    /// Super-block options, e.g. `["rw", "memory"]`.
    pub super_options: Vec<String>,
}

/// One line of `/proc/self/cgroup`: `hierarchy-id:controller-list:path`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcCgroup {
    /// Hierarchy id; 0 is the unified (v2) hierarchy.
    pub hierarchy_id: u32,
    /// Controllers bound to the hierarchy (empty for v2; `name=systemd` for named ones).
    pub controllers: Vec<String>,
    /// Path of the process's cgroup relative to the hierarchy root.
    pub path: String,
}

const MAX_LINES: usize = 10_000;

/// Parses `/proc/self/mountinfo`; malformed lines are skipped.
pub fn parse_mountinfo(text: &str) -> Vec<MountEntry> {
    text.lines()
        .take(MAX_LINES)
        .filter_map(|line| {
            let fields: Vec<&str> = line.split(' ').collect();
            let sep = fields.iter().position(|f| *f == "-")?;
            if sep < 6 {
                return None;
            }
            Some(MountEntry {
                root: unescape_mount(fields.get(3)?),
                mount_point: PathBuf::from(unescape_mount(fields.get(4)?)),
                fstype: (*fields.get(sep + 1)?).to_string(),
                super_options: fields
                    .get(sep + 3)
                    .map(|o| o.split(',').map(str::to_string).collect())
                    .unwrap_or_default(),
            })
        })
        .collect()
}

/// mountinfo escapes space, tab, newline and backslash as `\ooo`.
fn unescape_mount(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' && i + 4 <= bytes.len() {
            let oct = &bytes[i + 1..i + 4];
            if oct.iter().all(|b| (b'0'..=b'7').contains(b)) {
                let v = oct
                    .iter()
                    .fold(0u32, |acc, b| acc * 8 + u32::from(b - b'0'));
                if let Ok(v) = u8::try_from(v) {
                    out.push(v);
                    i += 4;
                    continue;
                }
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses `/proc/self/cgroup`; malformed lines are skipped.
pub fn parse_proc_cgroup(text: &str) -> Vec<ProcCgroup> {
    text.lines()
        .take(MAX_LINES)
        .filter_map(|line| {
            let mut parts = line.splitn(3, ':');
            let hierarchy_id = parts.next()?.parse().ok()?;
            let controllers = parts.next()?;
            let path = parts.next()?.to_string();
            Some(ProcCgroup {
                hierarchy_id,
                controllers: controllers
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)
                    .collect(),
                path,
            })
        })
        .collect()
}

/// The directory of this process's own cgroup: for v1 `controller` (e.g. `Some("memory")`),
/// or for the unified v2 hierarchy (`None`). `None` when the hierarchy is not mounted or our
/// cgroup lies outside every mount of it.
pub fn resolve_cgroup_dir(
    mounts: &[MountEntry],
    cgroups: &[ProcCgroup],
    controller: Option<&str>,
) -> Option<PathBuf> {
    let line = cgroups.iter().find(|c| match controller {
        None => c.hierarchy_id == 0 && c.controllers.is_empty(),
        Some(name) => c.controllers.iter().any(|x| x == name),
    })?;
    mounts
        .iter()
        .filter(|m| match controller {
            None => m.fstype == "cgroup2",
            Some(name) => m.fstype == "cgroup" && m.super_options.iter().any(|o| o == name),
        })
        .find_map(|m| {
            let rel = relative_to_root(&line.path, &m.root)?;
            Some(if rel.is_empty() {
                m.mount_point.clone()
            } else {
                m.mount_point.join(rel)
            })
        })
}

fn relative_to_root<'a>(path: &'a str, root: &str) -> Option<&'a str> {
    if root == "/" {
        return Some(path.trim_start_matches('/'));
    }
    let rest = path.strip_prefix(root.trim_end_matches('/'))?;
    if rest.is_empty() || rest.starts_with('/') {
        Some(rest.trim_start_matches('/'))
    } else {
        None
    }
}

/// Controllers an exec group needs on v2.
pub(super) const V2_CONTROLLERS: [&str; 3] = ["memory", "pids", "cpu"];
/// Line written to `cgroup.subtree_control` on v2.
pub(super) const V2_ENABLE: &str = "+memory +pids +cpu";
/// Name of the leaf the server's processes move to when its own v2 cgroup must become inner.
pub(super) const SERVER_LEAF: &str = "shellwise-server";
/// Prefix of per-run directories.
pub(super) const RUN_PREFIX: &str = "shellwise-";

static RUN_SEQ: AtomicU32 = AtomicU32::new(0);

/// Who made a run directory, as written in its name: `shellwise-<pid>-<seq>-t<start>-n<ns>`,
/// the pid with its start time (clock ticks since boot, so a reused pid does not match) and
/// the inode of its pid namespace. A pid means something only inside that namespace: a
/// server in another one must never judge it (one started in a fresh pid namespace once
/// called every other server's runs stale and deleted their groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunOwner {
    pub pid: u32,
    /// `None` for the names of older versions (`shellwise-<pid>-<seq>`).
    pub start: Option<u64>,
    pub pid_ns: Option<u64>,
}

impl RunOwner {
    /// This process.
    pub fn me() -> Self {
        let pid = std::process::id();
        Self {
            pid,
            start: start_time(pid),
            pid_ns: own_pid_ns(),
        }
    }

    pub(super) fn dir_name(&self, seq: u32) -> String {
        match (self.start, self.pid_ns) {
            (Some(t), Some(ns)) => format!("{RUN_PREFIX}{}-{seq}-t{t}-n{ns}", self.pid),
            _ => format!("{RUN_PREFIX}{}-{seq}", self.pid),
        }
    }

    /// Parses a run directory's name (`None`: not a run directory).
    pub fn parse(name: &str) -> Option<Self> {
        let rest = name.strip_prefix(RUN_PREFIX)?;
        let mut parts = rest.split('-');
        let pid = parts.next()?.parse().ok()?;
        if let Some(seq) = parts.next() {
            seq.parse::<u64>().ok()?;
        }
        let (start, pid_ns) = match (parts.next(), parts.next()) {
            (None, None) => (None, None),
            (Some(t), Some(n)) => (
                Some(t.strip_prefix('t')?.parse().ok()?),
                Some(n.strip_prefix('n')?.parse().ok()?),
            ),
            _ => return None,
        };
        if parts.next().is_some() {
            return None;
        }
        Some(Self { pid, start, pid_ns })
    }

    /// Whether `self` (read from a directory name) is certainly a dead run, judged by `me`:
    /// only a run of our own pid namespace whose pid is gone or was reused (`start_of` reads
    /// a pid's start time there). Runs of other namespaces and of older versions are never
    /// stale: we cannot tell. Pure, table-tested.
    pub fn is_stale(&self, me: &RunOwner, start_of: impl Fn(u32) -> Option<u64>) -> bool {
        match (self.pid_ns, me.pid_ns, self.start) {
            (Some(theirs), Some(ours), Some(start)) if theirs == ours => {
                self.pid != me.pid && start_of(self.pid) != Some(start)
            }
            _ => false,
        }
    }
}

/// A process's start time (field 22 of `/proc/<pid>/stat`), if it exists.
pub fn start_time(pid: u32) -> Option<u64> {
    let stat = fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let (_, rest) = stat.rsplit_once(')')?;
    // Fields after the comm start at field 3 (state); start time is field 22.
    rest.split_whitespace().nth(19)?.parse().ok()
}

fn own_pid_ns() -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    fs::metadata("/proc/self/ns/pid").ok().map(|m| m.ino())
}

/// Detects the cgroup mode and creates this run's directory (see the module docs).
///
/// Prefers v2 when the unified hierarchy offers `memory`, `pids` and `cpu` to our cgroup, then
/// v1; otherwise returns [`CgroupMode::Unavailable`] with every reason found. A probe group is
/// created and removed to prove we may write there.
pub fn detect() -> CgroupMode {
    let mountinfo = match fs::read_to_string("/proc/self/mountinfo") {
        Ok(t) => t,
        Err(e) => {
            return CgroupMode::Unavailable {
                reason: format!("cannot read /proc/self/mountinfo: {e}"),
            }
        }
    };
    let own = match fs::read_to_string("/proc/self/cgroup") {
        Ok(t) => t,
        Err(e) => {
            return CgroupMode::Unavailable {
                reason: format!("cannot read /proc/self/cgroup: {e}"),
            }
        }
    };
    let mounts = parse_mountinfo(&mountinfo);
    let cgroups = parse_proc_cgroup(&own);
    let me = RunOwner::me();
    let name = me.dir_name(RUN_SEQ.fetch_add(1, Ordering::Relaxed));
    let mut reasons = Vec::new();
    if let Some(own_v2) = resolve_cgroup_dir(&mounts, &cgroups, None) {
        match prepare_v2_base(&own_v2, &name).and_then(|base| {
            probe(&[base.as_path()]).map(|()| base).inspect_err(|_| {
                let _ = fs::remove_dir(own_v2.join(&name));
            })
        }) {
            Ok(base) => return CgroupMode::V2 { base },
            Err(reason) => reasons.push(format!("v2: {reason}")),
        }
    } else {
        reasons.push("v2: no cgroup2 mount holds our cgroup".to_string());
    }
    match prepare_v1(&mounts, &cgroups, &name) {
        Ok(mode) => mode,
        Err(reason) => {
            reasons.push(format!("v1: {reason}"));
            CgroupMode::Unavailable {
                reason: reasons.join("; "),
            }
        }
    }
}

/// Prepares `<own>/<name>` on v2: checks the controllers, enables them in `<own>` (moving its
/// processes into a leaf if the no-internal-processes rule requires it) and in the new
/// directory. Works on any directory tree with the cgroup files, so it is tested on a fake one.
pub(super) fn prepare_v2_base(own: &Path, name: &str) -> Result<PathBuf, String> {
    let available = fs::read_to_string(own.join("cgroup.controllers")).map_err(|e| {
        format!(
            "cannot read {}: {e}",
            own.join("cgroup.controllers").display()
        )
    })?;
    let available: Vec<&str> = available.split_whitespace().collect();
    let missing: Vec<&str> = V2_CONTROLLERS
        .iter()
        .copied()
        .filter(|c| !available.contains(c))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "controllers {} not delegated to {} (has: {})",
            missing.join(","),
            own.display(),
            if available.is_empty() {
                "none".to_string()
            } else {
                available.join(",")
            }
        ));
    }
    enable_subtree(own)?;
    let base = own.join(name);
    make_dir(&base)?;
    if let Err(e) = write_control(&base.join("cgroup.subtree_control"), V2_ENABLE) {
        let _ = fs::remove_dir(&base);
        return Err(format!(
            "cannot enable controllers in {}: {e}",
            base.display()
        ));
    }
    Ok(base)
}

fn enable_subtree(own: &Path) -> Result<(), String> {
    let control = own.join("cgroup.subtree_control");
    if let Ok(current) = fs::read_to_string(&control) {
        let enabled: Vec<&str> = current.split_whitespace().collect();
        if V2_CONTROLLERS.iter().all(|c| enabled.contains(c)) {
            return Ok(());
        }
    }
    match write_control(&control, V2_ENABLE) {
        Ok(()) => Ok(()),
        Err(e) if e.raw_os_error() == Some(libc::EBUSY) => {
            move_procs_to_leaf(own)?;
            write_control(&control, V2_ENABLE).map_err(|e| {
                format!(
                    "cannot enable controllers in {} even after moving its processes to {SERVER_LEAF}: {e}",
                    control.display()
                )
            })
        }
        Err(e) => Err(format!(
            "cannot enable controllers in {}: {e}{}",
            control.display(),
            permission_hint(&e)
        )),
    }
}

/// Refuses to touch a cgroup that holds processes other than this server: they belong to
/// whoever started them (a login session, a shared unit), and moving them into our leaf would
/// take them out of their own limits and accounting. Pure.
pub(super) fn only_ours(own: &Path, pids: &[i32], me: i32) -> Result<(), String> {
    let all_foreign = pids.iter().filter(|p| **p != me).count();
    if all_foreign == 0 {
        return Ok(());
    }
    let foreign: Vec<String> = pids
        .iter()
        .filter(|p| **p != me)
        .take(8)
        .map(i32::to_string)
        .collect();
    Err(format!(
        "our cgroup {} also holds processes that are not ours (pids {}{}); shellwise does not \
         move them. Run it in a cgroup of its own with the controllers delegated: a systemd \
         service with Delegate=yes (contrib/shellwise.service), or `systemd-run --scope -p \
         Delegate=yes shellwise serve`",
        own.display(),
        foreign.join(","),
        if all_foreign > foreign.len() {
            ",…"
        } else {
            ""
        }
    ))
}

/// Moves this server (the only process of `own`, see [`only_ours`]) into
/// `own/shellwise-server` (bounded).
fn move_procs_to_leaf(own: &Path) -> Result<(), String> {
    let me = std::process::id() as i32;
    only_ours(own, &read_pids(&own.join("cgroup.procs")), me)?;
    let leaf = own.join(SERVER_LEAF);
    make_dir(&leaf)?;
    let target = leaf.join("cgroup.procs");
    for _ in 0..8 {
        let pids = read_pids(&own.join("cgroup.procs"));
        if pids.is_empty() {
            return Ok(());
        }
        only_ours(own, &pids, me)?;
        for pid in pids {
            match write_control(&target, &pid.to_string()) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::ESRCH) => {}
                Err(e) => {
                    return Err(format!(
                        "our cgroup {} has processes and moving pid {pid} to {} failed: {e}",
                        own.display(),
                        leaf.display()
                    ))
                }
            }
        }
    }
    Ok(())
}

fn prepare_v1(
    mounts: &[MountEntry],
    cgroups: &[ProcCgroup],
    name: &str,
) -> Result<CgroupMode, String> {
    let dir = |c: &str| resolve_cgroup_dir(mounts, cgroups, Some(c));
    let mut missing = Vec::new();
    let mut own = Vec::new();
    for c in ["memory", "pids", "cpu", "cpuacct"] {
        match dir(c) {
            Some(d) => own.push(d),
            None => missing.push(c),
        }
    }
    if !missing.is_empty() {
        return Err(format!("hierarchies not mounted: {}", missing.join(",")));
    }
    let freezer_own = dir("freezer");
    let mut bases: Vec<PathBuf> = own.iter().map(|d| d.join(name)).collect();
    if let Some(f) = &freezer_own {
        bases.push(f.join(name));
    }
    let mut unique: Vec<&Path> = Vec::new();
    for b in &bases {
        if !unique.contains(&b.as_path()) {
            unique.push(b);
        }
    }
    let mut created: Vec<&Path> = Vec::new();
    for b in &unique {
        if let Err(e) = make_dir(b) {
            for c in created.iter().rev() {
                let _ = fs::remove_dir(c);
            }
            return Err(e);
        }
        created.push(b);
    }
    if let Err(e) = probe(&unique) {
        for c in created.iter().rev() {
            let _ = fs::remove_dir(c);
        }
        return Err(e);
    }
    let [memory, pids, cpu, cpuacct] =
        [0, 1, 2, 3].map(|i| bases.get(i).cloned().unwrap_or_default());
    Ok(CgroupMode::V1 {
        memory,
        pids,
        cpu,
        cpuacct,
        freezer: freezer_own.map(|f| f.join(name)),
    })
}

/// Creates and removes a child in each base to prove the hierarchy is writable.
fn probe(bases: &[&Path]) -> Result<(), String> {
    let mut made = Vec::new();
    let mut result = Ok(());
    for b in bases {
        let p = b.join("probe");
        match make_dir(&p) {
            Ok(()) => made.push(p),
            Err(e) => {
                result = Err(e);
                break;
            }
        }
    }
    for p in made.iter().rev() {
        if let Err(e) = fs::remove_dir(p) {
            if result.is_ok() {
                result = Err(format!("cannot remove probe group {}: {e}", p.display()));
            }
        }
    }
    result
}

fn make_dir(path: &Path) -> Result<(), String> {
    match fs::create_dir(path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(format!(
            "cannot create {}: {e}{}",
            path.display(),
            permission_hint(&e)
        )),
    }
}

fn permission_hint(e: &io::Error) -> &'static str {
    match e.raw_os_error() {
        Some(libc::EACCES) | Some(libc::EPERM) => " (not root, or the cgroup is not delegated?)",
        Some(libc::EROFS) => " (cgroup filesystem mounted read-only, e.g. in a container)",
        _ => "",
    }
}
