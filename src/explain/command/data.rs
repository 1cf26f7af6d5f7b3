//! The static tables compiled from `data/docker-cli.yaml` by `build/cli.rs`, and their types.
//!
//! The tables hold no pointers: strings are spans of one text constant and lists are spans of
//! arrays, so loading dterms costs no relocation for them. Accessor methods hand out the
//! `&'static str`s and slices.

use super::spec::{Operands, Reader, Then};

/// A span of the `TEXT` constant.
#[derive(Debug, Clone, Copy)]
pub struct Str {
    at: u32,
    len: u32,
}

impl Str {
    /// No string (for optional fields).
    const NONE: Str = Str {
        at: u32::MAX,
        len: 0,
    };

    const fn new(at: u32, len: u32) -> Str {
        Str { at, len }
    }

    /// The text.
    pub fn get(self) -> &'static str {
        let at = self.at as usize;
        TEXT.get(at..at + self.len as usize).unwrap_or_default()
    }

    fn get_opt(self) -> Option<&'static str> {
        (self.at != u32::MAX).then(|| self.get())
    }
}

/// A span of one of the arrays.
#[derive(Debug, Clone, Copy)]
pub struct Span {
    at: u32,
    len: u32,
}

impl Span {
    const fn new(at: u32, len: u32) -> Span {
        Span { at, len }
    }

    fn of<T>(self, items: &'static [T]) -> &'static [T] {
        let at = self.at as usize;
        items.get(at..at + self.len as usize).unwrap_or_default()
    }

    fn strs(self, items: &'static [Str]) -> Vec<&'static str> {
        self.of(items).iter().map(|s| s.get()).collect()
    }
}

/// One option of a command, as Docker defines it.
#[derive(Debug)]
pub struct Opt {
    long: Str,
    /// The letter after `-`, if any.
    pub short: Option<char>,
    /// The reader of its value; `None` for a switch.
    pub value: Option<Reader>,
    /// Whether the value may be left out (then it is given only as `--opt=VALUE`).
    pub optional: bool,
    meaning: Str,
    terms: Span,
    choices: Span,
    compose: Str,
    /// Hidden from Docker's help.
    pub hidden: bool,
    deprecated: Str,
}

impl Opt {
    /// The name after `--`.
    pub fn long(&self) -> &'static str {
        self.long.get()
    }

    /// Whether its long name is `name`: the lengths are compared first, which settles nearly
    /// every option of a long table without reading its text.
    pub fn has_long(&self, name: &str) -> bool {
        self.long.len as usize == name.len() && self.long.get() == name
    }

    /// What it does for this command; `{}` stands for the value.
    pub fn meaning(&self) -> &'static str {
        self.meaning.get()
    }

    /// Glossary ids.
    pub fn terms(&self) -> Vec<&'static str> {
        self.terms.strs(&TERM_IDS)
    }

    /// For the choice readers: each accepted word and its meaning.
    pub fn choices(&self) -> Vec<(&'static str, &'static str)> {
        self.choices
            .of(&CHOICES)
            .iter()
            .map(|(w, m)| (w.get(), m.get()))
            .collect()
    }

    /// The compose service attribute it maps to, for run and create options.
    pub fn compose(&self) -> Option<&'static str> {
        self.compose.get_opt()
    }

    /// Why it is deprecated, when it is.
    pub fn deprecated(&self) -> Option<&'static str> {
        self.deprecated.get_opt()
    }
}

/// A command such as `run` or `compose up`, with every option it accepts.
#[derive(Debug)]
pub struct Command {
    name: Str,
    aliases: Span,
    meaning: Str,
    terms: Span,
    /// What its positional arguments are.
    pub operands: Operands,
    operand: Str,
    /// Whether options end at the first positional argument.
    pub stop_at_operand: bool,
    /// Whether a command that takes operands also has subcommands (`model configure show`).
    pub subcommands: bool,
    note: Str,
    options: Span,
}

impl Command {
    /// The words after `docker`, space-separated.
    pub fn name(&self) -> &'static str {
        self.name.get()
    }

    /// Other spellings, space-separated.
    pub fn aliases(&self) -> Vec<&'static str> {
        self.aliases.strs(&ALIASES)
    }

    /// What it does.
    pub fn meaning(&self) -> &'static str {
        self.meaning.get()
    }

    /// Glossary ids.
    pub fn terms(&self) -> Vec<&'static str> {
        self.terms.strs(&TERM_IDS)
    }

    /// What the names are, for `Operands::Names`.
    pub fn operand(&self) -> &'static str {
        self.operand.get()
    }

    /// A remark shown whenever the command is explained.
    pub fn note(&self) -> Option<&'static str> {
        self.note.get_opt()
    }

    /// Its own options, its groups' and inherited persistent ones.
    pub fn options(&self) -> &'static [Opt] {
        self.options.of(&OPTS)
    }

    /// Whether `spelling` (words joined by spaces) names this command.
    pub fn is_spelled(&self, spelling: &str) -> bool {
        self.name() == spelling
            || self
                .aliases
                .of(&ALIASES)
                .iter()
                .any(|a| a.get() == spelling)
    }
}

/// A program that runs docker, such as `sudo` or `nvidia-docker`.
#[derive(Debug)]
pub struct Launcher {
    name: Str,
    meaning: Str,
    terms: Span,
    /// What follows it.
    pub then: Then,
    options: Span,
}

impl Launcher {
    /// The program's name.
    pub fn name(&self) -> &'static str {
        self.name.get()
    }

    /// What it does.
    pub fn meaning(&self) -> &'static str {
        self.meaning.get()
    }

    /// Glossary ids.
    pub fn terms(&self) -> Vec<&'static str> {
        self.terms.strs(&TERM_IDS)
    }

    /// Its own options.
    pub fn options(&self) -> &'static [Opt] {
        self.options.of(&OPTS)
    }
}

/// An environment variable often set in front of docker.
#[derive(Debug)]
pub struct Variable {
    name: Str,
    meaning: Str,
    terms: Span,
}

impl Variable {
    /// Its name.
    pub fn name(&self) -> &'static str {
        self.name.get()
    }

    /// What it does.
    pub fn meaning(&self) -> &'static str {
        self.meaning.get()
    }

    /// Glossary ids.
    pub fn terms(&self) -> Vec<&'static str> {
        self.terms.strs(&TERM_IDS)
    }
}

/// What a `--ulimit` resource's numbers count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UlimitUnit {
    /// Bytes.
    Bytes,
    /// Seconds.
    Seconds,
    /// A plain count.
    Count,
}

/// A resource name `--ulimit` accepts.
#[derive(Debug)]
pub struct UlimitName {
    name: Str,
    /// What its numbers count.
    pub unit: UlimitUnit,
    meaning: Str,
}

impl UlimitName {
    /// Its name, such as `memlock`.
    pub fn name(&self) -> &'static str {
        self.name.get()
    }

    /// What it limits.
    pub fn meaning(&self) -> &'static str {
        self.meaning.get()
    }
}

include!(concat!(env!("OUT_DIR"), "/docker_cli.rs"));

/// docker's own options, before the subcommand.
pub fn global() -> &'static [Opt] {
    GLOBAL_OPTIONS.of(&OPTS)
}

/// The command spelled `spelling`, such as `run`, `container run` or `builder prune`.
pub fn command(spelling: &str) -> Option<&'static Command> {
    COMMANDS.iter().find(|c| c.is_spelled(spelling))
}
