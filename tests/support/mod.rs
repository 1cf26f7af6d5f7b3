//! Helpers shared by the integration tests: one hermetic way to spawn `dterms`, temporary
//! files that are removed at the end, and golden files.
//!
//! Every spawned `dterms` starts from an empty environment: only `PATH`, plus a fresh `HOME` and
//! `XDG_CONFIG_HOME` inside a temporary folder. Nothing from the developer's shell (`DTERMS_*`,
//! `NO_COLOR`, `PAGER`, `TERM`, `COLUMNS`, a team glossary in `~/.config/dterms/`) can change a
//! result, and the folder is deleted when the test ends.

// Each test file uses a different part of this module.
#![allow(dead_code)]

pub mod explained;

use std::ffi::OsStr;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;
use tempfile::TempDir;

/// A temporary folder holding a `HOME`, an `XDG_CONFIG_HOME` and any files a test needs.
/// Removed when dropped.
pub struct Sandbox {
    dir: TempDir,
}

impl Default for Sandbox {
    fn default() -> Self {
        Self::new()
    }
}

impl Sandbox {
    /// A fresh, empty sandbox with `home/` and `config/` folders.
    pub fn new() -> Self {
        let dir = tempfile::Builder::new()
            .prefix("dterms-test-")
            .tempdir()
            .expect("a temporary folder");
        std::fs::create_dir(dir.path().join("home")).expect("home folder");
        std::fs::create_dir(dir.path().join("config")).expect("config folder");
        Sandbox { dir }
    }

    /// The sandbox's root folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// The `HOME` given to dterms.
    pub fn home(&self) -> PathBuf {
        self.dir.path().join("home")
    }

    /// The `XDG_CONFIG_HOME` given to dterms.
    pub fn config_home(&self) -> PathBuf {
        self.dir.path().join("config")
    }

    /// The folder dterms reads team glossaries from (`$XDG_CONFIG_HOME/dterms`), created.
    pub fn glossary_dir(&self) -> PathBuf {
        let dir = self.config_home().join("dterms");
        std::fs::create_dir_all(&dir).expect("glossary folder");
        dir
    }

    /// Writes `contents` to `NAME` in the sandbox (parent folders created) and returns its path.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join("files").join(name);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("parent folder");
        std::fs::write(&path, contents).expect("a temporary file");
        path
    }

    /// `program` with an empty environment but for `PATH` and this sandbox's `HOME` and
    /// `XDG_CONFIG_HOME`: for dterms spawned through another program (`script`, `bash`).
    pub fn command(&self, program: impl AsRef<OsStr>) -> std::process::Command {
        let mut cmd = std::process::Command::new(program);
        cmd.env_clear()
            .env("HOME", self.home())
            .env("XDG_CONFIG_HOME", self.config_home());
        if let Some(path) = std::env::var_os("PATH") {
            cmd.env("PATH", path);
        }
        cmd
    }

    /// The binary, hermetic as [`Sandbox::command`] makes it. Add variables with `.env()`.
    pub fn dterms(&self) -> Command {
        Command::from_std(self.command(env!("CARGO_BIN_EXE_dterms")))
    }

    /// Runs dterms in this sandbox with `args`.
    pub fn run<I, S>(&self, args: I) -> Run
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        Run::from(self.dterms().args(args).output().expect("dterms runs"))
    }
}

/// A hermetic `dterms` command with a sandbox of its own, removed when the command is dropped.
/// Derefs to [`assert_cmd::Command`], so `.args()`, `.env()`, `.write_stdin()`, `.output()` and
/// `.assert()` work as usual.
pub struct Dterms {
    cmd: Command,
    // Kept alive for as long as the command may run; dropped (and deleted) after it.
    _sandbox: Sandbox,
}

impl Deref for Dterms {
    type Target = Command;
    fn deref(&self) -> &Command {
        &self.cmd
    }
}

impl DerefMut for Dterms {
    fn deref_mut(&mut self) -> &mut Command {
        &mut self.cmd
    }
}

/// The binary, hermetic, in a sandbox of its own (see [`Sandbox::dterms`]).
pub fn dterms() -> Dterms {
    let sandbox = Sandbox::new();
    Dterms {
        cmd: sandbox.dterms(),
        _sandbox: sandbox,
    }
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub struct Run {
    /// The exit status; a run killed by a signal fails the test.
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(output: Output) -> Self {
        Run {
            code: output
                .status
                .code()
                .expect("dterms exits normally, not by a signal"),
            stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
            stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
        }
    }
}

/// Runs dterms, hermetic, in a sandbox of its own with `args`.
pub fn run<I, S>(args: I) -> Run
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    Sandbox::new().run(args)
}

/// Compares `actual` with `tests/golden/NAME`; `DTERMS_BLESS=1 cargo test` rewrites the file
/// instead, to be reviewed in the diff.
pub fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("DTERMS_BLESS").is_some() {
        std::fs::write(&path, actual).expect("golden file is writable");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run DTERMS_BLESS=1 cargo test",
            path.display()
        )
    });
    assert_eq!(actual, expected, "output differs from {}", path.display());
}
