//! A directory as a tar.gz stream, built from the confined walk: every file is opened
//! relative to its directory with `O_NOFOLLOW`, its content passes the caller's filter
//! (redaction) before it enters the archive, symlinks are stored as links (never followed),
//! and files over the size cap are left out and counted.

use std::io::{Read, Write};
use std::os::unix::ffi::OsStrExt;

use super::root::openat;
use super::walk::{walk, Control, WalkOpts};
use super::{FileError, Kind, RelPath, Root};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArchiveStats {
    pub files: u64,
    pub directories: u64,
    pub bytes: u64,
    /// Too large, unreadable, or not a regular file.
    pub skipped: u64,
}

/// Write `start` (a directory) as tar.gz into `out`; paths in the archive are relative to
/// `start`. `filter` turns each file's content into what may leave (redaction).
pub fn tar_gz(
    root: &Root,
    start: &RelPath,
    opts: &WalkOpts,
    max_file_bytes: u64,
    out: impl Write,
    filter: &mut dyn FnMut(Vec<u8>) -> Vec<u8>,
) -> Result<ArchiveStats, FileError> {
    let gz = flate2::write::GzEncoder::new(out, flate2::Compression::fast());
    let mut tar = tar::Builder::new(gz);
    tar.mode(tar::HeaderMode::Deterministic);
    let mut stats = ArchiveStats::default();
    let mut failed: Option<std::io::Error> = None;
    let skip = start.components().len();
    walk(root, start, opts, &mut |entry| {
        let inner = &entry.path.components()[skip..];
        let name = inner.join(&b'/');
        let path = std::path::Path::new(std::ffi::OsStr::from_bytes(&name));
        let mut header = tar::Header::new_gnu();
        header.set_mode(entry.stat.mode);
        header.set_mtime((entry.stat.modified_ms.max(0) / 1000) as u64);
        let result = match entry.stat.kind {
            Kind::Directory => {
                header.set_entry_type(tar::EntryType::Directory);
                header.set_size(0);
                stats.directories += 1;
                tar.append_data(&mut header, path, std::io::empty())
            }
            Kind::Symlink => {
                let Ok(target) = read_link_at(entry) else {
                    stats.skipped += 1;
                    return Control::Continue;
                };
                header.set_entry_type(tar::EntryType::Symlink);
                header.set_size(0);
                let target = std::path::Path::new(std::ffi::OsStr::from_bytes(&target));
                tar.append_link(&mut header, path, target)
            }
            Kind::File if entry.stat.size <= max_file_bytes => {
                let Some(content) = read_at(entry, max_file_bytes) else {
                    stats.skipped += 1;
                    return Control::Continue;
                };
                let content = filter(content);
                header.set_entry_type(tar::EntryType::Regular);
                header.set_size(content.len() as u64);
                stats.files += 1;
                stats.bytes += content.len() as u64;
                tar.append_data(&mut header, path, content.as_slice())
            }
            _ => {
                stats.skipped += 1;
                return Control::Continue;
            }
        };
        match result {
            Ok(()) => Control::Continue,
            Err(e) => {
                failed = Some(e);
                Control::Stop
            }
        }
    })?;
    let io = |e: std::io::Error| FileError::io(start, &e);
    if let Some(e) = failed {
        return Err(io(e));
    }
    tar.into_inner()
        .and_then(|gz| gz.finish())
        .and_then(|mut w| w.flush())
        .map_err(io)?;
    Ok(stats)
}

fn read_at(entry: &super::walk::Entry<'_>, max: u64) -> Option<Vec<u8>> {
    let fd = openat(
        entry.dir,
        entry.name,
        libc::O_RDONLY | libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY,
        0,
    )
    .ok()?;
    if super::root::fstat(&fd).ok()?.kind != Kind::File {
        return None;
    }
    let mut content = Vec::with_capacity(entry.stat.size.min(max) as usize);
    std::fs::File::from(fd)
        .take(max)
        .read_to_end(&mut content)
        .ok()?;
    Some(content)
}

fn read_link_at(entry: &super::walk::Entry<'_>) -> std::io::Result<Vec<u8>> {
    use std::os::fd::AsRawFd;
    let mut buf = vec![0u8; 4096];
    // SAFETY: the buffer is as long as the call is told.
    let n = unsafe {
        libc::readlinkat(
            entry.dir.as_raw_fd(),
            entry.name.as_ptr(),
            buf.as_mut_ptr().cast(),
            buf.len(),
        )
    };
    if n < 0 {
        return Err(std::io::Error::last_os_error());
    }
    buf.truncate(n as usize);
    Ok(buf)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_archive_holds_the_filtered_content_and_links_stay_links() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("src")).unwrap();
        std::fs::write(dir.path().join("src/a.txt"), "token=SECRET\n").unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.path().join("src/pw")).unwrap();
        let root = Root::open(&dir.path().canonicalize().unwrap()).unwrap();
        let mut out = Vec::new();
        let opts = WalkOpts {
            max_depth: 8,
            ..WalkOpts::default()
        };
        let stats = tar_gz(
            &root,
            &RelPath::root(),
            &opts,
            1 << 20,
            &mut out,
            &mut |c| {
                String::from_utf8(c)
                    .unwrap()
                    .replace("SECRET", "[REDACTED:x]")
                    .into_bytes()
            },
        )
        .unwrap();
        assert_eq!((stats.files, stats.directories), (1, 1));
        let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(out.as_slice()));
        let mut seen = Vec::new();
        for e in archive.entries().unwrap() {
            let mut e = e.unwrap();
            let path = e.path().unwrap().display().to_string();
            let mut body = String::new();
            e.read_to_string(&mut body).unwrap();
            let link = e.link_name().unwrap().map(|l| l.display().to_string());
            seen.push((path, body, link));
        }
        assert_eq!(
            seen,
            vec![
                ("src".into(), "".into(), None),
                ("src/a.txt".into(), "token=[REDACTED:x]\n".into(), None),
                ("src/pw".into(), "".into(), Some("/etc/passwd".into())),
            ]
        );
    }
}
