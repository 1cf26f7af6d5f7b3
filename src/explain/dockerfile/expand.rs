//! Word expansion as BuildKit's shell lexer (`frontend/dockerfile/shell`) does it: quotes,
//! escapes, `$V`, `${V}`, `${V:-d}`, `${V-d}`, `${V:+a}`, `${V+a}`, `${V?m}`, `${V#p}`, `${V%p}`,
//! `${V/p/r}`, nesting, and splitting into words. Every result is capped, so a file cannot make
//! it grow without bound.

use std::cell::Cell;
use std::collections::HashMap;
use std::rc::Rc;

/// The longest value one substitution may produce.
pub const MAX_VALUE: usize = 64 * 1024;
/// The deepest nesting of `${…}` inside `${…}`.
pub const MAX_DEPTH: usize = 32;
/// The most text all expansions of one file may produce together.
pub const MAX_TOTAL: usize = 4 * 1024 * 1024;
/// The most pattern-matching steps (`#`, `%`, `/`) one file may take.
const MAX_PATTERN_WORK: u64 = 20_000_000;

/// Variables visible to an expansion.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    layers: [Option<&'a HashMap<String, Rc<str>>>; 2],
}

impl<'a> Env<'a> {
    /// No variables at all.
    pub fn empty() -> Self {
        Env {
            layers: [None, None],
        }
    }

    /// The variables in `vars`.
    pub fn of(vars: &'a HashMap<String, Rc<str>>) -> Self {
        Env {
            layers: [Some(vars), None],
        }
    }

    /// The variables in `first`, then those in `then`.
    pub fn layered(
        first: &'a HashMap<String, Rc<str>>,
        then: &'a HashMap<String, Rc<str>>,
    ) -> Self {
        Env {
            layers: [Some(first), Some(then)],
        }
    }

    fn get(&self, name: &str) -> Option<&'a str> {
        self.layers
            .iter()
            .flatten()
            .find_map(|vars| vars.get(name))
            .map(|v| &**v)
    }
}

/// The result of expanding one piece of text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Processed {
    /// The text with quotes removed and variables substituted.
    pub result: String,
    /// The same split into words on unquoted whitespace.
    pub words: Vec<String>,
    /// Variables that had a value.
    pub matched: Vec<String>,
    /// Variables referred to that had none.
    pub unmatched: Vec<String>,
}

/// BuildKit's lexer, with its switches.
#[derive(Debug, Clone)]
pub struct Lexer {
    /// The escape character.
    pub escape: char,
    /// Keep quote characters in the result.
    pub raw_quotes: bool,
    /// Keep escape characters in the result.
    pub raw_escapes: bool,
    /// Treat quotes as ordinary characters.
    pub skip_quotes: bool,
    /// Leave unset variables as written instead of substituting nothing.
    pub skip_unset: bool,
    /// Bytes produced so far by every expansion with this lexer.
    spent: Cell<usize>,
    /// Pattern-matching steps taken so far.
    work: Cell<u64>,
}

impl Lexer {
    /// A lexer with the given escape character and every switch off.
    pub fn new(escape: char) -> Self {
        Lexer {
            escape,
            raw_quotes: false,
            raw_escapes: false,
            skip_quotes: false,
            skip_unset: false,
            spent: Cell::new(0),
            work: Cell::new(0),
        }
    }

    /// Bytes produced so far by every expansion with this lexer.
    pub fn spent(&self) -> usize {
        self.spent.get()
    }

    /// Expands `text`, returning both the joined result and the words.
    pub fn words(&self, text: &str, env: &Env<'_>) -> Result<Processed, String> {
        self.process(text, env, true)
    }

    /// Expands `text` to its joined result, leaving [`Processed::words`] empty.
    pub fn expand(&self, text: &str, env: &Env<'_>) -> Result<Processed, String> {
        self.process(text, env, false)
    }

    /// Whether `text` has nothing to substitute, unquote or unescape (so it is its own result).
    /// If so, it is counted against the caps exactly as [`Lexer::expand`] would count it, so a
    /// caller that needs neither the copy nor the variables can skip the expansion.
    pub fn plain(&self, text: &str) -> Result<bool, String> {
        if !self.is_plain(text) {
            return Ok(false);
        }
        if text.len() > MAX_VALUE {
            return Err(too_long());
        }
        self.spend(text.len())?;
        Ok(true)
    }

    fn is_plain(&self, text: &str) -> bool {
        // The escape character is always ASCII.
        let escape = self.escape as u32 as u8;
        self.escape.is_ascii()
            && !text.bytes().any(|b| {
                matches!(b, b'$' | b'<')
                    || b == escape
                    || (!self.skip_quotes && matches!(b, b'\'' | b'"'))
            })
    }

    fn process(&self, text: &str, env: &Env<'_>, split: bool) -> Result<Processed, String> {
        // Most values have nothing to substitute, unquote or unescape: they are their own
        // result, and a copy is all the work.
        if self.is_plain(text) {
            if text.len() > MAX_VALUE {
                return Err(too_long());
            }
            let words = if split {
                text.split_whitespace().map(str::to_owned).collect()
            } else {
                Vec::new()
            };
            self.spend(text.len())?;
            return Ok(Processed {
                result: text.to_owned(),
                words,
                matched: Vec::new(),
                unmatched: Vec::new(),
            });
        }
        let mut run = Run {
            skip_unset: self.skip_unset,
            lexer: self,
            chars: text.chars().collect(),
            at: 0,
            env: *env,
            depth: 0,
            matched: Vec::new(),
            unmatched: Vec::new(),
            raw_escapes: self.raw_escapes,
            split,
        };
        let (result, words) = run.until(None, self.raw_escapes)?;
        self.spend(result.len())?;
        Ok(Processed {
            result,
            words,
            matched: run.matched,
            unmatched: run.unmatched,
        })
    }

    /// Counts `bytes` more of output against the file's cap.
    fn spend(&self, bytes: usize) -> Result<(), String> {
        let spent = self.spent.get() + bytes;
        self.spent.set(spent);
        if spent > MAX_TOTAL {
            return Err(format!(
                "variable substitutions in this file add up to more than {} MiB",
                MAX_TOTAL / (1024 * 1024)
            ));
        }
        Ok(())
    }
}

struct Run<'l, 'e> {
    skip_unset: bool,
    lexer: &'l Lexer,
    chars: Vec<char>,
    at: usize,
    env: Env<'e>,
    depth: usize,
    matched: Vec<String>,
    unmatched: Vec<String>,
    raw_escapes: bool,
    /// Whether the caller wants the words (else only the joined result is built).
    split: bool,
}

struct Words {
    buf: String,
    words: Vec<String>,
    in_word: bool,
    /// Whether words are collected at all: only for the whole text of a splitting expansion.
    enabled: bool,
}

impl Words {
    fn add_char(&mut self, c: char) {
        if !self.enabled {
            return;
        }
        if c.is_whitespace() {
            if self.in_word && !self.buf.is_empty() {
                self.words.push(std::mem::take(&mut self.buf));
                self.in_word = false;
            }
        } else {
            self.add_raw_char(c);
        }
    }
    fn add_raw_char(&mut self, c: char) {
        if !self.enabled {
            return;
        }
        self.buf.push(c);
        self.in_word = true;
    }
    fn add_string(&mut self, s: &str) {
        if !self.enabled {
            return;
        }
        for c in s.chars() {
            self.add_char(c);
        }
    }
    fn add_raw_string(&mut self, s: &str) {
        if !self.enabled {
            return;
        }
        self.buf.push_str(s);
        self.in_word = true;
    }
    fn finish(mut self) -> Vec<String> {
        if !self.buf.is_empty() {
            self.words.push(std::mem::take(&mut self.buf));
        }
        self.words
    }
}

fn too_long() -> String {
    format!(
        "a variable substitution makes a value longer than {} KiB",
        MAX_VALUE / 1024
    )
}

fn is_special_param(c: char) -> bool {
    matches!(c, '@' | '*' | '#' | '?' | '-' | '$' | '!' | '0')
}

impl<'e> Run<'_, 'e> {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn next(&mut self) -> Option<char> {
        let c = self.peek();
        if c.is_some() {
            self.at += 1;
        }
        c
    }

    fn check(&self, s: &str) -> Result<(), String> {
        if s.len() > MAX_VALUE {
            Err(too_long())
        } else {
            Ok(())
        }
    }

    /// Reads up to `stop` (or the end), returning the result and its words.
    fn until(
        &mut self,
        stop: Option<char>,
        raw_escapes: bool,
    ) -> Result<(String, Vec<String>), String> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(format!("variables are nested more than {MAX_DEPTH} deep"));
        }
        let saved = self.raw_escapes;
        self.raw_escapes = raw_escapes;
        let out = self.until_inner(stop);
        self.raw_escapes = saved;
        self.depth -= 1;
        out
    }

    fn until_inner(&mut self, stop: Option<char>) -> Result<(String, Vec<String>), String> {
        let mut result = String::new();
        let mut words = Words {
            buf: String::new(),
            words: Vec::new(),
            in_word: false,
            enabled: self.split && self.depth == 1,
        };
        while let Some(c) = self.peek() {
            if Some(c) == stop {
                self.next();
                return Ok((result, words.finish()));
            }
            match c {
                '$' => {
                    let value = self.dollar()?;
                    result.push_str(&value);
                    words.add_string(&value);
                }
                '<' => {
                    let value = self.possible_heredoc();
                    result.push_str(&value);
                    words.add_raw_string(&value);
                }
                '\'' if !self.lexer.skip_quotes => {
                    let value = self.single_quote()?;
                    result.push_str(&value);
                    words.add_raw_string(&value);
                }
                '"' if !self.lexer.skip_quotes => {
                    let value = self.double_quote()?;
                    result.push_str(&value);
                    words.add_raw_string(&value);
                }
                _ => {
                    self.next();
                    let mut c = c;
                    if c == self.lexer.escape {
                        if self.raw_escapes {
                            words.add_raw_char(c);
                            result.push(c);
                        }
                        match self.next() {
                            None => break,
                            Some(n) => c = n,
                        }
                        words.add_raw_char(c);
                    } else {
                        words.add_char(c);
                    }
                    result.push(c);
                }
            }
            self.check(&result)?;
        }
        if let Some(stop) = stop {
            return Err(format!(
                "unexpected end of statement while looking for matching {stop}"
            ));
        }
        Ok((result, words.finish()))
    }

    fn single_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let open = self.next().unwrap_or('\'');
        if self.lexer.raw_quotes {
            out.push(open);
        }
        loop {
            match self.next() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching single-quote"
                            .into(),
                    );
                }
                Some('\'') => {
                    if self.lexer.raw_quotes {
                        out.push('\'');
                    }
                    return Ok(out);
                }
                Some(c) => out.push(c),
            }
        }
    }

    fn double_quote(&mut self) -> Result<String, String> {
        let mut out = String::new();
        let open = self.next().unwrap_or('"');
        if self.lexer.raw_quotes {
            out.push(open);
        }
        loop {
            match self.peek() {
                None => {
                    return Err(
                        "unexpected end of statement while looking for matching double-quote"
                            .into(),
                    );
                }
                Some('"') => {
                    self.next();
                    if self.lexer.raw_quotes {
                        out.push('"');
                    }
                    return Ok(out);
                }
                Some('$') => {
                    let value = self.dollar()?;
                    out.push_str(&value);
                }
                Some(_) => {
                    let mut c = self.next().unwrap_or_default();
                    if c == self.lexer.escape {
                        if self.raw_escapes {
                            out.push(c);
                        }
                        match self.peek() {
                            None => continue,
                            Some(n) if n == '"' || n == '$' || n == self.lexer.escape => {
                                c = n;
                                self.next();
                            }
                            Some(_) => {}
                        }
                    }
                    out.push(c);
                }
            }
            self.check(&out)?;
        }
    }

    fn lookup(&mut self, name: &str) -> Option<&'e str> {
        let found = self.env.get(name);
        let list = if found.is_some() {
            &mut self.matched
        } else {
            &mut self.unmatched
        };
        if !list.iter().any(|n| n == name) {
            list.push(name.to_owned());
        }
        found
    }

    fn dollar(&mut self) -> Result<String, String> {
        self.next();
        if self.peek() != Some('{') {
            let name = self.name();
            if name.is_empty() {
                return Ok("$".into());
            }
            return Ok(match self.lookup(&name) {
                Some(v) => v.to_owned(),
                None if self.skip_unset => format!("${name}"),
                None => String::new(),
            });
        }
        self.next();
        match self.peek() {
            None => return Err("syntax error: missing '}'".into()),
            Some('{' | '}' | ':') => return Err("syntax error: bad substitution".into()),
            _ => {}
        }
        let name = self.name();
        let Some(mut c) = self.next() else {
            return Err("syntax error: missing '}'".into());
        };
        let mut modifier = c.to_string();
        let mut null_is_unset = false;
        if c == '}' {
            return Ok(match self.lookup(&name) {
                Some(v) => v.to_owned(),
                None if self.skip_unset => format!("${{{name}}}"),
                None => String::new(),
            });
        }
        if c == ':' {
            null_is_unset = true;
            let Some(n) = self.next() else {
                return Err("syntax error: missing '}'".into());
            };
            c = n;
            modifier.push(c);
        }
        match c {
            '+' | '-' | '?' | '#' | '%' => {
                let raw = c == '#' || c == '%';
                if null_is_unset && raw {
                    return Err(format!("unsupported modifier ({modifier}) in substitution"));
                }
                let (word, _) = self.until(Some('}'), raw).map_err(|e| {
                    if self.peek().is_none() && e.starts_with("unexpected end") {
                        "syntax error: missing '}'".to_owned()
                    } else {
                        e
                    }
                })?;
                let value = self.lookup(&name).map(str::to_owned);
                if self.lexer.skip_unset && value.is_none() {
                    return Ok(format!("${{{name}{modifier}{word}}}"));
                }
                let empty = value
                    .as_deref()
                    .is_none_or(|v| null_is_unset && v.is_empty());
                match c {
                    '-' => Ok(if empty {
                        word
                    } else {
                        value.unwrap_or_default()
                    }),
                    '+' => Ok(if empty { String::new() } else { word }),
                    '?' => match value {
                        None => Err(format!(
                            "{name}: {}",
                            if word.is_empty() {
                                "is not allowed to be unset"
                            } else {
                                &word
                            }
                        )),
                        Some(v) if null_is_unset && v.is_empty() => Err(format!(
                            "{name}: {}",
                            if word.is_empty() {
                                "is not allowed to be empty"
                            } else {
                                &word
                            }
                        )),
                        Some(v) => Ok(v),
                    },
                    _ => {
                        let value = value.unwrap_or_default();
                        let (greedy, pattern) = match word.strip_prefix(c) {
                            Some(p) => (true, p.to_owned()),
                            None => (false, word),
                        };
                        self.charge(&value, &pattern)?;
                        trim_pattern(&value, &pattern, greedy, c == '#')
                    }
                }
            }
            '/' => {
                let all = self.peek() == Some('/');
                if all {
                    self.next();
                }
                let (pattern, _) = self.until(Some('/'), true).map_err(|e| {
                    if self.peek().is_none() {
                        "syntax error: missing '/' in ${}".to_owned()
                    } else {
                        e
                    }
                })?;
                let (replacement, _) = self.until(Some('}'), true).map_err(|e| {
                    if self.peek().is_none() {
                        "syntax error: missing '}'".to_owned()
                    } else {
                        e
                    }
                })?;
                let value = self.lookup(&name).map(str::to_owned);
                let Some(value) = value else {
                    if self.lexer.skip_unset {
                        return Ok(format!("${{{name}/{pattern}/{replacement}}}"));
                    }
                    return Ok(String::new());
                };
                self.charge(&value, &pattern)?;
                let n = value.chars().count() as u64;
                self.charge_steps(n * n * (pattern.len() as u64 + 1))?;
                replace_pattern(&value, &pattern, &replacement, all)
            }
            _ => Err(format!("unsupported modifier ({modifier}) in substitution")),
        }
    }

    /// Counts the steps a pattern match will take against the file's budget.
    fn charge(&self, value: &str, pattern: &str) -> Result<(), String> {
        let steps = (value.chars().count() as u64 + 1) * (pattern.chars().count() as u64 + 1);
        self.charge_steps(steps)
    }

    fn charge_steps(&self, steps: u64) -> Result<(), String> {
        let total = self.lexer.work.get().saturating_add(steps);
        self.lexer.work.set(total);
        if total > MAX_PATTERN_WORK {
            return Err(
                "the ${V#…}, ${V%…} and ${V/…} patterns in this file take too long to match".into(),
            );
        }
        Ok(())
    }

    fn name(&mut self) -> String {
        let mut name = String::new();
        while let Some(c) = self.peek() {
            if name.is_empty() && c.is_ascii_digit() {
                while let Some(d) = self.peek().filter(char::is_ascii_digit) {
                    name.push(d);
                    self.next();
                }
                return name;
            }
            if name.is_empty() && is_special_param(c) {
                self.next();
                return c.to_string();
            }
            if !(c.is_alphanumeric() || c == '_') {
                break;
            }
            name.push(c);
            self.next();
        }
        name
    }

    fn possible_heredoc(&mut self) -> String {
        self.next();
        if self.peek() != Some('<') {
            return "<".into();
        }
        self.next();
        let mut out = String::from("<<");
        while let Some(c) = self.peek().filter(|c| matches!(c, ' ' | '\t' | '\r')) {
            out.push(c);
            self.next();
        }
        out
    }
}

/// One element of a shell pattern: `*`, `?` or a literal character.
#[derive(Clone, Copy, PartialEq)]
enum Glob {
    Any,
    One,
    Lit(char),
}

fn compile(pattern: &str) -> Result<Vec<Glob>, String> {
    let mut out = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '*' => out.push(Glob::Any),
            '?' => out.push(Glob::One),
            '\\' => match chars.peek() {
                Some('}' | '/') => {}
                Some(&n) if matches!(n, '*' | '?' | '\\') => {
                    out.push(Glob::Lit(n));
                    chars.next();
                }
                Some(&n) => {
                    return Err(format!(
                        "invalid pattern ({pattern}) in substitution: invalid escape '\\{n}'"
                    ));
                }
                None => return Err(format!("invalid pattern ({pattern}) in substitution")),
            },
            c => out.push(Glob::Lit(c)),
        }
    }
    Ok(out)
}

/// For every prefix of `text` (by length, 0 to n), whether `glob` matches all of it: one pass
/// of the pattern's automaton, O(len(text) × len(glob)).
fn prefix_matches(glob: &[Glob], text: &[char]) -> Vec<bool> {
    let m = glob.len();
    let close = |states: &mut Vec<bool>| {
        for g in 0..m {
            if states[g] && glob[g] == Glob::Any {
                states[g + 1] = true;
            }
        }
    };
    let mut states = vec![false; m + 1];
    states[0] = true;
    close(&mut states);
    let mut out = Vec::with_capacity(text.len() + 1);
    out.push(states[m]);
    for &c in text {
        let mut next = vec![false; m + 1];
        for g in 0..m {
            if !states[g] {
                continue;
            }
            match glob[g] {
                Glob::Any => next[g] = true,
                Glob::One => next[g + 1] = true,
                Glob::Lit(x) if x == c => next[g + 1] = true,
                Glob::Lit(_) => {}
            }
        }
        close(&mut next);
        states = next;
        out.push(states[m]);
        if !states.iter().any(|s| *s) {
            out.resize(text.len() + 1, false);
            break;
        }
    }
    out
}

/// `${V#p}`, `${V##p}`, `${V%p}`, `${V%%p}`.
fn trim_pattern(value: &str, pattern: &str, greedy: bool, prefix: bool) -> Result<String, String> {
    let mut glob = compile(pattern)?;
    let mut chars: Vec<char> = value.chars().collect();
    if !prefix {
        glob.reverse();
        chars.reverse();
    }
    let matches = prefix_matches(&glob, &chars);
    let len = if greedy {
        matches.iter().rposition(|m| *m)
    } else {
        matches.iter().position(|m| *m)
    };
    let Some(len) = len else {
        return Ok(value.to_owned());
    };
    let mut kept: Vec<char> = chars[len..].to_vec();
    if !prefix {
        kept.reverse();
    }
    Ok(kept.into_iter().collect())
}

/// `${V/p/r}` and `${V//p/r}`: the leftmost longest match replaced, or every match.
fn replace_pattern(
    value: &str,
    pattern: &str,
    replacement: &str,
    all: bool,
) -> Result<String, String> {
    let glob = compile(pattern)?;
    let chars: Vec<char> = value.chars().collect();
    let mut out = String::new();
    let mut start = 0;
    while start <= chars.len() {
        let found = (start..=chars.len()).find_map(|s| {
            let matches = prefix_matches(&glob, &chars[s..]);
            matches
                .iter()
                .rposition(|m| *m)
                .filter(|len| *len > 0)
                .map(|len| (s, s + len))
        });
        let Some((s, e)) = found else { break };
        out.extend(&chars[start..s]);
        out.push_str(replacement);
        if out.len() > MAX_VALUE {
            return Err(too_long());
        }
        start = e;
        if !all {
            break;
        }
    }
    out.extend(chars.get(start..).unwrap_or_default());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, Rc<str>> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Rc::from(*v)))
            .collect()
    }

    fn word(text: &str, vars: &HashMap<String, Rc<str>>) -> String {
        Lexer::new('\\')
            .words(text, &Env::of(vars))
            .expect("valid")
            .result
    }

    #[test]
    fn substitutions_follow_the_shell_lexer() {
        let vars = env(&[("A", "1"), ("E", "")]);
        assert_eq!(word("x${A}y$A", &vars), "x1y1");
        assert_eq!(word("${B:-def}", &vars), "def");
        assert_eq!(word("${E:-def}", &vars), "def");
        assert_eq!(word("${E-def}", &vars), "");
        assert_eq!(word("${B-def}", &vars), "def");
        assert_eq!(word("${A:+alt}${B:+alt}", &vars), "alt");
        assert_eq!(word("${E+alt}", &vars), "alt");
        assert_eq!(word("${B:-${A:-x}}", &vars), "1");
        assert_eq!(word("'$A' \"$A\" \\$A", &vars), "$A 1 $A");
        let vars = env(&[("V", "python:3.12-slim")]);
        assert_eq!(word("${V%%:*}", &vars), "python");
        assert_eq!(word("${V#*:}", &vars), "3.12-slim");
        assert_eq!(word("${V/slim/full}", &vars), "python:3.12-full");
        let p = Lexer::new('\\')
            .words("$X ${Y:-a} b", &Env::of(&vars))
            .expect("valid");
        assert_eq!(p.unmatched, ["X", "Y"]);
        assert_eq!(p.words, ["a", "b"]);
        assert!(Lexer::new('\\').words("${", &Env::empty()).is_err());
        assert!(Lexer::new('\\').words("${A", &Env::empty()).is_err());
    }

    #[test]
    fn caps_stop_growth_and_nesting() {
        let big = "x".repeat(MAX_VALUE / 2 + 1);
        let vars = env(&[("A", &big)]);
        assert!(Lexer::new('\\').words("$A$A", &Env::of(&vars)).is_err());
        let deep = "${A:-".repeat(100) + &"}".repeat(100);
        assert!(Lexer::new('\\').words(&deep, &Env::empty()).is_err());
    }
}
