//! The shell commands inside a RUN: split on `&&`, `||`, `;`, `|` and newlines, words unquoted,
//! redirections set apart (so `pip install torch>=2` is seen as `pip install torch` writing to a
//! file named `=2`), and the program behind `sudo`, `env` or `python -m`.

/// One simple command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Command {
    /// `NAME=value` words before the program.
    pub assignments: Vec<String>,
    /// The program and its arguments, quotes removed; wrappers such as `sudo` taken off.
    pub words: Vec<String>,
    /// Redirections: the operator (`>`, `>>`, `<`, `2>` …) and its target.
    pub redirects: Vec<(String, String)>,
    /// Whether its output is piped into the next command.
    pub piped: bool,
    /// Whether it was run through `sudo`.
    pub sudo: bool,
}

impl Command {
    /// The program's name without its directory (`/usr/bin/pip3` → `pip3`).
    pub fn program(&self) -> &str {
        let first = self.words.first().map(String::as_str).unwrap_or("");
        first.rsplit('/').next().unwrap_or(first)
    }

    /// The arguments after the program.
    pub fn args(&self) -> &[String] {
        self.words.get(1..).unwrap_or_default()
    }

    /// Whether an argument equals `word`.
    pub fn has(&self, word: &str) -> bool {
        self.args().iter().any(|a| a == word)
    }

    /// The pip invocation inside this command: `pip`, `pip3`, `python -m pip`, `uv pip`;
    /// returns the arguments after `pip`.
    pub fn pip_args(&self) -> Option<&[String]> {
        let program = self.program();
        if program == "pip" || program.starts_with("pip3") || program == "pip2" {
            return Some(self.args());
        }
        if program.starts_with("python") {
            let args = self.args();
            let at = args.iter().position(|a| a == "-m")?;
            return matches!(args.get(at + 1)?.as_str(), "pip" | "pip3").then(|| &args[at + 2..]);
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
            .map(String::as_str)
    }
}

/// Splits a script into simple commands. Never fails: unbalanced quotes run to the end.
pub fn commands(script: &str) -> Vec<Command> {
    let mut out = Vec::new();
    let mut current = Command::default();
    let mut raw_words: Vec<String> = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut pending_redirect: Option<String> = None;
    let mut chars = script.chars().peekable();

    fn end_word(
        word: &mut String,
        in_word: &mut bool,
        raw_words: &mut Vec<String>,
        current: &mut Command,
        pending: &mut Option<String>,
    ) {
        if !*in_word {
            return;
        }
        let w = std::mem::take(word);
        *in_word = false;
        match pending.take() {
            Some(op) => current.redirects.push((op, w)),
            None => raw_words.push(w),
        }
    }

    fn end_command(
        out: &mut Vec<Command>,
        current: &mut Command,
        raw_words: &mut Vec<String>,
        piped: bool,
    ) {
        let mut command = std::mem::take(current);
        command.piped = piped;
        let words = std::mem::take(raw_words);
        let mut words = words.into_iter().peekable();
        while let Some(w) = words.peek() {
            let is_assignment = w.split_once('=').is_some_and(|(n, _)| {
                !n.is_empty()
                    && n.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    && !n.starts_with(|c: char| c.is_ascii_digit())
            });
            if is_assignment {
                command.assignments.extend(words.next());
            } else {
                break;
            }
        }
        let mut rest: Vec<String> = words.collect();
        // Wrappers that run the real program.
        loop {
            match rest.first().map(String::as_str) {
                Some("sudo") => {
                    command.sudo = true;
                    rest.remove(0);
                    while rest.first().is_some_and(|w| w.starts_with('-')) {
                        let flag = rest.remove(0);
                        if matches!(flag.as_str(), "-u" | "-g" | "-U" | "-C" | "-h" | "-p")
                            && !rest.is_empty()
                        {
                            rest.remove(0);
                        }
                    }
                }
                Some("env") => {
                    rest.remove(0);
                    while rest
                        .first()
                        .is_some_and(|w| w.contains('=') || w.starts_with('-'))
                    {
                        command.assignments.push(rest.remove(0));
                    }
                }
                Some("exec" | "time" | "nohup" | "command" | "(" | "{" | "!") => {
                    rest.remove(0);
                }
                _ => break,
            }
        }
        command.words = rest;
        if !command.words.is_empty() || !command.assignments.is_empty() {
            out.push(command);
        }
    }

    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                for c in chars.by_ref() {
                    if c == '\'' {
                        break;
                    }
                    word.push(c);
                }
            }
            '"' => {
                in_word = true;
                while let Some(c) = chars.next() {
                    match c {
                        '"' => break,
                        '\\' => match chars.next() {
                            Some(n @ ('"' | '\\' | '$' | '`')) => word.push(n),
                            Some('\n') => {}
                            Some(n) => {
                                word.push('\\');
                                word.push(n);
                            }
                            None => {}
                        },
                        c => word.push(c),
                    }
                }
            }
            '\\' => match chars.next() {
                Some('\n') => {}
                Some(n) => {
                    in_word = true;
                    word.push(n);
                }
                None => {}
            },
            '$' if chars.peek() == Some(&'(') => {
                // Command substitution: kept inside the word, whatever it holds.
                in_word = true;
                word.push('$');
                let mut depth = 0usize;
                for c in chars.by_ref() {
                    word.push(c);
                    match c {
                        '(' => depth += 1,
                        ')' => {
                            depth -= 1;
                            if depth == 0 {
                                break;
                            }
                        }
                        _ => {}
                    }
                }
            }
            '`' => {
                in_word = true;
                word.push('`');
                for c in chars.by_ref() {
                    word.push(c);
                    if c == '`' {
                        break;
                    }
                }
            }
            '#' if !in_word => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        break;
                    }
                }
                end_word(
                    &mut word,
                    &mut in_word,
                    &mut raw_words,
                    &mut current,
                    &mut pending_redirect,
                );
                end_command(&mut out, &mut current, &mut raw_words, false);
            }
            '>' | '<' => {
                // A file descriptor written just before (`2>`) belongs to the operator.
                let mut op = String::new();
                if in_word
                    && !word.is_empty()
                    && word.chars().all(|d| d.is_ascii_digit())
                    && pending_redirect.is_none()
                {
                    op = std::mem::take(&mut word);
                    in_word = false;
                } else {
                    end_word(
                        &mut word,
                        &mut in_word,
                        &mut raw_words,
                        &mut current,
                        &mut pending_redirect,
                    );
                }
                op.push(c);
                while let Some(&n) = chars.peek() {
                    if n == '>' || n == '<' || n == '&' || n == '|' {
                        op.push(n);
                        chars.next();
                    } else {
                        break;
                    }
                }
                if op.ends_with('&')
                    && chars
                        .peek()
                        .is_some_and(|d| d.is_ascii_digit() || *d == '-')
                {
                    // 2>&1: the target is a descriptor.
                    let mut target = String::new();
                    while let Some(&d) = chars.peek() {
                        if d.is_ascii_digit() || d == '-' {
                            target.push(d);
                            chars.next();
                        } else {
                            break;
                        }
                    }
                    current.redirects.push((op, target));
                } else {
                    pending_redirect = Some(op);
                }
            }
            '&' | '|' | ';' | '\n' => {
                end_word(
                    &mut word,
                    &mut in_word,
                    &mut raw_words,
                    &mut current,
                    &mut pending_redirect,
                );
                pending_redirect = None;
                let doubled = matches!(c, '&' | '|') && chars.peek() == Some(&c);
                if doubled {
                    chars.next();
                }
                let piped = c == '|' && !doubled;
                end_command(&mut out, &mut current, &mut raw_words, piped);
            }
            ')' | '}' if !in_word => {
                end_word(
                    &mut word,
                    &mut in_word,
                    &mut raw_words,
                    &mut current,
                    &mut pending_redirect,
                );
            }
            c if c.is_whitespace() => {
                end_word(
                    &mut word,
                    &mut in_word,
                    &mut raw_words,
                    &mut current,
                    &mut pending_redirect,
                );
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    end_word(
        &mut word,
        &mut in_word,
        &mut raw_words,
        &mut current,
        &mut pending_redirect,
    );
    end_command(&mut out, &mut current, &mut raw_words, false);
    out
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
        assert_eq!(c[2].redirects, [(">".to_owned(), "=1.26".to_owned())]);
        assert!(c[2].piped);
        assert_eq!(c[3].redirects, [("2>&".to_owned(), "1".to_owned())]);
        let c = commands("PIP_NO_CACHE_DIR=1 python3 -m pip install -r req.txt");
        assert_eq!(c[0].assignments, ["PIP_NO_CACHE_DIR=1"]);
        assert!(c[0].is_pip_install());
        let c = commands("echo \"a && b\" $(cd x && ls) # comment && rm\nls");
        assert_eq!(c.len(), 2);
        assert_eq!(c[0].args(), ["a && b", "$(cd x && ls)"]);
    }
}
