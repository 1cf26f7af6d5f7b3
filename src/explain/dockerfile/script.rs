//! The shell commands inside a RUN: split on `&&`, `||`, `;`, `|` and newlines, words unquoted,
//! redirections set apart (so `pip install torch>=2` is seen as `pip install torch` writing to a
//! file named `=2`), and the program behind `sudo`, `env` or `python -m`.

use std::borrow::Cow;

/// A word of a script: borrowed from the script when it is written there as it is (no quotes or
/// escapes inside), else unquoted into a string of its own.
pub type Word<'a> = Cow<'a, str>;

/// One simple command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command<'a> {
    /// `NAME=value` words before the program.
    pub assignments: Vec<Word<'a>>,
    /// The program and its arguments, quotes removed; wrappers such as `sudo` taken off.
    pub words: Vec<Word<'a>>,
    /// Redirections: the operator (`>`, `>>`, `<`, `2>` …) and its target.
    pub redirects: Vec<(Word<'a>, Word<'a>)>,
    /// Whether its output is piped into the next command.
    pub piped: bool,
    /// Whether it was run through `sudo`.
    pub sudo: bool,
}

impl<'a> Command<'a> {
    /// The program's name without its directory (`/usr/bin/pip3` → `pip3`).
    pub fn program(&self) -> &str {
        let first = self.words.first().map_or("", |w| &**w);
        base_name(first)
    }

    /// The arguments after the program.
    pub fn args(&self) -> &[Word<'a>] {
        self.words.get(1..).unwrap_or_default()
    }

    /// Whether an argument equals `word`.
    pub fn has(&self, word: &str) -> bool {
        self.args().iter().any(|a| a == word)
    }

    /// The pip invocation inside this command: `pip`, `pip3`, `python -m pip`, `uv pip`;
    /// returns the arguments after `pip`.
    pub fn pip_args(&self) -> Option<&[Word<'a>]> {
        let program = self.program();
        if program == "pip" || program.starts_with("pip3") || program == "pip2" {
            return Some(self.args());
        }
        if program.starts_with("python") {
            let args = self.args();
            let at = args.iter().position(|a| a == "-m")?;
            return matches!(&**args.get(at + 1)?, "pip" | "pip3").then(|| &args[at + 2..]);
        }
        if program == "uv" && self.args().first().is_some_and(|a| a == "pip") {
            return Some(&self.args()[1..]);
        }
        None
    }

    /// Whether this is `pip install …` in any of its spellings.
    pub fn is_pip_install(&self) -> bool {
        self.pip_args().is_some_and(|a| {
            a.iter()
                .find(|w| !w.starts_with('-'))
                .is_some_and(|w| w == "install")
        })
    }

    /// The first non-option argument (the subcommand of apt-get, apk, dnf …).
    pub fn subcommand(&self) -> Option<&str> {
        self.args()
            .iter()
            .find(|a| !a.starts_with('-'))
            .map(|a| &**a)
    }
}

/// A path's last part (`/usr/bin/pip3` → `pip3`). Rules ask for it of every command, so it is
/// a plain backwards scan of a short word rather than a general string search.
pub fn base_name(path: &str) -> &str {
    match path.bytes().rposition(|b| b == b'/') {
        Some(slash) => &path[slash + 1..],
        None => path,
    }
}

/// Splits a script into simple commands. Never fails: unbalanced quotes run to the end.
pub fn commands(script: &str) -> Vec<Command<'_>> {
    let mut s = Splitter::new(script);
    let bytes = script.as_bytes();
    // Every byte the shell treats specially is ASCII, so the text between two of them is
    // copied whole, and a UTF-8 sequence is never split.
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        match b {
            b'\'' => {
                s.in_word = true;
                let end = find(bytes, i + 1, b'\'');
                s.piece(i + 1..end);
                i = (end + 1).min(bytes.len());
            }
            b'"' => {
                s.in_word = true;
                i += 1;
                let mut copied = i;
                while i < bytes.len() {
                    match bytes[i] {
                        b'"' => break,
                        b'\\' => {
                            s.piece(copied..i);
                            match bytes.get(i + 1) {
                                Some(&n @ (b'"' | b'\\' | b'$' | b'`')) => {
                                    s.push(char::from(n));
                                    i += 2;
                                }
                                Some(b'\n') => i += 2,
                                // Kept with its backslash; the character is copied next.
                                Some(_) => {
                                    s.push('\\');
                                    i += 1;
                                }
                                None => i += 1,
                            }
                            copied = i;
                            continue;
                        }
                        _ => {}
                    }
                    i += 1;
                }
                s.piece(copied..i.min(bytes.len()));
                i = (i + 1).min(bytes.len());
            }
            b'\\' => match bytes.get(i + 1) {
                Some(b'\n') => i += 2,
                Some(_) => {
                    s.in_word = true;
                    let len = char_len(bytes[i + 1]);
                    s.piece(i + 1..i + 1 + len);
                    i += 1 + len;
                }
                None => i += 1,
            },
            b'$' if bytes.get(i + 1) == Some(&b'(') => {
                // Command substitution: kept inside the word, whatever it holds.
                s.in_word = true;
                let mut depth = 0usize;
                let mut end = bytes.len();
                for (k, &c) in bytes.iter().enumerate().skip(i + 1) {
                    match c {
                        b'(' => depth += 1,
                        b')' => {
                            depth -= 1;
                            if depth == 0 {
                                end = k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                s.piece(i..end);
                i = end;
            }
            b'`' => {
                s.in_word = true;
                let end = (find(bytes, i + 1, b'`') + 1).min(bytes.len());
                s.piece(i..end);
                i = end;
            }
            b'#' if !s.in_word => {
                // The comment and its line break.
                i = (find(bytes, i + 1, b'\n') + 1).min(bytes.len());
                s.end_word();
                s.end_command(false);
            }
            b'>' | b'<' => {
                // A file descriptor written just before (`2>`) belongs to the operator.
                let fd = if s.in_word
                    && !s.current().is_empty()
                    && s.current().bytes().all(|d| d.is_ascii_digit())
                    && s.pending_redirect.is_none()
                {
                    let fd = s.current().to_owned();
                    s.clear_word();
                    Some(fd)
                } else {
                    s.end_word();
                    None
                };
                let start = i;
                i += 1;
                while i < bytes.len() && matches!(bytes[i], b'>' | b'<' | b'&' | b'|') {
                    i += 1;
                }
                let op: Word = match fd {
                    Some(mut fd) => {
                        fd.push_str(&script[start..i]);
                        fd.into()
                    }
                    None => script[start..i].into(),
                };
                if op.ends_with('&')
                    && bytes
                        .get(i)
                        .is_some_and(|d| d.is_ascii_digit() || *d == b'-')
                {
                    // 2>&1: the target is a descriptor.
                    let start = i;
                    while i < bytes.len() && (bytes[i].is_ascii_digit() || bytes[i] == b'-') {
                        i += 1;
                    }
                    s.current.redirects.push((op, script[start..i].into()));
                } else {
                    s.pending_redirect = Some(op);
                }
            }
            b'&' | b'|' | b';' | b'\n' => {
                s.end_word();
                s.pending_redirect = None;
                let doubled = matches!(b, b'&' | b'|') && bytes.get(i + 1) == Some(&b);
                i += 1 + usize::from(doubled);
                s.end_command(b == b'|' && !doubled);
            }
            b')' | b'}' if !s.in_word => i += 1,
            b' ' | b'\t' | b'\r' | b'\x0b' | b'\x0c' => {
                s.end_word();
                i += 1;
            }
            _ => {
                // A run of ordinary characters; a non-ASCII one may be whitespace.
                let start = i;
                while i < bytes.len() {
                    let c = bytes[i];
                    if c.is_ascii() {
                        if c.is_ascii_whitespace() || c == b'\x0b' || is_special(c) {
                            break;
                        }
                        i += 1;
                    } else {
                        let ch = script[i..].chars().next().unwrap_or(' ');
                        if ch.is_whitespace() {
                            break;
                        }
                        i += ch.len_utf8();
                    }
                }
                if i > start {
                    s.in_word = true;
                    s.piece(start..i);
                } else if b >= 0x80 {
                    // Unicode whitespace.
                    s.end_word();
                    i += char_len(b);
                } else {
                    // `$` without `(`, `#` inside a word, `)` or `}` inside a word.
                    s.in_word = true;
                    s.piece(i..i + 1);
                    i += 1;
                }
            }
        }
    }
    s.end_word();
    s.end_command(false);
    s.out
}

/// Bytes that end a run of ordinary characters.
fn is_special(b: u8) -> bool {
    matches!(
        b,
        b'\'' | b'"' | b'\\' | b'$' | b'`' | b'#' | b'>' | b'<' | b'&' | b'|' | b';' | b')' | b'}'
    )
}

/// The position of the next `byte` from `from`, or the end.
fn find(bytes: &[u8], from: usize, byte: u8) -> usize {
    bytes
        .get(from..)
        .and_then(|rest| rest.iter().position(|&b| b == byte))
        .map_or(bytes.len(), |p| from + p)
}

/// The length of the UTF-8 sequence that starts with `lead`.
fn char_len(lead: u8) -> usize {
    match lead {
        0..0x80 => 1,
        0xf0.. => 4,
        0xe0.. => 3,
        _ => 2,
    }
}

/// The splitter's state between two bytes of the script.
struct Splitter<'a> {
    script: &'a str,
    out: Vec<Command<'a>>,
    current: Command<'a>,
    raw_words: Vec<Word<'a>>,
    /// The word being read when it is more than one piece of the script (or has an unquoted
    /// character of its own); the buffer is kept for the next word.
    word: String,
    /// The word being read while it is still one piece of the script, borrowed.
    span: Option<(usize, usize)>,
    in_word: bool,
    pending_redirect: Option<Word<'a>>,
}

impl<'a> Splitter<'a> {
    fn new(script: &'a str) -> Self {
        Splitter {
            script,
            out: Vec::new(),
            current: Command::default(),
            raw_words: Vec::new(),
            word: String::new(),
            span: None,
            in_word: false,
            pending_redirect: None,
        }
    }

    /// Adds the script's bytes `range` to the word being read.
    fn piece(&mut self, range: std::ops::Range<usize>) {
        match self.span {
            // Right after the piece before: still one piece of the script.
            Some((start, end)) if end == range.start => self.span = Some((start, range.end)),
            None if self.word.is_empty() => self.span = Some((range.start, range.end)),
            _ => {
                self.spill();
                self.word.push_str(&self.script[range]);
            }
        }
    }

    /// Adds a character that is not written as such in the script (an unescaped one).
    fn push(&mut self, c: char) {
        self.spill();
        self.word.push(c);
    }

    /// Moves a borrowed piece into the buffer, before something else is added to it.
    fn spill(&mut self) {
        if let Some((start, end)) = self.span.take() {
            self.word.push_str(&self.script[start..end]);
        }
    }

    /// The word read so far.
    fn current(&self) -> &str {
        match self.span {
            Some((start, end)) => &self.script[start..end],
            None => &self.word,
        }
    }

    /// Forgets the word being read.
    fn clear_word(&mut self) {
        self.span = None;
        self.word.clear();
        self.in_word = false;
    }

    /// Ends the word being read: a redirection's target after an operator, else a word.
    fn end_word(&mut self) {
        if !self.in_word {
            return;
        }
        let w: Word<'a> = match self.span.take() {
            Some((start, end)) => Cow::Borrowed(&self.script[start..end]),
            // A copy of the exact size; the buffer is kept for the next word.
            None => Cow::Owned(String::from(self.word.as_str())),
        };
        self.word.clear();
        self.in_word = false;
        match self.pending_redirect.take() {
            Some(op) => self.current.redirects.push((op, w)),
            None => self.raw_words.push(w),
        }
    }

    /// Ends the simple command being read: assignments first, wrappers taken off.
    fn end_command(&mut self, piped: bool) {
        let mut command = std::mem::take(&mut self.current);
        command.piped = piped;
        let mut rest = std::mem::take(&mut self.raw_words);
        let assignments = rest.iter().take_while(|w| is_assignment(w)).count();
        if assignments > 0 {
            command.assignments = rest.drain(..assignments).collect();
        }
        // Wrappers that run the real program.
        let mut k = 0;
        loop {
            match rest.get(k).map(|w| &**w) {
                Some("sudo") => {
                    command.sudo = true;
                    k += 1;
                    while let Some(flag) = rest.get(k).filter(|w| w.starts_with('-')) {
                        let takes_value =
                            matches!(&**flag, "-u" | "-g" | "-U" | "-C" | "-h" | "-p");
                        k += 1;
                        if takes_value && k < rest.len() {
                            k += 1;
                        }
                    }
                }
                Some("env") => {
                    k += 1;
                    while rest
                        .get(k)
                        .is_some_and(|w| w.contains('=') || w.starts_with('-'))
                    {
                        command.assignments.push(std::mem::take(&mut rest[k]));
                        k += 1;
                    }
                }
                Some("exec" | "time" | "nohup" | "command" | "(" | "{" | "!") => k += 1,
                _ => break,
            }
        }
        rest.drain(..k);
        command.words = rest;
        if !command.words.is_empty() || !command.assignments.is_empty() {
            self.out.push(command);
        }
    }
}

/// `NAME=value`: a name of letters, digits and `_`, not starting with a digit.
fn is_assignment(word: &str) -> bool {
    word.split_once('=').is_some_and(|(n, _)| {
        !n.is_empty()
            && n.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'_')
            && !n.starts_with(|c: char| c.is_ascii_digit())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_commands_and_redirections() {
        let c = commands(
            "apt-get update && sudo apt-get install -y git; pip install 'torch>=2' numpy>=1.26 | tee log 2>&1",
        );
        assert_eq!(c.len(), 4);
        assert_eq!(c[1].program(), "apt-get");
        assert!(c[1].sudo);
        assert_eq!(c[2].args(), ["install", "torch>=2", "numpy"]);
        assert_eq!(c[2].redirects, [(Word::from(">"), Word::from("=1.26"))]);
        assert!(c[2].piped);
        assert_eq!(c[3].redirects, [(Word::from("2>&"), Word::from("1"))]);
        let c = commands("PIP_NO_CACHE_DIR=1 python3 -m pip install -r req.txt");
        assert_eq!(c[0].assignments, ["PIP_NO_CACHE_DIR=1"]);
        assert!(c[0].is_pip_install());
        let c = commands("echo \"a && b\" $(cd x && ls) # comment && rm\nls");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].args(), ["a && b", "$(cd x && ls)"]);
    }
}
