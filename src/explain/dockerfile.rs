//! Dockerfiles: a parser that follows BuildKit's rules (parser directives, comments, line
//! continuations, heredocs, exec and shell forms, flags, `ARG` substitution in `FROM`), then a
//! reading of every instruction, every stage, and tips for the mistakes that cost most.

use std::collections::HashMap;
use std::fmt;

use super::reference::parse_normalized;
use super::{looks_secret, shorten};

/// A syntax error, with the line it is on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for SyntaxError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

impl std::error::Error for SyntaxError {}

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directive {
    /// Lowercase name: `syntax`, `escape` or `check`.
    pub name: String,
    /// Its value.
    pub value: String,
}

/// An instruction's arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    /// JSON array form, `["python", "train.py"]`: run directly, no shell.
    Exec(Vec<String>),
    /// Shell form: a string run through `/bin/sh -c` (for RUN, CMD, ENTRYPOINT).
    Shell(String),
}

/// A heredoc attached to an instruction: `RUN <<EOT` … `EOT`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heredoc {
    /// The terminating word.
    pub name: String,
    /// The lines between, joined with newlines.
    pub body: String,
}

/// One parsed instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Line where it starts.
    pub line: usize,
    /// Uppercase keyword.
    pub keyword: String,
    /// Leading `--name=value` flags; a bare `--link` has an empty value.
    pub flags: Vec<(String, String)>,
    /// What follows the flags.
    pub args: Args,
    /// Heredocs, in order.
    pub heredocs: Vec<Heredoc>,
    /// The instruction as written, continuation lines joined.
    pub text: String,
}

impl Instruction {
    fn flag(&self, name: &str) -> Option<&str> {
        self.flags
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The arguments as one string, whichever form they are in.
    fn args_text(&self) -> String {
        match &self.args {
            Args::Exec(words) => words.join(" "),
            Args::Shell(text) => text.clone(),
        }
    }
}

const KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

/// The parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Parser directives from the top of the file.
    pub directives: Vec<Directive>,
    /// Instructions in order.
    pub instructions: Vec<Instruction>,
}

/// Parses a Dockerfile.
pub fn parse(source: &str) -> Result<Parsed, SyntaxError> {
    let lines: Vec<&str> = source.lines().collect();
    let mut directives = Vec::new();
    let mut escape = '\\';
    let mut next = 0;
    // Parser directives: `# name=value` lines at the very top; anything else ends them.
    while let Some(line) = lines.get(next) {
        let Some(directive) = directive(line) else {
            break;
        };
        if directives
            .iter()
            .any(|d: &Directive| d.name == directive.name)
        {
            return Err(SyntaxError {
                line: next + 1,
                message: format!("the parser directive '{}' appears twice", directive.name),
            });
        }
        if directive.name == "escape" {
            escape = match directive.value.as_str() {
                "\\" => '\\',
                "`" => '`',
                other => {
                    return Err(SyntaxError {
                        line: next + 1,
                        message: format!("invalid escape character '{other}': it must be \\ or `"),
                    });
                }
            };
        }
        directives.push(directive);
        next += 1;
    }

    let mut instructions = Vec::new();
    while next < lines.len() {
        let start = next;
        let first = lines[next];
        next += 1;
        let trimmed = first.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        // Join continuation lines; comment and blank lines inside a continuation are dropped.
        let mut logical = String::new();
        let mut current = first;
        loop {
            let content = current.trim_end();
            match content.strip_suffix(escape) {
                Some(body) => {
                    // Like BuildKit: the escape character goes, the lines are joined as they are.
                    logical.push_str(body);
                    let mut continued = false;
                    while let Some(line) = lines.get(next) {
                        next += 1;
                        let t = line.trim();
                        if t.is_empty() || t.starts_with('#') {
                            continue;
                        }
                        current = line;
                        continued = true;
                        break;
                    }
                    if !continued {
                        break;
                    }
                }
                None => {
                    logical.push_str(content);
                    break;
                }
            }
        }
        let mut instruction = parse_instruction(logical.trim(), start + 1)?;
        // Heredocs: the bodies are the lines that follow, up to each terminator in turn.
        for (name, strip_tabs) in heredoc_markers(&instruction) {
            let mut body = Vec::new();
            let mut closed = false;
            while let Some(line) = lines.get(next) {
                next += 1;
                let candidate = if strip_tabs {
                    line.trim_start_matches('\t')
                } else {
                    line
                };
                if candidate == name {
                    closed = true;
                    break;
                }
                body.push(candidate);
            }
            if !closed {
                return Err(SyntaxError {
                    line: start + 1,
                    message: format!(
                        "the heredoc <<{name} is never closed: no line '{name}' follows"
                    ),
                });
            }
            instruction.heredocs.push(Heredoc {
                name,
                body: body.join("\n"),
            });
        }
        instructions.push(instruction);
    }
    Ok(Parsed {
        directives,
        instructions,
    })
}

fn directive(line: &str) -> Option<Directive> {
    let rest = line.trim_start().strip_prefix('#')?;
    let (name, value) = rest.split_once('=')?;
    let name = name.trim();
    if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
        return None;
    }
    let name = name.to_ascii_lowercase();
    if !matches!(name.as_str(), "syntax" | "escape" | "check") {
        return None;
    }
    Some(Directive {
        name,
        value: value.trim().to_owned(),
    })
}

fn parse_instruction(text: &str, line: usize) -> Result<Instruction, SyntaxError> {
    let (word, rest) = match text.split_once(char::is_whitespace) {
        Some((word, rest)) => (word, rest.trim_start()),
        None => (text, ""),
    };
    let keyword = word.to_ascii_uppercase();
    if !KEYWORDS.contains(&keyword.as_str()) {
        let hint = KEYWORDS
            .iter()
            .map(|k| (k, strsim::damerau_levenshtein(k, &keyword)))
            .filter(|(_, d)| *d <= 2)
            .min_by_key(|(_, d)| *d)
            .map(|(k, _)| format!(" (did you mean {k}?)"))
            .unwrap_or_default();
        return Err(SyntaxError {
            line,
            message: format!("unknown instruction '{word}'{hint}"),
        });
    }
    let mut flags = Vec::new();
    let mut rest = rest;
    let takes_flags = matches!(
        keyword.as_str(),
        "FROM" | "RUN" | "COPY" | "ADD" | "HEALTHCHECK"
    );
    while takes_flags && rest.starts_with("--") {
        let (token, after) = rest.split_once(char::is_whitespace).unwrap_or((rest, ""));
        let token = &token[2..];
        let (name, value) = token.split_once('=').unwrap_or((token, ""));
        flags.push((name.to_owned(), value.to_owned()));
        rest = after.trim_start();
    }
    if rest.is_empty() && keyword != "HEALTHCHECK" {
        return Err(SyntaxError {
            line,
            message: format!("{keyword} needs at least one argument"),
        });
    }
    let args = match serde_json::from_str::<Vec<String>>(rest) {
        Ok(words) if rest.starts_with('[') => Args::Exec(words),
        _ => Args::Shell(rest.to_owned()),
    };
    Ok(Instruction {
        line,
        keyword,
        flags,
        args,
        heredocs: Vec::new(),
        text: text.to_owned(),
    })
}

/// `<<EOT`, `<<-EOT`, `<<"EOT"` or `<<'EOT'` in a RUN, COPY or ADD: the terminator, and whether
/// leading tabs are stripped.
fn heredoc_markers(instruction: &Instruction) -> Vec<(String, bool)> {
    if !matches!(instruction.keyword.as_str(), "RUN" | "COPY" | "ADD") {
        return Vec::new();
    }
    let Args::Shell(text) = &instruction.args else {
        return Vec::new();
    };
    let mut markers = Vec::new();
    let mut rest = text.as_str();
    while let Some(at) = rest.find("<<") {
        let after = &rest[at + 2..];
        let (strip_tabs, after) = match after.strip_prefix('-') {
            Some(a) => (true, a),
            None => (false, after),
        };
        let quoted = after.starts_with(['"', '\'']);
        let name: String = after
            .trim_start_matches(['"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        let unquoted_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
        if !name.is_empty() && (quoted || unquoted_ok) {
            markers.push((name, strip_tabs));
        }
        rest = after;
    }
    markers
}

/// A build stage.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// 0-based position.
    pub index: usize,
    /// The name given with `AS`.
    pub name: Option<String>,
    /// The image (or earlier stage) named in FROM, as written.
    pub base: String,
    /// The same with ARG defaults substituted.
    pub base_resolved: String,
    /// Line of its FROM.
    pub line: usize,
    /// Stages and images it copies from (COPY --from, RUN --mount from=, FROM an earlier stage).
    pub copies_from: Vec<String>,
}

/// One instruction, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    /// Line where it starts.
    pub line: usize,
    /// The keyword.
    pub instruction: String,
    /// Index of its stage; `None` for ARGs before the first FROM.
    pub stage: Option<usize>,
    /// The instruction as written.
    pub text: String,
    /// What this line does.
    pub meaning: String,
    /// Glossary ids.
    pub terms: Vec<&'static str>,
}

/// A suggestion tied to a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tip {
    /// The line it is about.
    pub line: usize,
    /// What to change and why.
    pub message: String,
    /// Glossary ids.
    pub terms: Vec<&'static str>,
}

/// The whole reading of a Dockerfile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// Parser directives.
    pub directives: Vec<Directive>,
    /// Build stages.
    pub stages: Vec<Stage>,
    /// Every instruction.
    pub instructions: Vec<Explained>,
    /// Suggestions, in line order.
    pub tips: Vec<Tip>,
}

/// Parses and explains a Dockerfile.
pub fn explain(source: &str) -> Result<Explanation, SyntaxError> {
    let parsed = parse(source)?;
    let mut global_args: HashMap<String, String> = HashMap::new();
    let mut stages: Vec<Stage> = Vec::new();
    let mut explained = Vec::new();
    for instruction in &parsed.instructions {
        let stage_index = stages.len().checked_sub(1);
        if instruction.keyword == "FROM" {
            let stage = from_stage(instruction, stages.len(), &global_args, &stages)?;
            stages.push(stage);
        } else if stage_index.is_none() && instruction.keyword != "ARG" {
            return Err(SyntaxError {
                line: instruction.line,
                message: format!(
                    "{} comes before any FROM; only ARG may",
                    instruction.keyword
                ),
            });
        }
        if instruction.keyword == "ARG" && stage_index.is_none() {
            for (name, default) in arg_declarations(&instruction.args_text()) {
                let value = default
                    .map(|d| substitute(&d, &global_args).0)
                    .unwrap_or_default();
                global_args.insert(name, value);
            }
        }
        let stage = stages.len().checked_sub(1);
        if let Some(current) = stage {
            for source in copy_sources(instruction) {
                if !stages[current].copies_from.contains(&source) {
                    stages[current].copies_from.push(source);
                }
            }
        }
        let (meaning, terms) = meaning(instruction, &stages, stage);
        explained.push(Explained {
            line: instruction.line,
            instruction: instruction.keyword.clone(),
            stage,
            text: instruction.text.clone(),
            meaning,
            terms,
        });
    }
    if stages.is_empty() {
        return Err(SyntaxError {
            line: source.lines().count().max(1),
            message: "the file has no FROM instruction, so there is nothing to build".into(),
        });
    }
    let tips = tips(&parsed.instructions, &stages);
    Ok(Explanation {
        directives: parsed.directives,
        stages,
        instructions: explained,
        tips,
    })
}

fn from_stage(
    instruction: &Instruction,
    index: usize,
    args: &HashMap<String, String>,
    earlier: &[Stage],
) -> Result<Stage, SyntaxError> {
    let text = instruction.args_text();
    let words: Vec<&str> = text.split_whitespace().collect();
    let (base, name) = match words.as_slice() {
        [base] => (*base, None),
        [base, r#as, name] if r#as.eq_ignore_ascii_case("as") => (*base, Some((*name).to_owned())),
        _ => {
            return Err(SyntaxError {
                line: instruction.line,
                message: "FROM takes an image and optionally AS NAME: FROM IMAGE [AS NAME]".into(),
            });
        }
    };
    let (resolved, _) = substitute(base, args);
    let mut copies_from = Vec::new();
    if let Some(stage) = earlier.iter().find(|s| {
        s.name
            .as_deref()
            .is_some_and(|n| n.eq_ignore_ascii_case(&resolved))
    }) {
        copies_from.push(
            stage
                .name
                .clone()
                .unwrap_or_else(|| stage.index.to_string()),
        );
    }
    Ok(Stage {
        index,
        name,
        base: base.to_owned(),
        base_resolved: resolved,
        line: instruction.line,
        copies_from,
    })
}

/// `NAME` or `NAME=default` declarations of an ARG line.
fn arg_declarations(text: &str) -> Vec<(String, Option<String>)> {
    text.split_whitespace()
        .map(|word| match word.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.trim_matches('"').to_owned())),
            None => (word.to_owned(), None),
        })
        .collect()
}

/// Substitutes `$VAR`, `${VAR}`, `${VAR:-default}` and `${VAR:+alternative}`; returns the result
/// and the names that had no value.
pub fn substitute(text: &str, vars: &HashMap<String, String>) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut missing = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '$' {
            out.push(c);
            continue;
        }
        if chars.peek().is_some_and(|(_, c)| *c == '{') {
            chars.next();
            let mut inner = String::new();
            let mut closed = false;
            for (_, c) in chars.by_ref() {
                if c == '}' {
                    closed = true;
                    break;
                }
                inner.push(c);
            }
            if !closed {
                out.push_str("${");
                out.push_str(&inner);
                continue;
            }
            let (name, modifier) = match inner.find(':') {
                Some(i) => (&inner[..i], Some(&inner[i..])),
                None => (inner.as_str(), None),
            };
            let value = vars.get(name).filter(|v| !v.is_empty());
            match (modifier, value) {
                (Some(m), None) if m.starts_with(":-") => out.push_str(&m[2..]),
                (Some(m), Some(_)) if m.starts_with(":+") => out.push_str(&m[2..]),
                (Some(m), None) if m.starts_with(":+") => {}
                (_, Some(v)) => out.push_str(v),
                (_, None) => missing.push(name.to_owned()),
            }
        } else {
            let mut name = String::new();
            while let Some((_, c)) = chars.peek() {
                if c.is_ascii_alphanumeric() || *c == '_' {
                    name.push(*c);
                    chars.next();
                } else {
                    break;
                }
            }
            if name.is_empty() {
                out.push('$');
            } else if let Some(v) = vars.get(&name).filter(|v| !v.is_empty()) {
                out.push_str(v);
            } else {
                missing.push(name);
            }
        }
    }
    (out, missing)
}

/// Where an instruction takes files from, besides the build context: `COPY --from=X` and
/// `RUN --mount=…,from=X`.
fn copy_sources(instruction: &Instruction) -> Vec<String> {
    let mut sources = Vec::new();
    if let Some(from) = instruction.flag("from") {
        sources.push(from.to_owned());
    }
    for (name, value) in &instruction.flags {
        if name == "mount" {
            for field in value.split(',') {
                if let Some(from) = field.strip_prefix("from=") {
                    sources.push(from.to_owned());
                }
            }
        }
    }
    sources
}

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
            } else if n.registry == super::reference::DEFAULT_REGISTRY {
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

fn meaning(
    instruction: &Instruction,
    stages: &[Stage],
    stage: Option<usize>,
) -> (String, Vec<&'static str>) {
    let args = instruction.args_text();
    match instruction.keyword.as_str() {
        "FROM" => {
            let current = &stages[stages.len() - 1];
            let subject = if stages.len() == 1 && current.name.is_none() {
                "Start the build".to_owned()
            } else {
                format!("Start {}", describe_stage(current))
            };
            let earlier = stages[..stages.len() - 1].iter().find(|s| {
                s.name
                    .as_deref()
                    .is_some_and(|n| n.eq_ignore_ascii_case(&current.base_resolved))
            });
            let from = match earlier {
                Some(earlier) => format!("from the result of {}", describe_stage(earlier)),
                None => format!("from {}", describe_image(&current.base_resolved)),
            };
            let resolved = if current.base != current.base_resolved {
                format!(" ({} with the ARG defaults)", current.base_resolved)
            } else {
                String::new()
            };
            let platform = instruction
                .flag("platform")
                .map(|p| format!(", for the platform {p}"))
                .unwrap_or_default();
            let mut terms = vec!["from", "base-image"];
            if current.name.is_some() || stages.len() > 1 {
                terms.push("multi-stage-build");
            }
            (format!("{subject} {from}{resolved}{platform}"), terms)
        }
        "RUN" => run_meaning(instruction),
        "CMD" | "ENTRYPOINT" => {
            let is_cmd = instruction.keyword == "CMD";
            let (how, mut terms) = match &instruction.args {
                Args::Exec(words) => (
                    format!(
                        "`{}` (exec form: it runs as PID 1 and receives docker stop's signal)",
                        words.join(" ")
                    ),
                    vec![],
                ),
                Args::Shell(text) => (
                    format!(
                        "`/bin/sh -c '{text}'` (shell form: the shell is PID 1, so docker stop's signal does not reach your program)"
                    ),
                    vec!["pid-1"],
                ),
            };
            let lead = if is_cmd {
                "When a container starts without a command (or to give an ENTRYPOINT its default arguments), run"
            } else {
                "Make every container run"
            };
            terms.insert(0, if is_cmd { "cmd" } else { "entrypoint" });
            (format!("{lead} {how}"), terms)
        }
        "COPY" | "ADD" => copy_meaning(instruction),
        "ENV" => {
            let pairs = env_pairs(&args);
            let list = pairs
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
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
            let declarations = arg_declarations(&args);
            let list = declarations
                .iter()
                .map(|(n, d)| match d {
                    Some(d) => format!("{n} (default '{d}')"),
                    None => format!("{n} (no default)"),
                })
                .collect::<Vec<_>>()
                .join(", ");
            let scope = if stage.is_none() {
                "; declared before the first FROM, so FROM lines can use it"
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
                args.clone()
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
            if args.trim().eq_ignore_ascii_case("none") {
                (
                    "Switch off any health check inherited from the base image".into(),
                    vec!["healthcheck"],
                )
            } else {
                let every = instruction
                    .flag("interval")
                    .map(|i| format!(" every {i}"))
                    .unwrap_or_else(|| " every 30s".into());
                let command = args
                    .trim_start_matches("CMD")
                    .trim_start_matches("cmd")
                    .trim();
                (
                    format!(
                        "Check the container's health{every} by running `{command}`; exit code 0 means healthy"
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
            format!("Store `{args}` to run later, when another Dockerfile builds FROM this image"),
            vec!["dockerfile", "base-image"],
        ),
        "MAINTAINER" => (
            "Record the author (deprecated: use LABEL org.opencontainers.image.authors=…)".into(),
            vec!["dockerfile"],
        ),
        _ => (String::new(), vec![]),
    }
}

fn is_root(user: &str) -> bool {
    let name = user.split(':').next().unwrap_or(user).trim();
    name == "root" || name == "0"
}

/// `ENV A=1 B="two words"` or the legacy `ENV A one two`.
fn env_pairs(text: &str) -> Vec<(String, String)> {
    let first = text.split_whitespace().next().unwrap_or("");
    if !first.contains('=') {
        let (key, value) = text.split_once(char::is_whitespace).unwrap_or((text, ""));
        return vec![(key.to_owned(), value.trim().to_owned())];
    }
    let words = super::shell::split(text)
        .unwrap_or_else(|_| text.split_whitespace().map(String::from).collect());
    words
        .iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_owned(), v.to_owned()),
            None => (w.clone(), String::new()),
        })
        .collect()
}

/// The commands of a shell-form RUN that a reader would want named.
fn run_meaning(instruction: &Instruction) -> (String, Vec<&'static str>) {
    let mut terms = vec!["run-instruction", "layer"];
    let mut what = Vec::new();
    let script = match &instruction.args {
        Args::Exec(words) => words.join(" "),
        Args::Shell(text) => {
            let mut script = text.clone();
            for doc in &instruction.heredocs {
                script.push('\n');
                script.push_str(&doc.body);
            }
            script
        }
    };
    let lower = script.to_ascii_lowercase();
    let has = |needle: &str| lower.contains(needle);
    if has("apt-get update") || has("apt update") {
        what.push("refreshes the Debian/Ubuntu package index".to_owned());
    }
    if let Some(packages) = packages_after(&script, &["apt-get install", "apt install", "apk add"])
    {
        what.push(format!("installs system packages ({packages})"));
    }
    if let Some(packages) =
        packages_after(&script, &["pip install", "pip3 install", "uv pip install"])
    {
        what.push(format!("installs Python packages with pip ({packages})"));
    }
    if has("conda install") || has("mamba install") || has("micromamba install") {
        what.push("installs packages with conda".into());
    }
    if has("poetry install") || has("uv sync") || has("pipenv install") {
        what.push("installs the project's locked Python dependencies".into());
    }
    if has("curl ") || has("wget ") {
        what.push("downloads files".into());
    }
    if has("rm -rf /var/lib/apt/lists") {
        what.push("deletes the apt package lists to keep the layer small".into());
    }
    let mut mounts = Vec::new();
    for (name, value) in &instruction.flags {
        if name != "mount" {
            continue;
        }
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
            words.join(" ")
        ),
        (Args::Shell(_), n) if n > 0 => format!(
            "Run the script given inline (heredoc, {} line(s)) at build time",
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

/// The words after an install command, up to the end of that command (`&&`, `;`, `|`).
fn packages_after(script: &str, commands: &[&str]) -> Option<String> {
    let lower = script.to_ascii_lowercase();
    let (at, command) = commands
        .iter()
        .filter_map(|c| lower.find(c).map(|at| (at, c)))
        .min_by_key(|(at, _)| *at)?;
    let rest = script.get(at + command.len()..)?;
    let end = rest.find(['&', ';', '|', '\n']).unwrap_or(rest.len());
    let packages: Vec<&str> = rest[..end]
        .split_whitespace()
        .filter(|w| !w.starts_with('-'))
        .collect();
    if packages.is_empty() {
        return Some("as listed".into());
    }
    let shown = packages
        .iter()
        .take(6)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    Some(if packages.len() > 6 {
        format!("{shown}, …")
    } else {
        shown
    })
}

fn copy_meaning(instruction: &Instruction) -> (String, Vec<&'static str>) {
    let words: Vec<String> = match &instruction.args {
        Args::Exec(words) => words.clone(),
        Args::Shell(text) => super::shell::split(text)
            .unwrap_or_else(|_| text.split_whitespace().map(String::from).collect()),
    };
    let (sources, destination) = match words.split_last() {
        Some((destination, sources)) if !sources.is_empty() => {
            (sources.to_vec(), destination.clone())
        }
        _ if !instruction.heredocs.is_empty() => {
            (vec![], words.last().cloned().unwrap_or_default())
        }
        _ => (words.clone(), String::from("(no destination)")),
    };
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
    let list = if sources.is_empty() {
        format!(
            "the inline file(s) {}",
            instruction
                .heredocs
                .iter()
                .map(|h| h.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )
    } else {
        sources.join(", ")
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

fn installs_dependencies(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    [
        "pip install",
        "pip3 install",
        "conda install",
        "mamba install",
        "poetry install",
        "uv sync",
        "uv pip install",
        "pipenv install",
        "npm install",
        "npm ci",
    ]
    .iter()
    .any(|c| lower.contains(c))
}

fn tips(instructions: &[Instruction], stages: &[Stage]) -> Vec<Tip> {
    let mut tips = Vec::new();
    let mut tip = |line: usize, message: String, terms: &[&'static str]| {
        tips.push(Tip {
            line,
            message,
            terms: terms.to_vec(),
        })
    };
    let stage_names: Vec<String> = stages
        .iter()
        .filter_map(|s| s.name.as_ref().map(|n| n.to_ascii_lowercase()))
        .collect();
    for stage in stages {
        let base = &stage.base_resolved;
        if base == "scratch"
            || stage_names.contains(&base.to_ascii_lowercase())
            || base.contains('$')
        {
            continue;
        }
        if let Ok(n) = parse_normalized(base)
            && n.written.digest.is_none()
        {
            match n.written.tag {
                None => tip(
                    stage.line,
                    format!(
                        "FROM {base} has no tag, so it means {base}:latest, which changes whenever the publisher pushes; pin a version (and for exact rebuilds a digest)"
                    ),
                    &["tag", "reproducible-environment"],
                ),
                Some("latest") => tip(
                    stage.line,
                    format!(
                        "FROM {base} follows 'latest', which changes whenever the publisher pushes; pin a version (and for exact rebuilds a digest)"
                    ),
                    &["tag", "reproducible-environment"],
                ),
                Some(_) => {}
            }
        }
    }
    let mut pip_cache_off = false;
    let mut stage_of_line = Vec::new();
    let mut current = 0usize;
    for instruction in instructions {
        if instruction.keyword == "FROM" {
            current = stage_of_line
                .iter()
                .filter(|(_, k): &&(usize, bool)| *k)
                .count();
            stage_of_line.push((current, true));
        } else {
            stage_of_line.push((current, false));
        }
    }
    for (i, instruction) in instructions.iter().enumerate() {
        let args = instruction.args_text();
        let lower = args.to_ascii_lowercase();
        match instruction.keyword.as_str() {
            "ADD" => {
                let words: Vec<&str> = args.split_whitespace().collect();
                let sources = words.split_last().map(|(_, s)| s).unwrap_or(&[]);
                let plain = !sources.is_empty()
                    && sources
                        .iter()
                        .all(|s| !s.contains("://") && !s.starts_with("git@") && !is_archive(s));
                if plain {
                    tip(instruction.line, "use COPY here: ADD also unpacks archives and downloads URLs, so readers have to wonder which you meant".into(), &["copy"]);
                }
            }
            "RUN" => {
                let script = std::iter::once(args.clone())
                    .chain(instruction.heredocs.iter().map(|h| h.body.clone()))
                    .collect::<Vec<_>>()
                    .join("\n")
                    .to_ascii_lowercase();
                if (script.contains("apt-get update") || script.contains("apt update"))
                    && !script.contains("install")
                {
                    tip(instruction.line, "apt-get update without an install in the same RUN: the package index is cached in its own layer and goes stale; write apt-get update && apt-get install -y … in one RUN".into(), &["run-instruction", "build-cache"]);
                }
                let cache_mount = instruction
                    .flags
                    .iter()
                    .any(|(n, v)| n == "mount" && v.contains("type=cache"));
                if (script.contains("pip install") || script.contains("pip3 install"))
                    && !script.contains("--no-cache-dir")
                    && !pip_cache_off
                    && !cache_mount
                {
                    tip(instruction.line, "pip install without --no-cache-dir keeps pip's download cache in the image; add --no-cache-dir (or use a BuildKit cache mount)".into(), &["image-size", "build-cache"]);
                }
            }
            "ENV" => {
                for (name, _) in env_pairs(&args) {
                    if name.eq_ignore_ascii_case("PIP_NO_CACHE_DIR") {
                        pip_cache_off = true;
                    }
                    if looks_secret(&name) {
                        tip(
                            instruction.line,
                            format!(
                                "ENV {name} looks like a secret: ENV values are stored in the image for anyone who pulls it to read; pass it at run time (docker run -e) or use a build secret"
                            ),
                            &["env", "environment-variable"],
                        );
                    }
                }
            }
            "ARG" => {
                for (name, _) in arg_declarations(&args) {
                    if looks_secret(&name) {
                        tip(
                            instruction.line,
                            format!(
                                "ARG {name} looks like a secret: build arguments are recorded in the image's history; use docker build --secret and RUN --mount=type=secret"
                            ),
                            &["build-arg", "buildkit"],
                        );
                    }
                }
            }
            "CMD" | "ENTRYPOINT" => {
                if matches!(instruction.args, Args::Shell(_)) {
                    tip(
                        instruction.line,
                        format!(
                            "{} in shell form runs under /bin/sh -c, which does not pass docker stop's SIGTERM on: write it in JSON form, [\"executable\", \"arg\"]",
                            instruction.keyword
                        ),
                        &[
                            "pid-1",
                            if instruction.keyword == "CMD" {
                                "cmd"
                            } else {
                                "entrypoint"
                            },
                        ],
                    );
                }
            }
            "COPY" => {
                let words: Vec<&str> = lower.split_whitespace().collect();
                let copies_everything = words.len() >= 2
                    && words[..words.len() - 1]
                        .iter()
                        .any(|s| *s == "." || *s == "./");
                let stage = stage_of_line[i].0;
                let installs_later = instructions[i + 1..]
                    .iter()
                    .zip(&stage_of_line[i + 1..])
                    .take_while(|(_, (s, _))| *s == stage)
                    .any(|(later, _)| {
                        later.keyword == "RUN" && installs_dependencies(&later.args_text())
                    });
                if copies_everything && instruction.flag("from").is_none() && installs_later {
                    tip(instruction.line, "COPY . copies the whole project before dependencies are installed, so any code change re-runs the install; copy requirements.txt (or the lock file) first, install, then copy the rest".into(), &["build-cache", "copy"]);
                }
            }
            _ => {}
        }
    }
    // Running as root: the final stage never switches to another user.
    if let Some(last) = stages.last() {
        let last_user = instructions
            .iter()
            .rev()
            .find(|i| i.line >= last.line && i.keyword == "USER")
            .map(|i| i.args_text());
        if last_user.as_deref().is_none_or(is_root) {
            let line = instructions.last().map_or(last.line, |i| i.line);
            tip(line, "the final stage runs as root: unless the base image already switches users, add a USER with an unprivileged account".into(), &["user"]);
        }
    }
    tips.sort_by_key(|t| t.line);
    tips
}

#[cfg(test)]
mod tests {
    use super::*;

    const ML: &str = r#"# syntax=docker/dockerfile:1
# escape=\
ARG PYTHON=3.12
ARG BASE=python:${PYTHON}-slim

FROM ${BASE} AS builder
RUN apt-get update && apt-get install -y --no-install-recommends \
    build-essential \
    # a comment inside the continuation
    git
COPY requirements.txt .
RUN --mount=type=cache,target=/root/.cache/pip pip install -r requirements.txt
RUN <<EOT
set -e
python -c "print('hello')"
EOT

from python:3.12-slim as runtime
ENV PYTHONUNBUFFERED=1 HF_TOKEN=abc
ENV LEGACY value with spaces
COPY --from=builder /usr/local/lib/python3.12 /usr/local/lib/python3.12
COPY . .
RUN pip install -e .
ADD model.bin /models/
EXPOSE 8000
CMD python serve.py
"#;

    #[test]
    fn parses_directives_continuations_comments_and_heredocs() {
        let parsed = parse(ML).expect("valid");
        assert_eq!(parsed.directives.len(), 2);
        assert_eq!(
            parsed.directives[0],
            Directive {
                name: "syntax".into(),
                value: "docker/dockerfile:1".into()
            }
        );
        let run = &parsed.instructions[3];
        assert_eq!(run.keyword, "RUN");
        assert_eq!(run.line, 7);
        assert!(run.text.contains("build-essential") && run.text.contains("git"));
        assert!(!run.text.contains("comment"));
        let heredoc = parsed
            .instructions
            .iter()
            .find(|i| !i.heredocs.is_empty())
            .expect("a heredoc");
        assert_eq!(heredoc.heredocs[0].name, "EOT");
        assert_eq!(
            heredoc.heredocs[0].body,
            "set -e\npython -c \"print('hello')\""
        );
        let cmd = parsed.instructions.last().expect("CMD");
        assert_eq!(cmd.args, Args::Shell("python serve.py".into()));
    }

    #[test]
    fn stages_resolve_arg_defaults_and_track_copies() {
        let e = explain(ML).expect("valid");
        assert_eq!(e.stages.len(), 2);
        assert_eq!(e.stages[0].name.as_deref(), Some("builder"));
        assert_eq!(e.stages[0].base, "${BASE}");
        assert_eq!(e.stages[0].base_resolved, "python:3.12-slim");
        assert_eq!(e.stages[1].name.as_deref(), Some("runtime"));
        assert_eq!(e.stages[1].copies_from, ["builder"]);
        let from = &e
            .instructions
            .iter()
            .find(|i| i.instruction == "FROM")
            .expect("FROM");
        assert!(
            from.meaning
                .contains("official image python, tag 3.12-slim"),
            "{}",
            from.meaning
        );
    }

    #[test]
    fn tips_catch_the_costly_mistakes() {
        let e = explain(ML).expect("valid");
        let at = |line: usize| {
            e.tips
                .iter()
                .filter(|t| t.line == line)
                .map(|t| t.message.as_str())
                .collect::<Vec<_>>()
                .join(" | ")
        };
        let line_of = |needle: &str| ML.lines().position(|l| l.contains(needle)).expect(needle) + 1;
        assert!(at(line_of("HF_TOKEN")).contains("secret"), "{:#?}", e.tips);
        assert!(at(line_of("COPY . .")).contains("COPY ."), "{:#?}", e.tips);
        assert!(
            at(line_of("RUN pip install -e .")).contains("--no-cache-dir"),
            "{:#?}",
            e.tips
        );
        assert!(
            at(line_of("ADD model.bin")).contains("use COPY"),
            "{:#?}",
            e.tips
        );
        assert!(
            at(line_of("CMD python")).contains("shell form"),
            "{:#?}",
            e.tips
        );
        assert!(e.tips.iter().any(|t| t.message.contains("root")));
        // The cache-mounted pip install is fine.
        assert!(!at(line_of("--mount=type=cache")).contains("--no-cache-dir"));
    }

    #[test]
    fn unpinned_and_latest_bases_are_flagged() {
        let e = explain("FROM python\nUSER app\n").expect("valid");
        assert!(
            e.tips
                .iter()
                .any(|t| t.line == 1 && t.message.contains("no tag"))
        );
        let e = explain("FROM ubuntu:latest\nUSER 1000\n").expect("valid");
        assert!(
            e.tips
                .iter()
                .any(|t| t.line == 1 && t.message.contains("latest"))
        );
        let e = explain("FROM python:3.12-slim\nUSER app\n").expect("valid");
        assert!(e.tips.is_empty(), "{:#?}", e.tips);
    }

    #[test]
    fn apt_update_alone_is_flagged() {
        let e = explain("FROM debian:12\nRUN apt-get update\nRUN apt-get install -y git\nUSER x\n")
            .expect("valid");
        assert!(
            e.tips
                .iter()
                .any(|t| t.line == 2 && t.message.contains("apt-get update"))
        );
    }

    #[test]
    fn escape_directive_and_tab_stripping_heredocs() {
        let source = "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo a `\n  b\nRUN <<-EOF\n\techo x\n\tEOF\nUSER app\n";
        let parsed = parse(source).expect("valid");
        assert_eq!(parsed.instructions[1].text, "RUN echo a   b");
        assert_eq!(parsed.instructions[2].heredocs[0].body, "echo x");
    }

    #[test]
    fn syntax_errors_name_the_line() {
        assert_eq!(parse("FROM a\nRUNN x\n").expect_err("bad").line, 2);
        assert!(
            parse("FROM a\nRUNN x\n")
                .expect_err("bad")
                .message
                .contains("did you mean RUN")
        );
        assert_eq!(parse("FROM a\nRUN <<EOF\necho\n").expect_err("bad").line, 2);
        assert_eq!(explain("RUN x\n").expect_err("bad").line, 1);
        assert!(explain("# only a comment\n").is_err());
        assert_eq!(parse("FROM a\nRUN\n").expect_err("bad").line, 2);
        assert!(explain("FROM a b c d\n").is_err());
    }

    #[test]
    fn substitution_handles_defaults_and_alternatives() {
        let vars: HashMap<String, String> = [("A".to_owned(), "1".to_owned())].into();
        assert_eq!(substitute("x${A}y$A", &vars), ("x1y1".to_owned(), vec![]));
        assert_eq!(substitute("${B:-def}", &vars).0, "def");
        assert_eq!(substitute("${A:+alt}${B:+alt}", &vars).0, "alt");
        assert_eq!(substitute("$B", &vars).1, ["B"]);
        assert_eq!(substitute("${unclosed", &vars).0, "${unclosed");
    }
}
