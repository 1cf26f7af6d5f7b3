//! Loads a compose file and the files it brings in, as compose-go's loader does: the file is
//! parsed and interpolated; each `include` entry is read as a project of its own (paths relative
//! to the including file, its own `.env` or `env_file`, its own includes and `extends`), and its
//! services, volumes, networks, secrets, configs and models join the file's (a resource the file
//! defines too is merged over the included one); then each service's `extends` is applied,
//! reading `file:` when given, by the merge rules of [`merge`](super::merge). Every node keeps
//! the file it is written in.
//!
//! Bounded: include and extends nest at most [`MAX_DEPTH`] deep, at most [`MAX_FILES`] files
//! are read and at most [`MAX_BYTES`] in all, the files read and what extends copies come to at
//! most [`MAX_VALUES`] values, interpolation produces at most [`MAX_OUTPUT`] bytes for all the
//! files together, and a cycle is an error naming its files.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

use super::dotenv;
use super::interpolate::{Environment, Finding as Noticed, MAX_OUTPUT, Overflow, Substitution};
use super::merge::{self, Refused};
use super::parse::{self, FileId, Key, Node, Value};
use super::reading::strings;
use super::{ComposeError, Origin, Warning};
use crate::explain::shorten;

/// How deep `include` and `extends` may nest.
pub const MAX_DEPTH: usize = 10;

/// The most compose files one explanation reads: the file itself and the files it includes and
/// extends. (The `.env` and `env_file` files of includes are not counted here; their bytes are.)
pub const MAX_FILES: usize = 64;

/// The most bytes the compose files and the `.env` files of includes may hold together.
pub const MAX_BYTES: u64 = crate::read::MAX_INPUT_BYTES;

/// The most values (YAML nodes, aliases expanded) of all the files read plus the copies
/// `extends` makes. One file alone may hold [`MAX_NODES`](parse::MAX_NODES); the same small
/// file included many times, or a base extended by many services, is counted each time.
pub const MAX_VALUES: usize = 2 * parse::MAX_NODES;

/// A compose file read for the explanation.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Its path as shown: as written, from the folder of the file explained; sanitised.
    pub shown: String,
    /// The folder its relative paths are read from: its own, or an include's
    /// `project_directory`. `None` when unknown.
    pub folder: Option<PathBuf>,
    /// Its folder as shown, for the paths it names.
    shown_folder: PathBuf,
    /// What tells it apart in a cycle: its canonical path (its folder stays the link's).
    id: PathBuf,
}

/// A compose file with what it brings in.
#[derive(Debug)]
pub struct Loaded<'t> {
    /// The tree, includes imported and extends applied.
    pub root: Node<'t>,
    /// The files read, indexed by [`FileId`]; the first is the file explained.
    pub files: Vec<SourceFile>,
    /// What interpolation and merging noticed.
    pub warnings: Vec<Warning>,
}

/// Loads `text`, the compose file of `origin`, with the variables of `env`.
pub fn load<'t>(
    text: &'t str,
    origin: &Origin,
    env: &Environment,
) -> Result<Loaded<'t>, ComposeError> {
    // A file that neither includes nor extends, in one document, needs no merging: `!reset`
    // values are dropped as it is parsed, as they always were.
    let mut merges = text.contains("include") || text.contains("extends");
    let invalid = |e: parse::ParseError| ComposeError {
        line: e.line,
        file: None,
        message: format!("not valid YAML: {}", e.message),
    };
    let mut documents = parse::parse_documents(text, merges).map_err(invalid)?;
    let several = documents.len() > 1;
    if several && !merges {
        // Documents merge too: read again, keeping `!reset` (rare enough to read twice).
        merges = true;
        documents = parse::parse_documents(text, merges).map_err(invalid)?;
    }
    if several {
        for (document, line) in &documents {
            if document.entries().is_none() && !document.is_null() {
                return Err(ComposeError {
                    line: Some(*line),
                    file: None,
                    message: format!(
                        "not a compose file: the YAML document here is {}, not a mapping",
                        document.describe()
                    ),
                });
            }
        }
    } else {
        check_top_level(&documents[0].0)?;
    }
    let main = SourceFile {
        shown: origin
            .path
            .as_deref()
            .and_then(|p| Path::new(p).file_name())
            .map_or_else(|| "-".to_owned(), |name| clean_name(Path::new(name))),
        folder: origin.folder.clone(),
        shown_folder: PathBuf::new(),
        id: origin
            .path
            .as_deref()
            .and_then(|p| std::fs::canonicalize(p).ok())
            .unwrap_or_else(|| PathBuf::from("-")),
    };
    let mut loader = Loader {
        files: vec![main],
        envs: vec![Layer {
            below: None,
            values: env.clone(),
        }],
        bytes: text.len() as u64,
        values: if merges {
            documents.iter().map(|(d, _)| parse::size(d)).sum()
        } else {
            0
        },
        interpolated: 0,
        warnings: Vec::new(),
        extended: HashMap::new(),
    };
    // Compose reads each document of a file as it reads a file of its own, and merges it over
    // the documents before it, as it merges files given with -f (compose-go's loadYamlFile).
    let mut root: Option<Node<'t>> = None;
    for (mut document, line) in documents {
        loader.interpolate(&mut document, 0, 0)?;
        if merges {
            let mut chain = vec![0];
            loader.include(&mut document, 0, 0, &mut chain)?;
            loader.extends(&mut document, 0, 0, 0)?;
        }
        root = Some(match root {
            None => document,
            Some(before) => {
                loader.warn(
                    0,
                    line,
                    "a further YAML document (---) starts here: Compose merges it over the documents above, as it merges files given with -f".into(),
                );
                loader.merge_over(before, document)
            }
        });
    }
    let Some(mut root) = root else {
        return Err(not_compose("it is empty"));
    };
    if several {
        check_top_level(&root)?;
    }
    if merges {
        parse::drop_resets(&mut root);
    }
    Ok(Loaded {
        root,
        files: loader.files,
        warnings: loader.warnings,
    })
}

fn not_compose(why: &str) -> ComposeError {
    ComposeError {
        line: None,
        file: None,
        message: format!("not a compose file: {why}"),
    }
}

/// Refuses a file that is not a compose file: its top level must be a mapping with services or
/// include, and services a mapping.
fn check_top_level(root: &Node) -> Result<(), ComposeError> {
    let Some(entries) = root.entries() else {
        return Err(not_compose(&format!(
            "its top level is {}, not a mapping with services",
            root.describe()
        )));
    };
    if !entries
        .iter()
        .any(|(k, _)| k.name == "services" || k.name == "include")
    {
        let found: Vec<&str> = entries.iter().take(6).map(|(k, _)| &*k.name).collect();
        return Err(not_compose(&format!(
            "it has no top-level services (its top-level keys are {})",
            found.join(", ")
        )));
    }
    if let Some(services) = root.get("services")
        && !matches!(services.value, Value::Map(_) | Value::Null)
    {
        return Err(ComposeError {
            line: Some(services.line),
            file: None,
            message: format!(
                "services must be a mapping of service names, not {}",
                services.describe()
            ),
        });
    }
    Ok(())
}

/// A path as shown in messages: lexically tidied (`a/../b` is `b`), sanitised, at most 200
/// characters.
fn clean_name(path: &Path) -> String {
    let tidy = tidy(path);
    let text = tidy.to_string_lossy();
    let text = if text.is_empty() { "." } else { &text };
    crate::render::sanitize_line(&shorten(text, 200)).into_owned()
}

/// `path` tidied without looking at the disk, as Go's `filepath.Clean`: `.` left out, `a/..`
/// removed, `/..` is `/`. A symbolic link is not followed, so `link/..` is the folder holding
/// the link, as compose-go has it.
fn tidy(path: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            Component::ParentDir if matches!(parts.last(), Some(Component::RootDir)) => {}
            _ => parts.push(c),
        }
    }
    parts.iter().collect()
}

/// Whether two values are the same, wherever they are written: lines and files ignored, the
/// keys of a mapping in any order (as Go's `reflect.DeepEqual` compares the maps compose-go
/// loads), and the `interpolated` mark dterms adds ignored.
fn same_value(a: &Node<'_>, b: &Node<'_>) -> bool {
    let (ta, tb) = (a.tag.as_deref(), b.tag.as_deref());
    let (ta, tb) = (
        ta.filter(|t| *t != "interpolated"),
        tb.filter(|t| *t != "interpolated"),
    );
    if ta != tb {
        return false;
    }
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() {
                return false;
            }
            let by_name: HashMap<&str, &Node<'_>> = y.iter().map(|(k, v)| (&*k.name, v)).collect();
            by_name.len() == y.len()
                && x.iter().all(|(k, v)| {
                    by_name
                        .get(&*k.name)
                        .is_some_and(|other| same_value(v, other))
                })
        }
        (Value::Seq(x), Value::Seq(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(v, w)| same_value(v, w))
        }
        (Value::Map(_) | Value::Seq(_), _) | (_, Value::Map(_) | Value::Seq(_)) => false,
        (x, y) => x == y,
    }
}

/// Whether docker compose reads `path` through one of its remote resource loaders rather than
/// from disk (docker/compose `pkg/remote`): an OCI artifact (`oci:` prefix), or a git
/// repository as BuildKit's `dfgitutil.ParseGitRef` accepts it: `github.com/…`, a `git://` or
/// `ssh://` URL, `user@host:path`, or an `http(s)://` URL whose path ends in `.git` (a
/// `#ref:subdir` may follow).
fn is_remote(path: &str) -> bool {
    if path.starts_with("oci:") || path.starts_with("github.com/") {
        return true;
    }
    if let Some((scheme, rest)) = path.split_once("://") {
        return match scheme {
            "git" | "ssh" => true,
            "http" | "https" => {
                let end = rest.find(['#', '?']).unwrap_or(rest.len());
                rest[..end].ends_with(".git")
            }
            _ => false,
        };
    }
    // The scp-like form git uses for ssh: user@host:path, with no slash before the colon.
    match (path.find('@'), path.find(':'), path.find('/')) {
        (Some(at), Some(colon), slash) => {
            at > 0 && at + 1 < colon && slash.is_none_or(|s| s > colon) && colon + 1 < path.len()
        }
        _ => false,
    }
}

/// A remote path as shown: as written (its `//` kept), sanitised, at most 80 characters.
fn shown_remote(path: &str) -> String {
    crate::render::sanitize_line(&shorten(path, 80)).into_owned()
}

/// One `include` entry.
struct Include {
    /// The files, merged in order, each with its line.
    paths: Vec<(String, usize)>,
    project_directory: Option<String>,
    env_file: Vec<String>,
}

/// The mapping entries under `key`, made a mapping when missing or null.
fn entries_mut<'n, 't>(
    root: &'n mut Node<'t>,
    key: &'static str,
    line: usize,
    file: FileId,
) -> Option<&'n mut Vec<(Key<'t>, Node<'t>)>> {
    let Value::Map(entries) = &mut root.value else {
        return None;
    };
    let at = match entries.iter().position(|(k, _)| k.name == key) {
        Some(at) => at,
        None => {
            entries.push((
                Key {
                    name: Cow::Borrowed(key),
                    line,
                    file,
                },
                Node {
                    value: Value::Null,
                    line,
                    tag: None,
                    file,
                },
            ));
            entries.len() - 1
        }
    };
    let value = &mut entries[at].1;
    if value.is_null() {
        value.value = Value::Map(Vec::new());
    }
    match &mut value.value {
        Value::Map(inner) => Some(inner),
        _ => None,
    }
}

/// The variables an include entry's `.env` or `env_file` files set, above the environment of
/// the file that includes it; stacked rather than copied, so that many includes of one project
/// do not each copy its environment.
struct Layer {
    /// The environment of the including file: an index into the loader's layers.
    below: Option<usize>,
    values: Environment,
}

/// The value of `name` in layer `env`: the including file's environment wins over the files
/// of an include entry (compose-go merges them with the including side first).
fn lookup<'e>(envs: &'e [Layer], mut env: usize, name: &str) -> Option<&'e str> {
    let mut found = None;
    loop {
        let layer = &envs[env];
        if let Some(value) = layer.values.get(name) {
            found = Some(value);
        }
        match layer.below {
            Some(below) => env = below,
            None => return found,
        }
    }
}

/// Where each service is in a list of services: the first of each name.
fn by_name(services: &[(Key<'_>, Node<'_>)]) -> HashMap<String, usize> {
    let mut index = HashMap::with_capacity(services.len());
    for (i, (key, _)) in services.iter().enumerate() {
        index.entry(key.name.to_string()).or_insert(i);
    }
    index
}

/// The services of a file, as written.
type Services = Vec<(Key<'static>, Node<'static>)>;

struct Loader {
    files: Vec<SourceFile>,
    /// The environments files are interpolated with: the file's, then one per include entry
    /// that reads `.env` or `env_file` files, each above the environment of the file including
    /// it (see [`lookup`]).
    envs: Vec<Layer>,
    /// Bytes read so far.
    bytes: u64,
    /// Values of the files read and of what extends copied so far, against [`MAX_VALUES`].
    values: usize,
    /// Bytes interpolation produced so far, in all the files, against
    /// [`MAX_OUTPUT`].
    interpolated: usize,
    warnings: Vec<Warning>,
    /// Files read for `extends: file:`, by canonical path and environment: their id and services.
    extended: HashMap<(PathBuf, usize), (FileId, Services)>,
}

impl Loader {
    fn shown(&self, file: FileId) -> Option<String> {
        (file != 0).then(|| self.files[usize::from(file)].shown.clone())
    }

    fn error(&self, file: FileId, line: usize, message: String) -> ComposeError {
        ComposeError {
            line: Some(line),
            file: self.shown(file),
            message,
        }
    }

    /// Counts `more` values against [`MAX_VALUES`]; past it, an error on `line` of `file` that
    /// starts with `what`.
    fn count(
        &mut self,
        more: usize,
        what: &str,
        file: FileId,
        line: usize,
    ) -> Result<(), ComposeError> {
        self.values = self.values.saturating_add(more);
        if self.values > MAX_VALUES {
            return Err(self.error(
                file,
                line,
                format!(
                    "{what}: the files read and the copies extends makes come to more than {MAX_VALUES} values; dterms stops here"
                ),
            ));
        }
        Ok(())
    }

    fn warn(&mut self, file: FileId, line: usize, message: String) {
        let file = self.shown(file);
        self.warnings.push(Warning {
            line,
            file,
            message,
        });
    }

    /// Reads a file named on `line` of `from`, within the caps: its text and canonical path.
    fn read(
        &mut self,
        path: &Path,
        shown: &str,
        what: &str,
        from: FileId,
        line: usize,
    ) -> Result<(String, PathBuf), ComposeError> {
        if self.files.len() >= MAX_FILES {
            return Err(self.error(
                from,
                line,
                format!("{what} {shown}: more than {MAX_FILES} files to read; dterms stops here"),
            ));
        }
        let canonical = match std::fs::canonicalize(path) {
            Ok(c) => c,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(self.error(from, line, format!("{what} {shown} does not exist")));
            }
            Err(e) => {
                return Err(self.error(from, line, format!("{what} {shown}: {e}")));
            }
        };
        let left = MAX_BYTES.saturating_sub(self.bytes);
        let cap = left.min(crate::explain::MAX_DOCKERFILE_BYTES);
        let text = crate::read::read_file(&canonical, cap).map_err(|e| {
            let why = match e.reason {
                crate::read::Reason::TooLarge(_) if cap < crate::explain::MAX_DOCKERFILE_BYTES => {
                    format!(
                        "the files read together pass {} MiB",
                        MAX_BYTES / 1024 / 1024
                    )
                }
                reason => reason.to_string(),
            };
            self.error(from, line, format!("{what} {shown}: {why}"))
        })?;
        self.bytes += text.len() as u64;
        Ok((text, canonical))
    }

    /// Reads, parses and interpolates another compose file.
    #[allow(clippy::too_many_arguments)]
    fn open(
        &mut self,
        written: &str,
        folder: &Path,
        shown_folder: &Path,
        project: Option<(PathBuf, PathBuf)>,
        env: usize,
        what: &str,
        from: FileId,
        line: usize,
    ) -> Result<(FileId, Node<'static>), ComposeError> {
        // compose-go joins and cleans the path, and the file's folder is the folder of that
        // path, not of the file a symbolic link points to: its env_file, bind mounts and the
        // files it names are found beside the link.
        let path = tidy(&folder.join(written));
        let shown_path = shown_folder.join(written);
        let shown = clean_name(&shown_path);
        let (text, canonical) = self.read(&path, &shown, what, from, line)?;
        let id = FileId::try_from(self.files.len()).unwrap_or(FileId::MAX);
        let (folder, shown_folder) = project.unwrap_or_else(|| {
            (
                path.parent().map(Path::to_path_buf).unwrap_or_default(),
                shown_path
                    .parent()
                    .map(Path::to_path_buf)
                    .unwrap_or_default(),
            )
        });
        self.files.push(SourceFile {
            shown: shown.clone(),
            folder: Some(folder),
            shown_folder,
            id: canonical,
        });
        let documents = parse::parse_documents(&text, true).map_err(|e| ComposeError {
            line: e.line,
            file: Some(shown.clone()),
            message: format!("not valid YAML: {}", e.message),
        })?;
        // Several documents merge in order (here before interpolation, includes and extends,
        // which compose-go applies to each document first).
        let mut root: Option<Node<'static>> = None;
        for (document, _) in documents {
            let mut document = parse::into_owned(document);
            parse::set_file(&mut document, id);
            root = Some(match root {
                None => document,
                Some(before) => self.merge_over(before, document),
            });
        }
        let Some(mut root) = root else {
            return Err(ComposeError {
                line: None,
                file: Some(shown),
                message: "it is empty".into(),
            });
        };
        if root.entries().is_none() && !root.is_null() {
            return Err(ComposeError {
                line: Some(root.line),
                file: Some(shown),
                message: format!("its top level is {}, not a mapping", root.describe()),
            });
        }
        self.count(parse::size(&root), &format!("{what} {shown}"), from, line)?;
        self.interpolate(&mut root, id, env)?;
        Ok((id, root))
    }

    /// Substitutes variables in every string value (never in keys), as Compose does, and turns
    /// what it noticed into warnings: each unset variable once per file.
    fn interpolate(
        &mut self,
        root: &mut Node<'_>,
        file: FileId,
        env: usize,
    ) -> Result<(), ComposeError> {
        let envs = &self.envs;
        let lookup = |name: &str| lookup(envs, env, name).map(str::to_owned);
        let mut sub = Substitution::new(&lookup);
        let mut noticed = Vec::new();
        let mut stack = vec![root];
        let mut failed = None;
        // The budget is for all the files together: a value set once in `.env` and used in a
        // file included many times is counted each time.
        let mut used = self.interpolated;
        // Copies made by aliases borrow the same text: it is substituted once, and what that
        // noticed reported once (the copies have the anchored text's line, so their findings
        // would be the same warnings again). Each copy still counts against the budget.
        let mut done: HashMap<(usize, usize), Option<String>> = HashMap::new();
        while let Some(node) = stack.pop() {
            let line = node.line;
            match &mut node.value {
                Value::String(s) if s.contains('$') => {
                    let at = match s {
                        Cow::Borrowed(b) => Some((b.as_ptr() as usize, b.len())),
                        Cow::Owned(_) => None,
                    };
                    if let Some(previous) = at.and_then(|at| done.get(&at)) {
                        if let Some(value) = previous {
                            used = used.saturating_add(value.len());
                            if used > MAX_OUTPUT {
                                failed = Some((line, Overflow::TooLong));
                                break;
                            }
                            node.tag.get_or_insert(Cow::Borrowed("interpolated"));
                            *s = Cow::Owned(value.clone());
                        } else {
                            used = used.saturating_add(s.len());
                        }
                        continue;
                    }
                    let before = sub.findings.len();
                    let value = match sub.run(s) {
                        Ok(value) => value,
                        Err(e) => {
                            failed = Some((line, e));
                            break;
                        }
                    };
                    noticed.extend(sub.findings[before..].iter().map(|f| (line, f.clone())));
                    used = used.saturating_add(value.len());
                    if used > MAX_OUTPUT {
                        failed = Some((line, Overflow::TooLong));
                        break;
                    }
                    let changed = value != *s;
                    if let Some(at) = at {
                        done.insert(at, changed.then(|| value.clone()));
                    }
                    if changed {
                        node.tag.get_or_insert(Cow::Borrowed("interpolated"));
                        *s = Cow::Owned(value);
                    }
                }
                Value::Seq(items) => stack.extend(items.iter_mut()),
                Value::Map(entries) => stack.extend(entries.iter_mut().map(|(_, v)| v)),
                _ => {}
            }
        }
        self.interpolated = used;
        if let Some((line, e)) = failed {
            let message = match e {
                Overflow::TooDeep => format!(
                    "variables nest more than {} deep",
                    super::interpolate::MAX_NESTING
                ),
                Overflow::TooLong => format!(
                    "interpolation produces more than {} MiB",
                    MAX_OUTPUT / 1024 / 1024
                ),
            };
            return Err(self.error(file, line, message));
        }
        // The walk is depth-first from the end; report in file order, each unset variable once.
        noticed.sort_by_key(|(line, _)| *line);
        let mut unset = HashSet::new();
        for (line, finding) in noticed {
            let message = match finding {
                Noticed::Unset(name) if unset.insert(name.clone()) => format!(
                    "the variable {name} is not set, so Compose uses an empty string (set it in the environment or in .env)"
                ),
                Noticed::Unset(_) => continue,
                Noticed::Required(name, why) => format!(
                    "Compose stops here: the variable {name} must be set ({})",
                    shorten(&why, 80)
                ),
                Noticed::Invalid(template) => format!(
                    "Compose cannot read {}: a variable is $NAME or ${{NAME}}, with :-, -, :?, ?, :+ or + inside the braces; $$ is a literal $",
                    shorten(&template, 40)
                ),
            };
            self.warn(file, line, message);
        }
        Ok(())
    }

    /// The entries of `include`, as written.
    fn include_entries(
        &self,
        root: &Node<'_>,
        file: FileId,
    ) -> Result<Vec<(Include, usize)>, ComposeError> {
        let Some(node) = root.get("include") else {
            return Ok(Vec::new());
        };
        if node.is_null() {
            return Ok(Vec::new());
        }
        let Some(items) = node.items() else {
            return Err(self.error(file, node.line, "include must be a list".into()));
        };
        let mut out = Vec::new();
        for item in items {
            let include = match item.entries() {
                Some(_) => Include {
                    paths: item.get("path").map(strings).unwrap_or_default(),
                    project_directory: item
                        .get("project_directory")
                        .and_then(Node::text)
                        .map(str::to_owned),
                    env_file: item
                        .get("env_file")
                        .map(|e| strings(e).into_iter().map(|(p, _)| p).collect())
                        .unwrap_or_default(),
                },
                None => Include {
                    paths: strings(item),
                    project_directory: None,
                    env_file: Vec::new(),
                },
            };
            if include.paths.is_empty() {
                return Err(self.error(file, item.line, "an include entry needs a path".into()));
            }
            out.push((include, item.line));
        }
        Ok(out)
    }

    /// Reads the files `root` (written in `file`) includes and imports their resources.
    /// `chain` is the files whose includes are being read, for cycles.
    fn include(
        &mut self,
        root: &mut Node<'_>,
        file: FileId,
        env: usize,
        chain: &mut Vec<FileId>,
    ) -> Result<(), ComposeError> {
        let entries = self.include_entries(root, file)?;
        if entries.is_empty() {
            return Ok(());
        }
        // Without a folder (a tree given directly, not a file) nothing can be read.
        let Some(folder) = self.files[usize::from(file)].folder.clone() else {
            return Ok(());
        };
        let shown_folder = self.files[usize::from(file)].shown_folder.clone();
        for (include, line) in entries {
            // docker compose downloads these (its OCI and git resource loaders); dterms stays
            // offline, says so, and explains the rest.
            if let Some((remote, at)) = include.paths.iter().find(|(p, _)| is_remote(p)) {
                let message = format!(
                    "include {}: a remote file (an OCI artifact or a git repository) is not downloaded, so the services it brings are not shown",
                    shown_remote(remote)
                );
                self.warn(file, *at, message);
                continue;
            }
            if chain.len() > MAX_DEPTH {
                return Err(self.error(
                    file,
                    line,
                    format!("include nests more than {MAX_DEPTH} files deep"),
                ));
            }
            let project = include.project_directory.as_deref().map(|dir| {
                (
                    tidy(&folder.join(dir)),
                    PathBuf::from(clean_name(&shown_folder.join(dir))),
                )
            });
            let env = self.include_env(
                &include,
                &folder,
                &shown_folder,
                project.as_ref(),
                env,
                file,
                line,
            )?;
            let mut project = project;
            let mut imported: Option<Node<'static>> = None;
            for (written, path_line) in &include.paths {
                let (id, mut sub) = self.open(
                    written,
                    &folder,
                    &shown_folder,
                    project.clone(),
                    env,
                    "included file",
                    file,
                    *path_line,
                )?;
                // The first file decides the project directory of the others.
                project.get_or_insert_with(|| {
                    let f = &self.files[usize::from(id)];
                    (f.folder.clone().unwrap_or_default(), f.shown_folder.clone())
                });
                let same = |a: FileId, b: FileId| {
                    self.files[usize::from(a)].id == self.files[usize::from(b)].id
                };
                if let Some(at) = chain.iter().position(|&c| same(c, id)) {
                    let mut names: Vec<&str> = chain[at..]
                        .iter()
                        .map(|&c| self.files[usize::from(c)].shown.as_str())
                        .collect();
                    names.push(&self.files[usize::from(id)].shown);
                    return Err(self.error(
                        file,
                        *path_line,
                        format!(
                            "include goes round in a circle: {}",
                            names.join(" includes ")
                        ),
                    ));
                }
                chain.push(id);
                self.include(&mut sub, id, env, chain)?;
                chain.pop();
                self.extends(&mut sub, id, env, 0)?;
                imported = Some(match imported {
                    None => sub,
                    Some(first) => self.merge_over(first, sub),
                });
            }
            if let Some(imported) = imported {
                self.import(root, imported, file, line);
            }
        }
        Ok(())
    }

    /// The environment an include entry's files are interpolated with: the including file's,
    /// then its `env_file` files (or the `.env` of its project directory) for what is not set.
    #[allow(clippy::too_many_arguments)]
    fn include_env(
        &mut self,
        include: &Include,
        folder: &Path,
        shown_folder: &Path,
        project: Option<&(PathBuf, PathBuf)>,
        env: usize,
        file: FileId,
        line: usize,
    ) -> Result<usize, ComposeError> {
        let mut files: Vec<(PathBuf, String)> = Vec::new();
        if include.env_file.is_empty() {
            let dir = match project {
                Some((dir, shown)) => (dir.clone(), shown.clone()),
                None => {
                    let first = &include.paths[0].0;
                    let parent = |p: &Path| p.parent().map(Path::to_path_buf).unwrap_or_default();
                    (
                        parent(&tidy(&folder.join(first))),
                        parent(&shown_folder.join(first)),
                    )
                }
            };
            let dotenv = dir.0.join(".env");
            if dotenv.is_file() {
                files.push((dotenv, clean_name(&dir.1.join(".env"))));
            }
        } else {
            for f in include.env_file.iter().filter(|f| *f != "/dev/null") {
                files.push((folder.join(f), clean_name(&shown_folder.join(f))));
            }
        }
        if files.is_empty() {
            return Ok(env);
        }
        // In order, as compose-go's `dotenv.GetEnvFromFile`: a variable in a file is looked up in
        // the including file's environment first, then in what the files before it (and the
        // lines above it) set; a later file overrides an earlier one.
        let mut set: HashMap<String, String> = HashMap::new();
        for (path, shown) in &files {
            let (text, _) = self.read(path, shown, "env_file", file, line)?;
            let parsed = {
                let (envs, earlier) = (&self.envs, &set);
                let see = |name: &str| {
                    lookup(envs, env, name)
                        .or_else(|| earlier.get(name).map(String::as_str))
                        .map(str::to_owned)
                };
                dotenv::parse(&text, &see)
            };
            let assignments = parsed.map_err(|refused| {
                self.error(
                    file,
                    line,
                    format!("env_file {shown}: {}", shorten(&refused.message, 120)),
                )
            })?;
            for a in assignments {
                self.interpolated = self.interpolated.saturating_add(a.value.len());
                if self.interpolated > MAX_OUTPUT {
                    return Err(self.error(
                        file,
                        line,
                        format!(
                            "env_file {shown}: the variables and interpolation of the files read come to more than {} MiB",
                            MAX_OUTPUT >> 20
                        ),
                    ));
                }
                set.insert(a.name, a.value);
            }
        }
        self.envs.push(Layer {
            below: Some(env),
            values: Environment::new(set),
        });
        Ok(self.envs.len() - 1)
    }

    /// Adds the resources of an included project to `root`'s; one both define is merged, the
    /// including file's definition over the included one, as compose-go does since 2.10.
    fn import(
        &mut self,
        root: &mut Node<'_>,
        mut imported: Node<'static>,
        file: FileId,
        line: usize,
    ) {
        for kind in [
            "services", "volumes", "networks", "secrets", "configs", "models",
        ] {
            let taken = match &mut imported.value {
                Value::Map(entries) => entries
                    .iter_mut()
                    .find(|(k, _)| k.name == kind)
                    .map(|(_, v)| std::mem::replace(&mut v.value, Value::Null)),
                _ => None,
            };
            let Some(Value::Map(from)) = taken else {
                continue;
            };
            let mut conflicts = Vec::new();
            let mut refused = Vec::new();
            {
                let Some(to) = entries_mut(root, kind, line, file) else {
                    continue;
                };
                let index: HashMap<String, usize> = to
                    .iter()
                    .enumerate()
                    .map(|(i, (k, _))| (k.name.to_string(), i))
                    .collect();
                for (key, value) in from {
                    match index.get(&*key.name) {
                        None => to.push((key, value)),
                        Some(&at) => {
                            let local = std::mem::replace(
                                &mut to[at].1,
                                Node {
                                    value: Value::Null,
                                    line: 0,
                                    tag: None,
                                    file: 0,
                                },
                            );
                            // compose-go before 2.10 accepted two equal definitions (the same
                            // file included twice, as in a diamond) and refused different ones.
                            if !same_value(&value, &local) {
                                conflicts.push((
                                    to[at].0.file,
                                    to[at].0.line,
                                    key.name.to_string(),
                                    value.file,
                                ));
                            }
                            let mut path = vec![kind.to_owned(), key.name.to_string()];
                            let mut merged = merge::merge(value, local, &mut path, &mut refused);
                            if kind == "services" {
                                merge::enforce_unique(&mut merged);
                            }
                            to[at].1 = merged;
                        }
                    }
                }
            }
            self.refused(refused);
            for (at_file, at_line, name, from) in conflicts {
                let what = kind.trim_end_matches('s');
                let source = self.files[usize::from(from)].shown.clone();
                let name = shorten(&name, 40);
                let twice = self.files[usize::from(from)].id == self.files[usize::from(at_file)].id;
                let told = if twice {
                    format!(
                        "{source} is included twice, and its {what} {name} differs between the two (its variables differ): Compose merges one over the other"
                    )
                } else {
                    format!(
                        "the {what} {name} is also defined by the included file {source}, differently: Compose merges this definition over it"
                    )
                };
                self.warn(
                    at_file,
                    at_line,
                    format!(
                        "{told} (docker compose releases built on compose-go before 2.10 refused the file: {kind}.{name} conflicts with imported resource)"
                    ),
                );
            }
        }
    }

    /// `over` merged over `before`, as Compose merges files: then the services' unique lists
    /// made unique.
    fn merge_over<'t>(&mut self, before: Node<'t>, over: Node<'t>) -> Node<'t> {
        let mut refused = Vec::new();
        let mut merged = merge::merge(before, over, &mut Vec::new(), &mut refused);
        self.refused(refused);
        if let Some(Value::Map(services)) = merged.get("services").map(|s| &s.value)
            && !services.is_empty()
            && let Some(services) = entries_mut(&mut merged, "services", 0, 0)
        {
            for (_, s) in services.iter_mut() {
                merge::enforce_unique(s);
            }
        }
        merged
    }

    fn refused(&mut self, refused: Vec<Refused>) {
        for r in refused {
            let path = shorten(&r.path, 80);
            self.warn(
                r.file,
                r.line,
                format!(
                    "{path} cannot be merged with a value of another kind; Compose refuses the file"
                ),
            );
        }
    }

    /// Applies `extends` to every service of `root`, written in `file`.
    fn extends(
        &mut self,
        root: &mut Node<'_>,
        file: FileId,
        env: usize,
        depth: usize,
    ) -> Result<(), ComposeError> {
        let Some(Value::Map(_)) = root.get("services").map(|s| &s.value) else {
            return Ok(());
        };
        let Some(services) = entries_mut(root, "services", 0, file) else {
            return Ok(());
        };
        let mut list = std::mem::take(services);
        let mut done = vec![false; list.len()];
        let index = by_name(&list);
        let mut chain = Vec::new();
        let mut result = Ok(());
        for i in 0..list.len() {
            result = self.resolve(
                &mut list, &index, &mut done, i, file, env, &mut chain, depth,
            );
            if result.is_err() {
                break;
            }
        }
        if let Some(services) = entries_mut(root, "services", 0, file) {
            *services = list;
        }
        result
    }

    /// Applies the `extends` of service `i` of `services` (written in `file`; `index` finds them
    /// by name), after that of the service it extends. `chain` is the services being extended,
    /// for cycles.
    #[allow(clippy::too_many_arguments)]
    fn resolve<'t>(
        &mut self,
        services: &mut [(Key<'t>, Node<'t>)],
        index: &HashMap<String, usize>,
        done: &mut [bool],
        i: usize,
        file: FileId,
        env: usize,
        chain: &mut Vec<(FileId, String)>,
        depth: usize,
    ) -> Result<(), ComposeError> {
        if done[i] {
            return Ok(());
        }
        let name = services[i].0.name.to_string();
        let Some(extends) = services[i].1.get("extends") else {
            done[i] = true;
            return Ok(());
        };
        let (base, from_file) = match extends.text() {
            Some(base) => (base.to_owned(), None),
            None => match extends.get("service").and_then(Node::text) {
                Some(base) => (
                    base.to_owned(),
                    extends.get("file").and_then(Node::text).map(str::to_owned),
                ),
                None => {
                    let (f, l) = (extends.file, extends.line);
                    self.warn(
                        f,
                        l,
                        format!(
                            "service {}: extends needs a service; Compose refuses the file",
                            shorten(&name, 40)
                        ),
                    );
                    done[i] = true;
                    return Ok(());
                }
            },
        };
        let (ext_file, ext_line) = (extends.file, extends.line);
        let same = |a: FileId, b: FileId, files: &[SourceFile]| {
            files[usize::from(a)].id == files[usize::from(b)].id
        };
        if let Some(at) = chain
            .iter()
            .position(|(f, s)| *s == name && same(*f, file, &self.files))
        {
            let mut steps: Vec<String> = chain[at..]
                .iter()
                .map(|(f, s)| {
                    format!(
                        "{} in {}",
                        shorten(s, 40),
                        self.files[usize::from(*f)].shown
                    )
                })
                .collect();
            steps.push(format!(
                "{} in {}",
                shorten(&name, 40),
                self.files[usize::from(file)].shown
            ));
            return Err(self.error(
                ext_file,
                ext_line,
                format!(
                    "extends goes round in a circle: {}",
                    steps.join(" extends ")
                ),
            ));
        }
        if chain.len() + depth >= MAX_DEPTH {
            return Err(self.error(
                ext_file,
                ext_line,
                format!("extends nests more than {MAX_DEPTH} services deep"),
            ));
        }
        chain.push((file, name.clone()));
        let found = match &from_file {
            Some(path) => {
                self.base_from_file(path, &base, &name, ext_file, ext_line, env, chain, depth)
            }
            None => match index.get(base.as_str()).copied() {
                // The reader warns about a base this file does not define.
                None => Ok(None),
                Some(j) => self
                    .resolve(services, index, done, j, file, env, chain, depth)
                    .map(|()| Some(services[j].1.clone())),
            },
        };
        chain.pop();
        let Some(mut base_node) = found? else {
            done[i] = true;
            return Ok(());
        };
        self.count(
            parse::size(&base_node),
            &format!("extends {}", shorten(&base, 40)),
            ext_file,
            ext_line,
        )?;
        if let Value::Map(entries) = &mut base_node.value {
            entries.retain(|(k, _)| k.name != "extends");
        }
        let over = std::mem::replace(
            &mut services[i].1,
            Node {
                value: Value::Null,
                line: 0,
                tag: None,
                file: 0,
            },
        );
        let mut refused = Vec::new();
        let mut path = vec!["services".to_owned(), name];
        let mut merged = merge::merge(base_node, over, &mut path, &mut refused);
        merge::enforce_unique(&mut merged);
        self.refused(refused);
        services[i].1 = merged;
        done[i] = true;
        Ok(())
    }

    /// The service `base` of the file `path` (named in `from` on `line`), its own `extends`
    /// applied; `None`, with a warning, when that file does not define it.
    #[allow(clippy::too_many_arguments)]
    fn base_from_file(
        &mut self,
        path: &str,
        base: &str,
        name: &str,
        from: FileId,
        line: usize,
        env: usize,
        chain: &mut Vec<(FileId, String)>,
        depth: usize,
    ) -> Result<Option<Node<'static>>, ComposeError> {
        if is_remote(path) {
            let message = format!(
                "service {} extends {} in {}: a remote file (an OCI artifact or a git repository) is not downloaded, so what the service takes from it is not shown",
                shorten(name, 40),
                shorten(base, 40),
                shown_remote(path)
            );
            self.warn(from, line, message);
            return Ok(None);
        }
        let source = &self.files[usize::from(from)];
        let Some(folder) = source.folder.clone() else {
            return Ok(None);
        };
        let shown_folder = source.shown_folder.clone();
        // By the path as written from its folder, not the file a link points to: two links to
        // one file are two folders.
        let key = (tidy(&folder.join(path)), env);
        let (id, mut services) = match self.extended.get(&key) {
            Some((id, services)) => (*id, services.clone()),
            None => {
                let (id, root) = self.open(
                    path,
                    &folder,
                    &shown_folder,
                    None,
                    env,
                    "extended file",
                    from,
                    line,
                )?;
                let services = match root.value {
                    Value::Map(entries) => entries
                        .into_iter()
                        .find(|(k, _)| k.name == "services")
                        .and_then(|(_, s)| match s.value {
                            Value::Map(m) => Some(m),
                            _ => None,
                        })
                        .unwrap_or_default(),
                    _ => Vec::new(),
                };
                self.extended.insert(key, (id, services.clone()));
                (id, services)
            }
        };
        let index = by_name(&services);
        let Some(j) = index.get(base).copied() else {
            let shown = self.files[usize::from(id)].shown.clone();
            self.warn(
                from,
                line,
                format!(
                    "service {} extends {} in {shown}, which that file does not define; Compose refuses the file",
                    shorten(name, 40),
                    shorten(base, 40)
                ),
            );
            return Ok(None);
        };
        let all = services.iter().map(|(_, s)| parse::size(s)).sum::<usize>();
        self.count(all, &format!("extends {}", shorten(base, 40)), from, line)?;
        let mut done = vec![false; services.len()];
        self.resolve(&mut services, &index, &mut done, j, id, env, chain, depth)?;
        Ok(Some(services.swap_remove(j).1))
    }
}

#[cfg(test)]
mod tests {
    use super::is_remote;

    #[test]
    fn remote_paths_are_told_from_local_ones_as_docker_compose_does() {
        for remote in [
            "oci://docker.io/user/app:latest",
            "oci:docker.io/user/app",
            "https://github.com/docker/awesome-compose.git#master:nginx-golang",
            "http://example.com/repo.git",
            "https://github.com/foo/bar.git?ref=main",
            "git://example.com/repo",
            "ssh://git@example.com/repo.git",
            "git@github.com:docker/awesome-compose.git",
            "github.com/docker/awesome-compose",
        ] {
            assert!(is_remote(remote), "{remote}");
        }
        // BuildKit refuses an http(s) URL without .git, so compose's local loader gets it.
        for local in [
            "compose.yaml",
            "../db/compose.yaml",
            "/abs/compose.yaml",
            "https://example.com/compose.yaml",
            "dir/user@host:x.yaml",
            "C:compose.yaml",
            "a@b:",
        ] {
            assert!(!is_remote(local), "{local}");
        }
    }
}
