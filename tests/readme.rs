//! Every command in README.md runs as written: each line of a `sh`, `bash`, `shell` or
//! `console` code block that runs `dterms` is run with bash, from a scratch copy of the
//! repository, with its own HOME and XDG_CONFIG_HOME, and must exit with the code the README
//! implies. The convention (documented at the top of the README's "Contributing" section):
//!
//! - in `console` blocks only `$ ` lines are commands (the rest is output); in `sh`, `bash`
//!   and `shell` blocks every line is, and a trailing `\` continues it;
//! - a command is run when `dterms` is one of its commands (first word, or after `|`, `&&`,
//!   `||`, `;`, `$(`): `pipx install dterms` and `man dterms` are shown, not run;
//! - a trailing comment sets what is expected: `# exits N` (default 0), `# not run` (skip it),
//!   `# needs TOOL` (run it only where TOOL is installed; the test says which it skipped).

// The test tells which commands it skipped (a program not installed) and how many it ran.
#![allow(clippy::print_stderr)]

use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

mod support;
use support::Sandbox;

/// One command found in the README.
#[derive(Debug, PartialEq)]
struct Example {
    /// The README line it starts on.
    line: usize,
    /// The command as bash will run it (continuations joined).
    command: String,
    /// What the README says about running it.
    expect: Expect,
}

/// What the README's trailing comment says to do with a command.
#[derive(Debug, PartialEq)]
enum Expect {
    /// Run it; it must exit with this code.
    Exit(i32),
    /// Run it only when this tool is on PATH; it must then exit 0.
    Needs(String),
    /// Show it, never run it.
    NotRun,
}

/// The languages of fenced blocks whose lines are shell commands.
const SHELL_BLOCKS: &[&str] = &["sh", "bash", "shell", "console"];

/// Every `dterms` command in the README's shell code blocks, in order.
fn examples(readme: &str) -> Vec<Example> {
    let mut found = Vec::new();
    let mut fence: Option<(String, bool)> = None; // (fence marker, lines are commands)
    let mut console = false;
    let mut pending: Option<(usize, String)> = None;
    for (index, raw) in readme.lines().enumerate() {
        let number = index + 1;
        let trimmed = raw.trim_start();
        if let Some((marker, _)) = &fence {
            if trimmed.starts_with(marker.as_str()) && trimmed.trim_end() == marker {
                fence = None;
                continue;
            }
        } else {
            let ticks = trimmed.len() - trimmed.trim_start_matches('`').len();
            if ticks >= 3 {
                let language = trimmed[ticks..].split_whitespace().next().unwrap_or("");
                console = language == "console";
                fence = Some((
                    trimmed[..ticks].to_string(),
                    SHELL_BLOCKS.contains(&language),
                ));
            }
            continue;
        }
        let Some((_, true)) = fence else { continue };
        let text = match (&mut pending, console) {
            (Some(_), _) => raw.trim(),
            (None, true) => match trimmed.strip_prefix("$ ") {
                Some(command) => command.trim(),
                None => continue,
            },
            (None, false) => raw.trim(),
        };
        if text.is_empty() || (pending.is_none() && text.starts_with('#')) {
            continue;
        }
        let (start, mut command) = pending.take().unwrap_or((number, String::new()));
        if let Some(head) = text.strip_suffix('\\') {
            command.push_str(head);
            pending = Some((start, command));
            continue;
        }
        command.push_str(text);
        if runs_dterms(&command) {
            let expect = expectation(&command);
            found.push(Example {
                line: start,
                command,
                expect,
            });
        }
    }
    found
}

/// Where the unquoted trailing `# comment` starts, if the line has one.
fn comment_start(command: &str) -> Option<usize> {
    let (mut single, mut double, mut previous) = (false, false, ' ');
    for (i, c) in command.char_indices() {
        match c {
            '\'' if !double => single = !single,
            '"' if !single && previous != '\\' => double = !double,
            '#' if !single && !double && previous.is_whitespace() => return Some(i),
            _ => {}
        }
        previous = c;
    }
    None
}

/// Whether `dterms` is one of the commands the line runs, not merely an argument.
fn runs_dterms(command: &str) -> bool {
    let code = &command[..comment_start(command).unwrap_or(command.len())];
    let mut rest = code;
    let mut at_command = true;
    while !rest.is_empty() {
        rest = rest.trim_start();
        if at_command && (rest == "dterms" || rest.starts_with("dterms ")) {
            return true;
        }
        let separator = ["$(", "&&", "||", "|", ";"]
            .iter()
            .filter_map(|s| rest.find(s).map(|i| (i, s.len())))
            .min();
        match separator {
            Some((i, len)) => {
                rest = &rest[i + len..];
                at_command = true;
            }
            None => break,
        }
    }
    false
}

/// What the trailing comment asks for: `# exits N`, `# needs TOOL`, `# not run`.
fn expectation(command: &str) -> Expect {
    let Some(start) = comment_start(command) else {
        return Expect::Exit(0);
    };
    let comment = &command[start + 1..];
    if comment.contains("not run") {
        return Expect::NotRun;
    }
    let mut words = comment.split(|c: char| c.is_whitespace() || ",;:.()".contains(c));
    while let Some(word) = words.next() {
        match word {
            "exits" => {
                if let Some(code) = words.next().and_then(|w| w.parse().ok()) {
                    return Expect::Exit(code);
                }
            }
            "needs" => {
                if let Some(tool) = words.next().filter(|w| !w.is_empty()) {
                    return Expect::Needs(tool.to_string());
                }
            }
            _ => {}
        }
    }
    Expect::Exit(0)
}

/// Copies the repository so that README commands that write files write them into a scratch
/// directory. Build output (`target/`, `dist/`) and hidden entries (`.git/`, a `.venv/`) stay
/// behind: README commands have no use for them, and they can be large.
fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("scratch directory");
    for entry in std::fs::read_dir(from).expect("repository is readable") {
        let entry = entry.expect("directory entry");
        let name = entry.file_name();
        let skipped = name
            .to_str()
            .is_none_or(|n| n.starts_with('.') || n == "target" || n == "dist");
        if skipped {
            continue;
        }
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            copy_tree(&entry.path(), &to.join(&name));
        } else if kind.is_file() {
            std::fs::copy(entry.path(), to.join(&name)).expect("file copies");
        }
    }
}

/// Whether `tool` is an executable on `path`.
fn installed(tool: &str, path: &str) -> bool {
    std::env::split_paths(path).any(|dir| dir.join(tool).is_file())
}

/// The outcome of one README command: its exit code, or why it has none.
fn run(command: &str, sandbox: &Sandbox, path: &str) -> Result<i32, String> {
    let mut child = sandbox
        .command("bash")
        .args(["-o", "pipefail", "-c", command])
        .current_dir(sandbox.path().join("repo"))
        .env("PATH", path)
        .env("LC_ALL", "C.UTF-8")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("bash does not start: {e}"))?;
    // A safety cap, not a timing assertion: a command that waits forever fails the test
    // instead of hanging it.
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        match child.try_wait().map_err(|e| e.to_string())? {
            Some(status) => {
                let mut stderr = String::new();
                if let Some(mut pipe) = child.stderr.take() {
                    let _ = std::io::Read::read_to_string(&mut pipe, &mut stderr);
                }
                return status
                    .code()
                    .ok_or_else(|| format!("killed by a signal; {stderr}"));
            }
            None if Instant::now() > deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err("still running after 120 s".to_string());
            }
            None => std::thread::sleep(Duration::from_millis(5)),
        }
    }
}

#[test]
fn every_readme_command_runs_as_written() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README.md is readable");
    let found = examples(&readme);
    assert!(
        found.len() >= 20,
        "only {} commands found in README.md: is the convention still followed?",
        found.len()
    );

    let sandbox = Sandbox::new();
    copy_tree(root, &sandbox.path().join("repo"));
    let binary = Path::new(env!("CARGO_BIN_EXE_dterms"));
    let bin_dir = binary.parent().expect("the binary is in a directory");
    let path = std::env::join_paths(std::iter::once(bin_dir.to_path_buf()).chain(
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()),
    ))
    .expect("PATH joins")
    .into_string()
    .expect("PATH is UTF-8");

    let mut failures = Vec::new();
    let mut ran = 0;
    for example in &found {
        let want = match &example.expect {
            Expect::NotRun => continue,
            Expect::Needs(tool) if !installed(tool, &path) => {
                eprintln!(
                    "README.md:{}: skipped, {tool} is not installed: {}",
                    example.line, example.command
                );
                continue;
            }
            Expect::Needs(_) => 0,
            Expect::Exit(code) => *code,
        };
        ran += 1;
        match run(&example.command, &sandbox, &path) {
            Ok(code) if code == want => {}
            Ok(code) => failures.push(format!(
                "README.md:{}: exit {code}, expected {want}: {}",
                example.line, example.command
            )),
            Err(why) => failures.push(format!(
                "README.md:{}: {why}: {}",
                example.line, example.command
            )),
        }
    }
    eprintln!("{ran} README commands run");
    assert!(
        failures.is_empty(),
        "README commands that do not work as written:\n{}",
        failures.join("\n")
    );
}

#[test]
fn the_convention_picks_the_right_lines() {
    let readme = "\
text `dterms show image` in prose is not run

```console
$ dterms show tag --width 72
Tag
dterms show output-line
```

```sh
pipx install dterms
dterms show xyz              # exits 1: not found
cat examples/Dockerfile | dterms explain -
dterms list | fzf --preview 'dterms show {1}'   # not run: interactive
dterms graph image | dot -Tsvg > image.svg       # needs dot
mkdir -p ~/man && dterms man > ~/man/dterms.1
dterms explain docker run \\
  --rm alpine
dterms search '#' # exits 2
man dterms
```

```yaml
- id: dterms show
```
";
    let found = examples(readme);
    let got: Vec<(usize, &str, &Expect)> = found
        .iter()
        .map(|e| (e.line, e.command.as_str(), &e.expect))
        .collect();
    assert_eq!(
        got,
        vec![
            (4, "dterms show tag --width 72", &Expect::Exit(0)),
            (
                11,
                "dterms show xyz              # exits 1: not found",
                &Expect::Exit(1)
            ),
            (
                12,
                "cat examples/Dockerfile | dterms explain -",
                &Expect::Exit(0)
            ),
            (
                13,
                "dterms list | fzf --preview 'dterms show {1}'   # not run: interactive",
                &Expect::NotRun
            ),
            (
                14,
                "dterms graph image | dot -Tsvg > image.svg       # needs dot",
                &Expect::Needs("dot".to_string())
            ),
            (
                15,
                "mkdir -p ~/man && dterms man > ~/man/dterms.1",
                &Expect::Exit(0)
            ),
            (
                16,
                "dterms explain docker run --rm alpine",
                &Expect::Exit(0)
            ),
            (18, "dterms search '#' # exits 2", &Expect::Exit(2)),
        ]
    );
}

#[test]
fn the_first_column_of_list_is_an_id_that_show_finds() {
    // The fzf recipe in the README previews `dterms show {1}`: fzf's first field of each
    // `dterms list` line must be a term id.
    let sandbox = Sandbox::new();
    let hermetic = |args: &[&str]| sandbox.dterms().args(args).output().expect("dterms runs");
    let list = hermetic(&["list"]);
    assert_eq!(list.status.code(), Some(0));
    let list = String::from_utf8(list.stdout).expect("UTF-8");
    let ids: Vec<&str> = list
        .lines()
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    let names = hermetic(&["list", "--names"]);
    let names = String::from_utf8(names.stdout).expect("UTF-8");
    assert_eq!(ids, names.lines().collect::<Vec<_>>());
    for id in &ids {
        let show = hermetic(&["show", id]);
        assert_eq!(show.status.code(), Some(0), "dterms show {id}");
        assert!(show.stderr.is_empty(), "dterms show {id} matched exactly");
    }
}
