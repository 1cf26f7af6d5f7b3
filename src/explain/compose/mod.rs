//! Compose files, read by the Compose Specification: every service with its image or build,
//! ports, mounts, environment, GPUs, dependencies and health check; the top-level volumes,
//! networks and secrets; what `docker compose up` creates; tips. Each piece has its line.

pub mod dotenv;
pub mod from_run;
pub mod gpus;
pub mod interpolate;
pub mod keys;
pub mod load;
pub mod merge;
pub mod parse;
pub mod ports;
pub mod reading;
mod render;
pub mod tips;
pub mod volumes;
pub mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::ReferenceReading;
pub use gpus::Gpus;
pub use interpolate::Environment;
pub use ports::Port;
pub use volumes::Mount;

/// Where the file came from, for relative paths and the project name.
#[derive(Debug, Clone, Default)]
pub struct Origin {
    /// The folder relative paths are read from: the file's folder, or the current folder for
    /// standard input. `None` when unknown, and then no path is checked and no other file read.
    pub folder: Option<PathBuf>,
    /// The file as given, `None` for standard input.
    pub path: Option<String>,
}

/// A compose file that could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ComposeError {
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// The file it is in, when not the file explained (an included or extended file).
    pub file: Option<String>,
    /// What went wrong.
    pub message: String,
}

impl fmt::Display for ComposeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// One key of a service or of the file, explained.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Part {
    /// The key: the specification's name, or an `x-` extension as written.
    pub key: std::borrow::Cow<'static, str>,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// Its value, shortened.
    pub text: String,
    /// What it means (from data/compose-keys.yaml).
    pub meaning: &'static str,
    /// Glossary ids.
    pub terms: &'static [&'static str],
}

/// The image a service runs.
#[derive(Debug, Clone)]
pub struct Image {
    /// As written, after interpolation.
    pub text: String,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    pub file: Option<String>,
    /// The reference, explained; `None` when it is not a valid reference.
    pub reading: Option<ReferenceReading>,
}

/// What a service builds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Build {
    /// The build context: a folder, or a git or https address.
    pub context: String,
    /// The Dockerfile, relative to the context.
    pub dockerfile: String,
    /// The stage to build.
    pub target: Option<String>,
    /// Build arguments, by name (values of secret-looking names hidden).
    pub args: Vec<(String, String)>,
    /// Its line.
    #[serde(skip)]
    pub line: usize,
    /// The file it is written in, when not the file explained.
    #[serde(skip)]
    pub file: Option<String>,
}

/// One environment variable of a service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Variable {
    /// Its name.
    pub name: String,
    /// Its value after interpolation; `None` when only the name is given (the value is then
    /// taken from the environment Compose runs in).
    pub value: Option<String>,
    /// Whether a value is written literally in the file, rather than through `${…}`.
    pub literal: bool,
    /// Whether it has a value and a name that looks like a secret's: its value is hidden.
    pub secret: bool,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    pub file: Option<String>,
}

/// A file of environment variables (`env_file`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvFile {
    /// Its path, as written.
    pub path: String,
    /// The line it is named on.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    pub file: Option<String>,
    /// Whether Compose stops when it is missing (the default) or skips it.
    pub required: bool,
    /// The variables it sets, in file order, each value shortened and, for a secret-looking
    /// name, hidden; `None` when it was not read (missing, refused, or no folder to look in).
    pub variables: Option<Vec<(String, String)>>,
}

/// One dependency of a service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Dependency {
    /// The service depended on.
    pub service: String,
    /// service_started, service_healthy or service_completed_successfully.
    pub condition: String,
    /// Whether Compose stops when it cannot start it (the default) or only warns.
    #[serde(skip)]
    pub required: bool,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// A service's health check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Health {
    /// The test command, as one line.
    pub test: Option<String>,
    /// Time between checks.
    pub interval: Option<String>,
    /// Whether it turns the image's check off.
    pub disabled: bool,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    pub file: Option<String>,
}

/// One service.
#[derive(Debug, Clone)]
pub struct Service {
    /// Its name.
    pub name: String,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    pub file: Option<String>,
    /// What the image is, when it is a well-known one.
    pub what: Option<&'static keys::KnownImage>,
    /// The image it runs (or names the built image).
    pub image: Option<Image>,
    /// What it builds.
    pub build: Option<Build>,
    /// Published ports.
    pub ports: Vec<Port>,
    /// Mounts: volumes, bind mounts and tmpfs.
    pub volumes: Vec<Mount>,
    /// Environment variables.
    pub environment: Vec<Variable>,
    /// Files of environment variables.
    pub env_file: Vec<EnvFile>,
    /// GPU requests.
    pub gpus: Option<Gpus>,
    /// The size of /dev/shm.
    pub shm_size: Option<String>,
    /// The IPC mode.
    pub ipc: Option<String>,
    /// Services it waits for.
    pub depends_on: Vec<Dependency>,
    /// Its health check.
    pub healthcheck: Option<Health>,
    /// Profiles that enable it.
    pub profiles: Vec<String>,
    /// Networks it joins, by name (empty: the default network).
    pub networks: Vec<String>,
    /// network_mode, when set.
    pub network_mode: Option<String>,
    /// Secrets it gets.
    pub secrets: Vec<String>,
    /// Configs it gets.
    pub configs: Vec<String>,
    /// `extends`: the service (and file) it starts from.
    pub extends: Option<(String, Option<String>)>,
    /// container_name, when set.
    pub container_name: Option<String>,
    /// Every key, explained.
    pub parts: Vec<Part>,
}

/// A top-level volume, network, secret or config.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared {
    /// Its key.
    pub name: String,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    pub file: Option<String>,
    /// Whether it exists already (Compose does not create it).
    pub external: bool,
    /// Its `name:`, when it sets the real name.
    pub real_name: Option<String>,
    /// Where a secret's or config's value comes from (file or environment), when written.
    pub from: Option<String>,
}

/// One thing `docker compose up` creates or fetches.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Creation {
    /// network, volume, image or container.
    pub kind: &'static str,
    /// Its name.
    pub name: String,
    /// Why, or how.
    pub note: String,
}

/// One tip about the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Which tip.
    pub tip: tips::Tip,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    pub file: Option<String>,
    /// What was found, then the advice.
    pub message: String,
}

/// Something Compose would warn about or refuse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Warning {
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// A compose file, explained.
#[derive(Debug, Clone)]
pub struct ComposeFile {
    /// The project name, and where it comes from.
    pub project: (String, &'static str),
    /// The services, in file order.
    pub services: Vec<Service>,
    /// The other top-level keys, explained.
    pub top: Vec<Part>,
    /// Top-level volumes.
    pub volumes: Vec<Declared>,
    /// Top-level networks.
    pub networks: Vec<Declared>,
    /// Top-level secrets.
    pub secrets: Vec<Declared>,
    /// Top-level configs.
    pub configs: Vec<Declared>,
    /// Included files.
    pub include: Vec<(String, usize)>,
    /// The files read: this one, then the included and extended ones.
    pub files: Vec<load::SourceFile>,
    /// The order `docker compose up` starts the services in.
    pub start_order: Vec<String>,
    /// What `docker compose up` creates.
    pub creates: Vec<Creation>,
    /// Tips.
    pub tips: Vec<Finding>,
    /// Warnings.
    pub warnings: Vec<Warning>,
}

/// Whether a file name is one Compose looks for, or a variant of one: compose.yaml,
/// docker-compose.yml, compose.override.yaml, gpu.compose.yml…
pub fn is_compose_name(path: &Path) -> bool {
    let Some(name) = path.file_name().and_then(|n| n.to_str()) else {
        return false;
    };
    let name = name.to_ascii_lowercase();
    let Some(stem) = name
        .strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
    else {
        return false;
    };
    stem == "compose"
        || stem == "docker-compose"
        || stem.starts_with("compose.")
        || stem.starts_with("docker-compose.")
        || stem.starts_with("docker-compose-")
        || stem.ends_with(".compose")
        || stem.ends_with("-compose")
}

/// Whether `text` looks like a compose file: a top-level `services:` or `include:` line.
pub fn looks_like_compose(text: &str) -> bool {
    // A line starts at the text's start or after a newline: two substring searches of the whole
    // text are many times quicker than walking it line by line (every Dockerfile is asked).
    [("services:", "\nservices:"), ("include:", "\ninclude:")]
        .iter()
        .any(|(key, after_newline)| text.starts_with(key) || text.contains(after_newline))
}

/// Reads and explains a compose file.
pub fn explain(
    text: &str,
    origin: &Origin,
    env: &Environment,
) -> Result<ComposeFile, ComposeError> {
    reading::read(text, origin, env)
}

impl ComposeFile {
    /// The explanation as markdown.
    pub fn markdown(&self, shown_path: &str) -> String {
        render::markdown(self, shown_path)
    }

    /// The explanation as JSON, in the documented shape.
    pub fn json(&self, path: &str) -> serde_json::Value {
        render::json(self, path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compose_file_names_are_recognised() {
        for name in [
            "compose.yaml",
            "compose.yml",
            "docker-compose.yaml",
            "docker-compose.yml",
            "compose.override.yaml",
            "docker-compose.prod.yml",
            "gpu.compose.yaml",
            "dir/Docker-Compose.YML",
        ] {
            assert!(is_compose_name(Path::new(name)), "{name}");
        }
        for name in ["Dockerfile", "values.yaml", "compose.json", "composer.yaml"] {
            assert!(!is_compose_name(Path::new(name)), "{name}");
        }
    }

    #[test]
    fn content_detection_needs_a_top_level_key() {
        assert!(looks_like_compose("# c\nservices:\n  a: {}\n"));
        assert!(!looks_like_compose("FROM python\nRUN echo services:\n"));
        assert!(!looks_like_compose("spec:\n  services: 1\n"));
        assert!(looks_like_compose("include:\n  - a.yaml\n"));
        assert!(looks_like_compose("x: 1\r\nservices:\r\n  a: {}\r\n"));
        assert!(!looks_like_compose("FROM a\n#services:\n"));
    }
}
