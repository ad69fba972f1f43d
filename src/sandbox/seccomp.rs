//! The default seccomp filter: a short classic-BPF program, built once in the parent and
//! installed in the child with one raw syscall (no allocation there).
//!
//! It refuses with `EPERM` what no ordinary command needs and what would let a command undo
//! its box: new namespaces (`unshare`, `setns`, `clone` with a `CLONE_NEW*` flag — above all a
//! new user namespace, which hands an unprivileged process every capability inside it),
//! `mount` and the new mount API, `pivot_root`, kernel keyrings (`keyctl`, `add_key`,
//! `request_key`), `bpf`, `perf_event_open`, `userfaultfd`, `io_uring`, module loading,
//! `kexec`, `reboot`, swap, clock setting, `acct`, `quotactl`, `open_by_handle_at` (which
//! reaches files by handle, past every path check), the kernel log (`syslog`), and on x86-64
//! `iopl`/`ioperm` and the x32 ABI. `clone3` answers `ENOSYS`: its flags live in memory a
//! filter cannot read, and libc then falls back to `clone`, whose flags it can.
//! With `deny_unix_sockets` (used for `network: none`) `socket(AF_UNIX, …)` is refused with
//! `EACCES`: a network namespace does not cover path-named sockets, which live in the
//! filesystem. A syscall of another architecture kills the process.
//!
//! `ptrace` and `process_vm_readv` stay allowed (debuggers and `strace` work on a command's
//! own processes); the pid namespace and the per-caller uid are what keep them off others.

use std::io;

/// Offsets in `struct seccomp_data`.
const NR: u32 = 0;
const ARCH: u32 = 4;
/// Low 32 bits of the first argument (little-endian).
const ARG0: u32 = 16;

const LD_W_ABS: u16 = (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16;
const JEQ_K: u16 = (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16;
const JGE_K: u16 = (libc::BPF_JMP | libc::BPF_JGE | libc::BPF_K) as u16;
const JSET_K: u16 = (libc::BPF_JMP | libc::BPF_JSET | libc::BPF_K) as u16;
const RET_K: u16 = (libc::BPF_RET | libc::BPF_K) as u16;

#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 0xC000_003E;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 0xC000_00B7;

/// Every `CLONE_NEW*` flag `clone` accepts.
const CLONE_NEW_ANY: u32 = (libc::CLONE_NEWNS
    | libc::CLONE_NEWCGROUP
    | libc::CLONE_NEWUTS
    | libc::CLONE_NEWIPC
    | libc::CLONE_NEWUSER
    | libc::CLONE_NEWPID
    | libc::CLONE_NEWNET) as u32;

/// Syscalls refused with `EPERM`, by name (the names are documented in ARCHITECTURE.md).
fn denied() -> Vec<(&'static str, libc::c_long)> {
    let mut list = vec![
        ("unshare", libc::SYS_unshare),
        ("setns", libc::SYS_setns),
        ("mount", libc::SYS_mount),
        ("umount2", libc::SYS_umount2),
        ("pivot_root", libc::SYS_pivot_root),
        ("fsopen", libc::SYS_fsopen),
        ("fsconfig", libc::SYS_fsconfig),
        ("fsmount", libc::SYS_fsmount),
        ("fspick", libc::SYS_fspick),
        ("move_mount", libc::SYS_move_mount),
        ("open_tree", libc::SYS_open_tree),
        ("mount_setattr", libc::SYS_mount_setattr),
        ("keyctl", libc::SYS_keyctl),
        ("add_key", libc::SYS_add_key),
        ("request_key", libc::SYS_request_key),
        ("bpf", libc::SYS_bpf),
        ("perf_event_open", libc::SYS_perf_event_open),
        ("userfaultfd", libc::SYS_userfaultfd),
        ("io_uring_setup", libc::SYS_io_uring_setup),
        ("io_uring_enter", libc::SYS_io_uring_enter),
        ("io_uring_register", libc::SYS_io_uring_register),
        ("init_module", libc::SYS_init_module),
        ("finit_module", libc::SYS_finit_module),
        ("delete_module", libc::SYS_delete_module),
        ("kexec_load", libc::SYS_kexec_load),
        ("kexec_file_load", libc::SYS_kexec_file_load),
        ("reboot", libc::SYS_reboot),
        ("swapon", libc::SYS_swapon),
        ("swapoff", libc::SYS_swapoff),
        ("settimeofday", libc::SYS_settimeofday),
        ("clock_settime", libc::SYS_clock_settime),
        ("clock_adjtime", libc::SYS_clock_adjtime),
        ("acct", libc::SYS_acct),
        ("quotactl", libc::SYS_quotactl),
        ("open_by_handle_at", libc::SYS_open_by_handle_at),
        ("syslog", libc::SYS_syslog),
    ];
    #[cfg(target_arch = "x86_64")]
    list.extend([("iopl", libc::SYS_iopl), ("ioperm", libc::SYS_ioperm)]);
    list
}

/// The names of the refused syscalls, for `/readyz` and the docs.
pub fn denied_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = denied().into_iter().map(|(n, _)| n).collect();
    names.extend(["clone (CLONE_NEW*)", "clone3 (ENOSYS)"]);
    names
}

fn stmt(code: u16, k: u32) -> libc::sock_filter {
    libc::sock_filter {
        code,
        jt: 0,
        jf: 0,
        k,
    }
}

fn jump(code: u16, k: u32, jt: u8, jf: u8) -> libc::sock_filter {
    libc::sock_filter { code, jt, jf, k }
}

fn ret_errno(errno: i32) -> libc::sock_filter {
    stmt(
        RET_K,
        libc::SECCOMP_RET_ERRNO | (errno as u32 & libc::SECCOMP_RET_DATA),
    )
}

/// A compiled filter, ready to install.
#[derive(Debug, Clone)]
pub struct SeccompFilter {
    program: Vec<libc::sock_filter>,
}

impl SeccompFilter {
    /// The default filter; `deny_unix_sockets` also refuses `socket(AF_UNIX, …)`.
    pub fn new(deny_unix_sockets: bool) -> Self {
        let allow = stmt(RET_K, libc::SECCOMP_RET_ALLOW);
        let mut p = vec![
            stmt(LD_W_ABS, ARCH),
            jump(JEQ_K, AUDIT_ARCH, 1, 0),
            stmt(RET_K, libc::SECCOMP_RET_KILL_PROCESS),
            stmt(LD_W_ABS, NR),
        ];
        #[cfg(target_arch = "x86_64")]
        {
            // The x32 ABI reaches the same kernel code under other numbers.
            p.push(jump(JSET_K, 0x4000_0000, 0, 1));
            p.push(ret_errno(libc::EPERM));
        }
        // Fast path: the hot syscalls (read, write, mmap, …) have numbers below every one this
        // filter looks at, and skip the list below.
        let lowest = denied()
            .iter()
            .map(|(_, nr)| *nr)
            .chain([libc::SYS_clone, libc::SYS_clone3, libc::SYS_socket])
            .min()
            .unwrap_or(0) as u32;
        p.push(jump(JGE_K, lowest, 1, 0));
        p.push(stmt(RET_K, libc::SECCOMP_RET_ALLOW));
        for (_, nr) in denied() {
            p.push(jump(JEQ_K, nr as u32, 0, 1));
            p.push(ret_errno(libc::EPERM));
        }
        p.push(jump(JEQ_K, libc::SYS_clone3 as u32, 0, 1));
        p.push(ret_errno(libc::ENOSYS));
        // clone: refuse any CLONE_NEW* flag, allow the rest.
        p.push(jump(JEQ_K, libc::SYS_clone as u32, 0, 4));
        p.push(stmt(LD_W_ABS, ARG0));
        p.push(jump(JSET_K, CLONE_NEW_ANY, 0, 1));
        p.push(ret_errno(libc::EPERM));
        p.push(allow);
        if deny_unix_sockets {
            p.push(jump(JEQ_K, libc::SYS_socket as u32, 0, 4));
            p.push(stmt(LD_W_ABS, ARG0));
            p.push(jump(JEQ_K, libc::AF_UNIX as u32, 0, 1));
            p.push(ret_errno(libc::EACCES));
            p.push(allow);
        }
        p.push(allow);
        Self { program: p }
    }

    /// Number of BPF instructions (the kernel allows 4096).
    pub fn len(&self) -> usize {
        self.program.len()
    }

    /// Whether the program is empty (never, for a built filter).
    pub fn is_empty(&self) -> bool {
        self.program.is_empty()
    }

    /// Installs the filter on the calling thread. Needs `no_new_privs` (or `CAP_SYS_ADMIN`).
    /// Async-signal-safe: one raw syscall on data prepared beforehand.
    pub fn install(&self) -> io::Result<()> {
        let prog = libc::sock_fprog {
            len: self.program.len() as libc::c_ushort,
            filter: self.program.as_ptr() as *mut libc::sock_filter,
        };
        // SAFETY: `prog` points at our instructions, which outlive the call.
        let rc = unsafe {
            libc::syscall(
                libc::SYS_seccomp,
                libc::SECCOMP_SET_MODE_FILTER,
                0 as libc::c_uint,
                &prog as *const libc::sock_fprog,
            )
        };
        if rc < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }
}

/// Whether this kernel accepts seccomp filters (checked once, harmlessly: mode query).
pub fn available() -> bool {
    // SAFETY: PR_GET_SECCOMP has no side effects.
    unsafe { libc::prctl(libc::PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 }
}
