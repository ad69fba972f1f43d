//! Run a file operation as the workspace owner: the calling thread's filesystem uid and gid
//! (and its supplementary groups) become the owner's for as long as the guard lives.
//!
//! Why not `fchown` after the fact: with the owner's fsuid the kernel checks every open,
//! create and rename as it would for the caller's own commands (a hard link to a root-only
//! file, a directory the caller cannot enter, a read-only file), and new files are born
//! with the owner's uid and gid. Changing the fsuid away from 0 also drops
//! `CAP_DAC_OVERRIDE` and friends from the thread's effective set; returning to 0 restores
//! them. These are raw per-thread syscalls (glibc's `setgroups` would broadcast to every
//! thread), so only the blocking thread that runs the operation changes.

/// The thread's identity while the guard lives; restored on drop (also on unwind).
pub struct AsUser {
    restore: Option<(u32, u32)>,
    groups: [libc::gid_t; MAX_GROUPS],
    ngroups: usize,
}

/// Supplementary groups remembered for the restore (a root server has one or two).
const MAX_GROUPS: usize = 64;

impl AsUser {
    /// Become `owner` for filesystem checks; `None` (the server's own identity) changes
    /// nothing. Refuses when the kernel does not take the change.
    pub fn enter(owner: Option<(u32, u32)>) -> std::io::Result<AsUser> {
        let Some((uid, gid)) = owner else {
            return Ok(AsUser {
                restore: None,
                groups: [0; MAX_GROUPS],
                ngroups: 0,
            });
        };
        let mut groups = [0 as libc::gid_t; MAX_GROUPS];
        // SAFETY: the buffer holds MAX_GROUPS entries, as the call is told.
        let n = unsafe {
            libc::syscall(
                libc::SYS_getgroups,
                MAX_GROUPS as libc::c_int,
                groups.as_mut_ptr(),
            )
        };
        if n < 0 {
            return Err(std::io::Error::last_os_error());
        }
        // SAFETY: raw syscalls on plain integers; they affect only this thread.
        let (old_uid, old_gid) = unsafe {
            let old_gid = libc::syscall(libc::SYS_setfsgid, u32::MAX) as u32;
            let old_uid = libc::syscall(libc::SYS_setfsuid, u32::MAX) as u32;
            (old_uid, old_gid)
        };
        let guard = AsUser {
            restore: Some((old_uid, old_gid)),
            groups,
            ngroups: n as usize,
        };
        // SAFETY: as above; an empty group list takes root's group 0 away from checks.
        unsafe {
            if libc::syscall(libc::SYS_setgroups, 0, std::ptr::null::<libc::gid_t>()) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            libc::syscall(libc::SYS_setfsgid, gid);
            libc::syscall(libc::SYS_setfsuid, uid);
            // setfs*id answer the previous value whatever happens: ask again to be sure.
            let now_gid = libc::syscall(libc::SYS_setfsgid, u32::MAX) as u32;
            let now_uid = libc::syscall(libc::SYS_setfsuid, u32::MAX) as u32;
            if now_uid != uid || now_gid != gid {
                return Err(std::io::Error::other(format!(
                    "the kernel kept fsuid {now_uid}/fsgid {now_gid} (wanted {uid}/{gid})"
                )));
            }
        }
        Ok(guard)
    }
}

impl Drop for AsUser {
    fn drop(&mut self) {
        if let Some((uid, gid)) = self.restore {
            // SAFETY: per-thread raw syscalls restoring what `enter` saw (the fsuid first:
            // back at 0 the thread may set its groups again).
            unsafe {
                libc::syscall(libc::SYS_setfsuid, uid);
                libc::syscall(libc::SYS_setfsgid, gid);
                libc::syscall(libc::SYS_setgroups, self.ngroups, self.groups.as_ptr());
            }
        }
    }
}
