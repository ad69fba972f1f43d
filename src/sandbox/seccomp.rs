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

/// What the filter does with one syscall number it names (every other is allowed).
#[derive(Debug, Clone, Copy)]
enum Check {
    /// Refused with this errno.
    Errno(i32),
    /// `clone`: refused (`EPERM`) with any `CLONE_NEW*` flag in its first argument.
    CloneFlags,
    /// `socket`: refused (`EACCES`) for `AF_UNIX`.
    UnixSocket,
}

/// Most entries of a leaf compared one by one (the tree splits larger ranges).
const LEAF: usize = 3;

/// The code that, with the syscall number in the accumulator, returns the verdict for
/// `sorted` (ascending, distinct numbers) and allows every other number. Jumps only go
/// forward, so a subtree is emitted after the test that leads to it.
fn tree(sorted: &[(u32, Check)]) -> Vec<libc::sock_filter> {
    if sorted.len() <= LEAF {
        let mut out = Vec::new();
        for (nr, check) in sorted {
            let body = check_body(*check);
            out.push(jump(JEQ_K, *nr, 0, offset(body.len())));
            out.extend(body);
        }
        out.push(stmt(RET_K, libc::SECCOMP_RET_ALLOW));
        return out;
    }
    let mid = sorted.len() / 2;
    let (low, high) = sorted.split_at(mid);
    let low = tree(low);
    let high = tree(high);
    // `nr >= high[0]` jumps past the low subtree.
    let mut out = vec![jump(JGE_K, sorted[mid].0, offset(low.len()), 0)];
    out.extend(low);
    out.extend(high);
    out
}

/// A forward jump over `n` instructions. The program is ~100 instructions, far below the
/// 255 a classic-BPF jump reaches; a deny list long enough to need more would make the test
/// that runs the program for every syscall number fail.
fn offset(n: usize) -> u8 {
    u8::try_from(n).unwrap_or(u8::MAX)
}

/// The verdict for one named syscall; every path ends in a return.
fn check_body(check: Check) -> Vec<libc::sock_filter> {
    let allow = stmt(RET_K, libc::SECCOMP_RET_ALLOW);
    match check {
        Check::Errno(e) => vec![ret_errno(e)],
        Check::CloneFlags => vec![
            stmt(LD_W_ABS, ARG0),
            jump(JSET_K, CLONE_NEW_ANY, 0, 1),
            ret_errno(libc::EPERM),
            allow,
        ],
        Check::UnixSocket => vec![
            stmt(LD_W_ABS, ARG0),
            jump(JEQ_K, libc::AF_UNIX as u32, 0, 1),
            ret_errno(libc::EACCES),
            allow,
        ],
    }
}

/// A compiled filter, ready to install.
#[derive(Debug, Clone)]
pub struct SeccompFilter {
    program: Vec<libc::sock_filter>,
}

impl SeccompFilter {
    /// The default filter; `deny_unix_sockets` also refuses `socket(AF_UNIX, …)`.
    ///
    /// The syscall number is looked up in a binary search tree, not a chain of comparisons:
    /// when a filter is installed the kernel runs it for every syscall number to fill its
    /// per-filter "always allowed" cache (with interrupts off), so a chain of ~40 tests cost
    /// tens of microseconds per exec; the tree takes about six.
    pub fn new(deny_unix_sockets: bool) -> Self {
        let mut p = vec![
            stmt(LD_W_ABS, ARCH),
            jump(JEQ_K, AUDIT_ARCH, 1, 0),
            stmt(RET_K, libc::SECCOMP_RET_KILL_PROCESS),
            stmt(LD_W_ABS, NR),
        ];
        #[cfg(target_arch = "x86_64")]
        {
            // The x32 ABI: same numbers with bit 30 set.
            p.push(jump(JSET_K, 0x4000_0000, 0, 1));
            p.push(ret_errno(libc::EPERM));
        }
        let mut special: Vec<(u32, Check)> = denied()
            .into_iter()
            .map(|(_, nr)| (nr as u32, Check::Errno(libc::EPERM)))
            .collect();
        // clone3's flags live in memory a filter cannot read: ENOSYS makes libc use clone.
        special.push((libc::SYS_clone3 as u32, Check::Errno(libc::ENOSYS)));
        special.push((libc::SYS_clone as u32, Check::CloneFlags));
        if deny_unix_sockets {
            special.push((libc::SYS_socket as u32, Check::UnixSocket));
        }
        special.sort_by_key(|(nr, _)| *nr);
        p.extend(tree(&special));
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

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Runs a classic-BPF program (the instructions this module emits) on one syscall:
    /// `seccomp_data` is nr (u32), arch (u32), instruction pointer (u64), six u64 args.
    fn run(p: &[libc::sock_filter], nr: u32, arch: u32, arg0: u64) -> u32 {
        let mut data = [0u8; 64];
        data[0..4].copy_from_slice(&nr.to_le_bytes());
        data[4..8].copy_from_slice(&arch.to_le_bytes());
        data[16..24].copy_from_slice(&arg0.to_le_bytes());
        let (mut pc, mut acc) = (0usize, 0u32);
        for _ in 0..p.len() {
            let i = p[pc];
            let jumped = |cond: bool| pc + 1 + usize::from(if cond { i.jt } else { i.jf });
            pc = match i.code {
                LD_W_ABS => {
                    let at = i.k as usize;
                    acc = u32::from_le_bytes(data[at..at + 4].try_into().unwrap());
                    pc + 1
                }
                JEQ_K => jumped(acc == i.k),
                JGE_K => jumped(acc >= i.k),
                JSET_K => jumped(acc & i.k != 0),
                RET_K => return i.k,
                other => panic!("unexpected instruction {other:#x} at {pc}"),
            };
            assert!(pc < p.len(), "jump out of the program");
        }
        panic!("no return within {} steps", p.len());
    }

    /// What the filter must decide, written without any tree.
    fn expected(nr: u32, arch: u32, arg0: u64, deny_unix: bool) -> u32 {
        let errno = |e: i32| libc::SECCOMP_RET_ERRNO | e as u32;
        if arch != AUDIT_ARCH {
            return libc::SECCOMP_RET_KILL_PROCESS;
        }
        if cfg!(target_arch = "x86_64") && nr & 0x4000_0000 != 0 {
            return errno(libc::EPERM);
        }
        let nr_l = libc::c_long::from(nr);
        if denied().iter().any(|(_, d)| *d == nr_l) {
            return errno(libc::EPERM);
        }
        if nr_l == libc::SYS_clone3 {
            return errno(libc::ENOSYS);
        }
        if nr_l == libc::SYS_clone && (arg0 as u32) & CLONE_NEW_ANY != 0 {
            return errno(libc::EPERM);
        }
        if deny_unix && nr_l == libc::SYS_socket && arg0 as u32 == libc::AF_UNIX as u32 {
            return errno(libc::EACCES);
        }
        libc::SECCOMP_RET_ALLOW
    }

    #[test]
    fn the_search_tree_decides_every_syscall_number_like_the_plain_list() {
        let args = [
            0,
            libc::SIGCHLD as u64,
            libc::CLONE_NEWUSER as u64,
            libc::CLONE_NEWNS as u64 | libc::SIGCHLD as u64,
            (libc::CLONE_VM | libc::CLONE_VFORK) as u64,
            libc::AF_UNIX as u64,
            libc::AF_INET as u64,
        ];
        for deny_unix in [false, true] {
            let f = SeccompFilter::new(deny_unix);
            assert!(f.len() < 200, "{} instructions", f.len());
            for nr in (0..1024).chain([0x4000_0000, 0x4000_0038, u32::MAX]) {
                for arg0 in args {
                    for arch in [AUDIT_ARCH, 0x4000_0003] {
                        assert_eq!(
                            run(&f.program, nr, arch, arg0),
                            expected(nr, arch, arg0, deny_unix),
                            "nr {nr} arg0 {arg0:#x} arch {arch:#x} deny_unix {deny_unix}"
                        );
                    }
                }
            }
        }
    }
}
