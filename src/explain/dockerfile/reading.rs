//! What each instruction means, in words for a data scientist: the image a FROM starts from,
//! what a RUN installs and with which package manager, what really becomes PID 1, what COPY takes
//! from where.

use super::parse::{Args, Instruction};
use super::script::{self, Command, Word};
use super::shorten;
use super::stages::{Analysis, Stage};
use crate::explain::reference::{self, parse_normalized};

fn describe_stage(stage: &Stage) -> String {
    match &stage.name {
        Some(name) => format!("stage '{name}'"),
        None => format!("stage {}", stage.index),
    }
}

/// A short description of an image reference: "the official image python, tag 3.12-slim".
fn describe_image(reference: &str) -> String {
    if reference == "scratch" {
        return "an empty file system (scratch)".into();
    }
    match parse_normalized(reference) {
        Ok(n) => {
            let what = if n.is_official() {
                format!("the official image {}", n.familiar())
            } else if n.registry == reference::DEFAULT_REGISTRY {
                format!("the Docker Hub image {}", n.familiar())
            } else {
                format!("the image {} from the registry {}", n.path, n.registry)
            };
            match (n.written.tag, n.written.digest) {
                (_, Some(digest)) => {
                    format!("{what}, pinned to the digest {}", short_digest(digest))
                }
                (Some(tag), None) => format!("{what}, tag {tag}"),
                (None, None) => format!("{what}, with no tag (so latest)"),
            }
        }
        Err(e) => format!("'{reference}', which is not a valid image reference ({e})"),
    }
}

fn short_digest(digest: &str) -> String {
    match digest.split_once(':') {
        Some((algorithm, hex)) if hex.len() > 12 => format!("{algorithm}:{}…", &hex[..12]),
        _ => digest.to_owned(),
    }
}

/// Whether a USER value means root (`root`, `0`, `root:…`).
pub fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

/// What a RUN does: the commands a reader would want named, mounts, and the layer.
fn run_meaning(instruction: &Instruction, script: &[Command]) -> (String, Vec<&'static str>) {
    let mut terms = vec!["run-instruction", "layer"];
    let mut what: Vec<String> = Vec::new();
    // Without heredocs, a shell-form RUN's commands are the script the rules split already.
    let owned;
    let commands = if matches!(instruction.args, Args::Shell(_)) && instruction.heredocs.is_empty()
    {
        script
    } else {
        owned = run_commands(instruction);
        &owned
    };
    for (n, cmd) in commands.iter().enumerate() {
        if let Some(reading) = package_reading(cmd) {
            if !what.contains(&reading) {
                what.push(reading);
            }
            continue;
        }
        let reading = match cmd.program() {
            "curl" | "wget" => Some("downloads files".to_owned()),
            "rm" if cmd
                .args()
                .iter()
                .any(|a| a.starts_with("/var/lib/apt/lists")) =>
            {
                Some("deletes the apt package lists to keep the layer small".to_owned())
            }
            "export" => {
                let last = commands[n + 1..].iter().all(|c| c.program() == "export");
                last.then(|| {
                    format!(
                        "exports {} only for the rest of this RUN (use ENV to keep it)",
                        shorten(&cmd.args().join(" "), 40)
                    )
                })
            }
            "useradd" | "adduser" => Some("creates a user account".to_owned()),
            _ => None,
        };
        if let Some(reading) = reading
            && !what.contains(&reading)
        {
            what.push(reading);
        }
    }
    let mut mounts = Vec::new();
    for value in instruction.flag_values("mount") {
        let field = |key: &str| {
            value
                .split(',')
                .find_map(|f| f.strip_prefix(key))
                .map(str::to_owned)
        };
        match field("type=").as_deref() {
            Some("cache") => {
                mounts.push(format!(
                    "a cache mount at {} kept between builds but not in the image",
                    field("target=").or(field("dst=")).unwrap_or_default()
                ));
                terms.push("build-cache");
            }
            Some("secret") => {
                mounts.push(format!(
                    "the secret '{}' available only during this step",
                    field("id=").unwrap_or_default()
                ));
                terms.push("buildkit");
            }
            Some("ssh") => {
                mounts.push("your SSH agent forwarded for this step".into());
                terms.push("buildkit");
            }
            Some("tmpfs") => {
                mounts.push(format!(
                    "a temporary in-memory directory at {}",
                    field("target=").or(field("dst=")).unwrap_or_default()
                ));
            }
            _ => {
                mounts.push(format!(
                    "files mounted from {}",
                    field("from=").unwrap_or_else(|| "the build context".into())
                ));
            }
        }
    }
    let how = match (&instruction.args, instruction.heredocs.len()) {
        (Args::Exec(words), _) => format!(
            "Run `{}` at build time, directly without a shell",
            shorten(&words.join(" "), 70)
        ),
        (Args::Shell(text), n) if n > 0 => format!(
            "Run `{}` at build time with the inline script(s) written below it ({} line(s))",
            shorten(text, 50),
            instruction
                .heredocs
                .iter()
                .map(|h| h.body.lines().count())
                .sum::<usize>()
        ),
        (Args::Shell(text), _) => format!("Run `{}` at build time", shorten(text, 70)),
    };
    let mut meaning = how;
    if !what.is_empty() {
        meaning.push_str(": it ");
        meaning.push_str(&what.join(", "));
    }
    if !mounts.is_empty() {
        meaning.push_str(&format!(", with {}", mounts.join(" and ")));
    }
    meaning.push_str("; the result is saved as a new layer");
    (meaning, terms)
}

/// The shell commands of a RUN, heredoc scripts included.
fn run_commands(instruction: &Instruction) -> Vec<Command<'_>> {
    match &instruction.args {
        Args::Exec(words) => match words.as_slice() {
            [_, flag, script, ..] if flag == "-c" => script::commands(script),
            _ => vec![Command {
                words: words.iter().map(|w| Word::from(w.as_str())).collect(),
                ..Command::default()
            }],
        },
        Args::Shell(text) => {
            let mut commands = script::commands(text);
            if commands.is_empty()
                || commands
                    .iter()
                    .any(|c| matches!(c.program(), "sh" | "bash"))
            {
                for doc in &instruction.heredocs {
                    commands.extend(script::commands(&doc.body));
                }
            }
            commands
        }
    }
}

/// Options of each package manager that take a value, so the value is not read as a package.
const APT_VALUES: &[&str] = &[
    "-t",
    "--target-release",
    "-o",
    "--option",
    "-c",
    "--config-file",
];
pub(super) const PIP_VALUES: &[&str] = &[
    "-c",
    "--constraint",
    "-e",
    "--editable",
    "-t",
    "--target",
    "--prefix",
    "--root",
    "--src",
    "--platform",
    "--python-version",
    "--implementation",
    "--abi",
    "--no-binary",
    "--only-binary",
    "--progress-bar",
    "--proxy",
    "--python",
    "--root-user-action",
    "--upgrade-strategy",
    "--cache-dir",
    "--log",
    "--timeout",
    "--retries",
    "--trusted-host",
    "-C",
    "--config-settings",
    "--global-option",
    "--report",
    "--extra-index-url",
    "-i",
    "--index-url",
    "-f",
    "--find-links",
    "--index",
    "--default-index",
    "-r",
    "--requirement",
];
const CONDA_VALUES: &[&str] = &[
    "-c",
    "--channel",
    "-n",
    "--name",
    "-p",
    "--prefix",
    "--file",
    "--override-channels-x",
];
const APK_VALUES: &[&str] = &[
    "-X",
    "--repository",
    "-t",
    "--virtual",
    "-p",
    "--root",
    "--arch",
    "--cache-dir",
];
const DNF_VALUES: &[&str] = &[
    "-c",
    "--config",
    "--installroot",
    "--releasever",
    "-x",
    "--exclude",
    "--setopt",
    "--enablerepo",
    "--disablerepo",
    "--repo",
];

/// What one installing command does, with its real package list.
fn package_reading(cmd: &Command) -> Option<String> {
    let program = cmd.program();
    let sub = cmd.subcommand().unwrap_or("");
    if let Some(args) = cmd.pip_args() {
        let sub = args
            .iter()
            .find(|a| !a.starts_with('-'))
            .map_or("", |a| &**a);
        return match sub {
            "install" => Some(pip_reading(cmd, args)),
            "uninstall" => Some("removes Python packages".into()),
            "cache" => Some("clears pip's download cache".into()),
            _ => None,
        };
    }
    let list = |values: &[&str], skip: &[&str]| -> String {
        let (packages, _) = split_operands(cmd.args(), values);
        let packages: Vec<&str> = packages.into_iter().filter(|p| !skip.contains(p)).collect();
        if packages.is_empty() {
            "as listed".into()
        } else {
            shorten(&packages.join(", "), 70)
        }
    };
    match (program, sub) {
        ("apt-get" | "apt" | "aptitude", "update") => {
            Some("refreshes the Debian/Ubuntu package index".into())
        }
        ("apt-get" | "apt", "upgrade" | "dist-upgrade" | "full-upgrade") => {
            Some("upgrades the installed system packages".into())
        }
        ("apt-get" | "apt", "install") => Some(format!(
            "installs Debian/Ubuntu packages with {program} ({})",
            list(APT_VALUES, &["install"])
        )),
        ("apt-get" | "apt", "clean") => Some("empties apt's download cache".into()),
        ("apk", "add") => Some(format!(
            "installs Alpine packages ({})",
            list(APK_VALUES, &["add"])
        )),
        ("dnf" | "yum" | "microdnf", "install") => Some(format!(
            "installs RPM packages with {program} ({})",
            list(DNF_VALUES, &["install"])
        )),
        ("dnf" | "yum" | "microdnf", "clean") => Some(format!("cleans {program}'s cache")),
        ("conda" | "mamba" | "micromamba", "install" | "create") => {
            let (_, options) = split_operands(cmd.args(), CONDA_VALUES);
            let channels: Vec<&str> = options
                .iter()
                .filter(|(o, _)| *o == "-c" || *o == "--channel")
                .map(|(_, v)| *v)
                .collect();
            let from = if channels.is_empty() {
                String::new()
            } else {
                format!(" from the channel(s) {}", channels.join(", "))
            };
            Some(format!(
                "installs conda packages with {program} ({}){from}",
                list(CONDA_VALUES, &["install", "create"])
            ))
        }
        ("conda" | "mamba" | "micromamba", "env") => Some(format!(
            "creates or updates a conda environment with {program}"
        )),
        ("conda" | "mamba" | "micromamba", "clean") => {
            Some(format!("deletes {program}'s package cache"))
        }
        ("uv", "sync") => {
            Some("installs the project's locked dependencies with uv (uv.lock)".into())
        }
        ("uv", "add") => Some(format!(
            "adds dependencies to the project with uv ({})",
            list(&[], &["add"])
        )),
        ("uv", "venv") => Some("creates a virtual environment with uv".into()),
        ("poetry", "install") => {
            Some("installs the project's locked dependencies with Poetry (poetry.lock)".into())
        }
        ("pipenv", "install") => Some("installs dependencies with Pipenv (Pipfile.lock)".into()),
        ("npm", "ci" | "install") => Some("installs JavaScript packages with npm".into()),
        _ => None,
    }
}

/// pip install's operands told apart: packages (with their pins), requirement files, local paths
/// and index URLs.
fn pip_reading(cmd: &Command, args: &[Word]) -> String {
    let (operands, options) = split_operands(args, PIP_VALUES);
    let mut packages = Vec::new();
    let mut paths = Vec::new();
    for p in operands.into_iter().filter(|p| *p != "install") {
        if p == "."
            || p.starts_with("./")
            || p.starts_with('/')
            || p.ends_with(".whl")
            || p.contains("://")
        {
            paths.push(p);
        } else {
            packages.push(p);
        }
    }
    let values = |names: &[&str]| -> Vec<&str> {
        options
            .iter()
            .filter(|(o, _)| names.contains(o))
            .map(|(_, v)| *v)
            .collect()
    };
    let files = values(&["-r", "--requirement"]);
    let editable = values(&["-e", "--editable"]);
    let indexes = values(&[
        "-i",
        "--index-url",
        "--extra-index-url",
        "--index",
        "--default-index",
        "-f",
        "--find-links",
    ]);
    let constraints = values(&["-c", "--constraint"]);
    let tool = if cmd.program() == "uv" {
        "uv pip"
    } else {
        "pip"
    };
    let mut parts = Vec::new();
    if !packages.is_empty() {
        parts.push(shorten(&packages.join(", "), 60));
    }
    if !files.is_empty() {
        parts.push(format!("the requirements in {}", files.join(", ")));
    }
    if !editable.is_empty() {
        parts.push(format!("{} in editable mode", editable.join(", ")));
    }
    if !paths.is_empty() {
        parts.push(format!(
            "the local project or file(s) {}",
            shorten(&paths.join(", "), 40)
        ));
    }
    let mut out = format!(
        "installs Python packages with {tool} ({})",
        if parts.is_empty() {
            "as listed".into()
        } else {
            parts.join("; ")
        }
    );
    if !constraints.is_empty() {
        out.push_str(&format!(", constrained by {}", constraints.join(", ")));
    }
    if !indexes.is_empty() {
        out.push_str(&format!(
            ", from the package index(es) {}",
            shorten(&indexes.join(", "), 60)
        ));
    }
    for (op, target) in &cmd.redirects {
        if matches!(&**op, ">" | "<" | ">>")
            && target.starts_with(|c: char| c == '=' || c.is_ascii_digit())
        {
            out.push_str(&format!(
                " (careful: the unquoted `{op}{target}` is a shell redirection, so that version pin is dropped)"
            ));
        }
    }
    out
}

/// Splits arguments into operands and `(option, value)` pairs, given the options that take a
/// value (`-r file` or `--requirement=file`).
fn split_operands<'a>(
    args: &'a [Word<'_>],
    with_value: &[&str],
) -> (Vec<&'a str>, Vec<(&'a str, &'a str)>) {
    let mut operands = Vec::new();
    let mut options = Vec::new();
    let mut it = args.iter();
    while let Some(a) = it.next() {
        if let Some((o, v)) = a.split_once('=').filter(|(o, _)| o.starts_with("--")) {
            options.push((o, v));
        } else if with_value.contains(&&**a) {
            if let Some(v) = it.next() {
                options.push((&**a, &**v));
            }
        } else if a.len() > 2
            && !a.starts_with("--")
            && with_value.contains(&&a[..2])
            && a.starts_with('-')
        {
            options.push((&a[..2], &a[2..]));
        } else if a.starts_with('-') {
            options.push((&**a, ""));
        } else {
            operands.push(&**a);
        }
    }
    (operands, options)
}

fn copy_meaning(instruction: &Instruction) -> (String, Vec<&'static str>) {
    let words = &instruction.values;
    let (destination, sources) = match words.split_last() {
        Some((destination, sources)) => (destination.clone(), sources),
        None => (String::from("(no destination)"), &words[..]),
    };
    // `COPY <<EOF /dest`: the heredoc words are inline files, not paths in the context.
    let (inline, sources): (Vec<&String>, Vec<&String>) = sources.iter().partition(|s| {
        instruction
            .heredocs
            .iter()
            .any(|h| is_heredoc_word(s, &h.name))
    });
    let sources: Vec<String> = sources.into_iter().cloned().collect();
    let mut terms = vec!["copy"];
    let from = match instruction.flag("from") {
        Some(stage) => {
            terms.push("multi-stage-build");
            format!(
                " from {stage} (an earlier stage or another image) instead of the build context"
            )
        }
        None => {
            terms.push("build-context");
            " from the build context".to_owned()
        }
    };
    let owner = instruction
        .flag("chown")
        .map(|o| format!(", owned by {o}"))
        .unwrap_or_default();
    let mut parts = Vec::new();
    if !inline.is_empty() {
        let lines: usize = instruction
            .heredocs
            .iter()
            .map(|h| h.body.lines().count())
            .sum();
        parts.push(format!(
            "the inline file(s) written here ({}, {lines} line(s))",
            instruction
                .heredocs
                .iter()
                .map(|h| h.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !sources.is_empty() {
        parts.push(shorten(&sources.join(", "), 80));
    }
    let list = parts.join(" and ");
    let from = if sources.is_empty() {
        String::new()
    } else {
        from
    };
    if instruction.keyword == "ADD" {
        let remote = sources
            .iter()
            .any(|s| s.contains("://") || s.starts_with("git@"));
        let archive = sources.iter().any(|s| is_archive(s));
        let what = if remote {
            format!("Download {list} into {destination}{owner}")
        } else if archive {
            format!("Copy {list}{from} into {destination} and unpack the archive(s){owner}")
        } else {
            format!(
                "Copy {list}{from} into {destination}{owner} (COPY does the same, more plainly)"
            )
        };
        return (what, terms);
    }
    (
        format!("Copy {list}{from} into {destination} in the image{owner}"),
        terms,
    )
}

fn is_archive(path: &str) -> bool {
    [
        ".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tar.xz", ".txz", ".tar.zst",
    ]
    .iter()
    .any(|e| path.ends_with(e))
}

/// What instruction `i` means, and the glossary terms to read next.
pub fn meaning(
    instruction: &Instruction,
    i: usize,
    a: &Analysis,
    script: &[Command],
) -> (String, Vec<&'static str>) {
    let args = instruction.args_text();
    let stage = a.stage_of[i];
    match instruction.keyword.as_str() {
        "FROM" => {
            let Some(index) = stage else {
                return (String::new(), vec![]);
            };
            let current = &a.stages[index];
            let subject = if a.stages.len() == 1 && current.name.is_none() {
                "Start the build".to_owned()
            } else {
                format!("Start {}", describe_stage(current))
            };
            let from = match current.parent {
                Some(p) => format!("from the result of {}", describe_stage(&a.stages[p])),
                None => format!("from {}", describe_image(&current.base_resolved)),
            };
            let resolved = if current.base != current.base_resolved {
                format!(" ({} with the ARG defaults)", current.base_resolved)
            } else {
                String::new()
            };
            let platform = current
                .platform
                .as_ref()
                .map(|p| format!(", for the platform {p}"))
                .unwrap_or_default();
            let unused = if a.needed.get(index) == Some(&false) {
                "; the final stage does not use it, so docker build skips it"
            } else {
                ""
            };
            let mut terms = vec!["from", "base-image"];
            if current.name.is_some() || a.stages.len() > 1 {
                terms.push("multi-stage-build");
            }
            (
                format!("{subject} {from}{resolved}{platform}{unused}"),
                terms,
            )
        }
        "RUN" => run_meaning(instruction, script),
        "CMD" | "ENTRYPOINT" => process_meaning(instruction, i, a),
        "COPY" | "ADD" => copy_meaning(instruction),
        "ENV" => {
            let list = a.env_set[i]
                .iter()
                .map(|(k, v)| format!("{k}={}", shorten(v, 60)))
                .collect::<Vec<_>>()
                .join(", ");
            (
                format!(
                    "Set the environment variable(s) {list} for the following steps and in every container"
                ),
                vec!["env", "environment-variable"],
            )
        }
        "ARG" => {
            let list = instruction
                .values
                .iter()
                .map(|w| match w.split_once('=') {
                    Some((n, d)) => format!("{n} (default '{}')", shorten(d, 60)),
                    None => format!("{w} (no default)"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let scope = if stage.is_none() {
                "; declared before the first FROM, so FROM lines can use it (steps inside a stage see it only if the stage declares it again)"
            } else {
                "; set it with docker build --build-arg"
            };
            (
                format!("Declare the build argument(s) {list}{scope}"),
                vec!["build-arg"],
            )
        }
        "WORKDIR" => (
            format!(
                "Make {args} the working directory for the following steps and for containers, creating it if needed"
            ),
            vec!["workdir"],
        ),
        "EXPOSE" => (
            format!(
                "Document that the program listens on {args}; it opens nothing (publish with docker run -p)"
            ),
            vec!["expose", "port-publishing"],
        ),
        "USER" => {
            let who = if is_root(&args) {
                "root".to_owned()
            } else {
                args.to_string()
            };
            (
                format!("Run the following steps and containers as the user {who}"),
                vec!["user"],
            )
        }
        "VOLUME" => (
            format!(
                "Declare {args} as volume mount point(s): each container gets an anonymous volume there unless you mount one"
            ),
            vec!["volume", "anonymous-volume"],
        ),
        "LABEL" => (
            format!("Attach the metadata label(s) {args} to the image"),
            vec!["image"],
        ),
        "HEALTHCHECK" => {
            if instruction
                .values
                .first()
                .is_some_and(|v| v.eq_ignore_ascii_case("none"))
            {
                (
                    "Switch off any health check inherited from the base image".into(),
                    vec!["healthcheck"],
                )
            } else {
                let every = instruction
                    .flag("interval")
                    .map(|i| format!(" every {i}"))
                    .unwrap_or_else(|| " every 30s".into());
                let command = match &instruction.args {
                    Args::Exec(words) => words.join(" "),
                    Args::Shell(_) => instruction.values.get(1..).unwrap_or_default().join(" "),
                };
                (
                    format!(
                        "Check the container's health{every} by running `{}`; exit code 0 means healthy",
                        shorten(&command, 70)
                    ),
                    vec!["healthcheck"],
                )
            }
        }
        "SHELL" => (
            format!("Use {args} as the shell for the following shell-form instructions"),
            vec!["run-instruction"],
        ),
        "STOPSIGNAL" => (
            format!("docker stop will send {args} instead of SIGTERM"),
            vec!["pid-1"],
        ),
        "ONBUILD" => (
            format!(
                "Store `{}` to run later, when another Dockerfile builds FROM this image",
                shorten(&args, 70)
            ),
            vec!["dockerfile", "base-image"],
        ),
        "MAINTAINER" => (
            "Record the author (deprecated: use LABEL org.opencontainers.image.authors=…)".into(),
            vec!["dockerfile"],
        ),
        _ => (String::new(), vec![]),
    }
}

/// CMD and ENTRYPOINT: what runs, what is PID 1, and how the two combine.
fn process_meaning(
    instruction: &Instruction,
    i: usize,
    a: &Analysis,
) -> (String, Vec<&'static str>) {
    let is_cmd = instruction.keyword == "CMD";
    let mut terms = vec![if is_cmd { "cmd" } else { "entrypoint" }];
    // Is there an ENTRYPOINT earlier in this stage or in what it builds on?
    let entrypoint_before = is_cmd && a.entrypoint_before(i);
    let how = match &instruction.args {
        Args::Exec(words) if entrypoint_before => format!(
            "Give the ENTRYPOINT the default arguments `{}` (docker run IMAGE ARGS replaces them)",
            shorten(&words.join(" "), 70)
        ),
        Args::Exec(words) => {
            let pid1 = match words.as_slice() {
                [shell, flag, ..]
                    if flag == "-c"
                        && ["sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env"]
                            .contains(&shell.as_str()) =>
                {
                    terms.push("pid-1");
                    format!(
                        "{shell} is PID 1 and runs the command as its child, so docker stop's signal reaches the shell, not your program, unless the command starts with exec"
                    )
                }
                [first, ..] => format!("{first} runs as PID 1 and receives docker stop's signal"),
                [] => "nothing".into(),
            };
            format!("`{}` (exec form: {pid1})", shorten(&words.join(" "), 70))
        }
        Args::Shell(text) => {
            terms.push("pid-1");
            format!(
                "`/bin/sh -c '{}'` (shell form: the shell is PID 1, so docker stop's signal does not reach your program)",
                shorten(text, 70)
            )
        }
    };
    let lead = if entrypoint_before {
        String::new()
    } else if is_cmd {
        "When a container starts without a command (or to give an ENTRYPOINT its default arguments), run ".into()
    } else {
        "Make every container run ".into()
    };
    (format!("{lead}{how}"), terms)
}

/// Whether a COPY/ADD source word is the marker of the heredoc named `name` (`<<EOF`, `<<-"EOF"`).
fn is_heredoc_word(word: &str, name: &str) -> bool {
    let Some(rest) = word
        .trim_start_matches(|c: char| c.is_ascii_digit())
        .strip_prefix("<<")
    else {
        return false;
    };
    let rest = rest.trim_start_matches('-').trim_start();
    rest.replace(['"', '\''], "") == name
}
