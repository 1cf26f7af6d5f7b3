//! One capped reader for every file or standard input dterms is given: refuses anything but a
//! regular file without blocking on it, reads at most a cap, and checks the text is UTF-8.

use std::fmt;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::render::sanitize_line;

/// The most any reader accepts by default: 8 MiB, far beyond a real Dockerfile or glossary.
/// Each reader may pass a smaller cap of its own.
pub const MAX_INPUT_BYTES: u64 = 8 * 1024 * 1024;

/// What was wrong with an input.
#[derive(Debug)]
pub enum Reason {
    /// It could not be opened or read (missing, no permission, a dangling link…).
    Io(io::Error),
    /// It is a directory.
    Directory,
    /// It is a FIFO, socket or device: reading it could block or never end.
    Special(&'static str),
    /// It is larger than the cap, in bytes.
    TooLarge(u64),
    /// It contains a NUL byte: binary, not text.
    Binary,
    /// It is not valid UTF-8.
    NotUtf8,
}

/// An input that could not be read as text, naming it and, when known, the line.
#[derive(Debug)]
pub struct ReadError {
    /// The file as given, or `-` for standard input.
    pub file: String,
    /// The 1-based line of the first bad byte, for content problems.
    pub line: Option<usize>,
    /// What was wrong.
    pub reason: Reason,
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Io(err) => write!(f, "cannot read it: {err}"),
            Reason::Directory => f.write_str("is a directory, not a file"),
            Reason::Special(kind) => write!(f, "is a {kind}, not a regular file"),
            Reason::TooLarge(cap) => write!(f, "is larger than the limit of {}", size(*cap)),
            Reason::Binary => f.write_str("contains a NUL byte: binary, not text"),
            Reason::NotUtf8 => f.write_str("is not UTF-8 text"),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Paths are shown whole (an editor jumps to FILE:LINE); the error line as a whole is
        // capped where it is printed.
        let file = sanitize_line(&self.file);
        match self.line {
            Some(line) => write!(f, "{file}:{line}: {}", self.reason),
            None => write!(f, "{file}: {}", self.reason),
        }
    }
}

impl std::error::Error for ReadError {}

/// `n` bytes in the largest whole unit, for messages.
fn size(n: u64) -> String {
    match n {
        n if n >= 1024 * 1024 && n % (1024 * 1024) == 0 => format!("{} MiB", n / (1024 * 1024)),
        n if n >= 1024 && n % 1024 == 0 => format!("{} KiB", n / 1024),
        n => format!("{n} bytes"),
    }
}

/// Reads `path` as text, or standard input when it is `-`, at most `cap` bytes.
pub fn read_input(path: &str, stdin: &mut dyn Read, cap: u64) -> Result<String, ReadError> {
    if path == "-" {
        read_from("-", stdin, cap)
    } else {
        read_file(Path::new(path), cap)
    }
}

/// Reads a file as text, at most `cap` bytes. Only a regular file (or a link to one) is opened,
/// and it is opened without blocking, so a FIFO put in its place cannot hang the run.
pub fn read_file(path: &Path, cap: u64) -> Result<String, ReadError> {
    let name = path.display().to_string();
    let fail = |reason| ReadError {
        file: name.clone(),
        line: None,
        reason,
    };
    let meta = std::fs::metadata(path).map_err(|e| fail(Reason::Io(e)))?;
    regular(&meta).map_err(fail)?;
    if meta.len() > cap {
        return Err(fail(Reason::TooLarge(cap)));
    }
    let file = open_nonblocking(path).map_err(|e| fail(Reason::Io(e)))?;
    // The path may have been replaced between the look and the open: check what was opened.
    let meta = file.metadata().map_err(|e| fail(Reason::Io(e)))?;
    regular(&meta).map_err(fail)?;
    read_from(&name, file, cap)
}

/// What kind of file this is, unless it is a regular one.
pub fn regular(meta: &std::fs::Metadata) -> Result<(), Reason> {
    let kind = meta.file_type();
    if kind.is_file() {
        return Ok(());
    }
    if kind.is_dir() {
        return Err(Reason::Directory);
    }
    Err(Reason::Special(special_kind(&kind)))
}

#[cfg(unix)]
fn special_kind(kind: &std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    if kind.is_fifo() {
        "FIFO"
    } else if kind.is_socket() {
        "socket"
    } else if kind.is_block_device() || kind.is_char_device() {
        "device"
    } else {
        "special file"
    }
}

#[cfg(not(unix))]
fn special_kind(_kind: &std::fs::FileType) -> &'static str {
    "special file"
}

#[cfg(unix)]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> io::Result<File> {
    File::open(path)
}

/// Reads at most `cap` bytes from `source` (one more, to tell a file at the cap from one over
/// it) and decodes them.
pub fn read_from(name: &str, source: impl Read, cap: u64) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    source
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError {
            file: name.to_owned(),
            line: None,
            reason: Reason::Io(e),
        })?;
    if bytes.len() as u64 > cap {
        return Err(ReadError {
            file: name.to_owned(),
            line: None,
            reason: Reason::TooLarge(cap),
        });
    }
    decode(name, bytes)
}

/// UTF-8 text without a byte-order mark, or the line of the first NUL or invalid byte.
pub fn decode(name: &str, mut bytes: Vec<u8>) -> Result<String, ReadError> {
    let line_of = |at: usize| 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
    if let Some(at) = bytes.iter().position(|&b| b == 0) {
        return Err(ReadError {
            file: name.to_owned(),
            line: Some(line_of(at)),
            reason: Reason::Binary,
        });
    }
    if let Err(e) = std::str::from_utf8(&bytes) {
        return Err(ReadError {
            file: name.to_owned(),
            line: Some(line_of(e.valid_up_to())),
            reason: Reason::NotUtf8,
        });
    }
    if bytes.starts_with("\u{feff}".as_bytes()) {
        bytes.drain(..3);
    }
    // Checked just above; this cannot fail.
    String::from_utf8(bytes).map_err(|e| ReadError {
        file: name.to_owned(),
        line: None,
        reason: Reason::Io(io::Error::new(io::ErrorKind::InvalidData, e)),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(result: Result<String, ReadError>) -> (Option<usize>, String) {
        let err = result.expect_err("an error");
        (err.line, err.reason.to_string())
    }

    #[test]
    fn text_is_read_and_a_bom_is_dropped() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "\u{feff}FROM x\n").expect("write");
        assert_eq!(read_file(&path, 100).expect("reads"), "FROM x\n");
        assert_eq!(
            read_input("-", &mut "é\n".as_bytes(), 100).expect("reads"),
            "é\n"
        );
    }

    #[test]
    fn the_cap_is_exact() {
        let text = "x".repeat(10);
        assert!(read_from("-", text.as_bytes(), 10).is_ok());
        let (line, why) = reason(read_from("-", text.as_bytes(), 9));
        assert_eq!(
            (line, why.as_str()),
            (None, "is larger than the limit of 9 bytes")
        );
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'a'; 2048]).expect("write");
        let err = read_file(&path, 1024).expect_err("too big");
        assert_eq!(
            err.to_string(),
            format!("{}: is larger than the limit of 1 KiB", path.display())
        );
    }

    #[test]
    fn bad_bytes_are_reported_with_their_line() {
        assert_eq!(
            reason(read_from("-", &b"ok\nok\ncaf\xe9\n"[..], 100)),
            (Some(3), "is not UTF-8 text".to_owned())
        );
        assert_eq!(
            reason(read_from("-", &b"a\n\0"[..], 100)),
            (Some(2), "contains a NUL byte: binary, not text".to_owned())
        );
    }

    #[test]
    fn only_regular_files_are_opened() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, why) = reason(read_file(dir.path(), 100));
        assert_eq!(why, "is a directory, not a file");
        let missing = dir.path().join("missing");
        assert!(
            reason(read_file(&missing, 100))
                .1
                .starts_with("cannot read it: ")
        );
        #[cfg(unix)]
        {
            let link = dir.path().join("dangling.yaml");
            std::os::unix::fs::symlink(&missing, &link).expect("symlink");
            assert!(
                reason(read_file(&link, 100))
                    .1
                    .starts_with("cannot read it: ")
            );
            let fifo = dir.path().join("fifo.yaml");
            let made = std::process::Command::new("mkfifo")
                .arg(&fifo)
                .status()
                .is_ok_and(|s| s.success());
            if made {
                // Would block forever if it were opened for reading.
                assert_eq!(
                    reason(read_file(&fifo, 100)).1,
                    "is a FIFO, not a regular file"
                );
            }
        }
    }
}
