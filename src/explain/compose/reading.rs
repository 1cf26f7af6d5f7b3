//! Reads a parsed compose file into a [`ComposeFile`]: interpolates it, checks every key
//! against the specification's key sets, reads each service, the top-level volumes, networks,
//! secrets and configs, works out the start order and what `docker compose up` creates, then
//! asks [`tips`](super::tips) for advice.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;

use super::interpolate::Environment;
use super::keys::{self, Key};
use super::load::{self, SourceFile};
use super::parse::{self, FileId, Node, Value};
use super::{
    Build, ComposeError, ComposeFile, Creation, Declared, Dependency, EnvFile, Health, Image,
    Origin, Part, Service, Variable, Warning, dotenv, gpus, ports, tips, volumes,
};
use crate::explain::{ReferenceReading, looks_secret, shorten};

/// The largest env_file read, like the compose file itself.
const ENV_FILE_BYTES: u64 = 1024 * 1024;

/// At most this many env_file variables are listed in one explanation.
const MAX_ENV_LISTED: usize = 10_000;

/// A `format: raw` env_file: `NAME=value` lines taken as written, without quotes or
/// interpolation.
fn raw_lines(text: &str) -> Vec<dotenv::Assignment> {
    text.lines()
        .enumerate()
        .filter_map(|(n, l)| {
            let l = l.trim_end_matches('\r');
            if l.trim_start().starts_with('#') {
                return None;
            }
            let (name, value) = l.split_once('=')?;
            Some(dotenv::Assignment {
                name: name.trim().to_owned(),
                value: value.to_owned(),
                line: n + 1,
            })
        })
        .collect()
}

/// What a masked value is shown as.
pub const HIDDEN: &str = "(hidden)";

/// Reads `text`, with the files it includes and extends.
pub fn read(text: &str, origin: &Origin, env: &Environment) -> Result<ComposeFile, ComposeError> {
    let loaded = load::load(text, origin, env)?;
    let mut reader = Reader {
        warnings: loaded.warnings,
        secret_literals: Vec::new(),
        env_files: HashMap::new(),
        env_listed: 0,
        env_listed_warned: false,
        files: loaded.files,
        env,
    };
    let file = reader.file(&loaded.root, origin);
    // The tree is thousands of small allocations, read once and no longer needed; the process
    // exits soon after an explanation, and its exit frees them at once (a tenth of the time of
    // explaining a file went into freeing them one by one).
    std::mem::forget(loaded.root);
    Ok(file)
}

/// The variables an env_file sets, as listed: name and shown value.
type Variables = Vec<(String, String)>;

struct Reader<'e> {
    /// The files read; each has the folder its env_file paths are read from, when known.
    files: Vec<SourceFile>,
    /// The environment Compose runs in, for env_file values.
    env: &'e Environment,
    warnings: Vec<Warning>,
    /// Environment variables with secret-looking names and literal values: (service, name, line).
    secret_literals: Vec<tips::SecretLiteral>,
    /// The variables of each env_file read so far, by path and whether it is raw.
    env_files: HashMap<(Option<PathBuf>, String, bool), Option<Variables>>,
    /// How many env_file variables are listed so far.
    env_listed: usize,
    /// Whether the warning about [`MAX_ENV_LISTED`] was given.
    env_listed_warned: bool,
}

/// The value of a node as one short line.
fn brief(node: &Node) -> String {
    const MAX: usize = 80;
    // Built piece by piece, stopping once past MAX: a long list is not joined whole first.
    let mut text = String::new();
    let mut first = true;
    let mut add = |piece: &str, separator: &str| {
        if text.len() <= 4 * MAX {
            if !first {
                text.push_str(separator);
            }
            first = false;
            text.push_str(piece);
        }
    };
    match &node.value {
        Value::Null => {}
        Value::Seq(items) => {
            if !items.is_empty() && items.iter().all(|i| i.text().is_some()) {
                for item in items {
                    add(item.text().unwrap_or_default(), " ");
                }
            } else {
                text = format!("{} entries", items.len());
            }
        }
        Value::Map(entries) => {
            for (k, _) in entries {
                add(&k.name, ", ");
            }
        }
        _ => add(node.text().unwrap_or_default(), ""),
    }
    if text.bytes().any(|b| b == b'\n' || b == b'\r') {
        text = text.replace(['\n', '\r'], " ");
    }
    if text.len() <= MAX {
        text
    } else {
        shorten(&text, MAX)
    }
}

/// Strings of a list, or of one string, with their lines.
pub(super) fn strings(node: &Node) -> Vec<(String, usize)> {
    match node.items() {
        Some(items) => items
            .iter()
            .filter_map(|i| i.text().map(|t| (t.to_owned(), i.line)))
            .collect(),
        None => node
            .text()
            .map(|t| (t.to_owned(), node.line))
            .into_iter()
            .collect(),
    }
}

/// Names of a list of names, or of a mapping's keys.
fn names(node: &Node) -> Vec<String> {
    match &node.value {
        Value::Map(entries) => entries.iter().map(|(k, _)| k.name.to_string()).collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| i.text().or_else(|| i.get("source").and_then(Node::text)))
            .map(str::to_owned)
            .collect(),
        _ => node.text().map(str::to_owned).into_iter().collect(),
    }
}

impl Reader<'_> {
    /// How a file is shown with an item: `None` for the file explained.
    fn file_of(&self, file: FileId) -> Option<String> {
        (file != 0).then(|| self.files[usize::from(file)].shown.clone())
    }

    fn warn(&mut self, file: FileId, line: usize, message: String) {
        let file = self.file_of(file);
        self.warn_in(file, line, message);
    }

    fn warn_in(&mut self, file: Option<String>, line: usize, message: String) {
        self.warnings.push(Warning {
            line,
            file,
            message,
        });
    }

    /// Warns about every key of `node` that `scope` does not allow.
    fn check_keys(&mut self, node: &Node, scope: &'static [Key], place: &str) {
        let Some(entries) = node.entries() else {
            return;
        };
        for (key, _) in entries {
            if key.name.starts_with("x-") || keys::find(scope, &key.name).is_some() {
                continue;
            }
            let hint = keys::suggest(scope, &key.name)
                .map(|s| format!(" (did you mean '{s}'?)"))
                .unwrap_or_default();
            self.warn(
                key.file,
                key.line,
                format!(
                    "{place}: unknown key '{}'{hint}; Compose refuses the file",
                    shorten(&key.name, 40)
                ),
            );
        }
    }

    fn file(&mut self, root: &Node, origin: &Origin) -> ComposeFile {
        self.check_keys(root, keys::TOP, "top level");
        let mut top = Vec::new();
        for (key, value) in root.entries().unwrap_or_default() {
            if key.name == "services" {
                continue;
            }
            let (name, meaning, terms): (_, &str, &[&str]) = match keys::find(keys::TOP, &key.name)
            {
                Some(k) => (Cow::Borrowed(k.name), k.meaning, k.terms),
                None if key.name.starts_with("x-") => (
                    Cow::Owned(key.name.to_string()),
                    "an extension field: Compose ignores it; files use it to hold shared settings under an anchor (&name) that services reuse with <<: *name",
                    &["compose-file"],
                ),
                None => continue,
            };
            top.push(Part {
                key: name,
                line: key.line,
                file: self.file_of(key.file),
                text: brief(value),
                meaning,
                terms,
            });
        }
        let volumes = self.declared(root, "volumes", keys::VOLUME);
        let networks = self.declared(root, "networks", keys::NETWORK);
        let secrets = self.declared(root, "secrets", keys::SECRET);
        let configs = self.declared(root, "configs", keys::CONFIG);
        let include = self.include(root);

        let mut services = Vec::new();
        if let Some(entries) = root.get("services").and_then(Node::entries) {
            for (key, node) in entries {
                if let Some(service) = self.service(key, node) {
                    services.push(service);
                }
            }
        }
        self.cross_check(&services, &networks, &secrets, &configs);
        let start_order = self.start_order(&services);
        let project = project_name(root, origin);
        let creates = creates(&project.0, &services, &volumes, &networks);
        let mut file = ComposeFile {
            project,
            services,
            top,
            volumes,
            networks,
            secrets,
            configs,
            include,
            files: std::mem::take(&mut self.files),
            start_order,
            creates,
            tips: Vec::new(),
            warnings: Vec::new(),
        };
        file.tips = tips::check(&file, root, origin, &self.secret_literals);
        // Settings shared through an anchor are read once per service that uses them.
        self.warnings
            .sort_by(|a, b| (&a.file, a.line, &a.message).cmp(&(&b.file, b.line, &b.message)));
        self.warnings.dedup();
        file.warnings = std::mem::take(&mut self.warnings);
        file
    }

    fn declared(&mut self, root: &Node, key: &str, scope: &'static [Key]) -> Vec<Declared> {
        let Some(node) = root.get(key) else {
            return Vec::new();
        };
        let Some(entries) = node.entries() else {
            if !node.is_null() {
                self.warn(
                    node.file,
                    node.line,
                    format!("top-level {key} must be a mapping of names"),
                );
            }
            return Vec::new();
        };
        let mut out = Vec::new();
        for (name, value) in entries {
            self.check_keys(value, scope, &format!("{key}.{}", shorten(&name.name, 40)));
            let external = value
                .get("external")
                .is_some_and(|e| e.text() == Some("true") || matches!(e.value, Value::Map(_)));
            let from = ["file", "environment", "content"].iter().find_map(|k| {
                value.get(k).and_then(Node::text).map(|v| {
                    if *k == "content" {
                        "content written in the file".to_owned()
                    } else {
                        format!("{k} {v}")
                    }
                })
            });
            out.push(Declared {
                name: name.name.to_string(),
                line: name.line,
                file: self.file_of(name.file),
                external,
                real_name: value.get("name").and_then(Node::text).map(str::to_owned),
                from,
            });
        }
        out
    }

    /// An env_file entry with the variables its file sets. A file is read once however often
    /// it is named (an alias can repeat an entry thousands of times), and at most
    /// [`MAX_ENV_LISTED`] variables are listed in all, with a warning once past that.
    fn env_file(
        &mut self,
        path: &str,
        (file, line): (FileId, usize),
        required: bool,
        raw: bool,
    ) -> EnvFile {
        // Paths are relative to the folder of the file that names them.
        let folder = self.files[usize::from(file)].folder.clone();
        let key = (folder, path.to_owned(), raw);
        if !self.env_files.contains_key(&key) {
            let variables = self.read_env_file(path, (file, line), required, raw);
            self.env_files.insert(key.clone(), variables);
        }
        let count = self.env_files[&key].as_ref().map_or(0, Vec::len);
        let variables = if self.env_listed + count > MAX_ENV_LISTED {
            if !self.env_listed_warned {
                self.env_listed_warned = true;
                self.warn(
                    file,
                    line,
                    format!(
                        "env_file {}: the env files set more than {MAX_ENV_LISTED} variables in all; the rest are not listed",
                        shorten(path, 60)
                    ),
                );
            }
            None
        } else {
            self.env_listed += count;
            self.env_files[&key].clone()
        };
        EnvFile {
            path: path.to_owned(),
            line,
            file: self.file_of(file),
            required,
            variables,
        }
    }

    /// Reads an env_file beside the compose file, as Compose does when it creates the
    /// container: a missing required file or a line Compose refuses is a warning.
    fn read_env_file(
        &mut self,
        path: &str,
        (file, line): (FileId, usize),
        required: bool,
        raw: bool,
    ) -> Option<Variables> {
        let Some(folder) = &self.files[usize::from(file)].folder else {
            return None;
        };
        let full = folder.join(path);
        if !full.is_file() {
            if required {
                self.warn(
                    file,
                    line,
                    format!(
                        "env_file {} is not there, so docker compose up stops (required: false makes it optional)",
                        shorten(path, 60)
                    ),
                );
            }
            return None;
        }
        let text = match crate::read::read_file(&full, ENV_FILE_BYTES) {
            Ok(text) => text,
            Err(e) => {
                self.warn(
                    file,
                    line,
                    format!(
                        "env_file {}: {}",
                        shorten(path, 60),
                        shorten(&e.to_string(), 120)
                    ),
                );
                return None;
            }
        };
        let env = self.env;
        let lookup = |name: &str| env.get(name).map(str::to_owned);
        let parsed = if raw {
            Ok(raw_lines(&text))
        } else {
            dotenv::parse(&text, &lookup)
        };
        match parsed {
            Ok(assignments) => Some(
                assignments
                    .into_iter()
                    .map(|a| {
                        let value = if looks_secret(&a.name) && !a.value.is_empty() {
                            HIDDEN.to_owned()
                        } else {
                            shorten(&a.value, 40)
                        };
                        (a.name, value)
                    })
                    .collect(),
            ),
            Err(refused) => {
                self.warn(
                    file,
                    line,
                    format!(
                        "env_file {}: {}; {}",
                        shorten(path, 60),
                        shorten(&refused.message, 120),
                        if refused.limit {
                            "dterms does not list its variables"
                        } else {
                            "Compose refuses the file"
                        }
                    ),
                );
                None
            }
        }
    }

    fn include(&mut self, root: &Node) -> Vec<(String, usize)> {
        let Some(node) = root.get("include") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for item in node.items().unwrap_or_default() {
            match &item.value {
                Value::Map(_) => {
                    self.check_keys(item, keys::INCLUDE, "include");
                    if let Some(path) = item.get("path") {
                        out.extend(strings(path));
                    }
                }
                _ => out.extend(item.text().map(|t| (t.to_owned(), item.line))),
            }
        }
        out
    }

    fn service(&mut self, key: &parse::Key, node: &Node) -> Option<Service> {
        let (name, line) = (&*key.name, key.line);
        if node.entries().is_none() {
            self.warn(
                key.file,
                line,
                format!(
                    "service {} must be a mapping of settings, not {}",
                    shorten(name, 40),
                    node.describe()
                ),
            );
            return None;
        }
        self.check_keys(
            node,
            keys::SERVICE,
            &format!("service {}", shorten(name, 40)),
        );
        let mut s = Service {
            name: name.to_owned(),
            line,
            file: self.file_of(key.file),
            what: None,
            image: None,
            build: None,
            ports: Vec::new(),
            volumes: Vec::new(),
            environment: Vec::new(),
            env_file: Vec::new(),
            gpus: None,
            shm_size: None,
            ipc: None,
            depends_on: Vec::new(),
            healthcheck: None,
            profiles: Vec::new(),
            networks: Vec::new(),
            network_mode: None,
            secrets: Vec::new(),
            configs: Vec::new(),
            extends: None,
            container_name: None,
            parts: Vec::new(),
        };
        for (key, value) in node.entries().unwrap_or_default() {
            let (name, meaning, terms): (_, &str, &[&str]) =
                match keys::find(keys::SERVICE, &key.name) {
                    Some(k) => (Cow::Borrowed(k.name), k.meaning, k.terms),
                    None if key.name.starts_with("x-") => (
                        Cow::Owned(key.name.to_string()),
                        "an extension field, ignored by Compose",
                        &["compose-file"],
                    ),
                    None => continue,
                };
            let text = match &*key.name {
                "environment" => self.environment(&mut s, value),
                _ => {
                    self.setting(&mut s, &key.name, value);
                    brief(value)
                }
            };
            s.parts.push(Part {
                key: name,
                line: key.line,
                file: self.file_of(key.file),
                text,
                meaning,
                terms,
            });
        }
        if s.image.is_none() && s.build.is_none() && s.extends.is_none() {
            self.warn_in(
                s.file.clone(),
                line,
                format!(
                    "service {} has neither image nor build: Compose cannot create it",
                    shorten(name, 40)
                ),
            );
        }
        // What the service is: from its image, else (for a service it builds) from its name.
        s.what = match &s.image {
            Some(image) if s.build.is_none() => image
                .reading
                .as_ref()
                .and_then(|r| keys::known_image(&r.path)),
            _ => keys::known_image(name),
        };
        Some(s)
    }

    /// Reads one setting of a service into `s`.
    fn setting(&mut self, s: &mut Service, key: &str, value: &Node) {
        let text = || value.text().map(str::to_owned);
        match key {
            "image" => match text() {
                Some(image) => {
                    let reading = match ReferenceReading::new(&image) {
                        Ok(r) => Some(r),
                        Err(e) => {
                            self.warn(
                                value.file,
                                value.line,
                                format!(
                                    "'{}' is not a valid image reference: {}",
                                    shorten(&image, 60),
                                    e.message
                                ),
                            );
                            None
                        }
                    };
                    s.image = Some(Image {
                        text: image,
                        line: value.line,
                        file: self.file_of(value.file),
                        reading,
                    });
                }
                None => self.warn(value.file, value.line, "image must be a string".into()),
            },
            "build" => s.build = self.build(value),
            "ports" => {
                for item in value.items().unwrap_or_default() {
                    if item.entries().is_some() {
                        self.check_keys(item, keys::PORT, "port");
                    }
                    match ports::read(item) {
                        Ok(mut port) => {
                            port.file = self.file_of(item.file);
                            s.ports.push(port);
                        }
                        Err(why) => self.warn(item.file, item.line, format!("port: {why}")),
                    }
                }
            }
            "volumes" => {
                for item in value.items().unwrap_or_default() {
                    if item.entries().is_some() {
                        self.check_keys(item, keys::MOUNT, "volume");
                    }
                    match volumes::read(item) {
                        Ok(mut mount) => {
                            mount.file = self.file_of(item.file);
                            s.volumes.push(mount);
                        }
                        Err(why) => self.warn(item.file, item.line, format!("volume: {why}")),
                    }
                }
            }
            "tmpfs" => {
                let file = self.file_of(value.file);
                s.volumes
                    .extend(volumes::tmpfs(value).into_iter().map(|mut m| {
                        m.file.clone_from(&file);
                        m
                    }));
            }
            "env_file" => {
                let items = match value.items() {
                    Some(items) => items,
                    None => std::slice::from_ref(value),
                };
                for item in items {
                    let path = item
                        .text()
                        .or_else(|| item.get("path").and_then(Node::text));
                    let Some(path) = path else { continue };
                    let required = item
                        .get("required")
                        .is_none_or(|r| r.text() != Some("false"));
                    let raw = item.get("format").and_then(Node::text) == Some("raw");
                    let env_file = self.env_file(path, (item.file, item.line), required, raw);
                    s.env_file.push(env_file);
                }
            }
            "gpus" => match gpus::from_gpus_key(value) {
                Ok(mut g) => {
                    if let Some(g) = &mut g {
                        g.file = self.file_of(value.file);
                    }
                    s.gpus = s.gpus.take().or(g);
                }
                Err(why) => self.warn(value.file, value.line, why),
            },
            "deploy" => self.deploy(s, value),
            "shm_size" => s.shm_size = text(),
            "ipc" => s.ipc = text(),
            "depends_on" => self.depends_on(s, value),
            "healthcheck" => {
                self.check_keys(value, keys::HEALTHCHECK, "healthcheck");
                let test = value.get("test").map(|t| match t.items() {
                    Some(items) => {
                        let words: Vec<&str> = items.iter().filter_map(Node::text).collect();
                        match words.split_first() {
                            Some((&"CMD-SHELL", rest)) => rest.join(" "),
                            Some((&"CMD", rest)) => rest.join(" "),
                            _ => words.join(" "),
                        }
                    }
                    None => t.text().unwrap_or_default().to_owned(),
                });
                let disabled = value.get("disable").and_then(Node::text) == Some("true")
                    || test.as_deref() == Some("NONE");
                s.healthcheck = Some(Health {
                    test,
                    interval: value
                        .get("interval")
                        .and_then(Node::text)
                        .map(str::to_owned),
                    disabled,
                    line: value.line,
                    file: self.file_of(value.file),
                });
            }
            "profiles" => s.profiles = strings(value).into_iter().map(|(p, _)| p).collect(),
            "networks" => s.networks = names(value),
            "network_mode" => s.network_mode = text(),
            "secrets" => s.secrets = names(value),
            "configs" => s.configs = names(value),
            "container_name" => s.container_name = text(),
            "extends" => {
                if value.entries().is_some() {
                    self.check_keys(value, keys::EXTENDS, "extends");
                }
                let service = value
                    .text()
                    .or_else(|| value.get("service").and_then(Node::text));
                let file = value.get("file").and_then(Node::text).map(str::to_owned);
                s.extends = service.map(|v| (v.to_owned(), file));
            }
            _ => {}
        }
    }

    fn build(&mut self, value: &Node) -> Option<Build> {
        if let Some(context) = value.text() {
            return Some(Build {
                context: context.to_owned(),
                dockerfile: "Dockerfile".into(),
                target: None,
                args: Vec::new(),
                line: value.line,
                file: self.file_of(value.file),
            });
        }
        value.entries()?;
        self.check_keys(value, keys::BUILD, "build");
        let get = |k: &str| value.get(k).and_then(Node::text).map(str::to_owned);
        let mut args = Vec::new();
        if let Some(a) = value.get("args") {
            for (name, val, _, _) in pairs(a) {
                let shown = match val {
                    Some(v) if looks_secret(&name) && !v.is_empty() => HIDDEN.to_owned(),
                    Some(v) => v,
                    None => String::new(),
                };
                args.push((name, shown));
            }
        }
        Some(Build {
            context: get("context").unwrap_or_else(|| ".".into()),
            dockerfile: get("dockerfile").unwrap_or_else(|| {
                if value.get("dockerfile_inline").is_some() {
                    "(inline, written in the compose file)".into()
                } else {
                    "Dockerfile".into()
                }
            }),
            target: get("target"),
            args,
            line: value.line,
            file: self.file_of(value.file),
        })
    }

    fn environment(&mut self, s: &mut Service, value: &Node) -> String {
        for (name, val, literal, (file, line)) in pairs(value) {
            let file = self.file_of(file);
            let secret = val.as_deref().is_some_and(|v| !v.is_empty()) && looks_secret(&name);
            if literal && secret {
                self.secret_literals
                    .push((s.name.clone(), name.clone(), (file.clone(), line)));
            }
            s.environment.push(Variable {
                name,
                value: val,
                literal,
                secret,
                line,
                file,
            });
        }
        let names: Vec<&str> = s.environment.iter().map(|v| v.name.as_str()).collect();
        shorten(&names.join(" "), 80)
    }

    fn deploy(&mut self, s: &mut Service, value: &Node) {
        self.check_keys(value, keys::DEPLOY, "deploy");
        let Some(resources) = value.get("resources") else {
            return;
        };
        self.check_keys(resources, keys::RESOURCES, "deploy.resources");
        let Some(devices) = resources
            .get("reservations")
            .and_then(|r| r.get("devices"))
            .and_then(Node::items)
        else {
            return;
        };
        for device in devices {
            self.check_keys(device, keys::DEVICE, "device reservation");
            match gpus::request(device, false) {
                Ok(Some(mut g)) if s.gpus.is_none() => {
                    g.file = self.file_of(device.file);
                    s.gpus = Some(g);
                }
                Ok(_) => {}
                Err(why) => self.warn(device.file, device.line, why),
            }
        }
    }

    fn depends_on(&mut self, s: &mut Service, value: &Node) {
        match &value.value {
            Value::Seq(items) => {
                for item in items {
                    if let Some(service) = item.text() {
                        s.depends_on.push(Dependency {
                            service: service.to_owned(),
                            condition: "service_started".into(),
                            required: true,
                            line: item.line,
                            file: self.file_of(item.file),
                        });
                    }
                }
            }
            Value::Map(entries) => {
                for (key, dep) in entries {
                    self.check_keys(dep, keys::DEPENDENCY, "depends_on");
                    let condition = dep
                        .get("condition")
                        .and_then(Node::text)
                        .unwrap_or("service_started");
                    if !matches!(
                        condition,
                        "service_started" | "service_healthy" | "service_completed_successfully"
                    ) {
                        self.warn(
                            dep.file,
                            dep.line,
                            format!(
                                "condition '{}' is not service_started, service_healthy or service_completed_successfully",
                                shorten(condition, 40)
                            ),
                        );
                    }
                    s.depends_on.push(Dependency {
                        service: key.name.to_string(),
                        condition: condition.to_owned(),
                        required: dep.get("required").and_then(Node::text) != Some("false"),
                        line: key.line,
                        file: self.file_of(key.file),
                    });
                }
            }
            _ => self.warn(
                value.file,
                value.line,
                "depends_on must be a list or a mapping of services".into(),
            ),
        }
    }

    fn cross_check(
        &mut self,
        services: &[Service],
        networks: &[Declared],
        secrets: &[Declared],
        configs: &[Declared],
    ) {
        let declared = |list: &[Declared], name: &str| list.iter().any(|d| d.name == name);
        let defined: HashSet<&str> = services.iter().map(|s| s.name.as_str()).collect();
        for s in services {
            for network in &s.networks {
                if network != "default" && !declared(networks, network) {
                    self.warn_in(s.file.clone(), s.line, format!(
                        "service {} joins the network {} that is not declared under the top-level networks; Compose refuses the file",
                        shorten(&s.name, 40), shorten(network, 40)
                    ));
                }
            }
            for (list, what, kind) in [
                (&s.secrets, secrets, "secret"),
                (&s.configs, configs, "config"),
            ] {
                for name in list {
                    if !declared(what, name) {
                        self.warn_in(s.file.clone(), s.line, format!(
                            "service {} uses the {kind} {} that is not declared at the top level; Compose refuses the file",
                            shorten(&s.name, 40), shorten(name, 40)
                        ));
                    }
                }
            }
            if let Some((base, None)) = &s.extends
                && !defined.contains(base.as_str())
            {
                self.warn_in(
                    s.file.clone(),
                    s.line,
                    format!(
                        "service {} extends {}, which this file does not define",
                        shorten(&s.name, 40),
                        shorten(base, 40)
                    ),
                );
            }
        }
    }

    /// The order Compose starts services in: dependencies first, otherwise file order.
    fn start_order(&mut self, services: &[Service]) -> Vec<String> {
        let index: HashMap<&str, usize> = services
            .iter()
            .enumerate()
            .map(|(i, s)| (s.name.as_str(), i))
            .collect();
        let mut waiting: Vec<usize> = services
            .iter()
            .map(|s| {
                s.depends_on
                    .iter()
                    .filter(|d| index.contains_key(d.service.as_str()))
                    .count()
            })
            .collect();
        let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); services.len()];
        for (i, s) in services.iter().enumerate() {
            for d in &s.depends_on {
                if let Some(&j) = index.get(d.service.as_str()) {
                    dependents[j].push(i);
                }
            }
        }
        let mut ready: std::collections::BTreeSet<usize> =
            (0..services.len()).filter(|&i| waiting[i] == 0).collect();
        let mut order = Vec::with_capacity(services.len());
        while let Some(i) = ready.pop_first() {
            order.push(i);
            for &j in &dependents[i] {
                waiting[j] -= 1;
                if waiting[j] == 0 {
                    ready.insert(j);
                }
            }
        }
        if order.len() < services.len() {
            let mut placed = vec![false; services.len()];
            for &i in &order {
                placed[i] = true;
            }
            let stuck: Vec<usize> = (0..services.len()).filter(|&i| !placed[i]).collect();
            let names: Vec<&str> = stuck.iter().map(|&i| services[i].name.as_str()).collect();
            self.warn_in(
                services[stuck[0]].file.clone(),
                services[stuck[0]].line,
                format!(
                    "depends_on goes round in a circle between {}; Compose refuses the file",
                    shorten(&names.join(", "), 80)
                ),
            );
            order.extend(stuck);
        }
        order
            .into_iter()
            .map(|i| services[i].name.clone())
            .collect()
    }
}

/// One `NAME=value`: name, value, whether written literally, file and line.
type Pair = (String, Option<String>, bool, (FileId, usize));

/// `NAME: value` mappings or `NAME=value` lists (environment, build args), as
/// (name, value after interpolation, whether the value is written literally, file and line).
fn pairs(node: &Node) -> Vec<Pair> {
    let literal = |n: &Node| n.tag.as_deref() != Some("interpolated");
    match &node.value {
        Value::Map(entries) => entries
            .iter()
            .map(|(k, v)| {
                let value = (!v.is_null()).then(|| v.text().unwrap_or_default().to_owned());
                (k.name.to_string(), value, literal(v), (k.file, k.line))
            })
            .collect(),
        Value::Seq(items) => items
            .iter()
            .filter_map(|i| {
                let text = i.text()?;
                Some(match text.split_once('=') {
                    Some((name, value)) => (
                        name.to_owned(),
                        Some(value.to_owned()),
                        literal(i),
                        (i.file, i.line),
                    ),
                    None => (text.to_owned(), None, true, (i.file, i.line)),
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// The project name: top-level `name`, else the folder's name, lower-cased with only letters,
/// digits, `-` and `_` kept, as Compose normalises it.
fn project_name(root: &Node, origin: &Origin) -> (String, &'static str) {
    if let Some(name) = root.get("name").and_then(Node::text) {
        return (name.to_owned(), "set by name");
    }
    let folder = origin
        .folder
        .as_ref()
        .and_then(|f| f.file_name())
        .and_then(|n| n.to_str())
        .map(|n| {
            n.to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_'))
                .collect::<String>()
        })
        .filter(|n| !n.is_empty());
    match folder {
        Some(name) => (name, "the folder's name"),
        None => ("PROJECT".to_owned(), "the folder's name, unknown here"),
    }
}

/// What `docker compose up` creates, in the order it does.
fn creates(
    project: &str,
    services: &[Service],
    volumes: &[Declared],
    networks: &[Declared],
) -> Vec<Creation> {
    let mut out = Vec::new();
    let started: Vec<&Service> = services.iter().filter(|s| s.profiles.is_empty()).collect();
    let uses_default = started.iter().any(|s| {
        s.network_mode.is_none()
            && (s.networks.is_empty() || s.networks.iter().any(|n| n == "default"))
    });
    if uses_default {
        out.push(Creation {
            kind: "network",
            name: format!("{project}_default"),
            note: "a bridge network for the services that name no network; each reaches the others by service name".into(),
        });
    }
    for n in networks.iter().filter(|n| !n.external) {
        out.push(Creation {
            kind: "network",
            name: n
                .real_name
                .clone()
                .unwrap_or_else(|| format!("{project}_{}", n.name)),
            note: format!("declared as {}", n.name),
        });
    }
    for v in volumes.iter().filter(|v| !v.external) {
        out.push(Creation {
            kind: "volume",
            name: v
                .real_name
                .clone()
                .unwrap_or_else(|| format!("{project}_{}", v.name)),
            note: format!(
                "declared as {}; kept by docker compose down unless you add -v",
                v.name
            ),
        });
    }
    for s in &started {
        match (&s.build, &s.image) {
            (Some(b), image) => out.push(Creation {
                kind: "image",
                name: image
                    .as_ref()
                    .map_or_else(|| format!("{project}-{}", s.name), |i| i.text.clone()),
                note: format!(
                    "built from {} when it does not exist yet (docker compose build rebuilds it)",
                    b.context
                ),
            }),
            (None, Some(i)) => out.push(Creation {
                kind: "image",
                name: i
                    .reading
                    .as_ref()
                    .map_or_else(|| i.text.clone(), |r| r.normalized.clone()),
                note: "pulled when it is not on this machine yet".into(),
            }),
            (None, None) => {}
        }
    }
    for s in &started {
        out.push(Creation {
            kind: "container",
            name: s
                .container_name
                .clone()
                .unwrap_or_else(|| format!("{project}-{}-1", s.name)),
            note: format!("runs the service {}", s.name),
        });
    }
    out
}
