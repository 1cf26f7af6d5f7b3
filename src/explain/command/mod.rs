//! `docker …` command lines: which command, what every option and argument does for THAT
//! command, the image and the command run inside, each linked to glossary terms. The
//! knowledge is in `data/docker-cli.yaml` (see `data`); this module only scans words against
//! it, and `values` reads option values.
//!
//! What dterms does not know stays local: an unknown option is reported, its value is told
//! apart from the next argument by `--opt=value`, by what the next word can be, and the note
//! says when that split is a guess. Pasted lines are read whole: a `$ ` prompt, `VAR=value`
//! assignments, `sudo`/`time`/`env` with their options, `nvidia-docker` and `docker-compose`.

pub mod data;
pub mod model;
pub mod spec;
pub mod values;

use data::{Command, LAUNCHERS, Opt, VARIABLES};
use spec::{Operands, Then};

use crate::explain::shorten;
use crate::shell_words::Word;

/// One explained piece of the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The words as written, such as `-p 8888:8888`.
    pub text: String,
    /// The option's value, when it has one.
    pub value: Option<String>,
    /// What it does, in a sentence.
    pub meaning: String,
    /// Glossary ids.
    pub terms: Vec<&'static str>,
}

/// A whole command line, explained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The command's canonical name, such as `run` or `compose up`; `None` when unknown.
    pub subcommand: Option<String>,
    /// Every piece, in order.
    pub parts: Vec<Part>,
    /// The image the command runs, pulls or pushes, when there is one.
    pub image: Option<String>,
    /// What runs inside the container, after the image (or container) argument.
    pub container_command: Vec<String>,
    /// The first model a `docker model` command names, read.
    pub model: Option<Box<model::ModelRef>>,
    /// Remarks that apply to the whole command, and problems found in values.
    pub notes: Vec<String>,
    /// The known options given, by long name, with their values, in order (for the
    /// conversion of `docker run` into a compose service).
    pub options: Vec<(&'static str, Option<String>)>,
}

/// Letters explained in one word of combined short options (`-dit`); real ones have a few.
const MAX_LETTERS: usize = 16;
/// Longest echo of a word inside a part's text.
const ECHO: usize = 100;

const EXPANSION_NOTE: &str = "Words with $VAR, ${…}, $(…), backquotes or a leading ~ are filled in by your shell before docker sees them; dterms shows them as written.";

/// Most notes kept; a hostile line could otherwise make one per word.
const MAX_NOTES: usize = 40;

struct Scan {
    out: Explanation,
    expansion_noted: bool,
    /// The notes given so far, to say each once in constant time.
    noted: std::collections::HashSet<String>,
    /// Notes left out past `MAX_NOTES`.
    notes_left_out: usize,
    /// Options given to the command, for checks across options (`--rm` with `--restart`).
    given: Vec<(&'static str, Option<String>)>,
}

/// Explains a command line given as words. Never fails: what it does not know, it says it does
/// not know.
pub fn explain(words: &[Word]) -> Explanation {
    let mut scan = Scan {
        out: Explanation {
            subcommand: None,
            parts: Vec::new(),
            image: None,
            container_command: Vec::new(),
            model: None,
            notes: Vec::new(),
            options: Vec::new(),
        },
        expansion_noted: false,
        noted: std::collections::HashSet::new(),
        notes_left_out: 0,
        given: Vec::new(),
    };
    if words.is_empty() {
        return scan.out;
    }
    // A pasted line may be a pipeline or a list: `echo $T | docker login …`, `docker save img
    // | gzip > img.tar.gz`. The command that runs docker is explained; the others are named as
    // what they are, commands of your shell.
    let segments: Vec<&[Word]> = words.split(Word::is_control).collect();
    let operators: Vec<&Word> = words.iter().filter(|w| w.is_control()).collect();
    let runs_docker = |segment: &[Word]| {
        segment.iter().any(|w| {
            w.text == "docker"
                || LAUNCHERS
                    .iter()
                    .any(|l| l.name() == w.text && l.then != Then::Program)
        })
    };
    let chosen = segments.iter().position(|s| runs_docker(s)).unwrap_or(0);
    for (i, segment) in segments[..chosen].iter().enumerate() {
        scan.shell_command(segment, None, Some(operators[i]));
    }
    let (command, redirections) = without_redirections(segments[chosen]);
    let (rest, start) = scan.prelude(&command);
    scan.docker(rest, start);
    for (operator, target) in redirections {
        scan.redirection(operator, target);
    }
    for (i, segment) in segments.iter().enumerate().skip(chosen + 1) {
        scan.shell_command(segment, Some(operators[i - 1]), None);
    }
    if scan.notes_left_out > 0 {
        scan.out.notes.push(format!(
            "… and {} more notes like these, left out.",
            scan.notes_left_out
        ));
    }
    scan.out.options = std::mem::take(&mut scan.given);
    scan.out
}

fn echo(raw: &str) -> String {
    shorten(raw, ECHO)
}

fn part(
    text: impl Into<String>,
    value: Option<&str>,
    meaning: impl Into<String>,
    terms: &[&'static str],
) -> Part {
    Part {
        text: text.into(),
        value: value.map(String::from),
        meaning: meaning.into(),
        terms: terms.to_vec(),
    }
}

/// `NAME=value` with a shell variable name.
fn assignment(text: &str) -> Option<(&str, &str)> {
    let (name, value) = text.split_once('=')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    (first.is_ascii_alphabetic() || first == '_')
        .then_some(())
        .filter(|()| chars.all(|c| c.is_ascii_alphanumeric() || c == '_'))
        .map(|()| (name, value))
}

/// The words of one command without its redirections, and the redirections with their targets.
fn without_redirections(words: &[Word]) -> (Vec<Word>, Vec<(&Word, Option<&Word>)>) {
    let mut kept = Vec::new();
    let mut redirections = Vec::new();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if word.is_redirection() {
            // `2>&1` and `>&2` name their target themselves; `> file` takes the next word.
            let target = if word
                .text
                .ends_with(|c: char| c.is_ascii_digit() || c == '-')
            {
                None
            } else {
                iter.next()
            };
            redirections.push((word, target));
        } else {
            kept.push(word.clone());
        }
    }
    (kept, redirections)
}

/// Whether one string is a docker command line: it starts like one, or a command after a
/// pipe or list operator does (`echo $T | docker login …`, `cd app && docker build .`).
pub fn looks_like_a_command_line(text: &str) -> bool {
    let starts = |segment: &str| {
        segment
            .split_whitespace()
            .next()
            .is_some_and(starts_like_a_command)
    };
    starts(text) || text.split(['|', '&', ';']).skip(1).any(starts)
}

/// Whether a first word starts a docker command line rather than naming an image or a file.
pub fn starts_like_a_command(word: &str) -> bool {
    word == "docker"
        || matches!(word, "$" | "%" | ">")
        || LAUNCHERS.iter().any(|l| l.name() == word)
        || assignment(word).is_some()
}

fn find_long<'o>(opts: &'o [Opt], name: &str) -> Option<&'o Opt> {
    opts.iter().find(|o| o.has_long(name))
}

fn find_short(opts: &[Opt], letter: char) -> Option<&Opt> {
    opts.iter().find(|o| o.short == Some(letter))
}

/// Makes the first letter lower case, to continue a sentence.
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Where the reading of options is: before docker, at docker's own options, or in a command.
#[derive(Clone, Copy)]
enum Place<'c> {
    Launcher,
    Global,
    Command(&'c Command),
}

impl Scan {
    fn note(&mut self, text: impl Into<String>) {
        let text = text.into();
        if self.noted.contains(&text) {
            return;
        }
        if self.out.notes.len() >= MAX_NOTES {
            self.notes_left_out += 1;
            return;
        }
        self.noted.insert(text.clone());
        self.out.notes.push(text);
    }

    fn noted_expansion(&mut self, word: &Word) {
        if word.expands && !self.expansion_noted {
            self.expansion_noted = true;
            self.note(EXPANSION_NOTE);
        }
    }

    /// A command of the pipeline or list that is not docker: run by your shell.
    fn shell_command(&mut self, words: &[Word], before: Option<&Word>, after: Option<&Word>) {
        let raw: Vec<&str> = words.iter().map(|w| w.raw.as_str()).collect();
        let mut text = raw.join(" ");
        let meaning = match (
            before.map(|w| w.text.as_str()),
            after.map(|w| w.text.as_str()),
        ) {
            (None, Some(op)) => {
                text = format!("{text} {op}");
                match op {
                    "|" => {
                        "Runs first, in your shell; its output is piped into the docker command's standard input (what --password-stdin, docker load or build - read)"
                    }
                    "&&" => {
                        "Runs first, in your shell; the docker command runs only if it succeeds"
                    }
                    "||" => "Runs first, in your shell; the docker command runs only if it fails",
                    "&" => {
                        "Starts in the background of your shell; the docker command runs at once"
                    }
                    _ => "Runs first, in your shell; then the docker command runs",
                }
            }
            (Some(op), _) => {
                text = format!("{op} {text}");
                match op {
                    "|" => {
                        "Runs in your shell, not in docker: the docker command's output is piped into it"
                    }
                    "&&" => "Runs in your shell after the docker command, only if docker succeeded",
                    "||" => "Runs in your shell only if the docker command failed",
                    "&" => "Runs in your shell while the docker command runs in the background",
                    _ => "Runs in your shell after the docker command, whatever its result",
                }
            }
            (None, None) => "A command of your shell",
        };
        self.out.parts.push(part(echo(&text), None, meaning, &[]));
    }

    /// A redirection of the docker command's input or output, done by your shell.
    fn redirection(&mut self, operator: &Word, target: Option<&Word>) {
        let op = operator
            .text
            .trim_start_matches(|c: char| c.is_ascii_digit());
        let stream = if operator.text.starts_with('2') {
            "error output"
        } else {
            "output"
        };
        let file = target.map_or_else(String::new, |t| values::shown(&t.text));
        let meaning = match op {
            ">" | ">|" => format!(
                "Your shell writes the docker command's {stream} to the file {file}, replacing it"
            ),
            ">>" => format!("Your shell appends the docker command's {stream} to the file {file}"),
            "<" => format!(
                "Your shell feeds the file {file} to the docker command's standard input (what docker load, build - or --password-stdin read)"
            ),
            "&>" | ">&" if target.is_some() => format!(
                "Your shell writes the docker command's output and errors to the file {file}"
            ),
            _ if op.starts_with(">&") => format!(
                "Your shell sends the docker command's {stream} where the stream {} goes",
                &op[2..]
            ),
            _ => "A redirection done by your shell".to_owned(),
        };
        let text = match target {
            Some(t) => format!("{} {}", operator.raw, echo(&t.raw)),
            None => operator.raw.clone(),
        };
        self.out.parts.push(part(text, None, meaning, &[]));
    }

    /// Reads what comes before docker's arguments; returns the rest and the command group to
    /// start in (`compose` after `docker-compose`).
    fn prelude<'w>(&mut self, mut words: &'w [Word]) -> (&'w [Word], Option<&'static Command>) {
        if let Some((first, tail)) = words.split_first()
            && matches!(first.text.as_str(), "$" | "%" | ">")
        {
            self.out.parts.push(part(
                first.raw.clone(),
                None,
                "The shell prompt, copied along with the command; it is not typed",
                &[],
            ));
            words = tail;
        }
        while let Some((word, tail)) = words.split_first() {
            if let Some((name, value)) = assignment(&word.text) {
                let known = VARIABLES.iter().find(|v| v.name() == name);
                let meaning = match known {
                    Some(v) => format!(
                        "Set the environment variable {name} to '{}' for this one command: {}",
                        values::shown(value),
                        lower_first(v.meaning())
                    ),
                    None => format!(
                        "Set the environment variable {name} to '{}' for this one command (docker itself reads only DOCKER_* and a few others; it does not pass it into containers)",
                        values::shown(value)
                    ),
                };
                let terms = known.map_or_else(|| vec!["environment-variable"], |v| v.terms());
                self.out
                    .parts
                    .push(part(echo(&word.raw), Some(value), meaning, &terms));
                self.noted_expansion(word);
                words = tail;
                continue;
            }
            if let Some(launcher) = LAUNCHERS.iter().find(|l| l.name() == word.text) {
                self.out.parts.push(part(
                    word.raw.clone(),
                    None,
                    launcher.meaning(),
                    &launcher.terms(),
                ));
                words = self.options(tail, launcher.options(), Place::Launcher);
                match launcher.then {
                    Then::Program => continue,
                    Then::Docker => return (words, None),
                    Then::Compose => {
                        self.note("docker-compose (v1) is retired; the same commands work as docker compose.");
                        return (words, data::command("compose"));
                    }
                }
            }
            if word.text == "docker" {
                self.out.parts.push(part(
                    "docker",
                    None,
                    "The Docker command-line client, which sends the request to the Docker Engine",
                    &["docker-cli", "docker-engine"],
                ));
                return (tail, None);
            }
            self.note("The command does not start with docker; reading it as docker arguments.");
            return (words, None);
        }
        (words, None)
    }

    /// Reads docker's options, finds the command through its groups, and explains it.
    fn docker(&mut self, words: &[Word], start: Option<&'static Command>) {
        let mut rest = match start {
            Some(_) => words,
            None => self.options(words, data::global(), Place::Global),
        };
        let mut current = start;
        // Words of a group not yet shown, merged with its subcommand into one part (`image ls`).
        let mut pending: Vec<String> = Vec::new();
        loop {
            let Some((word, tail)) = rest.split_first() else {
                if let Some(group) = current {
                    if !pending.is_empty() {
                        self.out.parts.push(part(
                            pending.join(" "),
                            None,
                            group.meaning(),
                            &group.terms(),
                        ));
                    }
                    self.note(format!(
                        "No subcommand given: docker {} alone prints its help.",
                        group.name()
                    ));
                } else {
                    self.note("No subcommand given: docker alone prints its help.");
                }
                return;
            };
            let spelling = match current {
                Some(group) => format!("{} {}", group.name(), word.text),
                None => word.text.clone(),
            };
            let Some(command) = data::command(&spelling) else {
                if !pending.is_empty()
                    && let Some(group) = current
                {
                    self.out.parts.push(part(
                        pending.join(" "),
                        None,
                        group.meaning(),
                        &group.terms(),
                    ));
                }
                self.out.parts.push(part(
                    echo(&word.raw),
                    None,
                    format!(
                        "Unknown docker subcommand '{}'; dterms does not explain it",
                        values::shown(&spelling)
                    ),
                    &[],
                ));
                for word in tail {
                    self.out.parts.push(part(
                        echo(&word.raw),
                        None,
                        "An argument of the unknown subcommand",
                        &[],
                    ));
                }
                return;
            };
            pending.push(word.raw.clone());
            rest = tail;
            // A command with operands may have subcommands too (`model configure show`); as
            // in cobra, a next word that names one is that subcommand.
            let group = command.operands == Operands::Subcommand
                || (command.subcommands
                    && rest.first().is_some_and(|w| {
                        data::command(&format!("{} {}", command.name(), w.text)).is_some()
                    }));
            if group {
                current = Some(command);
                if rest.first().is_some_and(|w| w.text.starts_with('-')) {
                    self.out.parts.push(part(
                        pending.join(" "),
                        None,
                        command.meaning(),
                        &command.terms(),
                    ));
                    pending.clear();
                    rest = self.options(rest, command.options(), Place::Command(command));
                }
                continue;
            }
            self.out.parts.push(part(
                pending.join(" "),
                None,
                command.meaning(),
                &command.terms(),
            ));
            self.command(command, rest);
            return;
        }
    }

    /// Explains a command's options and positional arguments.
    fn command(&mut self, command: &'static Command, args: &[Word]) {
        self.out.subcommand = Some(command.name().to_owned());
        if let Some(note) = command.note() {
            self.note(note);
        }
        let mut operands: Vec<&Word> = Vec::new();
        let mut rest = args;
        loop {
            rest = self.options(rest, command.options(), Place::Command(command));
            match rest.split_first() {
                None => break,
                Some((word, tail)) if word.text == "--" => {
                    // configure's `--` parts the model from the engine's flags: it is shown
                    // between them, where it was written.
                    if command.operands != Operands::ModelThenFlags {
                        self.out.parts.push(part(
                            "--",
                            None,
                            "End of the options: everything after it is an argument, even if it starts with -",
                            &[],
                        ));
                    }
                    operands.extend(tail);
                    break;
                }
                Some((word, tail)) => {
                    operands.push(word);
                    rest = tail;
                    if command.stop_at_operand {
                        operands.extend(rest);
                        break;
                    }
                }
            }
        }
        self.operands(command, &operands);
        self.across_options();
    }

    /// Checks that need two options at once, as Docker makes them.
    fn across_options(&mut self) {
        let on = |given: &[(&str, Option<String>)], name: &str| {
            given.iter().any(|(n, v)| {
                *n == name
                    && v.as_deref()
                        .is_none_or(|v| values::parse_bool(v) != Some(false))
            })
        };
        let restart = self
            .given
            .iter()
            .find(|(n, _)| *n == "restart")
            .and_then(|(_, v)| v.clone());
        if on(&self.given, "rm")
            && let Some(policy) = restart
            && policy != "no"
        {
            self.note(format!(
                "docker refuses --rm together with --restart {} (conflicting options): a container that deletes itself cannot be restarted.",
                values::shown(&policy)
            ));
        }
        if on(&self.given, "detach") && on(&self.given, "rm") {
            // Fine since Docker 1.13; nothing to say.
        }
    }

    /// Reads options off the front of `words`, explaining each; returns what is left, from the
    /// first word that is not an option.
    fn options<'w>(
        &mut self,
        mut words: &'w [Word],
        opts: &'static [Opt],
        place: Place<'_>,
    ) -> &'w [Word] {
        while let Some((word, tail)) = words.split_first() {
            let text = word.text.as_str();
            if text == "--" || text == "-" || !text.starts_with('-') {
                return words;
            }
            words = tail;
            if let Some(long) = text.strip_prefix("--") {
                let (name, inline) = match long.split_once('=') {
                    Some((name, value)) => (name, Some(value)),
                    None => (long, None),
                };
                match find_long(opts, name) {
                    Some(opt) if opt.value.is_some() && inline.is_none() && !opt.optional => {
                        match words.split_first() {
                            Some((value, tail)) => {
                                words = tail;
                                let text = format!("{} {}", echo(&word.raw), echo(&value.raw));
                                self.noted_expansion(value);
                                self.option(opt, text, Some(&value.text));
                            }
                            None => self.option(opt, echo(&word.raw), None),
                        }
                    }
                    Some(opt) => {
                        self.noted_expansion(word);
                        self.option(opt, echo(&word.raw), inline);
                    }
                    None => {
                        words =
                            self.unknown(word, &format!("--{name}"), inline, words, opts, place);
                    }
                }
                continue;
            }
            words = self.short_options(word, words, opts, place);
        }
        words
    }

    /// `-dit`, `-p8080:80`, `-d=false`: letters read one by one, as pflag does; a letter that
    /// takes a value takes the rest of the word or the next word.
    fn short_options<'w>(
        &mut self,
        word: &Word,
        mut words: &'w [Word],
        opts: &'static [Opt],
        place: Place<'_>,
    ) -> &'w [Word] {
        let body = &word.text[1..];
        let combined = body.chars().nth(1).is_some_and(|c| c != '=');
        let within = |letter: char| format!("-{letter} (in {})", shorten(&word.raw, 24));
        let mut seen: Vec<char> = Vec::new();
        for (at, letter) in body.char_indices() {
            let after = &body[at + letter.len_utf8()..];
            if seen.contains(&letter) {
                continue;
            }
            if seen.len() == MAX_LETTERS {
                let left = body[at..].chars().count();
                self.out.parts.push(part(
                    shorten(&word.raw, 24),
                    None,
                    format!(
                        "{left} more letters not read: a real word of combined short options has only a few"
                    ),
                    &[],
                ));
                break;
            }
            seen.push(letter);
            let inline = after.strip_prefix('=');
            match find_short(opts, letter) {
                Some(opt) if opt.value.is_some() => {
                    let value = inline.or((!after.is_empty()).then_some(after));
                    let (text, value) = match value {
                        Some(v) if at == 0 => (echo(&word.raw), Some(v.to_owned())),
                        Some(v) => (echo(&format!("-{letter}{after}")), Some(v.to_owned())),
                        None if opt.optional && combined => (within(letter), None),
                        None if opt.optional => (echo(&word.raw), None),
                        None => match words.split_first() {
                            Some((next, tail)) => {
                                words = tail;
                                self.noted_expansion(next);
                                let shown = if at == 0 {
                                    echo(&word.raw)
                                } else {
                                    within(letter)
                                };
                                (
                                    format!("{shown} {}", echo(&next.raw)),
                                    Some(next.text.clone()),
                                )
                            }
                            None => (echo(&word.raw), None),
                        },
                    };
                    self.noted_expansion(word);
                    self.option(opt, text, value.as_deref());
                    return words;
                }
                Some(opt) => {
                    let text = if combined {
                        within(letter)
                    } else {
                        echo(&word.raw)
                    };
                    self.option(opt, text, inline);
                    if inline.is_some() {
                        return words;
                    }
                }
                None if combined || inline.is_some() => {
                    self.out.parts.push(part(
                        if combined {
                            within(letter)
                        } else {
                            echo(&word.raw)
                        },
                        inline,
                        format!("An option dterms does not know: '-{letter}'"),
                        &[],
                    ));
                    if inline.is_some() {
                        return words;
                    }
                }
                None => {
                    return self.unknown(word, &format!("-{letter}"), None, words, opts, place);
                }
            }
        }
        words
    }

    /// An option not in the tables: reported, and its value guessed so the rest stays right.
    fn unknown<'w>(
        &mut self,
        word: &Word,
        name: &str,
        inline: Option<&str>,
        words: &'w [Word],
        opts: &'static [Opt],
        place: Place<'_>,
    ) -> &'w [Word] {
        let whose = match place {
            Place::Launcher => "this program".to_owned(),
            Place::Global => "docker".to_owned(),
            Place::Command(c) => format!("docker {}", c.name()),
        };
        if let Some(value) = inline {
            self.out.parts.push(part(
                echo(&word.raw),
                Some(value),
                format!(
                    "An option dterms does not know for {whose}: '{name}', with the value '{}'",
                    values::shown(value)
                ),
                &[],
            ));
            return words;
        }
        match words.split_first() {
            Some((next, tail)) if !next.text.starts_with('-') => {
                if next_is_value(place, next, tail.first(), opts) {
                    self.out.parts.push(part(
                        format!("{} {}", echo(&word.raw), echo(&next.raw)),
                        Some(&next.text),
                        format!(
                            "An option dterms does not know for {whose}: '{name}'; '{}' is read as its value (a guess: what follows only makes sense that way)",
                            values::shown(&next.text)
                        ),
                        &[],
                    ));
                    self.note(format!(
                        "{name} is not an option dterms knows for {whose}; the split of its value is a guess. `{whose} --help` lists the real options."
                    ));
                    tail
                } else {
                    self.out.parts.push(part(
                        echo(&word.raw),
                        None,
                        format!(
                            "An option dterms does not know for {whose}: '{name}', read as a switch, so '{}' is read as what follows it (a guess)",
                            values::shown(&next.text)
                        ),
                        &[],
                    ));
                    self.note(format!(
                        "{name} is not an option dterms knows for {whose}; if it takes a value, '{}' is that value and the rest shifts by one word.",
                        values::shown(&next.text)
                    ));
                    words
                }
            }
            _ => {
                self.out.parts.push(part(
                    echo(&word.raw),
                    None,
                    format!("An option dterms does not know for {whose}: '{name}'"),
                    &[],
                ));
                words
            }
        }
    }

    /// One known option with its value, if any.
    fn option(&mut self, opt: &'static Opt, text: String, value: Option<&str>) {
        self.given.push((opt.long(), value.map(str::to_owned)));
        let mut terms = opt.terms();
        let mut problems = Vec::new();
        let meaning = match (opt.value, value) {
            (None, None) => opt.meaning().to_owned(),
            (None, Some(v)) => match values::parse_bool(v) {
                Some(true) => opt.meaning().to_owned(),
                Some(false) => format!(
                    "Turned off with ={}, so this does not happen: {}",
                    values::shown(v),
                    lower_first(opt.meaning())
                ),
                None => {
                    problems.push(format!(
                        "'{}' is not true or false, and docker refuses it",
                        values::shown(v)
                    ));
                    opt.meaning().to_owned()
                }
            },
            (Some(_), None) if opt.optional => opt.meaning().replace("{}", "its default"),
            (Some(_), None) => format!("--{} expects a value, but none follows", opt.long()),
            (Some(reader), Some(v)) => {
                let reading = values::read(reader, v, &opt.choices());
                let placeholder = opt.meaning().contains("{}");
                let base = opt.meaning().replace("{}", &values::shown(v));
                for t in reading.terms {
                    if !terms.contains(&t) {
                        terms.push(t);
                    }
                }
                problems.extend(reading.problems);
                match reading.detail {
                    Some(detail) => format!("{base}: {detail}"),
                    None if placeholder => base,
                    None => format!("{base}: {}", values::shown(v)),
                }
            }
        };
        if let Some(why) = opt.deprecated() {
            self.note(format!("--{} is deprecated: {why}.", opt.long()));
        }
        for problem in problems {
            self.note(format!("{}: {problem}", shorten(&text, 40)));
        }
        self.out.parts.push(Part {
            text,
            value: value.map(str::to_owned),
            meaning,
            terms,
        });
    }

    fn image(&mut self, word: &Word, role: &str) {
        if self.out.image.is_none() {
            self.out.image = Some(word.text.clone());
        }
        self.noted_expansion(word);
        self.out.parts.push(part(
            echo(&word.raw),
            None,
            format!(
                "{role}: the image reference {}, explained below",
                values::shown(&word.text)
            ),
            &["image-name", "image"],
        ));
    }

    /// What Docker Scout analyses, in the role `role`: an image, or a prefixed source (the
    /// `scout_sources` of data/docker-cli.yaml).
    fn scout_target(&mut self, word: &Word, role: &str) {
        self.noted_expansion(word);
        let text = word.text.as_str();
        let Some((source, rest)) = text
            .split_once("://")
            .and_then(|(prefix, rest)| Some((data::scout_source(prefix)?, rest)))
        else {
            self.image(word, role);
            return;
        };
        if source.image && self.out.image.is_none() {
            self.out.image = Some(rest.to_owned());
        }
        let meaning = match source.bare() {
            Some(bare) if rest.is_empty() => format!("{role}: {bare}"),
            _ => format!(
                "{role}: {}",
                source.meaning().replacen("{}", &values::shown(rest), 1)
            ),
        };
        self.out
            .parts
            .push(part(echo(&word.raw), None, meaning, &source.terms()));
    }

    /// A model reference in the role `role`, such as "The model to run".
    fn model(&mut self, word: &Word, role: &str) {
        self.noted_expansion(word);
        let (meaning, terms) = match model::parse(&word.text) {
            Ok(m) => {
                let said = (m.describe(), m.terms());
                if self.out.model.is_none() {
                    self.out.model = Some(Box::new(m));
                }
                self.note(data::MODEL_SENTENCES.artifact_note.get());
                said
            }
            Err(why) => {
                self.note(model::invalid(&word.text, &why));
                (
                    data::MODEL_SENTENCES.unread.get().replacen(
                        "{}",
                        &values::shown(&word.text),
                        1,
                    ),
                    data::MODEL_SENTENCES.unread_terms(),
                )
            }
        };
        self.out.parts.push(part(
            echo(&word.raw),
            None,
            format!("{role}: {meaning}"),
            &terms,
        ));
    }

    fn container_command(&mut self, command: &[&Word], meaning: &str, terms: &[&'static str]) {
        if command.is_empty() {
            return;
        }
        for w in command {
            self.noted_expansion(w);
        }
        let raw: Vec<&str> = command.iter().map(|w| w.raw.as_str()).collect();
        self.out
            .parts
            .push(part(echo(&raw.join(" ")), None, meaning, terms));
        self.out.container_command = command.iter().map(|w| w.text.clone()).collect();
    }

    fn operands(&mut self, command: &Command, operands: &[&Word]) {
        for w in operands {
            if w.expands {
                self.noted_expansion(w);
            }
        }
        match command.operands {
            Operands::ImageThenCommand => {
                let Some((first, rest)) = operands.split_first() else {
                    self.note("No image given: docker will refuse to run.");
                    return;
                };
                self.image(first, "The image to start the container from");
                self.container_command(
                    rest,
                    "The command run inside the container, replacing the image's CMD (arguments to its ENTRYPOINT, if it has one)",
                    &["cmd", "entrypoint"],
                );
            }
            Operands::ContainerThenCommand | Operands::ServiceThenCommand => {
                let Some((first, rest)) = operands.split_first() else {
                    self.note("No container or service given.");
                    return;
                };
                let (meaning, terms): (&str, &[&'static str]) =
                    if command.operands == Operands::ServiceThenCommand {
                        (
                            "The compose service to run the command in",
                            &["compose-service"],
                        )
                    } else {
                        (
                            "The running container to run the command in",
                            &["container"],
                        )
                    };
                self.out
                    .parts
                    .push(part(echo(&first.raw), None, meaning, terms));
                let (meaning, terms): (&str, &[&'static str]) = if command.name() == "compose run" {
                    (
                        "The command run in the new container, replacing the service's command",
                        &["cmd"],
                    )
                } else {
                    ("The command run inside it", &["docker-exec"])
                };
                self.container_command(rest, meaning, terms);
            }
            Operands::Images => {
                for word in operands {
                    self.image(word, "Image");
                }
            }
            Operands::TagPair => match operands {
                [source, target, ..] => {
                    self.image(source, "The existing image");
                    self.out.parts.push(part(
                        echo(&target.raw),
                        None,
                        format!(
                            "The new name it will also be known by: {}",
                            values::shown(&target.text)
                        ),
                        &["tag", "image-name"],
                    ));
                }
                _ => self.note("docker tag needs a source image and a new name."),
            },
            Operands::Context => match operands.first() {
                Some(context) => {
                    let meaning = match context.text.as_str() {
                        "." => "The build context: the current folder, whose files COPY and ADD can use (.dockerignore trims it)".to_owned(),
                        "-" => "The build context read from standard input (a Dockerfile alone, or a tar archive)".to_owned(),
                        c if c.starts_with("https://") || c.starts_with("git@") || c.starts_with("http://") => format!(
                            "The build context: the remote source {}, fetched by the builder",
                            values::shown(c)
                        ),
                        c => format!(
                            "The build context: {}, whose files COPY and ADD can use",
                            values::shown(c)
                        ),
                    };
                    self.out.parts.push(part(
                        echo(&context.raw),
                        None,
                        meaning,
                        &["build-context", "dockerignore"],
                    ));
                    for extra in &operands[1..] {
                        self.out.parts.push(part(
                            echo(&extra.raw),
                            None,
                            "An extra argument: a build takes one context",
                            &[],
                        ));
                    }
                }
                None => self.note("No build context given: docker build needs one, usually '.'."),
            },
            Operands::Containers => {
                for word in operands {
                    self.out.parts.push(part(
                        echo(&word.raw),
                        None,
                        "A container, by name or ID",
                        &["container"],
                    ));
                }
            }
            Operands::Commit => {
                if let Some(container) = operands.first() {
                    self.out.parts.push(part(
                        echo(&container.raw),
                        None,
                        "The container whose current state becomes an image",
                        &["container"],
                    ));
                }
                if let Some(name) = operands.get(1) {
                    self.out.parts.push(part(
                        echo(&name.raw),
                        None,
                        format!("The name of the new image: {}", values::shown(&name.text)),
                        &["image-name"],
                    ));
                }
            }
            Operands::CopyPaths => {
                let owner = if command.name().starts_with("compose") {
                    "service"
                } else {
                    "container"
                };
                for word in operands {
                    let meaning = match word.text.split_once(':') {
                        Some((container, path))
                            if !container.contains(['/', '\\']) && container.len() > 1 =>
                        {
                            format!(
                                "The path {} inside the {owner} {}",
                                values::shown(path),
                                values::shown(container)
                            )
                        }
                        _ if word.text == "-" => {
                            "A tar archive on standard input or output".to_owned()
                        }
                        _ => format!("The path {} on this machine", values::shown(&word.text)),
                    };
                    self.out
                        .parts
                        .push(part(echo(&word.raw), None, meaning, &["container"]));
                }
            }
            Operands::Names => {
                for word in operands {
                    self.out.parts.push(part(
                        echo(&word.raw),
                        None,
                        format!("Argument: the {}", command.operand()),
                        &command.terms(),
                    ));
                }
            }
            Operands::Models => {
                for word in operands {
                    self.model(word, command.operand());
                }
            }
            Operands::ModelThenPrompt => {
                let Some((first, prompt)) = operands.split_first() else {
                    self.note(data::MODEL_SENTENCES.run_without_model.get());
                    return;
                };
                self.model(first, data::MODEL_SENTENCES.run_role.get());
                if prompt.is_empty() {
                    self.note(data::MODEL_SENTENCES.run_without_prompt.get());
                    return;
                }
                let raw: Vec<&str> = prompt.iter().map(|w| w.raw.as_str()).collect();
                self.out.parts.push(part(
                    echo(&raw.join(" ")),
                    None,
                    data::MODEL_SENTENCES.prompt.get(),
                    &data::MODEL_SENTENCES.prompt_terms(),
                ));
                if prompt.len() > 1 {
                    self.note(data::MODEL_SENTENCES.prompt_words.get());
                }
            }
            Operands::ModelThenFlags => {
                let Some((first, flags)) = operands.split_first() else {
                    self.note(data::MODEL_SENTENCES.configure_without_model.get());
                    return;
                };
                self.model(first, data::MODEL_SENTENCES.configure_role.get());
                if !flags.is_empty() {
                    self.out.parts.push(part(
                        "--",
                        None,
                        data::MODEL_SENTENCES.configure_dashes.get(),
                        &[],
                    ));
                    let raw: Vec<&str> = flags.iter().map(|w| w.raw.as_str()).collect();
                    self.out.parts.push(part(
                        echo(&raw.join(" ")),
                        None,
                        data::MODEL_SENTENCES.configure_flags.get(),
                        &data::MODEL_SENTENCES.configure_flags_terms(),
                    ));
                }
            }
            Operands::ModelTagPair => match operands {
                [source, target, ..] => {
                    self.model(source, data::MODEL_SENTENCES.tag_role.get());
                    self.model(target, data::MODEL_SENTENCES.tag_target_role.get());
                }
                _ => self.note(data::MODEL_SENTENCES.tag_without_pair.get()),
            },
            Operands::ScoutTargets => {
                for word in operands {
                    self.scout_target(word, command.operand());
                }
            }
            Operands::Nothing | Operands::Subcommand => {
                for word in operands {
                    self.out.parts.push(part(
                        echo(&word.raw),
                        None,
                        "An extra argument this command does not take",
                        &[],
                    ));
                }
            }
        }
    }
}

/// Whether the word after an unknown option can only be its value: it cannot be what the
/// command takes next, or known options follow it.
fn next_is_value(place: Place<'_>, next: &Word, after: Option<&Word>, opts: &[Opt]) -> bool {
    let text = next.text.as_str();
    match place {
        Place::Launcher => !(text == "docker" || LAUNCHERS.iter().any(|l| l.name() == text)),
        Place::Global => data::command(text).is_none(),
        Place::Command(c) => {
            if c.operands == Operands::Subcommand {
                return data::command(&format!("{} {text}", c.name())).is_none();
            }
            let impossible = match c.operands {
                Operands::ImageThenCommand | Operands::Images | Operands::TagPair => {
                    crate::explain::reference::parse(text).is_err()
                }
                Operands::Models
                | Operands::ModelThenPrompt
                | Operands::ModelThenFlags
                | Operands::ModelTagPair => model::parse(text).is_err(),
                Operands::Nothing => true,
                _ => text.contains(['=', ',']) || text.is_empty(),
            };
            if impossible {
                return true;
            }
            // Known options right after it: the options go on, so it was not an operand of a
            // command whose options end at its first operand.
            after.is_some_and(|a| {
                let a = a.text.as_str();
                c.stop_at_operand
                    && (a.strip_prefix("--").is_some_and(|l| {
                        find_long(opts, l.split('=').next().unwrap_or(l)).is_some()
                    }) || (a.len() >= 2
                        && !a.starts_with("--")
                        && a.starts_with('-')
                        && a[1..]
                            .chars()
                            .next()
                            .is_some_and(|l| find_short(opts, l).is_some())))
            })
        }
    }
}

#[cfg(test)]
mod tests;
