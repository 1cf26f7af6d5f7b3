//! The static tables compiled from `data/docker-cli.yaml` by `build/cli.rs`, and their types.
//!
//! The tables hold no pointers: strings are spans of one text constant and lists are spans of
//! arrays, so loading dterms costs no relocation for them. Accessor methods hand out the
//! `&'static str`s and slices.

use super::spec::{Operands, Reader, Source, Then};

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

/// A source prefix of Docker Scout, such as `archive://`.
#[derive(Debug)]
pub struct ScoutSource {
    prefix: Str,
    /// Whether what follows the prefix is an image reference.
    pub image: bool,
    meaning: Str,
    bare: Str,
    terms: Span,
}

impl ScoutSource {
    /// The prefix without `://`.
    pub fn prefix(&self) -> &'static str {
        self.prefix.get()
    }

    /// What the source is; `{}` stands for what follows the prefix.
    pub fn meaning(&self) -> &'static str {
        self.meaning.get()
    }

    /// What the source is when nothing follows the prefix, if that differs.
    pub fn bare(&self) -> Option<&'static str> {
        self.bare.get_opt()
    }

    /// Glossary ids.
    pub fn terms(&self) -> Vec<&'static str> {
        self.terms.strs(&TERM_IDS)
    }
}

/// What dterms says of a model source.
#[derive(Debug)]
pub struct ModelSourceText {
    meaning: Str,
    unqualified: Str,
    tag: Str,
    no_tag: Str,
    terms: Span,
}

impl ModelSourceText {
    /// What a reference names, with `{repository}`, `{name}`, `{owner}`, `{registry}` and
    /// `{input}` to fill in.
    pub fn meaning(&self) -> &'static str {
        self.meaning.get()
    }

    /// Added when no namespace was written.
    pub fn unqualified(&self) -> Option<&'static str> {
        self.unqualified.get_opt()
    }

    /// What the tag says for this source, `{tag}` standing for it, if it differs.
    pub fn tag(&self) -> Option<&'static str> {
        self.tag.get_opt()
    }

    /// What no tag means for this source, if it differs.
    pub fn no_tag(&self) -> Option<&'static str> {
        self.no_tag.get_opt()
    }

    /// Glossary ids (before tag or digest).
    pub fn terms(&self) -> Vec<&'static str> {
        self.terms.strs(&TERM_IDS)
    }
}

/// The sentences docker model lines are explained with; `{}` stands for the value named.
#[derive(Debug)]
pub struct ModelSentences {
    /// A tag, in general.
    pub tag: Str,
    /// No tag, in general.
    pub no_tag: Str,
    /// A pinning digest.
    pub digest: Str,
    /// A reference that is not valid; the reason follows.
    pub invalid: Str,
    /// A reference that could not be read.
    pub unread: Str,
    /// What a model is in a registry.
    pub artifact_note: Str,
    /// The role of docker model run's model.
    pub run_role: Str,
    /// docker model run without a model.
    pub run_without_model: Str,
    /// docker model run without a prompt.
    pub run_without_prompt: Str,
    /// docker model run's prompt.
    pub prompt: Str,
    /// A prompt of several words.
    pub prompt_words: Str,
    /// The role of docker model configure's model.
    pub configure_role: Str,
    /// docker model configure without a model.
    pub configure_without_model: Str,
    /// The `--` before the engine's flags.
    pub configure_dashes: Str,
    /// The flags handed to the inference engine.
    pub configure_flags: Str,
    configure_flags_terms: Span,
    tag_terms: Span,
    digest_terms: Span,
    unread_terms: Span,
    prompt_terms: Span,
    /// The role of docker model tag's source.
    pub tag_role: Str,
    /// The role of docker model tag's new name.
    pub tag_target_role: Str,
    /// docker model tag without both names.
    pub tag_without_pair: Str,
}

impl ModelSentences {
    /// Glossary ids of the flags handed to the inference engine.
    pub fn configure_flags_terms(&self) -> Vec<&'static str> {
        self.configure_flags_terms.strs(&TERM_IDS)
    }

    /// Glossary ids of a reference with a tag, or none (the tag is then `latest`).
    pub fn tag_terms(&self) -> Vec<&'static str> {
        self.tag_terms.strs(&TERM_IDS)
    }

    /// Glossary ids of a reference pinned by a digest.
    pub fn digest_terms(&self) -> Vec<&'static str> {
        self.digest_terms.strs(&TERM_IDS)
    }

    /// Glossary ids of a reference that could not be read.
    pub fn unread_terms(&self) -> Vec<&'static str> {
        self.unread_terms.strs(&TERM_IDS)
    }

    /// Glossary ids of docker model run's prompt.
    pub fn prompt_terms(&self) -> Vec<&'static str> {
        self.prompt_terms.strs(&TERM_IDS)
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

/// The Scout source whose prefix is `prefix`.
pub fn scout_source(prefix: &str) -> Option<&'static ScoutSource> {
    SCOUT_SOURCES.iter().find(|s| s.prefix() == prefix)
}

/// What dterms says of the model source `source`.
pub fn model_source(source: Source) -> &'static ModelSourceText {
    // The build writes the table in the order of `Source::ALL`, one entry for each.
    let at = Source::ALL.iter().position(|s| *s == source).unwrap_or(0);
    &MODEL_SOURCES[at]
}
