//! Filesystem confinement with Landlock, through raw syscalls (no crate).
//!
//! A Landlock ruleset is an allow-list of inodes: everything the ruleset "handles" is denied
//! beneath any path no rule names. Rules point at inodes, not names, so the child builds its
//! ruleset itself: the private `/tmp` it mounted is a new inode no ruleset made in the parent
//! could name. The parent prepares the paths and rights ([`LandlockPlan`]); the child opens
//! each path `O_PATH` (most before it mounts, so a workspace under the host's `/tmp` stays
//! the host's; its own `/tmp` after — see [`LandlockPlan::open_early`]), adds the rules and
//! restricts itself, all with raw syscalls.
//!
//! Rights handled follow the kernel's ABI: v1 the basic file rights, v2 `REFER`
//! (cross-directory rename and link), v3 `TRUNCATE`, v5 `IOCTL_DEV`; v6 adds *scopes*:
//! signals and abstract UNIX sockets are confined to the command's own domain, so a command
//! cannot signal processes outside its box or reach an abstract socket of the host.

use std::ffi::CString;
use std::io;
use std::sync::OnceLock;

const CREATE_RULESET_VERSION: libc::c_uint = 1;
const RULE_PATH_BENEATH: libc::c_int = 1;

pub const EXECUTE: u64 = 1 << 0;
pub const WRITE_FILE: u64 = 1 << 1;
pub const READ_FILE: u64 = 1 << 2;
pub const READ_DIR: u64 = 1 << 3;
const REFER: u64 = 1 << 13;
const TRUNCATE: u64 = 1 << 14;
const IOCTL_DEV: u64 = 1 << 15;
/// The rights that apply to a file that is not a directory.
const FILE_RIGHTS: u64 = EXECUTE | WRITE_FILE | READ_FILE | TRUNCATE | IOCTL_DEV;

const SCOPE_ABSTRACT_UNIX_SOCKET: u64 = 1 << 0;
const SCOPE_SIGNAL: u64 = 1 << 1;

/// Read and run, for the system.
pub const READ_ONLY: u64 = EXECUTE | READ_FILE | READ_DIR;
/// Everything (masked to what the ABI handles).
pub const READ_WRITE: u64 = u64::MAX;

#[repr(C)]
struct RulesetAttr {
    handled_access_fs: u64,
    handled_access_net: u64,
    scoped: u64,
}

#[repr(C, packed)]
struct PathBeneathAttr {
    allowed_access: u64,
    parent_fd: i32,
}

/// The Landlock ABI version of this kernel, or 0 when Landlock is missing or disabled.
pub fn abi() -> i32 {
    static ABI: OnceLock<i32> = OnceLock::new();
    *ABI.get_or_init(|| {
        // SAFETY: the version query takes no pointers.
        let v = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                std::ptr::null::<RulesetAttr>(),
                0usize,
                CREATE_RULESET_VERSION,
            )
        };
        v.max(0) as i32
    })
}

fn handled_fs(abi: i32) -> u64 {
    let mut all = (1 << 13) - 1;
    if abi >= 2 {
        all |= REFER;
    }
    if abi >= 3 {
        all |= TRUNCATE;
    }
    if abi >= 5 {
        all |= IOCTL_DEV;
    }
    all
}

/// One path and what may be done beneath it.
#[derive(Debug, Clone)]
struct Rule {
    path: CString,
    access: u64,
    /// Opened after the child's mounts (its private `/tmp` and `/dev/shm`).
    late: bool,
}

/// Most rules a plan may hold (the child keeps their fds in a fixed array).
pub const MAX_RULES: usize = 48;

/// What the child will allow itself. Built in the parent.
#[derive(Debug, Clone)]
pub struct LandlockPlan {
    abi: i32,
    handled: u64,
    scoped: u64,
    rules: Vec<Rule>,
}

impl LandlockPlan {
    /// A plan for this kernel, or `None` when it has no Landlock.
    pub fn new() -> Option<Self> {
        let abi = abi();
        (abi > 0).then(|| Self {
            abi,
            handled: handled_fs(abi),
            scoped: if abi >= 6 {
                SCOPE_ABSTRACT_UNIX_SOCKET | SCOPE_SIGNAL
            } else {
                0
            },
            rules: Vec::new(),
        })
    }

    pub fn abi(&self) -> i32 {
        self.abi
    }

    /// Allow `access` ([`READ_ONLY`] or [`READ_WRITE`]) beneath `path`, opened by the child
    /// before its mounts (so a workspace under the host's `/tmp` is still the host's). With
    /// `late`, opened after them: the child's own `/tmp` and `/dev/shm`. Missing paths are
    /// skipped in the child.
    pub fn allow(&mut self, path: &str, access: u64, late: bool) -> io::Result<()> {
        if self.rules.len() >= MAX_RULES {
            return Err(io::Error::other(format!(
                "more than {MAX_RULES} Landlock paths"
            )));
        }
        let path = CString::new(path).map_err(|_| io::Error::from_raw_os_error(libc::EINVAL))?;
        self.rules.push(Rule {
            path,
            access: access & self.handled,
            late,
        });
        Ok(())
    }

    /// Opens the paths that are not `late` (call before the child's mounts). Raw syscalls.
    pub fn open_early(&self, fds: &mut [libc::c_int; MAX_RULES]) {
        for (i, r) in self.rules.iter().enumerate() {
            fds[i] = if r.late { -1 } else { open_path(&r.path) };
        }
    }

    /// Builds the ruleset and restricts the calling thread. `fds` holds what
    /// [`open_early`](Self::open_early) opened; the rest are opened here. Needs
    /// `no_new_privs`. Raw syscalls only.
    pub fn restrict(&self, fds: &mut [libc::c_int; MAX_RULES]) -> io::Result<()> {
        let attr = RulesetAttr {
            handled_access_fs: self.handled,
            handled_access_net: 0,
            scoped: self.scoped,
        };
        // SAFETY: a valid attr of the size passed (larger-than-known sizes with zero tails
        // are accepted by older kernels).
        let ruleset = unsafe {
            libc::syscall(
                libc::SYS_landlock_create_ruleset,
                &attr as *const RulesetAttr,
                std::mem::size_of::<RulesetAttr>(),
                0 as libc::c_uint,
            )
        };
        let result = if ruleset < 0 {
            Err(io::Error::last_os_error())
        } else {
            self.add_rules(ruleset as libc::c_int, fds)
        };
        for fd in fds.iter_mut().take(self.rules.len()) {
            if *fd >= 0 {
                // SAFETY: our own fd.
                unsafe { libc::close(*fd) };
                *fd = -1;
            }
        }
        if ruleset >= 0 {
            // SAFETY: our own fd.
            unsafe { libc::close(ruleset as libc::c_int) };
        }
        result
    }

    fn add_rules(
        &self,
        ruleset: libc::c_int,
        fds: &mut [libc::c_int; MAX_RULES],
    ) -> io::Result<()> {
        for (i, r) in self.rules.iter().enumerate() {
            if r.late {
                fds[i] = open_path(&r.path);
            }
            let fd = fds[i];
            if fd < 0 {
                continue; // missing on this host
            }
            // SAFETY: zeroed stat is valid output storage; fd is ours.
            let mut st: libc::stat = unsafe { std::mem::zeroed() };
            if unsafe { libc::fstat(fd, &mut st) } != 0 {
                return Err(io::Error::last_os_error());
            }
            let dir = st.st_mode & libc::S_IFMT == libc::S_IFDIR;
            let access = if dir {
                r.access
            } else {
                r.access & FILE_RIGHTS
            };
            let rule = PathBeneathAttr {
                allowed_access: access,
                parent_fd: fd,
            };
            // SAFETY: a valid rule attr for RULE_PATH_BENEATH.
            let rc = unsafe {
                libc::syscall(
                    libc::SYS_landlock_add_rule,
                    ruleset,
                    RULE_PATH_BENEATH,
                    &rule as *const PathBeneathAttr,
                    0 as libc::c_uint,
                )
            };
            if rc < 0 {
                return Err(io::Error::last_os_error());
            }
        }
        // SAFETY: a ruleset fd we created.
        let rc =
            unsafe { libc::syscall(libc::SYS_landlock_restrict_self, ruleset, 0 as libc::c_uint) };
        if rc < 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

fn open_path(path: &CString) -> libc::c_int {
    // SAFETY: a NUL-terminated path prepared by the parent.
    unsafe { libc::open(path.as_ptr(), libc::O_PATH | libc::O_CLOEXEC) }
}
