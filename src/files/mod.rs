//! File operations confined beneath one workspace root: read, write, stat, list, move,
//! delete, search, patch, archive. Every path is resolved by the kernel beneath a directory
//! descriptor (`openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS)`), so `..`, absolute
//! symlinks, symlinks a command planted a moment ago and `/proc` magic links cannot lead
//! out; and the service runs each operation with the workspace owner's filesystem identity
//! (`creds::AsUser`), so the kernel's own permission checks apply as they would to the
//! caller's commands. No HTTP, no tokio: callers run these on blocking threads.

pub mod archive;
pub mod creds;
pub mod patch;
pub mod path;
pub mod root;
pub mod search;
pub mod walk;

pub use path::RelPath;
pub use root::Root;

use serde::Serialize;

/// Why a file operation was refused. Each maps to one problem code in the HTTP layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileCode {
    /// NUL byte, overlong path or name, empty name where one is needed.
    PathInvalid,
    /// `..`, an absolute path or a symlink leads outside the workspace.
    PathOutsideWorkspace,
    NotFound,
    /// A file exists where the operation needs none (create-only, move without overwrite).
    AlreadyExists,
    NotAFile,
    NotADirectory,
    /// A FIFO, socket or device: never opened (a FIFO would block the server).
    UnsupportedType,
    /// The workspace root where an entry is needed, or a move into itself.
    RootOrSelf,
    /// A directory with entries, removed without `recursive`.
    DirectoryNotEmpty,
    /// `If-Match` names another version than the one on disk.
    PreconditionFailed,
    /// The kernel refused it with the workspace owner's identity.
    PermissionDenied,
    /// The file is larger than the operation accepts.
    TooLarge,
    /// The workspace would go over its byte or file quota.
    QuotaExceeded,
    /// A patch that does not parse.
    PatchInvalid,
    /// A patch that does not apply to the files as they are.
    PatchConflict,
}

/// A refused file operation: a code and a sentence for the caller.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FileError {
    pub code: FileCode,
    pub message: String,
}

impl FileError {
    pub fn new(code: FileCode, message: impl Into<String>) -> FileError {
        FileError {
            code,
            message: message.into(),
        }
    }

    /// The kernel's answer for `path`, as a code a caller can act on.
    pub fn io(path: &RelPath, e: &std::io::Error) -> FileError {
        let shown = if path.is_root() {
            "the workspace root".to_string()
        } else {
            format!("`{}`", path.display())
        };
        let code = match e.raw_os_error() {
            Some(libc::ENOENT) => FileCode::NotFound,
            Some(libc::EEXIST) => FileCode::AlreadyExists,
            Some(libc::ENOTDIR) => FileCode::NotADirectory,
            Some(libc::EISDIR) => FileCode::NotAFile,
            Some(libc::ENOTEMPTY) => FileCode::DirectoryNotEmpty,
            Some(libc::EACCES) | Some(libc::EPERM) | Some(libc::EROFS) => {
                FileCode::PermissionDenied
            }
            // RESOLVE_BENEATH answers EXDEV for an escape, ELOOP for a magic link; the
            // walk fallback answers ELOOP for any symlink.
            Some(libc::EXDEV) | Some(libc::ELOOP) => FileCode::PathOutsideWorkspace,
            Some(libc::ENAMETOOLONG) => FileCode::PathInvalid,
            Some(libc::EDQUOT) | Some(libc::ENOSPC) | Some(libc::EFBIG) => FileCode::QuotaExceeded,
            _ => FileCode::PermissionDenied,
        };
        let what = match code {
            FileCode::PathOutsideWorkspace => {
                "leads outside the workspace (a symlink or magic link)".to_string()
            }
            FileCode::NotFound => "does not exist".to_string(),
            _ => e.to_string(),
        };
        FileError::new(code, format!("{shown} {what}"))
    }
}

/// What kind of entry a path names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(as = FileKind)]
pub enum Kind {
    File,
    Directory,
    Symlink,
    /// FIFO, socket or device.
    Other,
}

impl Kind {
    pub fn of(mode: u32) -> Kind {
        match mode & libc::S_IFMT {
            libc::S_IFREG => Kind::File,
            libc::S_IFDIR => Kind::Directory,
            libc::S_IFLNK => Kind::Symlink,
            _ => Kind::Other,
        }
    }
}

/// What `fstat` says about an entry, and the version tag `If-Match` compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stat {
    pub kind: Kind,
    pub size: u64,
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    pub modified_ms: i64,
    pub etag: String,
}

impl Stat {
    pub fn from_raw(st: &libc::stat) -> Stat {
        // Any change to the file changes its ctime (and a replacement changes its inode), so
        // this names one version without reading the content.
        let tag = format!(
            "{:x}.{:x}.{:x}.{:x}",
            st.st_ino,
            st.st_size,
            st.st_mtime_nsec as u64 ^ st.st_mtime as u64,
            {
                (st.st_ctime as u64)
                    .wrapping_mul(1_000_000_007)
                    .wrapping_add(st.st_ctime_nsec as u64)
            }
        );
        Stat {
            kind: Kind::of(st.st_mode),
            size: st.st_size as u64,
            mode: st.st_mode & 0o7777,
            uid: st.st_uid,
            gid: st.st_gid,
            modified_ms: st.st_mtime * 1000 + st.st_mtime_nsec / 1_000_000,
            etag: format!("\"{tag}\""),
        }
    }
}
