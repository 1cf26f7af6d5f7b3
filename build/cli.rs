//! The docker command line: parses and checks `data/docker-cli.yaml` and emits the static
//! tables the command-line scanner reads (`GLOBAL`, `COMMANDS`, `LAUNCHERS`, Docker Scout's
//! source prefixes, what each model source says and the sentences of docker model lines).
//!
//! The build fails on an unknown term id or value reader, a duplicate option name within one
//! command (its own options, its groups and what it inherits), a missing meaning, a `{}`
//! placeholder on a switch, a choice reader without choices, an unknown group, an alias that
//! clashes with another command, a command whose parent does not exist, and a names or models
//! command without its `operand` field; a Scout prefix listed twice or whose meaning lacks its
//! `{}`, a model source missing or listed twice, an unknown placeholder, and an empty model
//! sentence.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

use serde::Deserialize;

use crate::cli_spec::{Operands, Reader, Source, Then};
use crate::fail;

const SOURCE: &str = "data/docker-cli.yaml";
const TERMS: &str = "data/terms.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    launchers: Vec<Launcher>,
    variables: Vec<Variable>,
    ulimits: Vec<Ulimit>,
    scout_sources: Vec<ScoutSource>,
    model_sources: Vec<ModelSource>,
    model_sentences: ModelSentences,
    global: Vec<Opt>,
    groups: Vec<Group>,
    commands: Vec<Command>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Launcher {
    name: String,
    meaning: String,
    terms: Vec<String>,
    then: Then,
    #[serde(default)]
    options: Vec<Opt>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Variable {
    name: String,
    meaning: String,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Ulimit {
    name: String,
    unit: UlimitUnit,
    meaning: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScoutSource {
    prefix: String,
    #[serde(default)]
    image: bool,
    meaning: String,
    #[serde(default)]
    bare: Option<String>,
    terms: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelSource {
    source: Source,
    meaning: String,
    #[serde(default)]
    unqualified: Option<String>,
    #[serde(default)]
    tag: Option<String>,
    #[serde(default)]
    no_tag: Option<String>,
    terms: Vec<String>,
}

/// The placeholders a model source's meaning may use.
const MODEL_PLACEHOLDERS: [&str; 5] =
    ["{repository}", "{name}", "{owner}", "{registry}", "{input}"];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ModelSentences {
    tag: String,
    no_tag: String,
    digest: String,
    invalid: String,
    unread: String,
    artifact_note: String,
    run_role: String,
    run_without_model: String,
    run_without_prompt: String,
    prompt: String,
    prompt_words: String,
    configure_role: String,
    configure_without_model: String,
    configure_dashes: String,
    configure_flags: String,
    configure_flags_terms: Vec<String>,
    tag_terms: Vec<String>,
    digest_terms: Vec<String>,
    unread_terms: Vec<String>,
    prompt_terms: Vec<String>,
    tag_role: String,
    tag_target_role: String,
    tag_without_pair: String,
}

impl ModelSentences {
    /// Every list of glossary ids by its field name.
    fn term_lists(&self) -> [(&'static str, &[String]); 5] {
        [
            ("configure_flags_terms", &self.configure_flags_terms),
            ("tag_terms", &self.tag_terms),
            ("digest_terms", &self.digest_terms),
            ("unread_terms", &self.unread_terms),
            ("prompt_terms", &self.prompt_terms),
        ]
    }

    /// Every sentence by its field name, and how many `{}` it must hold.
    fn sentences(&self) -> [(&'static str, &str, usize); 18] {
        [
            ("tag", &self.tag, 1),
            ("no_tag", &self.no_tag, 0),
            ("digest", &self.digest, 1),
            ("invalid", &self.invalid, 1),
            ("unread", &self.unread, 1),
            ("artifact_note", &self.artifact_note, 0),
            ("run_role", &self.run_role, 0),
            ("run_without_model", &self.run_without_model, 0),
            ("run_without_prompt", &self.run_without_prompt, 0),
            ("prompt", &self.prompt, 0),
            ("prompt_words", &self.prompt_words, 0),
            ("configure_role", &self.configure_role, 0),
            ("configure_without_model", &self.configure_without_model, 0),
            ("configure_dashes", &self.configure_dashes, 0),
            ("configure_flags", &self.configure_flags, 0),
            ("tag_role", &self.tag_role, 0),
            ("tag_target_role", &self.tag_target_role, 0),
            ("tag_without_pair", &self.tag_without_pair, 0),
        ]
    }
}

#[derive(Deserialize, Debug)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
enum UlimitUnit {
    Bytes,
    Seconds,
    Count,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Group {
    id: String,
    options: Vec<Opt>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Command {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    meaning: String,
    terms: Vec<String>,
    operands: Operands,
    #[serde(default)]
    operand: Option<String>,
    #[serde(default)]
    stop_at_operand: bool,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    options: Vec<Opt>,
    #[serde(default)]
    note: Option<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct Opt {
    long: String,
    #[serde(default)]
    short: Option<char>,
    #[serde(default)]
    value: Option<Reader>,
    #[serde(default)]
    optional: bool,
    meaning: String,
    #[serde(default)]
    terms: Vec<String>,
    #[serde(default)]
    choices: BTreeMap<String, String>,
    #[serde(default)]
    compose: Option<String>,
    #[serde(default)]
    hidden: bool,
    #[serde(default)]
    deprecated: Option<String>,
    #[serde(default)]
    persistent: bool,
}

#[derive(Deserialize)]
struct TermId {
    id: String,
}

/// Checks data/docker-cli.yaml and writes `$OUT_DIR/docker_cli.rs`.
pub fn compile() {
    println!("cargo::rerun-if-changed={SOURCE}");
    println!("cargo::rerun-if-changed=src/explain/command/spec.rs");
    let text = fs::read_to_string(SOURCE).unwrap_or_else(|err| fail(&format!("{SOURCE}: {err}")));
    let file: File = serde_yaml::from_str(&text).unwrap_or_else(|err| {
        let line = err.location().map_or(0, |l| l.line());
        fail(&format!("{SOURCE}:{line}: {err}"))
    });
    let terms_text =
        fs::read_to_string(TERMS).unwrap_or_else(|err| fail(&format!("{TERMS}: {err}")));
    let ids: Vec<TermId> =
        serde_yaml::from_str(&terms_text).unwrap_or_else(|err| fail(&format!("{TERMS}: {err}")));
    let known: HashSet<String> = ids.into_iter().map(|t| t.id).collect();

    let mut problems = Vec::new();
    let resolved = check(&file, &known, &mut problems);
    if !problems.is_empty() {
        for problem in &problems {
            let line = locate(&text, problem);
            eprintln!("{SOURCE}:{line}: {problem}");
        }
        fail(&format!(
            "{SOURCE}: {} problem(s), see above",
            problems.len()
        ));
    }
    let out =
        PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR")).join("docker_cli.rs");
    fs::write(&out, generate(&file, &resolved))
        .unwrap_or_else(|err| fail(&format!("{}: {err}", out.display())));
}

/// The line of the first quoted name in a problem, as a hint for the reader of the error.
fn locate(text: &str, problem: &str) -> usize {
    let Some(name) = problem.split('\'').nth(1) else {
        return 0;
    };
    // `run --publish` is found as `long: publish`; a command or group by its name.
    let needle = match name.rsplit_once(" --") {
        Some((_, long)) => format!("long: {long},"),
        None => format!(": {name}"),
    };
    text.lines()
        .position(|l| l.contains(&needle))
        .map_or(0, |i| i + 1)
}

/// Checks everything and returns, per command, its effective options in order: its groups',
/// its own, then persistent options inherited from its parents.
fn check(file: &File, known: &HashSet<String>, problems: &mut Vec<String>) -> Vec<Vec<Opt>> {
    for l in &file.launchers {
        if l.meaning.trim().is_empty() {
            problems.push(format!("'{}' has no meaning", l.name));
        }
        check_terms(known, &l.terms, &l.name, problems);
        check_opts(known, &l.options, &l.name, problems);
        duplicates(&l.options, &l.name, problems);
    }
    for v in &file.variables {
        if v.meaning.trim().is_empty() {
            problems.push(format!("'{}' has no meaning", v.name));
        }
        check_terms(known, &v.terms, &v.name, problems);
    }
    for u in &file.ulimits {
        if u.meaning.trim().is_empty() {
            problems.push(format!("'{}' has no meaning", u.name));
        }
    }
    check_sources(file, known, problems);
    check_opts(known, &file.global, "docker", problems);
    duplicates(&file.global, "docker", problems);

    let mut groups: HashMap<&str, &[Opt]> = HashMap::new();
    for g in &file.groups {
        check_opts(known, &g.options, &g.id, problems);
        if groups.insert(&g.id, &g.options).is_some() {
            problems.push(format!("'{}': two groups have this id", g.id));
        }
    }

    let mut spellings: HashMap<&str, &str> = HashMap::new();
    for c in &file.commands {
        for spelling in std::iter::once(&c.name).chain(&c.aliases) {
            if let Some(other) = spellings.insert(spelling, &c.name) {
                problems.push(format!("'{spelling}' names both {other} and {}", c.name));
            }
        }
    }
    let by_name: HashMap<&str, &Command> =
        file.commands.iter().map(|c| (c.name.as_str(), c)).collect();

    let mut resolved = Vec::new();
    for c in &file.commands {
        if c.meaning.trim().is_empty() {
            problems.push(format!("'{}' has no meaning", c.name));
        }
        check_terms(known, &c.terms, &c.name, problems);
        check_opts(known, &c.options, &c.name, problems);
        if matches!(
            c.operands,
            Operands::Names | Operands::Models | Operands::ScoutTargets
        ) != c.operand.is_some()
        {
            problems.push(format!(
                "'{}': the names, models and scout-targets operands need an operand field, and only they",
                c.name
            ));
        }
        for spelling in std::iter::once(&c.name).chain(&c.aliases) {
            if let Some((parent, _)) = spelling.rsplit_once(' ') {
                // A parent is a command group, or a command with subcommands of its own
                // (`model configure` and `model configure show`).
                if !by_name.contains_key(parent) {
                    problems.push(format!(
                        "'{spelling}': there is no command group '{parent}'"
                    ));
                }
            }
        }
        let mut all: Vec<Opt> = Vec::new();
        for g in &c.groups {
            match groups.get(g.as_str()) {
                Some(opts) => all.extend(opts.iter().cloned()),
                None => problems.push(format!("'{}' uses the unknown group '{g}'", c.name)),
            }
        }
        all.extend(c.options.iter().cloned());
        // Persistent options of every ancestor (`compose --dry-run` works after `compose up`).
        let mut name = c.name.as_str();
        while let Some((parent, _)) = name.rsplit_once(' ') {
            if let Some(p) = by_name.get(parent) {
                all.extend(p.options.iter().filter(|o| o.persistent).cloned());
            }
            name = parent;
        }
        duplicates(&all, &c.name, problems);
        resolved.push(all);
    }
    resolved
}

/// Scout's source prefixes, the model sources (each exactly once) and the model sentences.
fn check_sources(file: &File, known: &HashSet<String>, problems: &mut Vec<String>) {
    let mut prefixes = HashSet::new();
    for s in &file.scout_sources {
        let what = format!("scout {}://", s.prefix);
        if s.prefix.is_empty()
            || !s
                .prefix
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b == b'-')
        {
            problems.push(format!(
                "'{what}': a prefix is lowercase letters and dashes"
            ));
        }
        if !prefixes.insert(&s.prefix) {
            problems.push(format!("'{what}' is listed twice"));
        }
        if s.meaning.matches("{}").count() != 1 {
            problems.push(format!("'{what}': its meaning uses {{}} exactly once"));
        }
        if let Some(bare) = &s.bare
            && (bare.trim().is_empty() || bare.contains("{}"))
        {
            problems.push(format!("'{what}': bare is a meaning without {{}}"));
        }
        check_terms(known, &s.terms, &what, problems);
    }
    for source in Source::ALL {
        let count = file
            .model_sources
            .iter()
            .filter(|m| m.source == source)
            .count();
        if count != 1 {
            problems.push(format!(
                "'model source {source:?}' is listed {count} times, not once"
            ));
        }
    }
    for m in &file.model_sources {
        let what = format!("model source {:?}", m.source);
        if m.meaning.trim().is_empty() {
            problems.push(format!("'{what}' has no meaning"));
        }
        let mut rest = m.meaning.as_str();
        while let Some(open) = rest.find('{') {
            let close = rest[open..].find('}').map_or(rest.len(), |i| open + i + 1);
            if !MODEL_PLACEHOLDERS.contains(&&rest[open..close]) {
                problems.push(format!(
                    "'{what}': unknown placeholder {} in its meaning",
                    &rest[open..close]
                ));
            }
            rest = &rest[close..];
        }
        if m.tag
            .as_ref()
            .is_some_and(|t| t.matches("{tag}").count() != 1)
        {
            problems.push(format!("'{what}': its tag sentence uses {{tag}} once"));
        }
        if m.no_tag.as_ref().is_some_and(|t| t.contains('{')) {
            problems.push(format!("'{what}': its no_tag sentence has no placeholder"));
        }
        check_terms(known, &m.terms, &what, problems);
    }
    let sentences = &file.model_sentences;
    for (name, text, holes) in sentences.sentences() {
        if text.trim().is_empty() {
            problems.push(format!("'model_sentences {name}' is empty"));
        }
        if text.matches("{}").count() != holes {
            problems.push(format!(
                "'model_sentences {name}' must use {{}} {holes} time(s)"
            ));
        }
    }
    for (name, terms) in sentences.term_lists() {
        if terms.is_empty() {
            problems.push(format!("'model_sentences {name}' is empty"));
        }
        check_terms(known, terms, &format!("model_sentences {name}"), problems);
    }
}

fn check_terms(known: &HashSet<String>, terms: &[String], what: &str, problems: &mut Vec<String>) {
    for id in terms {
        if !known.contains(id) {
            problems.push(format!("'{what}' links to the unknown term '{id}'"));
        }
    }
}

fn check_opts(known: &HashSet<String>, opts: &[Opt], what: &str, problems: &mut Vec<String>) {
    for o in opts {
        let name = format!("{what} --{}", o.long);
        if o.long.is_empty() || o.long.starts_with('-') || o.long.contains([' ', '=']) {
            problems.push(format!("'{name}': a long name is written without dashes"));
        }
        if o.short.is_some_and(|c| !c.is_ascii_alphanumeric()) {
            problems.push(format!("'{name}': a short name is one letter or digit"));
        }
        if o.meaning.trim().is_empty() {
            problems.push(format!("'{name}' has no meaning"));
        }
        if o.meaning.contains("{}") && o.value.is_none() {
            problems.push(format!(
                "'{name}' is a switch, so its meaning cannot use {{}}"
            ));
        }
        if o.meaning.matches("{}").count() > 1 {
            problems.push(format!("'{name}' uses {{}} more than once"));
        }
        if o.optional && o.value.is_none() {
            problems.push(format!(
                "'{name}': only an option with a value can make it optional"
            ));
        }
        let wants_choices = matches!(o.value, Some(Reader::Choice | Reader::Choices));
        if wants_choices == o.choices.is_empty() {
            problems.push(format!(
                "'{name}': choices go with the choice readers, and those need choices"
            ));
        }
        if o.choices.values().any(|m| m.trim().is_empty()) {
            problems.push(format!("'{name}' has a choice without a meaning"));
        }
        check_terms(known, &o.terms, &name, problems);
    }
}

fn duplicates(opts: &[Opt], what: &str, problems: &mut Vec<String>) {
    let mut longs = HashSet::new();
    let mut shorts = HashSet::new();
    for o in opts {
        if !longs.insert(&o.long) {
            problems.push(format!("'{what} --{}' is listed twice", o.long));
        }
        if let Some(s) = o.short
            && !shorts.insert(s)
        {
            problems.push(format!("'{what} -{s}' is listed twice"));
        }
    }
}

/// The generated tables hold no pointers: every string is a span of one `TEXT` constant and
/// every list a span of one array, so the dynamic loader has nothing to relocate in them (a
/// table of `&'static str` would cost every dterms command thousands of relocations at start).
#[derive(Default)]
struct Pool {
    text: String,
    strings: HashMap<String, (usize, usize)>,
    term_ids: Vec<String>,
    choices: Vec<String>,
    aliases: Vec<String>,
    opts: Vec<String>,
}

impl Pool {
    /// `Str { at, len }` of `text`, shared with every equal string.
    fn str(&mut self, text: &str) -> String {
        let (at, len) = match self.strings.get(text) {
            Some(&span) => span,
            None => {
                let span = (self.text.len(), text.len());
                self.text.push_str(text);
                self.strings.insert(text.to_owned(), span);
                span
            }
        };
        format!("Str::new({at}, {len})")
    }

    fn opt_str(&mut self, text: Option<&str>) -> String {
        match text {
            Some(t) => self.str(t),
            None => "Str::NONE".to_owned(),
        }
    }

    fn terms(&mut self, terms: &[String]) -> String {
        let at = self.term_ids.len();
        for t in terms {
            let s = self.str(t);
            self.term_ids.push(s);
        }
        format!("Span::new({at}, {})", terms.len())
    }

    fn aliases(&mut self, aliases: &[String]) -> String {
        let at = self.aliases.len();
        for a in aliases {
            let s = self.str(a);
            self.aliases.push(s);
        }
        format!("Span::new({at}, {})", aliases.len())
    }

    fn opts(&mut self, opts: &[Opt]) -> String {
        let at = self.opts.len();
        for o in opts {
            let value = match o.value {
                Some(r) => format!("Some(Reader::{r:?})"),
                None => "None".into(),
            };
            let choices_at = self.choices.len();
            for (word, meaning) in &o.choices {
                let pair = format!("({}, {})", self.str(word), self.str(meaning));
                self.choices.push(pair);
            }
            let choices = format!("Span::new({choices_at}, {})", o.choices.len());
            let long = self.str(&o.long);
            let meaning = self.str(&o.meaning);
            let terms = self.terms(&o.terms);
            let compose = self.opt_str(o.compose.as_deref());
            let deprecated = self.opt_str(o.deprecated.as_deref());
            self.opts.push(format!(
                "Opt {{ long: {long}, short: {:?}, value: {value}, optional: {}, meaning: {meaning}, terms: {terms}, choices: {choices}, compose: {compose}, hidden: {}, deprecated: {deprecated} }}",
                o.short, o.optional, o.hidden,
            ));
        }
        format!("Span::new({at}, {})", opts.len())
    }
}

fn array(code: &mut String, doc: &str, name: &str, ty: &str, items: &[String]) {
    let _ = writeln!(
        code,
        "/// {doc}\npub static {name}: [{ty}; {}] = [",
        items.len()
    );
    for item in items {
        let _ = writeln!(code, "    {item},");
    }
    code.push_str("];\n\n");
}

fn generate(file: &File, resolved: &[Vec<Opt>]) -> String {
    let mut pool = Pool::default();
    let global = pool.opts(&file.global);
    let variables: Vec<String> = file
        .variables
        .iter()
        .map(|v| {
            format!(
                "Variable {{ name: {}, meaning: {}, terms: {} }}",
                pool.str(&v.name),
                pool.str(&v.meaning),
                pool.terms(&v.terms)
            )
        })
        .collect();
    let ulimits: Vec<String> = file
        .ulimits
        .iter()
        .map(|u| {
            format!(
                "UlimitName {{ name: {}, unit: UlimitUnit::{:?}, meaning: {} }}",
                pool.str(&u.name),
                u.unit,
                pool.str(&u.meaning)
            )
        })
        .collect();
    let launchers: Vec<String> = file
        .launchers
        .iter()
        .map(|l| {
            format!(
                "Launcher {{ name: {}, meaning: {}, terms: {}, then: Then::{:?}, options: {} }}",
                pool.str(&l.name),
                pool.str(&l.meaning),
                pool.terms(&l.terms),
                l.then,
                pool.opts(&l.options)
            )
        })
        .collect();
    let scout_sources: Vec<String> = file
        .scout_sources
        .iter()
        .map(|s| {
            format!(
                "ScoutSource {{ prefix: {}, image: {}, meaning: {}, bare: {}, terms: {} }}",
                pool.str(&s.prefix),
                s.image,
                pool.str(&s.meaning),
                pool.opt_str(s.bare.as_deref()),
                pool.terms(&s.terms)
            )
        })
        .collect();
    // In the order of `Source::ALL`, so the reader indexes the table by the source.
    let model_sources: Vec<String> = Source::ALL
        .iter()
        .filter_map(|source| file.model_sources.iter().find(|m| m.source == *source))
        .map(|m| {
            format!(
                "ModelSourceText {{ meaning: {}, unqualified: {}, tag: {}, no_tag: {}, terms: {} }}",
                pool.str(&m.meaning),
                pool.opt_str(m.unqualified.as_deref()),
                pool.opt_str(m.tag.as_deref()),
                pool.opt_str(m.no_tag.as_deref()),
                pool.terms(&m.terms)
            )
        })
        .collect();
    let sentences = &file.model_sentences;
    let mut model_sentences = String::from("ModelSentences {\n");
    for (name, text, _) in sentences.sentences() {
        let _ = writeln!(model_sentences, "    {name}: {},", pool.str(text));
    }
    for (name, terms) in sentences.term_lists() {
        let _ = writeln!(model_sentences, "    {name}: {},", pool.terms(terms));
    }
    model_sentences.push('}');
    let parents: HashSet<&str> = file
        .commands
        .iter()
        .filter_map(|c| c.name.rsplit_once(' ').map(|(parent, _)| parent))
        .collect();
    let commands: Vec<String> = file
        .commands
        .iter()
        .zip(resolved)
        .map(|(c, all)| {
            let subcommands =
                c.operands != Operands::Subcommand && parents.contains(c.name.as_str());
            format!(
                "Command {{ name: {}, aliases: {}, meaning: {}, terms: {}, operands: Operands::{:?}, operand: {}, stop_at_operand: {}, subcommands: {subcommands}, note: {}, options: {} }}",
                pool.str(&c.name),
                pool.aliases(&c.aliases),
                pool.str(&c.meaning),
                pool.terms(&c.terms),
                c.operands,
                pool.str(c.operand.as_deref().unwrap_or("")),
                c.stop_at_operand,
                pool.opt_str(c.note.as_deref()),
                pool.opts(all),
            )
        })
        .collect();

    let mut code = String::from("// Generated by build/cli.rs from data/docker-cli.yaml.\n\n");
    let _ = writeln!(
        code,
        "/// Every string of the tables, one after the other.\nconst TEXT: &str = {:?};\n",
        pool.text
    );
    let _ = writeln!(
        code,
        "/// docker's own options, before the subcommand.\nconst GLOBAL_OPTIONS: Span = {global};\n"
    );
    array(
        &mut code,
        "Every option of every command, launcher and docker itself.",
        "OPTS",
        "Opt",
        &pool.opts,
    );
    array(
        &mut code,
        "The glossary ids the tables link to.",
        "TERM_IDS",
        "Str",
        &pool.term_ids,
    );
    array(
        &mut code,
        "The words of the choice readers and their meanings.",
        "CHOICES",
        "(Str, Str)",
        &pool.choices,
    );
    array(
        &mut code,
        "Other spellings of commands.",
        "ALIASES",
        "Str",
        &pool.aliases,
    );
    array(
        &mut code,
        "Environment variables set in front of docker.",
        "VARIABLES",
        "Variable",
        &variables,
    );
    array(
        &mut code,
        "The resource names of --ulimit.",
        "ULIMITS",
        "UlimitName",
        &ulimits,
    );
    array(
        &mut code,
        "Docker Scout's source prefixes.",
        "SCOUT_SOURCES",
        "ScoutSource",
        &scout_sources,
    );
    array(
        &mut code,
        "What each model source says, in the order of `Source::ALL`.",
        "MODEL_SOURCES",
        "ModelSourceText",
        &model_sources,
    );
    let _ = writeln!(
        code,
        "/// The sentences docker model lines are explained with.\npub static MODEL_SENTENCES: ModelSentences = {model_sentences};\n"
    );
    array(
        &mut code,
        "Programs that run docker: sudo, time, nvidia-docker…",
        "LAUNCHERS",
        "Launcher",
        &launchers,
    );
    array(
        &mut code,
        "Every command, with its options resolved.",
        "COMMANDS",
        "Command",
        &commands,
    );
    code
}
