//! What each instruction means, in words for a data scientist: the image a FROM starts from,
//! what a RUN installs and with which package manager, what really becomes PID 1, what COPY takes
//! from where.

use std::borrow::Cow;

use super::parse::{Args, Instruction};
use super::script::{self, Command, Word};
use super::shorten;
use super::stages::{Analysis, Stage};
use crate::explain::reference::{self, parse_normalized};

/// Shortens what was appended to `out` since `start` as [`shorten`] would: at most `max`
/// characters, then `…`.
fn cut_from(out: &mut String, start: usize, max: usize) {
    if out.len() - start > max
        && let Some((at, _)) = out[start..].char_indices().nth(max)
    {
        out.truncate(start + at);
        out.push('…');
    }
}

/// The parts one after the other, in a string of exactly their length.
fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// Appends `text` shortened to `max` characters, without a string of its own.
fn push_short(out: &mut String, text: &str, max: usize) {
    let start = out.len();
    out.push_str(text);
    cut_from(out, start, max);
}

/// Appends the items with `separator` between them, the whole shortened to `max` characters.
fn push_joined<S: AsRef<str>>(out: &mut String, items: &[S], separator: &str, max: usize) {
    let start = out.len();
    for (n, item) in items.iter().enumerate() {
        if n > 0 {
            out.push_str(separator);
        }
        out.push_str(item.as_ref());
    }
    cut_from(out, start, max);
}

fn push_stage(out: &mut String, stage: &Stage) {
    match &stage.name {
        Some(name) => {
            out.push_str("stage '");
            out.push_str(name);
            out.push('\'');
        }
        None => {
            use std::fmt::Write as _;
            let _ = write!(out, "stage {}", stage.index);
        }
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
    let mut what: Vec<Cow<'static, str>> = Vec::new();
    // Without heredocs, a shell-form RUN's commands are the script the rules split already.
    let owned;
    let commands = if matches!(instruction.args, Args::Shell) && instruction.heredocs.is_empty() {
        script
    } else {
        owned = run_commands(instruction);
        &owned
    };
    for (n, cmd) in commands.iter().enumerate() {
        if let Some(reading) = package_reading(cmd) {
            let reading = Cow::Owned(reading);
            if !what.contains(&reading) {
                what.push(reading);
            }
            continue;
        }
        let reading: Option<Cow<'static, str>> = match cmd.program() {
            "curl" | "wget" => Some("downloads files".into()),
            "rm" if cmd
                .args()
                .iter()
                .any(|a| a.starts_with("/var/lib/apt/lists")) =>
            {
                Some("deletes the apt package lists to keep the layer small".into())
            }
            "export" => {
                let last = commands[n + 1..].iter().all(|c| c.program() == "export");
                last.then(|| {
                    let mut out = String::from("exports ");
                    push_joined(&mut out, cmd.args(), " ", 40);
                    out.push_str(" only for the rest of this RUN (use ENV to keep it)");
                    out.into()
                })
            }
            "useradd" | "adduser" => Some("creates a user account".into()),
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
    let mut meaning = String::with_capacity(200);
    match (&instruction.args, instruction.heredocs.len()) {
        (Args::Exec(words), _) => {
            meaning.push_str("Run `");
            push_joined(&mut meaning, words, " ", 70);
            meaning.push_str("` at build time, directly without a shell");
        }
        (Args::Shell, n) if n > 0 => {
            let text = instruction.rest();
            use std::fmt::Write as _;
            meaning.push_str("Run `");
            push_short(&mut meaning, text, 50);
            let _ = write!(
                meaning,
                "` at build time with the inline script(s) written below it ({} line(s))",
                instruction
                    .heredocs
                    .iter()
                    .map(|h| h.body.lines().count())
                    .sum::<usize>()
            );
        }
        (Args::Shell, _) => {
            let text = instruction.rest();
            meaning.push_str("Run `");
            push_short(&mut meaning, text, 70);
            meaning.push_str("` at build time");
        }
    }
    if !what.is_empty() {
        meaning.push_str(": it ");
        push_joined(&mut meaning, &what, ", ", usize::MAX);
    }
    if !mounts.is_empty() {
        meaning.push_str(", with ");
        push_joined(&mut meaning, &mounts, " and ", usize::MAX);
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
        Args::Shell => {
            let text = instruction.rest();
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
            && a.starts_with('-')
            && !a.starts_with("--")
            && a.get(..2).is_some_and(|flag| with_value.contains(&flag))
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
    let (destination, sources): (&str, &[String]) = match words.split_last() {
        Some((destination, sources)) => (destination, sources),
        None => ("(no destination)", &words[..]),
    };
    // `COPY <<EOF /dest`: the heredoc words are inline files, not paths in the context.
    let inline = |s: &str| {
        instruction
            .heredocs
            .iter()
            .any(|h| is_heredoc_word(s, &h.name))
    };
    let (has_inline, sources): (bool, Vec<&str>) = if instruction.heredocs.is_empty() {
        (false, sources.iter().map(String::as_str).collect())
    } else {
        (
            sources.iter().any(|s| inline(s)),
            sources
                .iter()
                .map(String::as_str)
                .filter(|s| !inline(s))
                .collect(),
        )
    };
    let mut terms = vec!["copy"];
    let from = instruction.flag("from");
    terms.push(if from.is_some() {
        "multi-stage-build"
    } else {
        "build-context"
    });
    let push_from = |out: &mut String| {
        if sources.is_empty() {
            return;
        }
        match from {
            Some(stage) => {
                out.push_str(" from ");
                out.push_str(stage);
                out.push_str(" (an earlier stage or another image) instead of the build context");
            }
            None => out.push_str(" from the build context"),
        }
    };
    let push_owner = |out: &mut String| {
        if let Some(o) = instruction.flag("chown") {
            out.push_str(", owned by ");
            out.push_str(o);
        }
    };
    let push_list = |out: &mut String| {
        if has_inline {
            use std::fmt::Write as _;
            let lines: usize = instruction
                .heredocs
                .iter()
                .map(|h| h.body.lines().count())
                .sum();
            out.push_str("the inline file(s) written here (");
            for (n, h) in instruction.heredocs.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_str(&h.name);
            }
            let _ = write!(out, ", {lines} line(s))");
            if !sources.is_empty() {
                out.push_str(" and ");
            }
        }
        push_joined(out, &sources, ", ", 80);
    };
    let mut out = String::with_capacity(160);
    if instruction.keyword == "ADD" {
        let remote = sources
            .iter()
            .any(|s| s.contains("://") || s.starts_with("git@"));
        let archive = sources.iter().any(|s| is_archive(s));
        if remote {
            out.push_str("Download ");
            push_list(&mut out);
            out.push_str(" into ");
            out.push_str(destination);
            push_owner(&mut out);
        } else {
            out.push_str("Copy ");
            push_list(&mut out);
            push_from(&mut out);
            out.push_str(" into ");
            out.push_str(destination);
            if archive {
                out.push_str(" and unpack the archive(s)");
                push_owner(&mut out);
            } else {
                push_owner(&mut out);
                out.push_str(" (COPY does the same, more plainly)");
            }
        }
        return (out, terms);
    }
    out.push_str("Copy ");
    push_list(&mut out);
    push_from(&mut out);
    out.push_str(" into ");
    out.push_str(destination);
    out.push_str(" in the image");
    push_owner(&mut out);
    (out, terms)
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
    match instruction.keyword.as_ref() {
        "FROM" => {
            let Some(index) = stage else {
                return (String::new(), vec![]);
            };
            let current = &a.stages[index];
            let mut out = String::with_capacity(160);
            if a.stages.len() == 1 && current.name.is_none() {
                out.push_str("Start the build");
            } else {
                out.push_str("Start ");
                push_stage(&mut out, current);
            }
            match current.parent {
                Some(p) => {
                    out.push_str(" from the result of ");
                    push_stage(&mut out, &a.stages[p]);
                }
                None => {
                    out.push_str(" from ");
                    out.push_str(&describe_image(&current.base_resolved));
                }
            }
            // An empty result is already said by describe_image.
            if current.base != current.base_resolved && !current.base_resolved.is_empty() {
                out.push_str(" (");
                out.push_str(&current.base_resolved);
                out.push_str(" with the ARG defaults)");
            }
            if let Some(p) = &current.platform {
                out.push_str(", for the platform ");
                out.push_str(p);
            }
            if a.needed.get(index) == Some(&false) {
                out.push_str("; the final stage does not use it, so docker build skips it");
            }
            let mut terms = vec!["from", "base-image"];
            if current.name.is_some() || a.stages.len() > 1 {
                terms.push("multi-stage-build");
            }
            (out, terms)
        }
        "RUN" => run_meaning(instruction, script),
        "CMD" | "ENTRYPOINT" => process_meaning(instruction, i, a),
        "COPY" | "ADD" => copy_meaning(instruction),
        "ENV" => {
            let mut out = String::with_capacity(160);
            out.push_str("Set the environment variable(s) ");
            for (n, (k, v)) in a.env_set[i].iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                out.push_str(k);
                out.push('=');
                push_short(&mut out, v, 60);
            }
            out.push_str(" for the following steps and in every container");
            (out, vec!["env", "environment-variable"])
        }
        "ARG" => {
            let mut out = String::with_capacity(160);
            out.push_str("Declare the build argument(s) ");
            for (n, w) in instruction.values.iter().enumerate() {
                if n > 0 {
                    out.push_str(", ");
                }
                match w.split_once('=') {
                    Some((name, d)) => {
                        out.push_str(name);
                        out.push_str(" (default '");
                        push_short(&mut out, unquoted(d), 60);
                        out.push_str("')");
                    }
                    None => {
                        out.push_str(w);
                        out.push_str(" (no default)");
                    }
                }
            }
            out.push_str(if stage.is_none() {
                "; declared before the first FROM, so FROM lines can use it (steps inside a stage see it only if the stage declares it again)"
            } else {
                "; set it with docker build --build-arg"
            });
            (out, vec!["build-arg"])
        }
        "WORKDIR" => (
            concat(&[
                "Make ",
                &args,
                " the working directory for the following steps and for containers, creating it if needed",
            ]),
            vec!["workdir"],
        ),
        "EXPOSE" => (
            concat(&[
                "Document that the program listens on ",
                &args,
                "; it opens nothing (publish with docker run -p)",
            ]),
            vec!["expose", "port-publishing"],
        ),
        "USER" => {
            let who = if is_root(&args) { "root" } else { &args };
            (
                concat(&["Run the following steps and containers as the user ", who]),
                vec!["user"],
            )
        }
        "VOLUME" => (
            concat(&[
                "Declare ",
                &args,
                " as volume mount point(s): each container gets an anonymous volume there unless you mount one",
            ]),
            vec!["volume", "anonymous-volume"],
        ),
        "LABEL" => (
            concat(&["Attach the metadata label(s) ", &args, " to the image"]),
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
                    Args::Shell => instruction.values.get(1..).unwrap_or_default().join(" "),
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
            concat(&[
                "Use ",
                &args,
                " as the shell for the following shell-form instructions",
            ]),
            vec!["run-instruction"],
        ),
        "STOPSIGNAL" => (
            concat(&["docker stop will send ", &args, " instead of SIGTERM"]),
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
        Args::Shell => {
            let text = instruction.rest();
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

/// An ARG default as the build sees it when it is quoted whole (`"7.0 7.5"`, `'python:3.12'`):
/// the quotes are the shell's, not part of the value.
fn unquoted(value: &str) -> &str {
    match value.as_bytes() {
        [q @ (b'"' | b'\''), .., last] if last == q && value.len() >= 2 => {
            let inner = &value[1..value.len() - 1];
            if inner.contains(char::from(*q)) {
                value
            } else {
                inner
            }
        }
        _ => value,
    }
}
