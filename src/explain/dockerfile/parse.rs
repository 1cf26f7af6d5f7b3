//! The Dockerfile parser, following the rules of BuildKit's `frontend/dockerfile/parser`: a
//! byte-order mark, parser directives, comments, line continuations (with comment and empty lines
//! inside them), builder flags, the per-instruction argument forms (JSON exec form, key/value,
//! words) and heredocs, read from the same lines in one pass.

use std::borrow::Cow;

use super::SyntaxError;
use super::expand::{Env, Lexer};

/// A parser directive such as `# syntax=docker/dockerfile:1`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Directive {
    /// Lowercase name: `syntax`, `escape` or `check`.
    pub name: String,
    /// Its value.
    pub value: String,
    /// The line it is on.
    #[serde(skip)]
    pub line: usize,
}

/// An instruction's arguments, as a reader needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Args {
    /// JSON array form, `["python", "train.py"]`: run directly, no shell.
    Exec(Vec<String>),
    /// Anything else: the text after the flags, [`Instruction::rest`] (for RUN, CMD and
    /// ENTRYPOINT a shell command).
    Shell,
}

/// A heredoc attached to an instruction: `RUN <<EOT` … `EOT`.
// Serialized as `{"body", "name"}`, the JSON's key order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Heredoc {
    /// The lines between, each with its newline; leading tabs removed for `<<-`.
    pub body: String,
    /// The terminating word, quotes removed.
    pub name: String,
    /// Whether `$VARS` in the body are expanded (the word was not quoted).
    #[serde(skip)]
    pub expand: bool,
    /// The file descriptor written before `<<` (0 when none).
    #[serde(skip)]
    pub fd: u32,
}

/// One parsed instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instruction {
    /// Line where it starts.
    pub line: usize,
    /// Line where it ends (after continuations and heredocs).
    pub end_line: usize,
    /// Uppercase keyword (borrowed from the list of known ones; owned only for an unknown one).
    pub keyword: Cow<'static, str>,
    /// Leading builder flags as written after unquoting: `--from=builder`.
    pub flags: Vec<String>,
    /// What follows the flags, in exec or shell form.
    pub args: Args,
    /// BuildKit's argument list for this instruction (the nodes after the keyword).
    pub values: Vec<String>,
    /// Heredocs, in order.
    pub heredocs: Vec<Heredoc>,
    /// The instruction as written, continuation lines joined.
    pub text: String,
    /// Comment lines right before it (directive lines excluded).
    pub comments: Vec<String>,
    /// For ONBUILD, the instruction it stores.
    pub onbuild: Option<Box<Instruction>>,
    /// The length of the keyword as written at the start of `text`.
    written_len: usize,
    /// Where the text after the keyword and the flags starts in `text`.
    rest_at: usize,
}

impl Instruction {
    /// The text after the keyword and the flags, as written: the end of the text.
    pub fn rest(&self) -> &str {
        self.text.get(self.rest_at..).unwrap_or("")
    }

    /// The keyword as written, for casing checks: the start of the text.
    pub fn written(&self) -> &str {
        self.text.get(..self.written_len).unwrap_or("")
    }

    /// The value of the flag `--name=value` (`Some("")` for a bare `--name`).
    pub fn flag(&self, name: &str) -> Option<&str> {
        self.flags.iter().find_map(|f| {
            let f = f.strip_prefix("--")?;
            match f.split_once('=') {
                Some((n, v)) if n == name => Some(v),
                None if f == name => Some(""),
                _ => None,
            }
        })
    }

    /// Every value of a repeatable flag such as `--mount`.
    pub fn flag_values<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.flags.iter().filter_map(move |f| {
            let (n, v) = f.strip_prefix("--")?.split_once('=')?;
            (n == name).then_some(v)
        })
    }

    /// The arguments as one string, whichever form they are in.
    pub fn args_text(&self) -> std::borrow::Cow<'_, str> {
        match &self.args {
            Args::Exec(words) => words.join(" ").into(),
            Args::Shell => self.rest().into(),
        }
    }

    /// Whether the arguments were written as a JSON array.
    pub fn is_exec(&self) -> bool {
        matches!(self.args, Args::Exec(_))
    }

    /// BuildKit's one-line dump of this instruction (`(run "echo hi")`), used by the conformance
    /// test against BuildKit's own parser test files.
    pub fn dump(&self) -> String {
        let mut out = self.written().to_lowercase();
        if !self.flags.is_empty() {
            let quoted: Vec<String> = self.flags.iter().map(|f| go_quote(f)).collect();
            out.push_str(&format!(" [{}]", quoted.join(" ")));
        }
        if let Some(child) = &self.onbuild {
            out.push_str(&format!(" ({})", child.dump()));
        }
        for value in &self.values {
            out.push(' ');
            out.push_str(&go_quote(value));
        }
        out.trim().to_owned()
    }
}

/// Go's `strconv.Quote`, for the dump format.
pub fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\x07' => out.push_str("\\a"),
            '\x08' => out.push_str("\\b"),
            '\x0c' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\x0b' => out.push_str("\\v"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32))
            }
            c if c.is_control() => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The parsed file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    /// Parser directives from the top of the file.
    pub directives: Vec<Directive>,
    /// The escape character (`\` unless `# escape=` changed it).
    pub escape: char,
    /// Instructions in order.
    pub instructions: Vec<Instruction>,
    /// Start lines of instructions that had an empty line inside a continuation.
    pub empty_continuations: Vec<usize>,
}

/// The directive names BuildKit knows.
const DIRECTIVES: [&str; 3] = ["syntax", "escape", "check"];

/// The most instructions a Dockerfile may have. Real ones have tens to a few hundred; the
/// explanation of each instruction is tens of times its size, so this bounds the output and
/// the memory of the analysis, whatever the file's byte size.
pub const MAX_INSTRUCTIONS: usize = 10_000;

/// BuildKit's directive parser: `# name=value` lines until the first line that is not one.
struct DirectiveReader {
    done: bool,
    seen: Vec<String>,
}

impl DirectiveReader {
    fn read(&mut self, line: &str) -> Result<Option<(String, String)>, String> {
        if self.done {
            return Ok(None);
        }
        let Some(rest) = line.strip_prefix('#') else {
            self.done = true;
            return Ok(None);
        };
        let Some((name, value)) = directive_parts(rest.trim_start()) else {
            self.done = true;
            return Ok(None);
        };
        let name = name.to_ascii_lowercase();
        if !DIRECTIVES.contains(&name.as_str()) {
            self.done = true;
            return Ok(None);
        }
        if self.seen.contains(&name) {
            return Err(format!("only one {name} parser directive can be used"));
        }
        self.seen.push(name.clone());
        Ok(Some((name, value.to_owned())))
    }
}

/// `name = value` with a name of a letter then letters and digits, and a non-empty value
/// (BuildKit's `^([a-zA-Z][a-zA-Z0-9]*)\s*=\s*(.+?)\s*$`).
pub fn directive_parts(text: &str) -> Option<(&str, &str)> {
    let name_end = text
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_alphabetic() || (*i > 0 && c.is_ascii_digit())))
        .map_or(text.len(), |(i, _)| i);
    if name_end == 0 {
        return None;
    }
    let (name, rest) = text.split_at(name_end);
    let value = rest.trim_start().strip_prefix('=')?.trim();
    (!value.is_empty()).then_some((name, value))
}

/// Lines with their ending kept, like BuildKit's scanner.
fn lines_with_endings(source: &str) -> impl Iterator<Item = &str> {
    source.split_inclusive('\n')
}

fn trim_newline(line: &str) -> &str {
    line.trim_end_matches(['\r', '\n'])
}

/// Removes a trailing continuation character: BuildKit's `([^E])E[ \t]*$|^E[ \t]*$`. An escape
/// character preceded by another escape character is not a continuation.
fn trim_continuation(line: &str, escape: char) -> (&str, bool) {
    let body = line.trim_end_matches([' ', '\t']);
    let Some(before) = body.strip_suffix(escape) else {
        return (line, true);
    };
    match before.chars().next_back() {
        None => ("", false),
        Some(c) if c == escape => (line, true),
        Some(_) => (before, false),
    }
}

/// Parses a Dockerfile the way BuildKit's parser does.
pub fn parse(source: &str) -> Result<Parsed, SyntaxError> {
    let source = source.strip_prefix('\u{feff}').unwrap_or(source);
    let mut lines = lines_with_endings(source);
    let mut reader = DirectiveReader {
        done: false,
        seen: Vec::new(),
    };
    let mut escape = '\\';
    let mut directives = Vec::new();
    // About one instruction per 64 bytes in real files: a guess that saves most regrowing (an
    // instruction is a large record) without reserving much for an odd file.
    let mut instructions = Vec::with_capacity((source.len() / 64).min(MAX_INSTRUCTIONS));
    let mut empty_continuations = Vec::new();
    let mut comments: Vec<String> = Vec::new();
    let mut current = 0usize;
    let err = |line: usize, message: String| SyntaxError { line, message };

    // One logical line's directive handling, shared by first and continuation lines.
    let mut directive = |line: &str,
                         number: usize,
                         escape: &mut char,
                         directives: &mut Vec<Directive>|
     -> Result<bool, SyntaxError> {
        match reader.read(line).map_err(|m| err(number, m))? {
            None => Ok(false),
            Some((name, value)) => {
                if name == "escape" {
                    *escape = match value.as_str() {
                        "\\" => '\\',
                        "`" => '`',
                        other => {
                            return Err(err(
                                number,
                                format!(
                                    "invalid escape token '{}' does not match ` or \\",
                                    super::shorten(other, 20)
                                ),
                            ));
                        }
                    };
                }
                directives.push(Directive {
                    name,
                    value,
                    line: number,
                });
                Ok(true)
            }
        }
    };

    while let Some(raw) = lines.next() {
        // The line without its indentation, worked out once (trimming the start and the line
        // ending in either order gives the same text).
        let lead = raw.trim_start();
        let comment_line = lead.starts_with('#');
        if comment_line {
            let comment = lead[1..].trim();
            if comment.is_empty() {
                comments.clear();
            } else {
                comments.push(comment.to_owned());
            }
        }
        let token = trim_newline(lead);
        let was_directive = directive(token, current + 1, &mut escape, &mut directives)?;
        if was_directive {
            comments.pop();
        }
        let token = if comment_line { "" } else { token };
        current += 1;
        let start = current;
        let (first, mut end_of_line) = trim_continuation(token, escape);
        if end_of_line && first.is_empty() {
            continue;
        }
        let mut logical = String::from(first);
        let mut empty_continuation = false;
        while !end_of_line {
            let Some(raw) = lines.next() else { break };
            let token = trim_newline(raw);
            directive(token, current + 1, &mut escape, &mut directives)?;
            current += 1;
            let lead = token.trim_start();
            if lead.starts_with('#') {
                continue;
            }
            if lead.is_empty() {
                empty_continuation = true;
                continue;
            }
            let (body, eol) = trim_continuation(token, escape);
            logical.push_str(body);
            end_of_line = eol;
        }
        if empty_continuation {
            empty_continuations.push(start);
        }
        let mut instruction = instruction_from_line(&logical, escape)
            .map_err(|m| err(start, m))?
            .with_comments(std::mem::take(&mut comments));
        instruction.line = start;
        if let Some(child) = &mut instruction.onbuild {
            child.line = start;
        }
        let markers = if can_contain_heredoc(&instruction) && logical.contains("<<") {
            heredocs_from_line(&logical).map_err(|m| err(start, m))?
        } else {
            Vec::new()
        };
        instruction.text = into_trimmed(logical);
        if !markers.is_empty() {
            for mut heredoc in markers {
                let mut body = String::new();
                let mut terminated = false;
                for raw in lines.by_ref() {
                    current += 1;
                    let mut candidate = trim_newline(raw);
                    if heredoc.chomp {
                        candidate = candidate.trim_start_matches('\t');
                    }
                    if candidate == heredoc.name {
                        terminated = true;
                        break;
                    }
                    if heredoc.chomp {
                        body.push_str(raw.trim_start_matches('\t'));
                    } else {
                        body.push_str(raw);
                    }
                }
                if !terminated {
                    return Err(err(
                        start,
                        format!(
                            "unterminated heredoc: no line '{}' closes <<{}",
                            super::shorten(&heredoc.name, 40),
                            super::shorten(&heredoc.name, 40)
                        ),
                    ));
                }
                heredoc.body = body;
                instruction.heredocs.push(Heredoc {
                    name: heredoc.name,
                    body: heredoc.body,
                    expand: heredoc.expand,
                    fd: heredoc.fd,
                });
            }
        }
        instruction.end_line = current;
        if instructions.len() == MAX_INSTRUCTIONS {
            return Err(err(
                instruction.line,
                format!(
                    "more than {MAX_INSTRUCTIONS} instructions: dterms explains Dockerfiles of up to {MAX_INSTRUCTIONS}"
                ),
            ));
        }
        instructions.push(instruction);
    }
    if instructions.is_empty() {
        return Err(err(
            current.max(1),
            "the file has no instructions (BuildKit refuses an empty Dockerfile)".into(),
        ));
    }
    Ok(Parsed {
        directives,
        escape,
        instructions,
        empty_continuations,
    })
}

impl Instruction {
    fn with_comments(mut self, comments: Vec<String>) -> Self {
        self.comments = comments;
        self
    }
}

/// BuildKit's whitespace: `[\t\v\f\r ]`.
fn is_blank(c: char) -> bool {
    matches!(c, '\t' | '\x0b' | '\x0c' | '\r' | ' ')
}

/// `line` with whitespace trimmed at both ends (as `str::trim`), in place.
fn into_trimmed(mut line: String) -> String {
    line.truncate(line.trim_end().len());
    let start = line.len() - line.trim_start().len();
    line.drain(..start);
    line
}

/// Splits one logical line into keyword, flags and arguments, and reads the arguments by the
/// keyword's rules. The instruction's `text` is left empty: the caller owns the line.
fn instruction_from_line(line: &str, escape: char) -> Result<Instruction, String> {
    let trimmed = line.trim();
    let (word, rest) = match trimmed.find(is_blank) {
        Some(i) => (&trimmed[..i], trimmed[i..].trim_start_matches(is_blank)),
        None => (trimmed, ""),
    };
    let (flags, rest) = if rest.is_empty() {
        (Vec::new(), "")
    } else {
        extract_flags(rest, escape)
    };
    let rest = rest.trim();
    let keyword = keyword_of(word);
    let mut onbuild = None;
    let (values, json) = match keyword.as_ref() {
        "ADD" | "COPY" | "VOLUME" => match parse_json(rest)? {
            Some(list) => (list, true),
            None => (split_blank(rest), false),
        },
        "CMD" | "ENTRYPOINT" | "RUN" | "SHELL" => maybe_json(rest)?,
        "ARG" => (parse_words(rest, escape), false),
        "ENV" | "LABEL" => (name_values(rest, &keyword, escape)?, false),
        "EXPOSE" | "FROM" => (split_blank(rest), false),
        "HEALTHCHECK" => {
            let sep = rest
                .char_indices()
                .find(|(_, c)| c.is_whitespace())
                .map_or(rest.len(), |(i, _)| i);
            if sep == 0 {
                (Vec::new(), false)
            } else {
                let (mut values, json) = maybe_json(rest[sep..].trim_start())?;
                values.insert(0, rest[..sep].to_owned());
                (values, json)
            }
        }
        "MAINTAINER" | "STOPSIGNAL" | "USER" | "WORKDIR" => (
            if rest.is_empty() {
                Vec::new()
            } else {
                vec![rest.to_owned()]
            },
            false,
        ),
        "ONBUILD" => {
            if !rest.is_empty() {
                let mut child = instruction_from_line(rest, escape)?;
                child.text = rest.trim().to_owned();
                onbuild = Some(Box::new(child));
            }
            (Vec::new(), false)
        }
        _ => (Vec::new(), false),
    };
    let args = if json {
        // For HEALTHCHECK the first value is the type (CMD), not part of the command.
        let skip = usize::from(keyword == "HEALTHCHECK");
        Args::Exec(values[skip.min(values.len())..].to_vec())
    } else {
        Args::Shell
    };
    // What follows the flags is the end of the (trimmed) line: kept as a position, not a copy.
    debug_assert!(trimmed.ends_with(rest));
    Ok(Instruction {
        line: 0,
        end_line: 0,
        keyword,
        flags,
        args,
        values,
        heredocs: Vec::new(),
        text: String::new(),
        comments: Vec::new(),
        onbuild,
        written_len: word.len(),
        rest_at: trimmed.len() - rest.len(),
    })
}

/// The keyword of a word: one of BuildKit's, borrowed, or the word uppercased.
fn keyword_of(word: &str) -> Cow<'static, str> {
    match super::stages::KEYWORDS
        .iter()
        .find(|k| k.eq_ignore_ascii_case(word))
    {
        Some(k) => Cow::Borrowed(k),
        None => Cow::Owned(word.to_ascii_uppercase()),
    }
}

fn split_blank(rest: &str) -> Vec<String> {
    if rest.is_empty() {
        return Vec::new();
    }
    rest.split(is_blank)
        .filter(|w| !w.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A JSON array of strings; `Ok(None)` when the text is not a JSON array at all, an error when
/// it is one with something other than strings in it.
fn parse_json(rest: &str) -> Result<Option<Vec<String>>, String> {
    let rest = rest.trim_start();
    if !rest.starts_with('[') {
        return Ok(None);
    }
    match serde_json::from_str::<serde_json::Value>(rest) {
        Ok(serde_json::Value::Array(items)) => items
            .into_iter()
            .map(|v| match v {
                serde_json::Value::String(s) => Ok(s),
                _ => Err(
                    "when using JSON array syntax, arrays must be comprised of strings only".into(),
                ),
            })
            .collect::<Result<Vec<_>, String>>()
            .map(Some),
        _ => Ok(None),
    }
}

fn maybe_json(rest: &str) -> Result<(Vec<String>, bool), String> {
    if rest.is_empty() {
        return Ok((Vec::new(), false));
    }
    Ok(match parse_json(rest)? {
        Some(list) => (list, true),
        None => (vec![rest.to_owned()], false),
    })
}

/// Builder flags (`--name=value` words) at the start of the arguments, and what follows them.
fn extract_flags(line: &str, escape: char) -> (Vec<String>, &str) {
    let mut flags = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    let mut chars = line.char_indices().peekable();
    loop {
        let Some((pos, c)) = chars.next() else {
            if in_word && word != "--" && (blank_ok || !word.is_empty()) {
                flags.push(word);
            }
            return (flags, "");
        };
        if !in_word {
            if c.is_whitespace() {
                continue;
            }
            if c != '-' || !line[pos + 1..].starts_with('-') {
                return (flags, &line[pos..]);
            }
            in_word = true;
        }
        if let Some(q) = quote {
            if c == q {
                quote = None;
                continue;
            }
            if c == escape {
                match chars.next() {
                    Some((_, next)) => word.push(next),
                    None => quote = None,
                }
                continue;
            }
            word.push(c);
            continue;
        }
        if c.is_whitespace() {
            if word == "--" {
                return (flags, &line[pos..]);
            }
            if blank_ok || !word.is_empty() {
                flags.push(std::mem::take(&mut word));
            }
            word.clear();
            in_word = false;
            blank_ok = false;
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            blank_ok = true;
            continue;
        }
        if c == escape {
            if let Some((_, next)) = chars.next() {
                word.push(next);
            }
            continue;
        }
        word.push(c);
    }
}

/// BuildKit's `parseWords`: words split on unquoted whitespace, quotes and escapes kept.
/// Every character of a word is kept as written (only a lone escape character at the very end
/// is dropped), so each word is one slice of `rest`, copied once.
pub fn parse_words(rest: &str, escape: char) -> Vec<String> {
    let mut words = Vec::new();
    // Where the word being read starts, if one is.
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    let mut blank_ok = false;
    // Where the last word ends: before a lone escape character at the end, else the end.
    let mut end = rest.len();
    let mut chars = rest.char_indices();
    while let Some((at, c)) = chars.next() {
        let Some(from) = start else {
            if c.is_whitespace() {
                continue;
            }
            start = Some(at);
            if c == '\'' || c == '"' {
                quote = Some(c);
                blank_ok = true;
            } else if c == escape && chars.next().is_none() {
                end = at;
            }
            continue;
        };
        if let Some(q) = quote {
            if c == q {
                quote = None;
            } else if c == escape && q != '\'' && chars.next().is_none() {
                end = at;
            }
            continue;
        }
        if c.is_whitespace() {
            if blank_ok || from < at {
                words.push(rest[from..at].to_owned());
            }
            start = None;
            blank_ok = false;
            continue;
        }
        if c == '\'' || c == '"' {
            quote = Some(c);
            blank_ok = true;
        } else if c == escape && chars.next().is_none() {
            end = at;
        }
    }
    if let Some(from) = start
        && (blank_ok || from < end)
    {
        words.push(rest[from..end].to_owned());
    }
    words
}

/// ENV and LABEL: `KEY=value …`, or the legacy `KEY value`. BuildKit's node list: key, value and
/// the separator (`=` or empty for the legacy form) for each pair.
fn name_values(rest: &str, keyword: &str, escape: char) -> Result<Vec<String>, String> {
    let words = parse_words(rest, escape);
    let Some(first) = words.first() else {
        return Ok(Vec::new());
    };
    if !first.contains('=') {
        let Some(i) = rest.find(is_blank) else {
            return Err(format!("{keyword} must have two arguments"));
        };
        let value = rest[i..].trim_start_matches(is_blank);
        return Ok(vec![rest[..i].to_owned(), value.to_owned(), String::new()]);
    }
    let mut values = Vec::with_capacity(words.len() * 3);
    for mut word in words {
        let Some(eq) = word.find('=') else {
            return Err(format!(
                "can't find = in '{}': {keyword} takes name=value pairs",
                super::shorten(&word, 40)
            ));
        };
        // The word becomes the key: one copy less.
        let value = word[eq + 1..].to_owned();
        word.truncate(eq);
        values.push(word);
        values.push(value);
        values.push("=".to_owned());
    }
    Ok(values)
}

fn can_contain_heredoc(instruction: &Instruction) -> bool {
    let target = match &instruction.onbuild {
        Some(child) if instruction.keyword == "ONBUILD" => child,
        _ => instruction,
    };
    matches!(target.keyword.as_ref(), "ADD" | "COPY" | "RUN") && !target.is_exec()
}

/// A heredoc word found on an instruction line, before its body is read.
struct Marker {
    name: String,
    chomp: bool,
    expand: bool,
    fd: u32,
    body: String,
}

/// Every `<<WORD` on the line, read as BuildKit does: the line is split into shell words with
/// quotes and escapes kept (so `<<` inside quotes is not a heredoc, and `<< EOF` is one word),
/// and each word that is `[fd]<<[-]WORD` names a heredoc.
fn heredocs_from_line(line: &str) -> Result<Vec<Marker>, String> {
    let mut lexer = Lexer::new('\\');
    lexer.raw_quotes = true;
    lexer.raw_escapes = true;
    lexer.skip_unset = true;
    let words = lexer
        .words(line, &Env::empty())
        .map(|p| p.words)
        .unwrap_or_default();
    let mut markers = Vec::new();
    for word in words {
        if let Some(marker) = heredoc_word(&word)? {
            markers.push(marker);
        }
    }
    Ok(markers)
}

/// BuildKit's `^(\d*)<<(-?)\s*([^<]*)$` and the quoting rules for the word.
fn heredoc_word(word: &str) -> Result<Option<Marker>, String> {
    let digits = word.bytes().take_while(u8::is_ascii_digit).count();
    let Some(after) = word[digits..].strip_prefix("<<") else {
        return Ok(None);
    };
    let (chomp, after) = match after.strip_prefix('-') {
        Some(a) => (true, a),
        None => (false, after),
    };
    let rest = after.trim_start();
    if rest.is_empty() || rest.contains('<') {
        return Ok(None);
    }
    let fd = word[..digits].parse().unwrap_or(0);
    let mut lexer = Lexer::new('\\');
    lexer.skip_unset = true;
    let plain = lexer.words(rest, &Env::empty())?.words;
    let [name] = plain.as_slice() else {
        return Ok(None);
    };
    lexer.raw_quotes = true;
    let raw = lexer.words(rest, &Env::empty())?.words;
    let quotes = |s: &str| s.matches(['\'', '"']).count();
    let expand = raw.len() == 1 && quotes(name) == quotes(&raw[0]);
    Ok(Some(Marker {
        name: name.clone(),
        chomp,
        expand,
        fd,
        body: String::new(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The character-by-character reading `parse_words` replaced, kept as the oracle.
    fn parse_words_by_char(rest: &str, escape: char) -> Vec<String> {
        let mut words = Vec::new();
        let mut word = String::new();
        let mut in_word = false;
        let mut quote: Option<char> = None;
        let mut blank_ok = false;
        let mut chars = rest.chars();
        while let Some(c) = chars.next() {
            if !in_word {
                if c.is_whitespace() {
                    continue;
                }
                in_word = true;
            }
            if let Some(q) = quote {
                let mut c = c;
                if c == q {
                    quote = None;
                }
                if c == escape && q != '\'' {
                    match chars.next() {
                        None => {
                            quote = None;
                            continue;
                        }
                        Some(next) => {
                            word.push(c);
                            c = next;
                        }
                    }
                }
                word.push(c);
                continue;
            }
            if c.is_whitespace() {
                in_word = false;
                if blank_ok || !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                blank_ok = false;
                continue;
            }
            let mut c = c;
            if c == '\'' || c == '"' {
                quote = Some(c);
                blank_ok = true;
            }
            if c == escape {
                match chars.next() {
                    None => continue,
                    Some(next) => {
                        word.push(c);
                        c = next;
                    }
                }
            }
            word.push(c);
        }
        if in_word && (blank_ok || !word.is_empty()) {
            words.push(word);
        }
        words
    }

    #[test]
    fn words_are_slices_of_the_line_as_the_character_reading_found_them() {
        // Every character the reading treats specially, Unicode whitespace included, in
        // 200,000 pseudo-random lines (a fixed xorshift seed, so every run checks the same).
        let alphabet: Vec<char> = "ab= \t'\"\\`$\u{a0}\u{2003}é".chars().collect();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..50_000 {
            let len = (next() % 12) as usize;
            let line: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            for escape in ['\\', '`'] {
                assert_eq!(
                    parse_words(&line, escape),
                    parse_words_by_char(&line, escape),
                    "{line:?} with escape {escape:?}"
                );
            }
        }
    }

    #[test]
    fn heredoc_words_are_read_as_buildkit_reads_them() {
        // TestParseHeredocHelpers in moby/buildkit's frontend/dockerfile/parser/
        // parser_heredoc_test.go (commit 73ed682): its three lists, as data.
        let valid = [
            "<<EOF",
            "<<'EOF'",
            "<<\"EOF\"",
            "<<-EOF",
            "<<-'EOF'",
            "<<-\"EOF\"",
            "<<EO\"F\"",
            "<< EOF",
            "<<- EOF",
        ];
        let invalid = ["<<'EOF", "<<\"EOF", "<<EOF'", "<<EOF\""];
        let not_heredocs = ["", "EOF", "<<", "<<-", "<EOF", "<<<EOF", "<<EOF sh"];
        for word in valid {
            let marker = heredoc_word(word).expect("valid").expect("a heredoc");
            assert_eq!(marker.name, "EOF", "{word}");
        }
        for word in invalid {
            assert!(heredoc_word(word).is_err(), "{word}");
        }
        for word in not_heredocs {
            assert!(heredoc_word(word).expect("no error").is_none(), "{word}");
        }
    }

    fn names(source: &str) -> Vec<Vec<String>> {
        parse(source)
            .expect("valid")
            .instructions
            .iter()
            .map(|i| i.heredocs.iter().map(|h| h.name.clone()).collect())
            .collect()
    }

    #[test]
    fn heredocs_follow_buildkit() {
        // A space after <<, quoted and partly quoted words, dots in the name.
        assert_eq!(names("FROM a\nRUN cat << EOF\nx\nEOF\n")[1], ["EOF"]);
        assert_eq!(names("FROM a\nRUN <<\"EOF\"\nx\nEOF\n")[1], ["EOF"]);
        assert_eq!(names("FROM a\nRUN <<eo'f'\nx\neof\n")[1], ["eof"]);
        assert_eq!(
            names("FROM a\nCOPY <<file.txt /dest/\nhello\nfile.txt\n")[1],
            ["file.txt"]
        );
        // Two on one line, read in order.
        assert_eq!(
            names("FROM a\nRUN <<A cat /dev/stdin <<B\n1\nA\n2\nB\n")[1],
            ["A", "B"]
        );
        // Not heredocs: inside quotes, or in JSON form.
        assert!(names("FROM a\nRUN python -c \"print(1<<shift)\"\n")[1].is_empty());
        assert!(names("FROM a\nRUN sed \"s/<<PLACEHOLDER>>/v/\" f\n")[1].is_empty());
        assert!(names("FROM a\nRUN [\"sh\", \"<<EOF\"]\n")[1].is_empty());
        // ONBUILD RUN carries its heredoc.
        let p = parse("FROM a\nONBUILD RUN <<EOF\necho\nEOF\nUSER x\n").expect("valid");
        assert_eq!(p.instructions[1].heredocs[0].body, "echo\n");
        assert_eq!(p.instructions[2].keyword, "USER");
        let quoted = parse("FROM a\nRUN <<'EOF'\n$X\nEOF\n").expect("valid");
        assert!(!quoted.instructions[1].heredocs[0].expand);
        let chomped = parse("FROM a\nRUN <<-EOF\n\techo x\n\tEOF\n").expect("valid");
        assert_eq!(chomped.instructions[1].heredocs[0].body, "echo x\n");
    }

    #[test]
    fn bom_directives_and_escapes() {
        let p = parse("\u{feff}# syntax=docker/dockerfile:1\nFROM a\n").expect("valid");
        assert_eq!(p.instructions[0].keyword, "FROM");
        assert_eq!(p.directives[0].value, "docker/dockerfile:1");
        let p = parse("# escape=`\nFROM a\nRUN echo `\n  b\n").expect("valid");
        assert_eq!(p.escape, '`');
        assert_eq!(p.instructions[1].text, "RUN echo   b");
        // An escaped escape at the end of a line is not a continuation.
        let p = parse("FROM a\nRUN echo \\\\\nUSER x\n").expect("valid");
        assert_eq!(p.instructions.len(), 3);
        assert!(parse("# escape=x\nFROM a\n").is_err());
        assert!(parse("# syntax=a\n# syntax=b\nFROM a\n").is_err());
    }

    #[test]
    fn buildkit_refusals() {
        assert!(parse("FROM a\nCMD [\"a\", 1]\n").is_err());
        assert!(parse("FROM a\nENV KEY\n").is_err());
        assert!(parse("").is_err());
        assert!(parse("# just a comment\n").is_err());
        let p = parse("FROM a\nCMD [\"a\", \"b\"]\nARG A=\"x y\" B\n").expect("valid");
        assert_eq!(
            p.instructions[1].args,
            Args::Exec(vec!["a".into(), "b".into()])
        );
        assert_eq!(p.instructions[2].values, ["A=\"x y\"", "B"]);
    }

    #[test]
    fn flags_are_read_before_arguments() {
        let p = parse("FROM a\nCOPY --from=build --chown=\"a b\" x /y\n").expect("valid");
        let copy = &p.instructions[1];
        assert_eq!(copy.flag("from"), Some("build"));
        assert_eq!(copy.flag("chown"), Some("a b"));
        assert_eq!(copy.values, ["x", "/y"]);
    }
}
