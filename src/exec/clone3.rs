//! `clone3(CLONE_INTO_CGROUP)`: the child is created inside its cgroup v2 group.
//!
//! Without it, the child's first act is to write `0` to the group's `cgroup.procs` (the fd
//! was opened by the parent): a window, however short, in the server's group, and a cgroup
//! migration per exec. With it (Linux ≥ 5.7, cgroup v2), the kernel places the child at
//! fork: race-free, nothing to migrate.
//!
//! `clone3` has no libc wrapper that runs a function on a new stack the way `clone(2)` does,
//! and with `CLONE_VM` the child cannot return into the caller's frame (it shares the memory
//! but not the stack), so the syscall is made from a few lines of assembly that call the
//! child function on the new stack and `exit` with its result. x86-64 only; elsewhere
//! [`available`] is false and the caller uses `clone(2)` plus the `cgroup.procs` write.

use std::sync::atomic::{AtomicU8, Ordering};

/// `CLONE_INTO_CGROUP` (include/uapi/linux/sched.h).
const CLONE_INTO_CGROUP: u64 = 0x2_0000_0000;

/// `struct clone_args` up to `cgroup` (`CLONE_ARGS_SIZE_VER2`).
#[repr(C)]
#[derive(Default)]
struct CloneArgs {
    flags: u64,
    pidfd: u64,
    child_tid: u64,
    parent_tid: u64,
    exit_signal: u64,
    stack: u64,
    stack_size: u64,
    tls: u64,
    set_tid: u64,
    set_tid_size: u64,
    cgroup: u64,
}

const UNKNOWN: u8 = 0;
const NO: u8 = 2;
static STATE: AtomicU8 = AtomicU8::new(UNKNOWN);

/// Whether to try `clone3(CLONE_INTO_CGROUP)`: this architecture has the trampoline and the
/// kernel has not refused it yet.
pub(super) fn available() -> bool {
    cfg!(target_arch = "x86_64") && STATE.load(Ordering::Relaxed) != NO
}

/// After an error that means "this kernel cannot" (`ENOSYS`: no clone3; `E2BIG`/`EINVAL`:
/// no `CLONE_INTO_CGROUP`), stop trying for the life of the process.
pub(super) fn note_error(errno: i32) {
    if matches!(errno, libc::ENOSYS | libc::E2BIG | libc::EINVAL)
        && STATE.swap(NO, Ordering::Relaxed) != NO
    {
        tracing::warn!(
            errno,
            "clone3(CLONE_INTO_CGROUP) refused: children join their cgroup by cgroup.procs"
        );
    }
}

/// Creates a child with `flags | CLONE_INTO_CGROUP` in the cgroup v2 directory `cgroup_fd`,
/// running `f(arg)` on the stack `[stack_top - stack_size, stack_top)` and exiting with its
/// result. The new child's pidfd goes to `*pidfd` (with `CLONE_PIDFD` in `flags`). Returns the
/// pid, or `-errno`.
///
/// # Safety
/// The same contract as `clone(2)` with `CLONE_VM | CLONE_VFORK`: `f` runs on the caller's
/// memory, must only make raw syscalls and never return into Rust code of the parent (it
/// returns a status, which becomes the exit code); the stack must be a mapping nothing else
/// uses while the child runs, 16-byte aligned at its top; `pidfd` must be valid for a write.
#[cfg(target_arch = "x86_64")]
pub(super) unsafe fn clone_into(
    flags: u64,
    cgroup_fd: i32,
    stack_top: usize,
    stack_size: usize,
    pidfd: *mut libc::c_int,
    f: extern "C" fn(*mut libc::c_void) -> libc::c_int,
    arg: *mut libc::c_void,
) -> isize {
    let args = CloneArgs {
        flags: flags | CLONE_INTO_CGROUP,
        pidfd: pidfd as u64,
        exit_signal: libc::SIGCHLD as u64,
        stack: (stack_top - stack_size) as u64,
        stack_size: stack_size as u64,
        cgroup: cgroup_fd as u64,
        ..CloneArgs::default()
    };
    let ret: isize;
    // SAFETY: the caller's contract. The child starts after `syscall` with rax = 0 and rsp at
    // the top of its stack (the kernel sets it from `stack + stack_size`); r12/r13 (copied
    // from the parent) hold the function and its argument. `call` leaves rsp 8 below a
    // 16-byte boundary, as a function entry expects. The parent sees rax = pid or -errno.
    unsafe {
        std::arch::asm!(
            "syscall",
            "test rax, rax",
            "jnz 2f",
            "xor ebp, ebp",
            "mov rdi, r13",
            "call r12",
            "mov edi, eax",
            "mov eax, {exit}",
            "syscall",
            "ud2",
            "2:",
            exit = const libc::SYS_exit,
            inlateout("rax") libc::SYS_clone3 as isize => ret,
            in("rdi") &args as *const CloneArgs,
            in("rsi") std::mem::size_of::<CloneArgs>(),
            in("r12") f,
            in("r13") arg,
            lateout("rcx") _,
            lateout("r11") _,
            options(nostack),
        );
    }
    ret
}

/// Elsewhere: never called ([`available`] is false).
#[cfg(not(target_arch = "x86_64"))]
pub(super) unsafe fn clone_into(
    _flags: u64,
    _cgroup_fd: i32,
    _stack_top: usize,
    _stack_size: usize,
    _pidfd: *mut libc::c_int,
    _f: extern "C" fn(*mut libc::c_void) -> libc::c_int,
    _arg: *mut libc::c_void,
) -> isize {
    -(libc::ENOSYS as isize)
}
