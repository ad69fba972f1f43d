//! One workspace root held open as a directory descriptor, and the operations on single
//! entries beneath it. Every lookup goes through [`Root::open_beneath`]: the kernel resolves
//! the path with `RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS`, so whatever a command does to
//! the tree between two calls, a path never leaves the root. Where `openat2` is missing
//! (kernels before 5.6) a component-by-component walk with `O_NOFOLLOW` refuses every
//! symlink instead. Writes go to a temporary file next to the target and are renamed over
//! it, so a reader (or a crash) never sees half a file.

use std::ffi::{CStr, CString};
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use super::{FileCode, FileError, Kind, RelPath, Stat};

/// A workspace root, open.
pub struct Root {
    fd: OwnedFd,
    path: PathBuf,
}

/// Whether `openat2` is known to be missing (ENOSYS once = the walk from then on).
static NO_OPENAT2: AtomicBool = AtomicBool::new(false);

/// Largest file [`Root::read`] scans for a line range.
pub const MAX_LINE_SCAN_BYTES: u64 = 256 << 20;

/// What part of a file to read.
#[derive(Debug, Clone, Default)]
pub struct ReadRange {
    /// Byte offset to start at.
    pub offset: u64,
    /// Bytes to read at most (after `offset`); `None` = up to `max_bytes`.
    pub length: Option<u64>,
    /// 1-based first line; with it the range is in lines and `offset`/`length` are unused.
    pub start_line: Option<u64>,
    /// 1-based last line, inclusive.
    pub end_line: Option<u64>,
    /// Hard cap on the bytes returned.
    pub max_bytes: u64,
}

/// Bytes read from a file and where they sit in it.
#[derive(Debug, Clone)]
pub struct ReadOut {
    pub bytes: Vec<u8>,
    pub stat: Stat,
    /// Byte offset of the first byte returned.
    pub offset: u64,
    /// The range stopped before the file (or the requested range) ended: more to read.
    pub truncated: bool,
    /// Where the next page starts (bytes), when truncated.
    pub next_offset: Option<u64>,
    /// For a line range: the first and last line returned, the next line to ask for, and
    /// the file's line count.
    pub lines: Option<LineSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineSpan {
    pub start: u64,
    pub end: u64,
    pub next: Option<u64>,
    pub total: u64,
}

/// How a write treats an existing file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum WriteMode {
    /// Create or replace.
    #[default]
    Overwrite,
    /// Only when nothing is there.
    Create,
    /// Add to the end (the whole file is still replaced atomically).
    Append,
}

#[derive(Debug, Clone, Default)]
pub struct WriteOpts {
    pub mode: WriteMode,
    /// The version the caller last saw (`Stat::etag`); `*` = any existing file.
    pub if_match: Option<String>,
    /// Permission bits for the file; `None` keeps an existing file's, else 0644.
    pub permissions: Option<u32>,
    /// Create missing parent directories.
    pub parents: bool,
}

impl Root {
    /// Open the workspace directory itself. Called with the owner's identity, like every
    /// operation, so a root the owner cannot enter is refused here.
    pub fn open(path: &Path) -> Result<Root, FileError> {
        let c = CString::new(path.as_os_str().as_bytes()).map_err(|_| {
            FileError::new(FileCode::PathInvalid, "workspace path contains a NUL byte")
        })?;
        // SAFETY: a valid C string; the descriptor is owned below.
        let fd = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_PATH | libc::O_DIRECTORY | libc::O_CLOEXEC,
            )
        };
        if fd < 0 {
            return Err(FileError::io(
                &RelPath::root(),
                &std::io::Error::last_os_error(),
            ));
        }
        Ok(Root {
            // SAFETY: `fd` was just opened and is not owned elsewhere.
            fd: unsafe { OwnedFd::from_raw_fd(fd) },
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Parse a caller's path against this root.
    pub fn rel(&self, raw: &[u8]) -> Result<RelPath, FileError> {
        RelPath::parse(raw, self.path.as_os_str().as_bytes())
    }

    /// Open `rel` beneath the root: the kernel refuses any resolution that would leave it.
    pub fn open_beneath(&self, rel: &RelPath, flags: i32, mode: u32) -> std::io::Result<OwnedFd> {
        let name = rel.to_cstring();
        if !NO_OPENAT2.load(Ordering::Relaxed) {
            // libc marks `open_how` non-exhaustive (it grows): start from zero, set fields.
            // SAFETY: an all-zero open_how is valid (no flags, no mode, no resolve bits).
            let mut how: libc::open_how = unsafe { std::mem::zeroed() };
            how.flags = (flags | libc::O_CLOEXEC) as u64;
            if flags & libc::O_CREAT != 0 {
                how.mode = mode as u64;
            }
            how.resolve = libc::RESOLVE_BENEATH | libc::RESOLVE_NO_MAGICLINKS;
            // SAFETY: valid pointers for the duration of the call; the fd is owned below.
            let fd = unsafe {
                libc::syscall(
                    libc::SYS_openat2,
                    self.fd.as_raw_fd(),
                    name.as_ptr(),
                    &how as *const libc::open_how,
                    std::mem::size_of::<libc::open_how>(),
                )
            };
            if fd >= 0 {
                // SAFETY: a fresh descriptor owned by nobody else.
                return Ok(unsafe { OwnedFd::from_raw_fd(fd as RawFd) });
            }
            let err = std::io::Error::last_os_error();
            if err.raw_os_error() != Some(libc::ENOSYS) {
                return Err(err);
            }
            NO_OPENAT2.store(true, Ordering::Relaxed);
        }
        self.walk_open(rel, flags, mode)
    }

    /// The fallback: one component at a time, never following a symlink.
    fn walk_open(&self, rel: &RelPath, flags: i32, mode: u32) -> std::io::Result<OwnedFd> {
        let mut dir = dup(&self.fd)?;
        let parts = rel.components();
        if parts.is_empty() {
            return openat(&dir, c".", flags, mode);
        }
        for (i, part) in parts.iter().enumerate() {
            let name = CString::new(part.clone()).map_err(std::io::Error::other)?;
            if i + 1 == parts.len() {
                return openat(&dir, &name, flags | libc::O_NOFOLLOW, mode);
            }
            dir = openat(
                &dir,
                &name,
                libc::O_PATH | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                0,
            )?;
        }
        Ok(dir)
    }

    /// The directory holding `rel` (open) and its last name. The root has no parent.
    pub fn parent(&self, rel: &RelPath) -> Result<(OwnedFd, CString), FileError> {
        let Some((parent, name)) = rel.split_last() else {
            return Err(FileError::new(
                FileCode::RootOrSelf,
                "the workspace root itself cannot be deleted, moved or written; delete the \
                 workspace instead",
            ));
        };
        let fd = self
            .open_beneath(&parent, libc::O_PATH | libc::O_DIRECTORY, 0)
            .map_err(|e| FileError::io(&parent, &e))?;
        let name = CString::new(name.to_vec())
            .map_err(|_| FileError::new(FileCode::PathInvalid, "NUL in a name"))?;
        Ok((fd, name))
    }

    /// What is at `rel`, without following a final symlink.
    pub fn stat(&self, rel: &RelPath) -> Result<Stat, FileError> {
        if rel.is_root() {
            return fstat(&self.fd).map_err(|e| FileError::io(rel, &e));
        }
        let (dir, name) = self.parent(rel)?;
        fstatat(&dir, &name).map_err(|e| FileError::io(rel, &e))
    }

    /// A symlink's target, as written.
    pub fn read_link(&self, rel: &RelPath) -> Result<Vec<u8>, FileError> {
        let (dir, name) = self.parent(rel)?;
        let mut buf = vec![0u8; 4096];
        // SAFETY: the buffer is as long as the call is told.
        let n = unsafe {
            libc::readlinkat(
                dir.as_raw_fd(),
                name.as_ptr(),
                buf.as_mut_ptr().cast(),
                buf.len(),
            )
        };
        if n < 0 {
            return Err(FileError::io(rel, &std::io::Error::last_os_error()));
        }
        buf.truncate(n as usize);
        Ok(buf)
    }

    /// Open a regular file for reading. A FIFO is opened non-blocking and refused, so a
    /// command cannot park a server thread on it.
    pub fn open_file(&self, rel: &RelPath) -> Result<(std::fs::File, Stat), FileError> {
        let fd = self
            .open_beneath(rel, libc::O_RDONLY | libc::O_NONBLOCK | libc::O_NOCTTY, 0)
            .map_err(|e| FileError::io(rel, &e))?;
        let stat = fstat(&fd).map_err(|e| FileError::io(rel, &e))?;
        match stat.kind {
            Kind::File => {}
            Kind::Directory => {
                return Err(FileError::new(
                    FileCode::NotAFile,
                    format!("`{}` is a directory", rel.display()),
                ))
            }
            _ => {
                return Err(FileError::new(
                    FileCode::UnsupportedType,
                    format!(
                        "`{}` is not a regular file (a FIFO, socket or device)",
                        rel.display()
                    ),
                ))
            }
        }
        clear_nonblock(&fd);
        Ok((std::fs::File::from(fd), stat))
    }

    /// Read a byte or line range of a file, at most `range.max_bytes`.
    pub fn read(&self, rel: &RelPath, range: &ReadRange) -> Result<ReadOut, FileError> {
        let (mut file, stat) = self.open_file(rel)?;
        let io = |e: std::io::Error| FileError::io(rel, &e);
        if range.start_line.is_some() || range.end_line.is_some() {
            return read_lines(&mut file, stat, range).map_err(io);
        }
        use std::io::Seek;
        let offset = range.offset.min(stat.size);
        let wanted = range
            .length
            .unwrap_or(u64::MAX)
            .min(stat.size.saturating_sub(offset));
        let take = wanted.min(range.max_bytes);
        file.seek(std::io::SeekFrom::Start(offset)).map_err(io)?;
        let mut bytes = Vec::with_capacity(take as usize);
        Read::by_ref(&mut file)
            .take(take)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        let end = offset + bytes.len() as u64;
        let truncated = (bytes.len() as u64) < wanted;
        Ok(ReadOut {
            bytes,
            stat,
            offset,
            truncated,
            next_offset: truncated.then_some(end),
            lines: None,
        })
    }

    /// Start writing `rel`: checks what is there now against `opts`, creates missing
    /// parents if asked, and opens a temporary file beside it. Nothing is visible at `rel`
    /// until [`Pending::commit`].
    pub fn begin_write(&self, rel: &RelPath, opts: &WriteOpts) -> Result<Pending, FileError> {
        if opts.parents {
            if let Some((parent, _)) = rel.split_last() {
                self.mkdir(&parent, true)?;
            }
        }
        let (dir, name) = self.parent(rel)?;
        let current = match fstatat(&dir, &name) {
            Ok(s) => Some(s),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => None,
            Err(e) => return Err(FileError::io(rel, &e)),
        };
        check_target(rel, current.as_ref(), opts)?;
        let permissions = opts
            .permissions
            .or(current
                .as_ref()
                .filter(|c| c.kind == Kind::File)
                .map(|c| c.mode))
            .unwrap_or(0o644)
            & 0o7777;
        let mut tmp_name = Vec::with_capacity(name.as_bytes().len() + 24);
        tmp_name.extend_from_slice(b".");
        tmp_name.extend_from_slice(&name.as_bytes()[..name.as_bytes().len().min(200)]);
        tmp_name.extend_from_slice(format!(".sw-{}.tmp", crate_random()).as_bytes());
        let tmp = CString::new(tmp_name)
            .map_err(|_| FileError::new(FileCode::PathInvalid, "NUL in a name"))?;
        let fd = openat(
            &dir,
            &tmp,
            libc::O_WRONLY | libc::O_CREAT | libc::O_EXCL | libc::O_NOFOLLOW,
            0o600,
        )
        .map_err(|e| FileError::io(rel, &e))?;
        let mut pending = Pending {
            dir,
            name,
            tmp,
            file: Some(std::fs::File::from(fd)),
            rel: rel.clone(),
            permissions,
            expected: current.map(|c| c.etag),
            checked: opts.if_match.is_some() || opts.mode != WriteMode::Overwrite,
            written: 0,
        };
        if opts.mode == WriteMode::Append {
            if let Some(old) = pending.expected.clone() {
                let (mut src, now) = self.open_file(rel)?;
                if now.etag != old {
                    return Err(changed(rel));
                }
                let file = pending.file_mut()?;
                std::io::copy(&mut src, file).map_err(|e| FileError::io(rel, &e))?;
            }
        }
        Ok(pending)
    }

    /// Write a whole file atomically.
    pub fn write(&self, rel: &RelPath, data: &[u8], opts: &WriteOpts) -> Result<Stat, FileError> {
        let mut pending = self.begin_write(rel, opts)?;
        pending.write_all(data)?;
        pending.commit()
    }

    /// Make a directory (and its parents when asked); an existing directory is fine.
    pub fn mkdir(&self, rel: &RelPath, parents: bool) -> Result<(), FileError> {
        if rel.is_root() {
            return Ok(());
        }
        if !parents {
            let (dir, name) = self.parent(rel)?;
            return mkdirat(&dir, &name).map_err(|e| FileError::io(rel, &e));
        }
        // Each prefix is looked up beneath the root like any path (an in-tree symlink to a
        // directory is fine, one leading out is refused) and made only where it is missing.
        let mut done = RelPath::root();
        for part in rel.components() {
            let parent = done.clone();
            done = done.join(part);
            match self.open_beneath(&done, libc::O_PATH | libc::O_DIRECTORY, 0) {
                Ok(_) => continue,
                Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {}
                Err(e) => return Err(FileError::io(&done, &e)),
            }
            let dir = self
                .open_beneath(&parent, libc::O_PATH | libc::O_DIRECTORY, 0)
                .map_err(|e| FileError::io(&parent, &e))?;
            let name = CString::new(part.clone())
                .map_err(|_| FileError::new(FileCode::PathInvalid, "NUL in a name"))?;
            match mkdirat(&dir, &name) {
                Ok(()) => {}
                Err(e) if e.raw_os_error() == Some(libc::EEXIST) => {}
                Err(e) => return Err(FileError::io(&done, &e)),
            }
        }
        Ok(())
    }

    /// Move `from` to `to` (a file or a whole directory), replacing `to` only when asked.
    pub fn rename(&self, from: &RelPath, to: &RelPath, overwrite: bool) -> Result<(), FileError> {
        if to.starts_with(from) {
            return Err(FileError::new(
                FileCode::RootOrSelf,
                format!(
                    "cannot move `{}` into itself (`{}`)",
                    from.display(),
                    to.display()
                ),
            ));
        }
        let (src_dir, src) = self.parent(from)?;
        let (dst_dir, dst) = self.parent(to)?;
        let flags = if overwrite { 0 } else { libc::RENAME_NOREPLACE };
        // SAFETY: valid descriptors and C strings for the duration of the call.
        let rc = unsafe {
            libc::renameat2(
                src_dir.as_raw_fd(),
                src.as_ptr(),
                dst_dir.as_raw_fd(),
                dst.as_ptr(),
                flags,
            )
        };
        if rc != 0 {
            let e = std::io::Error::last_os_error();
            let at = if e.raw_os_error() == Some(libc::EEXIST) {
                to
            } else {
                from
            };
            return Err(FileError::io(at, &e));
        }
        Ok(())
    }

    /// Remove a file, a symlink (never what it points to) or a directory; a directory with
    /// entries only with `recursive`. Returns how many entries went.
    pub fn remove(&self, rel: &RelPath, recursive: bool) -> Result<u64, FileError> {
        let (dir, name) = self.parent(rel)?;
        let stat = fstatat(&dir, &name).map_err(|e| FileError::io(rel, &e))?;
        if stat.kind != Kind::Directory {
            unlinkat(&dir, &name, 0).map_err(|e| FileError::io(rel, &e))?;
            return Ok(1);
        }
        match unlinkat(&dir, &name, libc::AT_REMOVEDIR) {
            Ok(()) => Ok(1),
            Err(e) if e.raw_os_error() == Some(libc::ENOTEMPTY) && !recursive => {
                Err(FileError::new(
                    FileCode::DirectoryNotEmpty,
                    format!(
                        "`{}` is a directory with entries; send recursive=true to delete it \
                         and everything in it",
                        rel.display()
                    ),
                ))
            }
            Err(e) if e.raw_os_error() == Some(libc::ENOTEMPTY) => {
                let sub = openat(
                    &dir,
                    &name,
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                    0,
                )
                .map_err(|e| FileError::io(rel, &e))?;
                let n = remove_tree(sub, 0).map_err(|e| FileError::io(rel, &e))?;
                unlinkat(&dir, &name, libc::AT_REMOVEDIR).map_err(|e| FileError::io(rel, &e))?;
                Ok(n + 1)
            }
            Err(e) => Err(FileError::io(rel, &e)),
        }
    }

    /// A directory beneath the root, open for reading its entries.
    pub fn open_dir(&self, rel: &RelPath) -> Result<OwnedFd, FileError> {
        self.open_beneath(rel, libc::O_RDONLY | libc::O_DIRECTORY, 0)
            .map_err(|e| match e.raw_os_error() {
                Some(libc::ENOTDIR) => FileError::new(
                    FileCode::NotADirectory,
                    format!("`{}` is not a directory", rel.display()),
                ),
                _ => FileError::io(rel, &e),
            })
    }
}

/// Whether what is at the target lets this write go ahead.
fn check_target(rel: &RelPath, current: Option<&Stat>, opts: &WriteOpts) -> Result<(), FileError> {
    match current.map(|c| c.kind) {
        Some(Kind::Directory) => {
            return Err(FileError::new(
                FileCode::NotAFile,
                format!("`{}` is a directory", rel.display()),
            ))
        }
        Some(Kind::Other) => {
            return Err(FileError::new(
                FileCode::UnsupportedType,
                format!(
                    "`{}` is a FIFO, socket or device; it is never written",
                    rel.display()
                ),
            ))
        }
        _ => {}
    }
    if opts.mode == WriteMode::Create && current.is_some() {
        return Err(FileError::new(
            FileCode::AlreadyExists,
            format!("`{}` already exists (mode create)", rel.display()),
        ));
    }
    match (&opts.if_match, current) {
        (None, _) => Ok(()),
        (Some(tag), Some(_)) if tag == "*" => Ok(()),
        (Some(tag), Some(c)) if *tag == c.etag => Ok(()),
        (Some(tag), Some(c)) => Err(FileError::new(
            FileCode::PreconditionFailed,
            format!(
                "`{}` changed: If-Match {tag} but the file is now {}; read it again",
                rel.display(),
                c.etag
            ),
        )),
        (Some(tag), None) => Err(FileError::new(
            FileCode::PreconditionFailed,
            format!(
                "`{}` does not exist but If-Match {tag} expects a version of it",
                rel.display()
            ),
        )),
    }
}

fn changed(rel: &RelPath) -> FileError {
    FileError::new(
        FileCode::PreconditionFailed,
        format!("`{}` changed while it was being written", rel.display()),
    )
}

/// A write in progress: a temporary file beside the target, removed unless committed.
pub struct Pending {
    dir: OwnedFd,
    name: CString,
    tmp: CString,
    file: Option<std::fs::File>,
    rel: RelPath,
    permissions: u32,
    /// The version that was there when the write began (`None` = nothing).
    expected: Option<String>,
    /// Whether the caller cares which version it replaces (If-Match, create, append): then
    /// a change by someone else since the write began refuses the commit.
    checked: bool,
    written: u64,
}

impl Pending {
    fn file_mut(&mut self) -> Result<&mut std::fs::File, FileError> {
        self.file
            .as_mut()
            .ok_or_else(|| FileError::new(FileCode::PermissionDenied, "write already finished"))
    }

    pub fn write_all(&mut self, data: &[u8]) -> Result<(), FileError> {
        let rel = self.rel.clone();
        self.file_mut()?
            .write_all(data)
            .map_err(|e| FileError::io(&rel, &e))?;
        self.written += data.len() as u64;
        Ok(())
    }

    pub fn written(&self) -> u64 {
        self.written
    }

    /// Put the new content in place, if the target is still the version the write began
    /// with. Returns the new file's stat.
    pub fn commit(mut self) -> Result<Stat, FileError> {
        let rel = self.rel.clone();
        let io = |e: std::io::Error| FileError::io(&rel, &e);
        let file = self
            .file
            .take()
            .ok_or_else(|| FileError::new(FileCode::PermissionDenied, "write already finished"))?;
        // SAFETY: a valid descriptor; mode bits only.
        if unsafe { libc::fchmod(file.as_raw_fd(), self.permissions) } != 0 {
            return Err(io(std::io::Error::last_os_error()));
        }
        let now = match fstatat(&self.dir, &self.name) {
            Ok(s) => Some(s.etag),
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => None,
            Err(e) => return Err(io(e)),
        };
        if self.checked && now != self.expected {
            return Err(changed(&rel));
        }
        let flags = if self.checked && self.expected.is_none() {
            libc::RENAME_NOREPLACE
        } else {
            0
        };
        // SAFETY: valid descriptors and C strings for the duration of the call.
        let rc = unsafe {
            libc::renameat2(
                self.dir.as_raw_fd(),
                self.tmp.as_ptr(),
                self.dir.as_raw_fd(),
                self.name.as_ptr(),
                flags,
            )
        };
        if rc != 0 {
            let e = std::io::Error::last_os_error();
            if e.raw_os_error() == Some(libc::EEXIST) {
                return Err(changed(&rel));
            }
            return Err(io(e));
        }
        // Renamed: nothing to clean up any more.
        self.tmp = CString::default();
        fstat(&file).map_err(io)
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if !self.tmp.as_bytes().is_empty() {
            let _ = unlinkat(&self.dir, &self.tmp, 0);
        }
    }
}

/// Read lines `start..=end` (1-based), capped at `max_bytes`; counts every line of the file
/// (up to [`MAX_LINE_SCAN_BYTES`]) so the caller learns how many there are.
fn read_lines(file: &mut std::fs::File, stat: Stat, range: &ReadRange) -> std::io::Result<ReadOut> {
    let start = range.start_line.unwrap_or(1).max(1);
    let end = range.end_line.unwrap_or(u64::MAX).max(start);
    let mut reader = std::io::BufReader::with_capacity(64 << 10, file.take(MAX_LINE_SCAN_BYTES));
    let mut bytes = Vec::new();
    let (mut line_no, mut offset, mut pos) = (0u64, None, 0u64);
    let (mut last, mut next, mut capped) = (start.saturating_sub(1), None, false);
    // A line longer than the page is cut; its rest is reached by byte offset from here.
    let mut cut_at = None;
    let mut line = Vec::new();
    loop {
        line.clear();
        let n = std::io::BufRead::read_until(&mut reader, b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        if line_no >= start && line_no <= end && !capped {
            if bytes.len() as u64 + n as u64 > range.max_bytes && !bytes.is_empty() {
                capped = true;
                next = Some(line_no);
            } else {
                offset.get_or_insert(pos);
                let room = (range.max_bytes - bytes.len() as u64) as usize;
                bytes.extend_from_slice(&line[..n.min(room)]);
                last = line_no;
                if n > room {
                    capped = true;
                    next = Some(line_no + 1);
                    cut_at = Some(pos + room as u64);
                }
            }
        }
        pos += n as u64;
    }
    if !capped && end < line_no {
        next = Some(end + 1);
    }
    let truncated = next.is_some();
    Ok(ReadOut {
        bytes,
        offset: offset.unwrap_or(pos),
        truncated,
        next_offset: cut_at,
        lines: Some(LineSpan {
            start,
            end: last,
            next,
            total: line_no,
        }),
        stat,
    })
}

/// Remove everything inside an open directory, depth first, never following a symlink.
fn remove_tree(dir: OwnedFd, depth: usize) -> std::io::Result<u64> {
    if depth > 256 {
        return Err(std::io::Error::from_raw_os_error(libc::ELOOP));
    }
    let raw = dup(&dir)?;
    let mut names = Vec::new();
    {
        let mut d = nix::dir::Dir::from_fd(raw).map_err(std::io::Error::from)?;
        for entry in d.iter() {
            let entry = entry.map_err(std::io::Error::from)?;
            let name = entry.file_name();
            if name.to_bytes() == b"." || name.to_bytes() == b".." {
                continue;
            }
            names.push(name.to_owned());
        }
    }
    let mut n = 0;
    for name in names {
        match unlinkat(&dir, &name, 0) {
            Ok(()) => n += 1,
            Err(e) if e.raw_os_error() == Some(libc::EISDIR) => {
                let sub = openat(
                    &dir,
                    &name,
                    libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW,
                    0,
                )?;
                n += remove_tree(sub, depth + 1)?;
                unlinkat(&dir, &name, libc::AT_REMOVEDIR)?;
                n += 1;
            }
            Err(e) if e.raw_os_error() == Some(libc::ENOENT) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// A random suffix for temporary names.
fn crate_random() -> String {
    let mut b = [0u8; 8];
    let _ = getrandom::fill(&mut b);
    hex::encode(b)
}

pub(crate) fn dup(fd: &OwnedFd) -> std::io::Result<OwnedFd> {
    fd.try_clone()
}

pub(crate) fn openat(
    dir: &OwnedFd,
    name: &CStr,
    flags: i32,
    mode: u32,
) -> std::io::Result<OwnedFd> {
    // SAFETY: valid descriptor and C string; the result is owned below.
    let fd = unsafe {
        libc::openat(
            dir.as_raw_fd(),
            name.as_ptr(),
            flags | libc::O_CLOEXEC,
            mode as libc::c_uint,
        )
    };
    if fd < 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: a fresh descriptor.
    Ok(unsafe { OwnedFd::from_raw_fd(fd) })
}

pub(crate) fn fstat(fd: &impl AsRawFd) -> std::io::Result<Stat> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: `st` is written by the kernel on success.
    if unsafe { libc::fstat(fd.as_raw_fd(), st.as_mut_ptr()) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: fstat succeeded.
    Ok(Stat::from_raw(unsafe { &st.assume_init() }))
}

pub(crate) fn fstatat(dir: &OwnedFd, name: &CStr) -> std::io::Result<Stat> {
    let mut st = std::mem::MaybeUninit::<libc::stat>::uninit();
    // SAFETY: as for fstat; the final component is not followed.
    if unsafe {
        libc::fstatat(
            dir.as_raw_fd(),
            name.as_ptr(),
            st.as_mut_ptr(),
            libc::AT_SYMLINK_NOFOLLOW,
        )
    } != 0
    {
        return Err(std::io::Error::last_os_error());
    }
    // SAFETY: fstatat succeeded.
    Ok(Stat::from_raw(unsafe { &st.assume_init() }))
}

fn mkdirat(dir: &OwnedFd, name: &CStr) -> std::io::Result<()> {
    // SAFETY: valid descriptor and C string.
    if unsafe { libc::mkdirat(dir.as_raw_fd(), name.as_ptr(), 0o755) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

fn unlinkat(dir: &OwnedFd, name: &CStr, flags: i32) -> std::io::Result<()> {
    // SAFETY: valid descriptor and C string.
    if unsafe { libc::unlinkat(dir.as_raw_fd(), name.as_ptr(), flags) } != 0 {
        return Err(std::io::Error::last_os_error());
    }
    Ok(())
}

fn clear_nonblock(fd: &OwnedFd) {
    // SAFETY: flag changes on a valid descriptor.
    unsafe {
        let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
        if flags >= 0 {
            libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK);
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn root() -> (tempfile::TempDir, Root) {
        let dir = tempfile::tempdir().unwrap();
        let root = Root::open(&dir.path().canonicalize().unwrap()).unwrap();
        (dir, root)
    }

    fn rel(s: &str) -> RelPath {
        RelPath::parse(s.as_bytes(), b"/nowhere").unwrap()
    }

    #[test]
    fn a_symlink_planted_inside_the_workspace_cannot_lead_out() {
        let (dir, root) = root();
        std::os::unix::fs::symlink("/etc", dir.path().join("etc")).unwrap();
        std::os::unix::fs::symlink("../../../../../etc/passwd", dir.path().join("pw")).unwrap();
        for p in ["etc/passwd", "pw"] {
            let err = root.read(
                &rel(p),
                &ReadRange {
                    max_bytes: 100,
                    ..Default::default()
                },
            );
            assert_eq!(err.unwrap_err().code, FileCode::PathOutsideWorkspace, "{p}");
        }
        // Writing through the planted directory link is refused too.
        let err = root.write(&rel("etc/evil"), b"x", &WriteOpts::default());
        assert_eq!(err.unwrap_err().code, FileCode::PathOutsideWorkspace);
        assert!(!Path::new("/etc/evil").exists());
        // A link that stays inside is followed.
        std::fs::write(dir.path().join("real"), "inside").unwrap();
        std::os::unix::fs::symlink("real", dir.path().join("alias")).unwrap();
        let out = root
            .read(
                &rel("alias"),
                &ReadRange {
                    max_bytes: 100,
                    ..Default::default()
                },
            )
            .unwrap();
        assert_eq!(out.bytes, b"inside");
    }

    #[test]
    fn proc_magic_links_are_refused() {
        let (dir, root) = root();
        std::os::unix::fs::symlink("/proc/self/root/etc/passwd", dir.path().join("m")).unwrap();
        let err = root.read(
            &rel("m"),
            &ReadRange {
                max_bytes: 100,
                ..Default::default()
            },
        );
        assert_eq!(err.unwrap_err().code, FileCode::PathOutsideWorkspace);
    }

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let (dir, root) = root();
        nix::unistd::mkfifo(
            &dir.path().join("f"),
            nix::sys::stat::Mode::from_bits_truncate(0o600),
        )
        .unwrap();
        let err = root.read(
            &rel("f"),
            &ReadRange {
                max_bytes: 100,
                ..Default::default()
            },
        );
        assert_eq!(err.unwrap_err().code, FileCode::UnsupportedType);
        let err = root.write(&rel("f"), b"x", &WriteOpts::default());
        assert_eq!(err.unwrap_err().code, FileCode::UnsupportedType);
    }

    #[test]
    fn a_stale_if_match_is_refused_and_nothing_is_left_half_written() {
        let (dir, root) = root();
        let first = root
            .write(&rel("a.txt"), b"one\n", &WriteOpts::default())
            .unwrap();
        let second = root
            .write(
                &rel("a.txt"),
                b"two\n",
                &WriteOpts {
                    if_match: Some(first.etag.clone()),
                    ..Default::default()
                },
            )
            .unwrap();
        assert_ne!(first.etag, second.etag);
        let err = root.write(
            &rel("a.txt"),
            b"three\n",
            &WriteOpts {
                if_match: Some(first.etag),
                ..Default::default()
            },
        );
        assert_eq!(err.unwrap_err().code, FileCode::PreconditionFailed);
        assert_eq!(std::fs::read(dir.path().join("a.txt")).unwrap(), b"two\n");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("a.txt")],
            "no temporary file left"
        );
    }

    #[test]
    fn line_ranges_page_through_a_file() {
        let (_dir, root) = root();
        let text: String = (1..=10).map(|i| format!("line {i}\n")).collect();
        root.write(&rel("t"), text.as_bytes(), &WriteOpts::default())
            .unwrap();
        let r = ReadRange {
            start_line: Some(3),
            end_line: Some(4),
            max_bytes: 1000,
            ..Default::default()
        };
        let out = root.read(&rel("t"), &r).unwrap();
        assert_eq!(out.bytes, b"line 3\nline 4\n");
        assert_eq!(
            out.lines,
            Some(LineSpan {
                start: 3,
                end: 4,
                next: Some(5),
                total: 10
            })
        );
        let r = ReadRange {
            start_line: Some(9),
            max_bytes: 1000,
            ..Default::default()
        };
        let out = root.read(&rel("t"), &r).unwrap();
        assert_eq!(out.bytes, b"line 9\nline 10\n");
        assert_eq!(out.lines.unwrap().next, None);
        // A line longer than the page is cut, and the rest of it is reached by bytes.
        root.write(
            &rel("long"),
            format!("{}\nshort\n", "x".repeat(100)).as_bytes(),
            &WriteOpts::default(),
        )
        .unwrap();
        let r = ReadRange {
            start_line: Some(1),
            max_bytes: 30,
            ..Default::default()
        };
        let out = root.read(&rel("long"), &r).unwrap();
        assert_eq!((out.bytes.len(), out.next_offset), (30, Some(30)));
        assert_eq!(out.lines.as_ref().map(|l| l.next), Some(Some(2)));
        // The byte cap stops at a line boundary and says where to go on.
        let r = ReadRange {
            start_line: Some(1),
            max_bytes: 15,
            ..Default::default()
        };
        let out = root.read(&rel("t"), &r).unwrap();
        assert_eq!(out.bytes, b"line 1\nline 2\n");
        assert_eq!(out.lines.unwrap().next, Some(3));
    }

    #[test]
    fn recursive_delete_needs_the_flag_and_never_follows_a_symlink() {
        let (dir, root) = root();
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("keep"), "x").unwrap();
        std::fs::create_dir_all(dir.path().join("d/e")).unwrap();
        std::fs::write(dir.path().join("d/e/f"), "x").unwrap();
        std::os::unix::fs::symlink(outside.path(), dir.path().join("d/link")).unwrap();
        assert_eq!(
            root.remove(&rel("d"), false).unwrap_err().code,
            FileCode::DirectoryNotEmpty
        );
        assert_eq!(
            root.remove(&rel("d"), true).unwrap(),
            4,
            "d, d/e, d/e/f and the link"
        );
        assert!(outside.path().join("keep").exists());
        assert!(!dir.path().join("d").exists());
    }
}
