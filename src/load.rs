//! Team glossaries read at run time: finding the files, refusing hostile ones, parsing them with
//! line and column for every problem, and checking them against the built-in glossary.

use std::ffi::OsStr;
use std::fmt;
use std::path::{Path, PathBuf};

use crate::schema::{Term, check, locate};
use crate::yaml_budget;

/// The largest glossary file read. A 10,000-term glossary is about 4 MiB.
pub const MAX_FILE_BYTES: u64 = crate::read::MAX_INPUT_BYTES;

/// One thing wrong with a glossary file, with its position when known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file, as given.
    pub file: String,
    /// 1-based line.
    pub line: Option<usize>,
    /// 1-based column.
    pub column: Option<usize>,
    /// What is wrong, in one line.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.line, self.column) {
            (Some(line), Some(column)) => {
                write!(f, "{}:{line}:{column}: {}", self.file, self.message)
            }
            (Some(line), None) => write!(f, "{}:{line}: {}", self.file, self.message),
            _ => write!(f, "{}: {}", self.file, self.message),
        }
    }
}

/// Where a user term came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The file, as given.
    pub file: String,
    /// Whether it replaces a built-in term with the same id.
    pub replaces_builtin: bool,
}

/// The glossary files to load, in order: `--glossary` flags, then `DTERMS_GLOSSARY` (a
/// `:`-separated list), then every `*.yaml` and `*.yml` in the config folder, by name. When
/// nothing is configured this costs one directory look-up.
pub fn discover(
    flags: &[PathBuf],
    env: Option<&OsStr>,
    config_dir: Option<&Path>,
) -> Result<Vec<PathBuf>, Problem> {
    let mut files: Vec<PathBuf> = flags.to_vec();
    if let Some(list) = env {
        files.extend(std::env::split_paths(list).filter(|p| !p.as_os_str().is_empty()));
    }
    if let Some(dir) = config_dir {
        match std::fs::read_dir(dir) {
            Ok(entries) => {
                let mut found: Vec<PathBuf> = entries
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "yml"))
                    .collect();
                found.sort();
                files.extend(found);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotADirectory => {}
            Err(e) => {
                return Err(Problem {
                    file: dir.display().to_string(),
                    line: None,
                    column: None,
                    message: format!("cannot read the glossary folder: {e}"),
                });
            }
        }
    }
    Ok(files)
}

/// The config folder: `$XDG_CONFIG_HOME/dterms`, else `$HOME/.config/dterms`.
pub fn config_dir(xdg_config_home: Option<&OsStr>, home: Option<&OsStr>) -> Option<PathBuf> {
    match xdg_config_home.filter(|x| !x.is_empty() && Path::new(x).is_absolute()) {
        Some(xdg) => Some(Path::new(xdg).join("dterms")),
        None => home
            .filter(|h| !h.is_empty())
            .map(|h| Path::new(h).join(".config").join("dterms")),
    }
}

/// Reads a glossary file as text through [`crate::read`]: a regular file of at most
/// [`MAX_FILE_BYTES`], UTF-8, no NUL bytes.
pub fn read(path: &Path) -> Result<String, Problem> {
    crate::read::read_file(path, MAX_FILE_BYTES).map_err(|e| Problem {
        file: e.file,
        line: e.line,
        column: None,
        message: e.reason.to_string(),
    })
}

/// Parses one file's terms, each with its item number in the file. Every syntax and type error
/// is reported with its position: when the whole file does not parse, each top-level `- ` item
/// is parsed on its own.
pub fn parse(file: &str, text: &str) -> (Vec<(Term, usize)>, Vec<Problem>) {
    let problem = |err: &serde_yaml::Error, line_offset: usize| {
        let location = err.location();
        Problem {
            file: file.to_owned(),
            line: location.as_ref().map(|l| l.line() + line_offset),
            column: location.as_ref().map(|l| l.column()),
            message: error_message(err),
        }
    };
    if text
        .lines()
        .all(|l| l.trim().is_empty() || l.trim_start().starts_with('#'))
    {
        return (Vec::new(), Vec::new());
    }
    // The YAML library's own limits come too late (see yaml_budget): measure first.
    if let Err(over) = yaml_budget::scan(text, yaml_budget::GLOSSARY) {
        let problem = Problem {
            file: file.to_owned(),
            line: Some(over.line),
            column: Some(over.column),
            message: over.limit.to_string(),
        };
        return (Vec::new(), vec![problem]);
    }
    match serde_yaml::from_str::<Vec<Term>>(text) {
        Ok(terms) => (
            terms.into_iter().enumerate().map(|(i, t)| (t, i)).collect(),
            Vec::new(),
        ),
        Err(whole) => {
            let starts: Vec<usize> = text
                .lines()
                .enumerate()
                .filter(|(_, l)| *l == "-" || l.starts_with("- "))
                .map(|(n, _)| n)
                .collect();
            if starts.len() < 2 {
                return (Vec::new(), vec![problem(&whole, 0)]);
            }
            let lines: Vec<&str> = text.lines().collect();
            let mut terms = Vec::new();
            let mut problems = Vec::new();
            for (i, &start) in starts.iter().enumerate() {
                let end = starts.get(i + 1).copied().unwrap_or(lines.len());
                let chunk = lines[start..end].join("\n");
                match serde_yaml::from_str::<Vec<Term>>(&chunk) {
                    Ok(parsed) => terms.extend(parsed.into_iter().map(|t| (t, i))),
                    Err(e) => problems.push(problem(&e, start)),
                }
            }
            if problems.is_empty() {
                // The items parse alone but not together (an alias across items, say).
                problems.push(problem(&whole, 0));
            }
            (terms, problems)
        }
    }
}

/// yaml_serde's message, made to read well beside a position: without the position it appends,
/// without the `.[0].` path into the list, and with a suggestion for a misspelt field or category.
fn error_message(err: &serde_yaml::Error) -> String {
    let mut message = err.to_string();
    if let Some(at) = message.rfind(" at line ") {
        message.truncate(at);
    }
    if message.starts_with('.')
        && let Some((path, rest)) = message.split_once(": ")
    {
        let field = path
            .rsplit(['.', ']'])
            .next()
            .unwrap_or("")
            .trim_start_matches('[');
        message = if field.is_empty() || field.bytes().all(|b| b.is_ascii_digit()) {
            rest.to_owned()
        } else {
            format!("{field}: {rest}")
        };
    }
    // "unknown field `sumary`, expected one of `id`, `name`, …" → a suggestion.
    for what in ["unknown field", "unknown variant"] {
        if let Some(start) = message.find(&format!("{what} `")) {
            let rest = &message[start + what.len() + 2..];
            let Some((wrong, expected)) = rest.split_once('`') else {
                continue;
            };
            let candidates: Vec<&str> = expected.split('`').skip(1).step_by(2).collect();
            let best = candidates
                .iter()
                .map(|c| (c, strsim::damerau_levenshtein(c, wrong)))
                .filter(|(_, d)| *d <= 2)
                .min_by_key(|(_, d)| *d);
            let prefix = &message[..start];
            message = match best {
                Some((c, _)) => format!("{prefix}{what} '{wrong}' (did you mean '{c}'?)"),
                None => format!(
                    "{prefix}{what} '{wrong}'; expected one of {}",
                    candidates.join(", ")
                ),
            };
        }
    }
    message
}

/// One file read and parsed: for each of its terms (kept in one list for all files), the
/// term's item number in the file, to find its line again.
struct ParsedFile {
    file: String,
    text: String,
    items: Vec<usize>,
}

/// Reads, parses and checks glossary files against the built-in terms. Succeeds only when every
/// file is clean; otherwise returns every problem found, nothing half-loaded.
pub fn load(paths: &[PathBuf], builtin: &[Term]) -> Result<Vec<(Term, Origin)>, Vec<Problem>> {
    let mut problems = Vec::new();
    // Every file's terms in one list, for the checks; each file knows its share by count.
    let mut all: Vec<Term> = Vec::new();
    let mut files: Vec<ParsedFile> = Vec::new();
    for path in paths {
        let file = path.display().to_string();
        match read(path) {
            Ok(text) => {
                let (terms, mut found) = parse(&file, &text);
                problems.append(&mut found);
                let items = terms.iter().map(|(_, item)| *item).collect();
                all.extend(terms.into_iter().map(|(term, _)| term));
                files.push(ParsedFile { file, text, items });
            }
            Err(p) => problems.push(p),
        }
    }
    for found in check(&all, builtin) {
        // Map the index over all files back to its file and position there.
        let mut index = found.term;
        for ParsedFile { file, text, items } in &files {
            if index < items.len() {
                let line = locate(text, items[index], found.field);
                let column = line.and_then(|l| text.lines().nth(l - 1)).map(|l| {
                    let field_at = found.field.and_then(|f| l.find(f));
                    field_at.unwrap_or_else(|| l.len() - l.trim_start().len()) + 1
                });
                problems.push(Problem {
                    file: file.clone(),
                    line,
                    column,
                    message: found.message,
                });
                break;
            }
            index -= items.len();
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let mut terms = all.into_iter();
    let mut loaded = Vec::with_capacity(terms.len());
    for ParsedFile { file, items, .. } in files {
        for term in terms.by_ref().take(items.len()) {
            let replaces_builtin = builtin.iter().any(|b| b.id == term.id);
            let origin = Origin {
                file: file.clone(),
                replaces_builtin,
            };
            loaded.push((term, origin));
        }
    }
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::glossary::Glossary;

    /// Writes `contents` to `NAME` in `dir`.
    fn temp(dir: &tempfile::TempDir, name: &str, contents: &[u8]) -> PathBuf {
        let path = dir.path().join(name);
        std::fs::write(&path, contents).expect("temp file");
        path
    }

    const GOOD: &str = "- id: feature-store\n  name: Feature store\n  category: ml\n  summary: Where our features live.\n  body: Built on [[volume|volumes]].\n  related: [volume]\n  docs: https://docs.docker.com/\n";

    #[test]
    fn a_good_file_loads_and_may_link_to_builtin_terms() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = temp(&dir, "good.yaml", GOOD.as_bytes());
        let loaded = load(&[path], Glossary::builtin().terms()).expect("loads");
        assert_eq!(loaded.len(), 1);
        assert_eq!(loaded[0].0.id, "feature-store");
        assert!(!loaded[0].1.replaces_builtin);
    }

    #[test]
    fn every_problem_is_reported_with_its_position() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = "- id: a\n  name: A\n  category: ml\n  sumary: typo\n  body: x\n  docs: https://x\n- id: b\n  name: B\n  category: cooking\n  summary: s\n  body: x\n  docs: https://x\n- id: c\n  name: Image\n  category: ml\n  summary: s\n  body: see [[nowhere]]\n  docs: https://x\n";
        let path = temp(&dir, "bad.yaml", text.as_bytes());
        let problems =
            load(std::slice::from_ref(&path), Glossary::builtin().terms()).expect_err("bad");
        let shown: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
        let file = path.display().to_string();
        let has = |line: usize, needle: &str| {
            shown
                .iter()
                .any(|p| p.starts_with(&format!("{file}:{line}:")) && p.contains(needle))
        };
        assert!(has(4, "sumary"), "{shown:#?}");
        assert!(has(9, "cooking"), "{shown:#?}");
        assert!(has(14, "built-in term 'image'"), "{shown:#?}");
        assert!(has(17, "[[nowhere]]"), "{shown:#?}");
        assert_eq!(problems.len(), 4, "{shown:#?}");
    }

    #[test]
    fn a_builtin_id_is_a_deliberate_override() {
        let dir = tempfile::tempdir().expect("temp dir");
        let text = GOOD
            .replace("feature-store", "image")
            .replace("Feature store", "Image (ours)");
        let loaded = load(
            &[temp(&dir, "override.yaml", text.as_bytes())],
            Glossary::builtin().terms(),
        )
        .expect("loads");
        assert!(loaded[0].1.replaces_builtin);
    }

    #[test]
    fn hostile_files_are_refused_quickly_and_cleanly() {
        let dir = tempfile::tempdir().expect("temp dir");
        let bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\ng: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n";
        let deep = format!("{}{}", "[".repeat(10_000), "]".repeat(10_000));
        let cases: Vec<(&str, Vec<u8>)> = vec![
            ("bomb.yaml", bomb.as_bytes().to_vec()),
            ("deep.yaml", deep.into_bytes()),
            ("binary.yaml", vec![0x7f, b'E', b'L', b'F', 0, 0, 1]),
            ("latin1.yaml", b"- id: caf\xe9\n".to_vec()),
            ("map.yaml", b"id: not-a-list\n".to_vec()),
            ("alias.yaml", b"- *nowhere\n".to_vec()),
        ];
        for (name, bytes) in cases {
            let started = std::time::Instant::now();
            let problems = load(&[temp(&dir, name, &bytes)], &[]).expect_err(name);
            assert!(!problems.is_empty(), "{name}");
            // Not a timing assertion on performance, a guard against exponential blow-up.
            assert!(started.elapsed().as_secs() < 10, "{name} took too long");
        }
        assert!(
            load(&[dir.path().to_path_buf()], &[]).expect_err("directory")[0]
                .message
                .contains("directory")
        );
        assert!(load(&[PathBuf::from("/no/such/file.yaml")], &[]).is_err());
    }

    #[test]
    fn discovery_order_and_config_dir() {
        let dir = tempfile::tempdir().expect("temp dir");
        temp(&dir, "team.yml", b"");
        temp(&dir, "a.yaml", b"");
        temp(&dir, "notes.txt", b"");
        let files = discover(
            &[PathBuf::from("flag.yaml")],
            Some(OsStr::new("env1.yaml::env2.yaml")),
            Some(dir.path()),
        )
        .expect("ok");
        let names: Vec<String> = files
            .iter()
            .map(|f| f.file_name().expect("name").to_string_lossy().into_owned())
            .collect();
        assert_eq!(names[..3], ["flag.yaml", "env1.yaml", "env2.yaml"]);
        assert!(names.contains(&"a.yaml".to_owned()) && names.contains(&"team.yml".to_owned()));
        assert!(!names.contains(&"notes.txt".to_owned()));
        assert_eq!(
            discover(&[], None, Some(Path::new("/no/such/dir"))).expect("ok"),
            Vec::<PathBuf>::new()
        );
        assert_eq!(
            config_dir(Some(OsStr::new("/x")), Some(OsStr::new("/home/u"))),
            Some(PathBuf::from("/x/dterms"))
        );
        assert_eq!(
            config_dir(Some(OsStr::new("relative")), Some(OsStr::new("/home/u"))),
            Some(PathBuf::from("/home/u/.config/dterms"))
        );
        assert_eq!(config_dir(None, None), None);
    }
}
