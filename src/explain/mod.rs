//! `dterms explain`: takes apart an image reference, a `docker` command line, a Dockerfile or
//! a compose file, and says what every piece is, linked to glossary terms. Decides which it was
//! given, and turns the result into markdown (for text output) or JSON.

pub mod command;
pub mod compose;
pub mod dockerfile;
pub mod error;
pub mod reference;
/// The shell word splitter, under its old name for the readers that use it.
pub use crate::shell_words as shell;

use std::fmt::{self, Write as _};
use std::io::Read;
use std::path::Path;

use serde_json::{Value, json};

use crate::render::quote;
use reference::{Normalized, ReferenceError};

/// The largest Dockerfile read, in bytes; real ones are a few kilobytes.
pub const MAX_DOCKERFILE_BYTES: u64 = 1024 * 1024;

/// What `explain` was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Kind {
    /// An image reference such as python:3.12-slim.
    Reference,
    /// A docker command line.
    Command,
    /// A Dockerfile, by path, or - for standard input.
    Dockerfile,
    /// A compose file, by path, or - for standard input.
    Compose,
    /// Docker's error output, pasted or piped: recognised against known error messages.
    Error,
}

/// What explain sees besides its arguments: for a compose file's interpolation, the
/// environment dterms runs in and the `--env-file` files (when none are given, the `.env` beside
/// the compose file); for a Dockerfile, the tips to leave out.
#[derive(Debug, Clone, Default)]
pub struct Inputs {
    /// The variables of the environment, which win over any file.
    pub environment: Vec<(String, String)>,
    /// Files given with --env-file, in order.
    pub env_files: Vec<std::path::PathBuf>,
    /// Dockerfile tip ids not to report (`--ignore`).
    pub dockerfile_ignore: Vec<String>,
}

/// Why nothing could be explained.
#[derive(Debug)]
pub enum ExplainError {
    /// Nothing was given.
    Empty,
    /// Several words that are neither a command line nor one reference.
    TooManyWords(usize),
    /// An invalid image reference.
    Reference(String, ReferenceError),
    /// A command line with an unterminated quote.
    Split(shell::SplitError),
    /// A Dockerfile that cannot be read.
    Read(crate::read::ReadError),
    /// A Dockerfile with a syntax error.
    Syntax(String, dockerfile::SyntaxError),
    /// A compose file that cannot be read, or is not one.
    Compose(String, compose::ComposeError),
    /// `--ignore` names no tip.
    UnknownTip(String),
    /// A word shaped like an option that is not one of dterms': first, or after a file.
    UnknownOption(String),
    /// More words after a file or `-`, which is read alone.
    AfterFile(String, String),
}

impl fmt::Display for ExplainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ExplainError::Empty => f.write_str("nothing to explain: give an image reference, a docker command line or a Dockerfile"),
            ExplainError::TooManyWords(n) => write!(
                f,
                "got {n} words: an image reference is one word, and a command line starts with 'docker'"
            ),
            ExplainError::Reference(input, err) => write!(f, "'{}' is not a valid image reference: {err}", quote(input)),
            ExplainError::Split(err) => err.fmt(f),
            ExplainError::Read(err) => err.fmt(f),
            ExplainError::Syntax(path, err) => write!(f, "{}:{}: {}", crate::render::sanitize_line(&shorten(path, 80)), err.line, err.message),
            ExplainError::Compose(path, err) => {
                let path = crate::render::sanitize_line(err.file.as_deref().unwrap_or(path));
                match err.line {
                    Some(line) => write!(f, "{path}:{line}: {}", err.message),
                    None => write!(f, "{path}: {}", err.message),
                }
            }
            ExplainError::UnknownTip(id) => write!(f, "no Dockerfile tip '{}': see dterms explain --list-tips", crate::render::sanitize_line(id)),
            ExplainError::UnknownOption(word) => {
                let word = shorten(word, 40);
                let word = crate::render::sanitize_line(&word);
                let hint = if word.trim_start_matches('-').eq_ignore_ascii_case("json") {
                    "; JSON output is --format json"
                } else {
                    "; see dterms explain --help, or for docker's option: dterms show "
                };
                write!(f, "'{word}' is not an option of dterms explain{hint}")?;
                if hint.ends_with(' ') {
                    f.write_str(&word)?;
                }
                Ok(())
            }
            ExplainError::AfterFile(path, word) => write!(
                f,
                "explain reads one file at a time, and '{}' is not an option after '{}'",
                crate::render::sanitize_line(&shorten(word, 40)),
                crate::render::sanitize_line(&shorten(path, 80))
            ),
        }
    }
}

impl std::error::Error for ExplainError {}

/// The result, one of three kinds.
#[derive(Debug)]
pub enum Explained {
    /// An image reference.
    Reference {
        /// As given.
        input: String,
        /// The reading.
        reading: ReferenceReading,
    },
    /// A command line.
    Command {
        /// The words, as given or as split from one string.
        input: String,
        /// The reading.
        explanation: command::Explanation,
        /// The image argument's reading, when it has a valid one.
        image: Option<ReferenceReading>,
        /// For `docker run` and `docker create`: the same as a compose service.
        compose: Option<Box<compose::from_run::Conversion>>,
    },
    /// A Dockerfile.
    Dockerfile {
        /// The path, or `-` for standard input.
        path: String,
        /// The reading.
        explanation: dockerfile::Explanation,
    },
    /// A compose file.
    Compose {
        /// The path, or `-` for standard input.
        path: String,
        /// The reading.
        file: Box<compose::ComposeFile>,
    },
    /// Error output: the Docker errors recognised in it (none when it holds no known one).
    Error {
        /// The text as given.
        input: String,
        /// What was recognised.
        explanation: error::Explanation,
    },
}

/// Whether `word` looks like a command-line option (`-j`, `--json`, `--as=x`) rather than
/// the start of pasted text such as `-bash: docker: command not found`.
fn is_option_shaped(word: &str) -> bool {
    let name = word.split_once('=').map_or(word, |(name, _)| name);
    let bare = name.strip_prefix("--").or_else(|| name.strip_prefix('-'));
    bare.is_some_and(|bare| {
        bare.starts_with(|c: char| c.is_ascii_alphabetic())
            && bare.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    })
}

/// What a word that names a file by its form is read as: YAML files as compose files,
/// `Dockerfile`, `Containerfile`, `Dockerfile.*` and `*.Dockerfile` as Dockerfiles.
fn file_kind_by_name(word: &str) -> Option<Kind> {
    let name = Path::new(word).file_name()?.to_str()?.to_ascii_lowercase();
    if name.contains(':') {
        // A tag (`python:3.12.yml` is a legal reference); file names rarely hold a colon.
        return None;
    }
    if name.ends_with(".yaml") || name.ends_with(".yml") {
        return Some(Kind::Compose);
    }
    let dockerfile = ["dockerfile", "containerfile"].iter().any(|base| {
        name == *base
            || name
                .strip_prefix(base)
                .is_some_and(|rest| rest.starts_with('.'))
            || name
                .strip_suffix(base)
                .is_some_and(|rest| rest.ends_with('.'))
    });
    dockerfile.then_some(Kind::Dockerfile)
}

/// Decides what `args` are (unless `kind` says) and explains them. `stdin` is read only for
/// `-`: a Dockerfile, a compose file, or error output such as `docker run … 2>&1 | dterms
/// explain -`. A compose file sees no variables; see [`explain_with`].
pub fn explain(
    args: &[String],
    kind: Option<Kind>,
    stdin: &mut dyn Read,
) -> Result<Explained, ExplainError> {
    explain_with(args, kind, stdin, &Inputs::default())
}

/// [`explain`], with the variables a compose file is interpolated with.
pub fn explain_with(
    args: &[String],
    kind: Option<Kind>,
    stdin: &mut dyn Read,
    inputs: &Inputs,
) -> Result<Explained, ExplainError> {
    for id in &inputs.dockerfile_ignore {
        if dockerfile::tips::info(id).is_none() && !id.eq_ignore_ascii_case("all") {
            return Err(ExplainError::UnknownTip(shorten(id, 40)));
        }
    }
    if args.is_empty() || args.iter().all(|a| a.trim().is_empty()) {
        return Err(ExplainError::Empty);
    }
    let single = (args.len() == 1).then(|| args[0].as_str());
    // A file or standard input: a compose file by its name, its extension or its content; a
    // Dockerfile by its name or its first instruction; otherwise error output.
    if let Some(path) = single
        && matches!(kind, None | Some(Kind::Compose) | Some(Kind::Error))
        && (path == "-" || Path::new(path).is_file())
    {
        let source = read_text_input(path, stdin, crate::read::MAX_INPUT_BYTES)?;
        let by_name = compose::is_compose_name(Path::new(path))
            || path.ends_with(".yaml")
            || path.ends_with(".yml");
        let kind = kind.unwrap_or_else(|| {
            if by_name || compose::looks_like_compose(&source) {
                Kind::Compose
            } else {
                sniff(path, &source)
            }
        });
        if kind != Kind::Error && source.len() as u64 > MAX_DOCKERFILE_BYTES {
            return Err(ExplainError::Read(crate::read::ReadError {
                file: path.to_owned(),
                line: None,
                reason: crate::read::Reason::TooLarge(MAX_DOCKERFILE_BYTES),
            }));
        }
        return match kind {
            Kind::Compose => explain_compose(path, &source, inputs),
            Kind::Error => Ok(explain_error(source)),
            _ => explain_dockerfile(path, &source, inputs),
        };
    }
    // dterms' own options were taken off before (and after a file); a word left that is
    // shaped like an option is a mistyped one, not the first word of an error message.
    if kind.is_none() && is_option_shaped(&args[0]) {
        return Err(ExplainError::UnknownOption(args[0].clone()));
    }
    if kind != Some(Kind::Command)
        && let [first, second, ..] = args
        && (first == "-" || (!starts_like_a_command(first) && Path::new(first).is_file()))
    {
        return Err(if is_option_shaped(second) {
            ExplainError::UnknownOption(second.clone())
        } else {
            ExplainError::AfterFile(first.clone(), second.clone())
        });
    }
    let text = args.join(" ");
    let kind = kind.unwrap_or_else(|| {
        if command::looks_like_a_command_line(&text) {
            // A command line, unless its lines are not continued and the rest is output
            // with an error in it (a pasted terminal session).
            if one_command_line(&text) || error::recognise(&text).is_empty() {
                Kind::Command
            } else {
                Kind::Error
            }
        } else if text.trim().contains(char::is_whitespace) {
            // Several words that are not a command line: error text, recognised or not.
            Kind::Error
        } else if let Some(kind) = file_kind_by_name(text.trim()) {
            // `compose.yaml` or `Dockerfile.gpu` that is not there: a missing file, not an
            // image of that name on Docker Hub.
            kind
        } else {
            Kind::Reference
        }
    });
    match kind {
        Kind::Error => Ok(explain_error(text)),
        Kind::Compose => {
            let [path] = args else {
                return Err(ExplainError::TooManyWords(args.len()));
            };
            let source = read_text_input(path, stdin, MAX_DOCKERFILE_BYTES)?;
            explain_compose(path, &source, inputs)
        }
        Kind::Dockerfile => {
            let [path] = args else {
                return Err(ExplainError::TooManyWords(args.len()));
            };
            let source = read_text_input(path, stdin, MAX_DOCKERFILE_BYTES)?;
            explain_dockerfile(path, &source, inputs)
        }
        Kind::Command => {
            let words = match single {
                Some(line) => shell::split_words(line).map_err(ExplainError::Split)?,
                None => args.iter().map(|a| shell::Word::literal(a)).collect(),
            };
            let explanation = command::explain(&words);
            let words: Vec<&str> = words.iter().map(|w| w.text.as_str()).collect();
            let image = explanation
                .image
                .as_deref()
                .and_then(|i| ReferenceReading::new(i).ok());
            let compose = compose::from_run::from_run(&explanation).map(Box::new);
            Ok(Explained::Command {
                input: words.join(" "),
                explanation,
                image,
                compose,
            })
        }
        Kind::Reference => {
            let Some(input) = single else {
                return Err(ExplainError::TooManyWords(args.len()));
            };
            let input = input.trim();
            let reading = ReferenceReading::new(input).map_err(|e| {
                let hint = if input.to_ascii_lowercase().contains("dockerfile") {
                    format!("{} (and there is no file '{}')", e.message, quote(input))
                } else {
                    e.message.clone()
                };
                ExplainError::Reference(
                    input.to_owned(),
                    ReferenceError {
                        kind: e.kind,
                        message: hint,
                    },
                )
            })?;
            let mut reading = reading;
            if Path::new(input).is_dir() {
                reading.notes.push(format!(
                    "There is also a folder '{input}' here: to explain a Dockerfile, give its path, such as {input}/Dockerfile."
                ));
            }
            Ok(Explained::Reference {
                input: input.to_owned(),
                reading,
            })
        }
    }
}

fn explain_compose(path: &str, source: &str, inputs: &Inputs) -> Result<Explained, ExplainError> {
    let folder = if path == "-" {
        std::env::current_dir().ok()
    } else {
        std::fs::canonicalize(path)
            .ok()
            .and_then(|p| p.parent().map(Path::to_path_buf))
    };
    let mut env = compose::Environment::new(inputs.environment.iter().cloned());
    if inputs.env_files.is_empty() {
        // A missing or unreadable .env is no error: Compose reads it only when it is there.
        if let Some(text) = folder
            .as_ref()
            .map(|f| f.join(".env"))
            .filter(|f| f.is_file())
            .and_then(|f| crate::read::read_file(&f, MAX_DOCKERFILE_BYTES).ok())
        {
            env.add_dotenv(&text);
        }
    } else {
        // The first definition wins, so the last file is read first: later files override.
        for file in inputs.env_files.iter().rev() {
            let text =
                crate::read::read_file(file, MAX_DOCKERFILE_BYTES).map_err(ExplainError::Read)?;
            env.add_dotenv(&text);
        }
    }
    let origin = compose::Origin {
        folder,
        path: (path != "-").then(|| path.to_owned()),
    };
    let file = compose::explain(source, &origin, &env)
        .map_err(|e| ExplainError::Compose(path.to_owned(), e))?;
    Ok(Explained::Compose {
        path: path.to_owned(),
        file: Box::new(file),
    })
}

/// Whether a first word starts a command line rather than naming an image or a file.
pub fn starts_like_a_command(word: &str) -> bool {
    command::starts_like_a_command(word)
}

fn read_text_input(path: &str, stdin: &mut dyn Read, cap: u64) -> Result<String, ExplainError> {
    crate::read::read_input(path, stdin, cap).map_err(ExplainError::Read)
}

/// Whether every line break of `text` continues the line (after `\`, PowerShell's `` ` `` or
/// cmd's `^`), so that it is one command line.
fn one_command_line(text: &str) -> bool {
    let mut lines = text.trim().lines().peekable();
    while let Some(line) = lines.next() {
        let continued = line.trim_end().ends_with(['\\', '`', '^']);
        if lines.peek().is_some() && !continued {
            return false;
        }
    }
    true
}

fn explain_error(input: String) -> Explained {
    let explanation = error::Explanation::new(&input);
    Explained::Error { input, explanation }
}

fn explain_dockerfile(
    path: &str,
    source: &str,
    inputs: &Inputs,
) -> Result<Explained, ExplainError> {
    let options = dockerfile::Options {
        ignore: inputs.dockerfile_ignore.clone(),
        dockerignore: (path != "-").then(|| read_dockerignore(path)).flatten(),
    };
    let explanation = dockerfile::explain_with(source, &options)
        .map_err(|e| ExplainError::Syntax(path.to_owned(), e))?;
    Ok(Explained::Dockerfile {
        path: path.to_owned(),
        explanation,
    })
}

/// What text read from a file or standard input is, when it is not a compose file: a
/// Dockerfile when its name says so, or when its first word (after comments and parser
/// directives) is FROM or ARG in any case, or another instruction in capitals; otherwise
/// output to recognise errors in. (A CI log's "Run docker build" is output, not RUN.)
pub fn sniff(path: &str, text: &str) -> Kind {
    const INSTRUCTIONS: [&str; 16] = [
        "RUN",
        "CMD",
        "LABEL",
        "MAINTAINER",
        "EXPOSE",
        "ENV",
        "ADD",
        "COPY",
        "ENTRYPOINT",
        "VOLUME",
        "USER",
        "WORKDIR",
        "ONBUILD",
        "STOPSIGNAL",
        "HEALTHCHECK",
        "SHELL",
    ];
    let name = Path::new(path)
        .file_name()
        .map(|n| n.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if name.contains("dockerfile") || name.contains("containerfile") {
        return Kind::Dockerfile;
    }
    let first = text
        .lines()
        .map(str::trim)
        .find(|line| !line.is_empty() && !line.starts_with('#'))
        .and_then(|line| line.split_whitespace().next())
        .unwrap_or("");
    if first.eq_ignore_ascii_case("from")
        || first.eq_ignore_ascii_case("arg")
        || INSTRUCTIONS.contains(&first)
    {
        Kind::Dockerfile
    } else {
        Kind::Error
    }
}

/// The patterns of the `.dockerignore` that would apply if the build context is the Dockerfile's
/// folder: `<Dockerfile>.dockerignore` first, then `.dockerignore` beside it. Unreadable or huge
/// files count as none.
fn read_dockerignore(dockerfile: &str) -> Option<Vec<String>> {
    let path = Path::new(dockerfile);
    let own = format!("{dockerfile}.dockerignore");
    let beside = path.parent().map(|d| d.join(".dockerignore"))?;
    [Path::new(&own).to_path_buf(), beside]
        .iter()
        .find_map(|p| {
            let text = crate::read::read_file(p, MAX_DOCKERFILE_BYTES).ok()?;
            Some(
                text.lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty() && !l.starts_with('#'))
                    .map(str::to_owned)
                    .collect(),
            )
        })
}

/// Every Dockerfile tip as markdown, for `explain --list-tips`.
pub fn tips_markdown() -> String {
    let mut md = String::from("# Dockerfile tips\n\n");
    let _ = writeln!(
        md,
        "{} tips. Silence one with `--ignore ID`, or with `# dterms-ignore=ID` on the line before an instruction.\n",
        dockerfile::tips::TIPS.len()
    );
    for t in dockerfile::tips::TIPS {
        let off = if t.registry {
            " (needs the image's platform from a registry: listed, not checked offline)"
        } else if t.off {
            " (off unless `# check=experimental=` names it)"
        } else {
            ""
        };
        let _ = writeln!(
            md,
            "* {} — {}{off}. {} ({})",
            code(t.name),
            escape(t.title),
            escape(t.fix),
            escape(t.linter)
        );
    }
    md
}

/// Every Dockerfile tip as JSON, for `explain --list-tips --format json`.
pub fn tips_json() -> Value {
    Value::Array(
        dockerfile::tips::TIPS
            .iter()
            .map(|t| json!({"id": t.name, "linter": t.linter, "title": t.title, "why": t.why, "fix": t.fix, "terms": t.terms, "experimental": t.off, "needs_registry": t.registry}))
            .collect(),
    )
}

/// Variable names that look like credentials: one rule, BuildKit's word rule, for the
/// Dockerfile tip and for the values that compose and command-line readings hide.
pub(crate) use dockerfile::tips::looks_secret;

/// One labelled piece of a reference.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferencePart {
    /// The text as written.
    pub text: String,
    /// registry, namespace, repository, tag or digest.
    pub role: &'static str,
    /// What it means here.
    pub meaning: String,
    /// Glossary ids.
    pub terms: Vec<&'static str>,
}

/// An image reference, parsed, normalised and explained part by part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReferenceReading {
    /// The name as written, without tag or digest.
    pub name: String,
    /// The registry `docker pull` contacts.
    pub registry: String,
    /// The repository path there.
    pub path: String,
    /// The tag, if written.
    pub tag: Option<String>,
    /// The digest, if written.
    pub digest: Option<String>,
    /// What `docker pull` fetches.
    pub normalized: String,
    /// The short name Docker shows.
    pub familiar: String,
    /// Labelled pieces.
    pub parts: Vec<ReferencePart>,
    /// What a reader should know about this reference.
    pub notes: Vec<String>,
}

impl ReferenceReading {
    /// Parses and explains one reference.
    pub fn new(input: &str) -> Result<Self, ReferenceError> {
        let n = reference::parse_normalized(input)?;
        Ok(Self::from_normalized(&n))
    }

    fn from_normalized(n: &Normalized<'_>) -> Self {
        let written = &n.written;
        let mut parts = Vec::new();
        let mut notes = Vec::new();
        let written_registry = (n.registry != reference::DEFAULT_REGISTRY
            || written.name.starts_with("docker.io/")
            || written.name.starts_with("index.docker.io/"))
        .then(|| written.name.split('/').next().unwrap_or_default());
        let path_as_written = match written_registry {
            Some(registry) => &written.name[registry.len() + 1..],
            None => written.name,
        };
        if let Some(registry) = written_registry {
            let meaning = match registry {
                "docker.io" => "Docker Hub, written out (it is also the default)".to_owned(),
                "index.docker.io" => {
                    "Docker Hub under its legacy name; Docker treats it as docker.io".to_owned()
                }
                "localhost" => "a registry on this machine".to_owned(),
                host if host.starts_with("localhost:") => {
                    format!("a registry on this machine, port {}", &host[10..])
                }
                "ghcr.io" => "GitHub Container Registry".to_owned(),
                "nvcr.io" => "NVIDIA's NGC registry".to_owned(),
                "quay.io" => "Red Hat's Quay.io registry".to_owned(),
                "gcr.io" => "Google's former Container Registry (now served by Artifact Registry)"
                    .to_owned(),
                host if host.ends_with(".amazonaws.com") => "an Amazon ECR registry".to_owned(),
                host if host.ends_with("-docker.pkg.dev") => {
                    "a Google Artifact Registry".to_owned()
                }
                host if host.ends_with(".azurecr.io") => "an Azure Container Registry".to_owned(),
                host => match host.rsplit_once(':') {
                    Some((h, port)) if port.bytes().all(|b| b.is_ascii_digit()) => {
                        format!("the registry at {h}, port {port}")
                    }
                    _ => format!("the registry at {host}"),
                },
            };
            parts.push(ReferencePart {
                text: registry.to_owned(),
                role: "registry",
                meaning,
                terms: vec!["registry", "private-registry"],
            });
            if registry == "index.docker.io" {
                notes.push("index.docker.io is Docker Hub's legacy name: Docker normalises it to docker.io.".into());
            }
        } else {
            notes.push("No registry is named, so Docker uses Docker Hub (docker.io).".into());
        }
        let (namespace, repository) = match path_as_written.rsplit_once('/') {
            Some((namespace, repository)) => (Some(namespace), repository),
            None => (None, path_as_written),
        };
        if let Some(namespace) = namespace {
            let meaning = if namespace == "library" && n.registry == reference::DEFAULT_REGISTRY {
                "the namespace of Docker's official images".to_owned()
            } else {
                "the user, organisation or project that owns the repository".to_owned()
            };
            parts.push(ReferencePart {
                text: namespace.to_owned(),
                role: "namespace",
                meaning,
                terms: vec!["repository"],
            });
        }
        let (meaning, terms) = if n.is_official() {
            (
                format!("on Docker Hub, the official image {}", n.path),
                vec!["repository", "official-image"],
            )
        } else {
            (
                format!("the image's name in its registry, {}", n.path),
                vec!["repository", "image-name"],
            )
        };
        parts.push(ReferencePart {
            text: repository.to_owned(),
            role: "repository",
            meaning,
            terms,
        });
        if n.is_official() && namespace.is_none() {
            notes.push(format!(
                "A name with no namespace means an official image on Docker Hub ({repository} is library/{repository}), unless it is an image of your own that exists only on this machine."
            ));
        }
        if let Some(tag) = written.tag {
            let meaning = if written.digest.is_some() {
                "kept for people to read: docker pull ignores it because a digest is given"
                    .to_owned()
            } else if tag == "latest" {
                "only the default name, not necessarily the newest image".to_owned()
            } else {
                "one version or variant within the repository".to_owned()
            };
            parts.push(ReferencePart {
                text: tag.to_owned(),
                role: "tag",
                meaning,
                terms: vec!["tag"],
            });
        }
        if let Some(digest) = written.digest {
            parts.push(ReferencePart {
                text: digest.to_owned(),
                role: "digest",
                meaning: "the content hash of one exact manifest, which can never point elsewhere"
                    .to_owned(),
                terms: vec!["digest", "manifest"],
            });
        }
        match (written.tag, written.digest) {
            (None, None) => notes.push("No tag or digest: Docker uses the tag latest, which is only a default name and moves whenever the publisher pushes.".into()),
            (Some(_), None) => notes.push("A tag can be moved to a different image by its publisher; add a digest (name@sha256:…) to pin exactly this image.".into()),
            (Some(_), Some(_)) => notes.push("Both a tag and a digest: docker pull fetches by digest and ignores the tag.".into()),
            (None, Some(_)) => notes.push("A digest never changes: this reference always means the same image.".into()),
        }
        ReferenceReading {
            name: written.name.to_owned(),
            registry: n.registry.clone(),
            path: n.path.clone(),
            tag: written.tag.map(String::from),
            digest: written.digest.map(String::from),
            normalized: n.pull_reference(),
            familiar: n.familiar(),
            parts,
            notes,
        }
    }

    fn json(&self, input: &str) -> Value {
        json!({
            "kind": "image-reference",
            "input": input,
            "name": self.name,
            "registry": self.registry,
            "path": self.path,
            "tag": self.tag,
            "digest": self.digest,
            "normalized": self.normalized,
            "familiar": self.familiar,
            "parts": self.parts.iter().map(|p| json!({"text": p.text, "role": p.role, "meaning": p.meaning, "terms": p.terms})).collect::<Vec<_>>(),
            "notes": self.notes,
        })
    }

    fn markdown(&self, md: &mut String, heading: &str) {
        let _ = writeln!(md, "{heading} {}\n", code(&self.name_with_suffix()));
        for part in &self.parts {
            let _ = writeln!(
                md,
                "* {} ({}): {}. {}",
                code(&part.text),
                part.role,
                escape(&part.meaning),
                terms(&part.terms)
            );
        }
        let _ = writeln!(
            md,
            "\ndocker pull fetches {}, shown by Docker as {}.\n",
            code(&self.normalized),
            code(&self.familiar)
        );
        for note in &self.notes {
            let _ = writeln!(md, "> {}", escape(note));
        }
        md.push('\n');
    }

    fn name_with_suffix(&self) -> String {
        let mut out = self.name.clone();
        if let Some(tag) = &self.tag {
            out.push(':');
            out.push_str(tag);
        }
        if let Some(digest) = &self.digest {
            out.push('@');
            out.push_str(digest);
        }
        out
    }
}

/// Inline code for text that came from the user. Backticks cannot appear inside a code span,
/// so they are shown as quotes.
fn code(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('`');
    // One pass, one allocation: this runs for every value an explanation shows.
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == b'`' {
            out.push_str(&text[copied..i]);
            out.push('\'');
            copied = i + 1;
        }
    }
    out.push_str(&text[copied..]);
    out.push('`');
    out
}

/// Escapes the characters that would otherwise start markdown emphasis or code.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    push_escaped(&mut out, text);
    out
}

/// [`escape`], appended to `out`.
pub(crate) fn push_escaped(out: &mut String, text: &str) {
    // Every mark is ASCII, so the text between marks is copied whole.
    let mut copied = 0;
    let mut from = 0;
    while let Some(i) = crate::plain::next_escapable(text, from) {
        out.push_str(&text[copied..i]);
        out.push('\\');
        copied = i;
        from = i + 1;
    }
    out.push_str(&text[copied..]);
}

fn terms(ids: &[&str]) -> String {
    let mut out = String::with_capacity(8 + ids.iter().map(|id| id.len() + 3).sum::<usize>());
    push_terms(&mut out, ids);
    out
}

/// [`terms`], appended to `out`.
pub(crate) fn push_terms(out: &mut String, ids: &[&str]) {
    for (n, id) in ids.iter().enumerate() {
        out.push_str(if n == 0 { "*See* `" } else { ", `" });
        out.push_str(id);
        out.push('`');
    }
}

impl Explained {
    /// For `docker run` and `docker create` lines: the equivalent compose file.
    pub fn compose_yaml(&self) -> Option<&str> {
        match self {
            Explained::Command {
                compose: Some(c), ..
            } => Some(&c.yaml),
            _ => None,
        }
    }

    /// The explanation as markdown: headings, lists, inline code for what the user wrote, and the
    /// glossary ids to look up next.
    pub fn markdown(&self) -> String {
        let mut md = String::new();
        match self {
            Explained::Reference { reading, .. } => reading.markdown(&mut md, "# Image reference"),
            Explained::Command {
                input,
                explanation,
                image,
                compose,
            } => {
                let _ = writeln!(md, "# {}\n", code(&shorten(input, 200)));
                for part in &explanation.parts {
                    let _ = writeln!(
                        md,
                        "* {}: {}. {}",
                        code(&part.text),
                        escape(&part.meaning),
                        terms(&part.terms)
                    );
                }
                md.push('\n');
                for note in &explanation.notes {
                    let _ = writeln!(md, "> {}", escape(note));
                }
                if let Some(image) = image {
                    md.push('\n');
                    image.markdown(&mut md, "## The image");
                }
                if let Some(c) = compose {
                    // A fence longer than any run of backticks in the YAML keeps it one block.
                    let _ = writeln!(
                        md,
                        "\n## As a compose service\n\nThe same container as the service {} of a compose.yaml (dterms --format compose explain … prints only the file):\n\n````yaml\n{}````\n",
                        code(&c.service),
                        c.yaml.replace("````", "``` `")
                    );
                    for note in &c.notes {
                        let _ = writeln!(md, "* {}", escape(note));
                    }
                }
            }
            Explained::Compose { path, file } => {
                let shown = if path == "-" {
                    "(standard input)".to_owned()
                } else {
                    code(path)
                };
                // The compose text is the whole document: taken as it is, not copied.
                md = file.markdown(&shown);
            }
            Explained::Dockerfile { path, explanation } => explanation.markdown(path, &mut md),
            Explained::Error { explanation, .. } => explanation.markdown(&mut md),
        }
        md
    }

    /// Whether this is error text in which no known error was recognised: `explain` then
    /// exits 1 and suggests glossary terms instead of claiming anything.
    pub fn is_unrecognised_error(&self) -> bool {
        matches!(self, Explained::Error { explanation, .. } if explanation.matches.is_empty())
    }

    /// The explanation as one JSON document, in the documented shape for its kind.
    /// [`Explained`] serializes to the same document without building it first.
    pub fn json(&self) -> Value {
        match self {
            Explained::Reference { input, reading } => reading.json(input),
            Explained::Command {
                input,
                explanation,
                image,
                compose,
            } => json!({
                "kind": "command",
                "input": input,
                "subcommand": explanation.subcommand,
                "parts": explanation.parts.iter().map(|p| json!({"text": p.text, "value": p.value, "meaning": p.meaning, "terms": p.terms})).collect::<Vec<_>>(),
                "image": image.as_ref().zip(explanation.image.as_ref()).map(|(r, i)| r.json(i)),
                "container_command": explanation.container_command,
                "model": explanation.model,
                "notes": explanation.notes,
                "compose": compose,
            }),
            Explained::Dockerfile { path, explanation } => {
                serde_json::to_value(explanation.json(path)).unwrap_or(Value::Null)
            }
            Explained::Compose { path, file } => file.json(path),
            Explained::Error { input, explanation } => explanation.json(input),
        }
    }
}

impl serde::Serialize for Explained {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            // Straight from the explanation: a large file's document is never built as a tree.
            Explained::Dockerfile { path, explanation } => {
                explanation.json(path).serialize(serializer)
            }
            _ => self.json().serialize(serializer),
        }
    }
}

/// The first `max` characters of `text`, with an ellipsis when something was cut.
pub(crate) fn shorten(text: &str, max: usize) -> String {
    // A text of at most `max` bytes has at most `max` characters: no need to count them.
    let cut = if text.len() <= max {
        None
    } else {
        text.char_indices().nth(max).map(|(at, _)| at)
    };
    match cut {
        None => text.to_owned(),
        Some(at) => {
            let mut out = String::with_capacity(at + '…'.len_utf8());
            out.push_str(&text[..at]);
            out.push('…');
            out
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(args: &[&str], kind: Option<Kind>) -> Result<Explained, ExplainError> {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        explain(&args, kind, &mut std::io::empty())
    }

    #[test]
    fn detects_what_it_was_given() {
        assert!(matches!(
            run(&["python:3.12-slim"], None),
            Ok(Explained::Reference { .. })
        ));
        assert!(matches!(
            run(&["docker", "ps"], None),
            Ok(Explained::Command { .. })
        ));
        assert!(matches!(
            run(&["docker run -it --rm alpine"], None),
            Ok(Explained::Command { .. })
        ));
        assert!(matches!(
            run(&["Cargo.toml"], Some(Kind::Dockerfile)),
            Err(ExplainError::Syntax(..))
        ));
        // Several words that are not a command line are error text, recognised or not.
        let words = run(&["a", "b"], None);
        assert!(
            matches!(&words, Ok(e @ Explained::Error { .. }) if e.is_unrecognised_error()),
            "{words:?}"
        );
        assert!(matches!(
            run(&["docker: Error response from daemon: No such container: x"], None),
            Ok(Explained::Error { explanation, .. }) if explanation.matches[0].entry.id == "no-such-container"
        ));
        assert!(matches!(
            run(
                &["docker run --rm x\ndocker: Error response from daemon: No such container: x"],
                None
            ),
            Ok(Explained::Error { .. })
        ));
        assert!(matches!(
            run(&["a", "b"], Some(Kind::Dockerfile)),
            Err(ExplainError::TooManyWords(2))
        ));
        assert!(matches!(run(&[], None), Err(ExplainError::Empty)));
        assert!(matches!(
            run(&["src"], Some(Kind::Dockerfile)),
            Err(ExplainError::Read(..))
        ));
        // A word shaped like a file name is a missing file, not an image of that name.
        for missing in [
            "/no/such/Dockerfile",
            "compose.yaml",
            "gpu.Dockerfile",
            "Dockerfile.dev",
        ] {
            assert!(
                matches!(run(&[missing], None), Err(ExplainError::Read(..))),
                "{missing}"
            );
        }
        assert!(matches!(
            run(&["/no/such/Dockerfile"], Some(Kind::Reference)),
            Err(ExplainError::Reference(..))
        ));
        for reference in ["dockerfiles/app", "python:3.12.yml"] {
            assert!(
                matches!(run(&[reference], None), Ok(Explained::Reference { .. })),
                "{reference}"
            );
        }
    }

    #[test]
    fn standard_input_is_a_dockerfile_or_error_output() {
        assert_eq!(
            sniff("-", "# syntax=docker/dockerfile:1\n\nFROM python:3.12\n"),
            Kind::Dockerfile
        );
        assert_eq!(
            sniff("-", "ARG BASE=python\nFROM $BASE\n"),
            Kind::Dockerfile
        );
        assert_eq!(sniff("build.Dockerfile", "anything"), Kind::Dockerfile);
        assert_eq!(sniff("-", "RUN <<EOF\n"), Kind::Dockerfile);
        assert_eq!(
            sniff("-", "Run docker build .\nERROR: failed to solve\n"),
            Kind::Error
        );
        assert_eq!(
            sniff("-", "docker: Error response from daemon: x\n"),
            Kind::Error
        );
        assert_eq!(
            sniff(
                "build.log",
                "#1 [internal] load build definition from Dockerfile\n"
            ),
            Kind::Error
        );
        let mut stdin: &[u8] = b"Unable to find image 'x:latest' locally\ndocker: Error response from daemon: pull access denied for x, repository does not exist or may require 'docker login'\n";
        let explained = explain(&["-".to_owned()], None, &mut stdin).expect("explained");
        assert!(
            matches!(explained, Explained::Error { ref explanation, .. } if explanation.matches[0].entry.id == "pull-access-denied")
        );
        let mut invalid: &[u8] = b"no space left on device \xff\n";
        assert!(matches!(
            explain(&["-".to_owned()], Some(Kind::Error), &mut invalid),
            Err(ExplainError::Read(_))
        ));
    }

    #[test]
    fn reference_json_has_the_documented_shape() {
        let Ok(explained) = run(&["python:3.12-slim"], None) else {
            panic!("valid")
        };
        let v = explained.json();
        assert_eq!(v["kind"], "image-reference");
        assert_eq!(v["name"], "python");
        assert_eq!(v["registry"], "docker.io");
        assert_eq!(v["path"], "library/python");
        assert_eq!(v["tag"], "3.12-slim");
        assert_eq!(v["digest"], Value::Null);
        assert_eq!(v["normalized"], "docker.io/library/python:3.12-slim");
        assert_eq!(v["familiar"], "python");
        assert_eq!(v["parts"][0]["role"], "repository");
        assert!(v["notes"].as_array().is_some_and(|n| n.len() >= 2));
    }

    #[test]
    fn nvidia_reference_names_its_registry_and_namespace() {
        let reading = ReferenceReading::new("nvcr.io/nvidia/pytorch:24.05-py3").expect("valid");
        let roles: Vec<_> = reading
            .parts
            .iter()
            .map(|p| (p.role, p.text.as_str()))
            .collect();
        assert_eq!(
            roles,
            [
                ("registry", "nvcr.io"),
                ("namespace", "nvidia"),
                ("repository", "pytorch"),
                ("tag", "24.05-py3")
            ]
        );
        assert_eq!(reading.normalized, "nvcr.io/nvidia/pytorch:24.05-py3");
    }

    #[test]
    fn command_json_nests_the_image() {
        let Ok(explained) = run(
            &["docker", "run", "--rm", "python:3.12", "python", "-V"],
            None,
        ) else {
            panic!("valid")
        };
        let v = explained.json();
        assert_eq!(v["kind"], "command");
        assert_eq!(v["subcommand"], "run");
        assert_eq!(v["image"]["normalized"], "docker.io/library/python:3.12");
        assert_eq!(v["container_command"], json!(["python", "-V"]));
        assert!(v["parts"][0]["terms"].is_array());
    }

    #[test]
    fn markdown_escapes_what_users_wrote() {
        assert_eq!(escape("*.yaml `x`"), "\\*.yaml \\`x\\`");
        assert_eq!(code("a`b"), "`a'b`");
    }
}
