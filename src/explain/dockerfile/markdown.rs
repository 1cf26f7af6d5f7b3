//! An explained Dockerfile as markdown, written straight into one buffer: no string per
//! escaped value, code span, shortened line or term list.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::Explanation;
use crate::explain::push_escaped;

impl Explanation {
    /// Appends the explanation of the file at `path` (`-` for standard input) to `md`:
    /// directives, stages, one item per instruction with its heredocs, tips (why and fix said
    /// once per tip id) and the assumptions.
    pub fn markdown(&self, path: &str, md: &mut String) {
        // Writing into a String cannot fail, so the fmt::Results below are always Ok.
        md.reserve(256 * (self.instructions.len() + self.tips.len()));
        md.push_str("# Dockerfile ");
        if path == "-" {
            md.push_str("(standard input)");
        } else {
            push_code(md, path);
        }
        md.push_str("\n\n");
        for directive in &self.directives {
            md.push_str("* Parser directive ");
            push_code(md, &directive.name);
            md.push_str(": ");
            if directive.value.contains('`') {
                // A code span cannot hold a backtick (push_code would show a quote), and
                // `# escape=`` ` `` is the common one: the value as escaped text instead.
                push_escaped(md, &directive.value);
            } else {
                push_code(md, &directive.value);
            }
            md.push('\n');
        }
        md.push_str("\n## Stages\n\n");
        for stage in &self.stages {
            md.push_str("* Stage ");
            push_number(md, stage.index);
            if let Some(name) = &stage.name {
                md.push_str(", named ");
                push_code(md, name);
            }
            md.push_str(" (line ");
            push_number(md, stage.line);
            md.push_str(") starts from ");
            push_code(md, &stage.base);
            if stage.base_resolved.is_empty() {
                md.push_str(" (empty with the ARG defaults)");
            } else if stage.base != stage.base_resolved {
                md.push_str(" (");
                push_code(md, &stage.base_resolved);
                md.push_str(" with the ARG defaults)");
            }
            for (n, used) in stage.copies_from.iter().enumerate() {
                md.push_str(if n == 0 { "; uses " } else { ", " });
                push_code(md, used);
            }
            md.push('\n');
        }
        md.push_str("\n## Instructions\n\n");
        for i in &self.instructions {
            md.push_str("* Line ");
            push_number(md, i.line);
            md.push(' ');
            let (text, cut) = prefix(&i.text, 100);
            push_code_cut(md, text, cut);
            md.push_str(" → ");
            push_escaped(md, &i.meaning);
            md.push_str(". ");
            push_terms(md, &i.terms);
            md.push('\n');
            // Each heredoc as a code block, so that its lines are shown as written rather
            // than joined into the item's paragraph.
            for h in &i.heredocs {
                md.push_str("```\n<<");
                push_short(md, &h.name, 40);
                md.push('\n');
                let mut lines = h.body.lines();
                for line in lines.by_ref().take(6) {
                    push_code_line(md, line);
                }
                let more = lines.count();
                if more > 0 {
                    let _ = writeln!(md, "… {more} more line(s)");
                }
                md.push_str("```\n");
            }
        }
        if !self.tips.is_empty() {
            md.push_str("\n## Tips\n\n");
            // Why and how to fix are said once per tip id, so that a file repeating one
            // mistake a thousand times does not repeat the explanation.
            let mut told = HashSet::new();
            for tip in &self.tips {
                md.push_str("* Line ");
                push_number(md, tip.line);
                md.push_str(" (");
                md.push_str(tip.id);
                md.push_str("): ");
                push_escaped(md, &tip.message);
                md.push('.');
                if told.insert(tip.id) {
                    md.push(' ');
                    push_escaped(md, tip.why);
                    md.push(' ');
                    push_escaped(md, tip.fix);
                    md.push(' ');
                    push_terms(md, &tip.terms);
                }
                md.push('\n');
            }
        }
        for note in &self.assumptions {
            md.push_str("\n> ");
            push_escaped(md, note);
            md.push('\n');
        }
    }
}

/// Appends `n` in decimal, without the formatting machinery (a few hundred instructions a
/// number, and every instruction, stage and tip has one).
fn push_number(md: &mut String, mut n: usize) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[at..] {
        md.push(char::from(d));
    }
}

/// The first `max` characters of `text`, and whether something was cut.
fn prefix(text: &str, max: usize) -> (&str, bool) {
    // A text of at most `max` bytes has at most `max` characters.
    if text.len() <= max {
        return (text, false);
    }
    match text.char_indices().nth(max) {
        Some((end, _)) => (&text[..end], true),
        None => (text, false),
    }
}

/// `text` cut to `max` characters, with an ellipsis when something was cut.
fn push_short(md: &mut String, text: &str, max: usize) {
    let (text, cut) = prefix(text, max);
    md.push_str(text);
    if cut {
        md.push('…');
    }
}

/// One line of a user's text inside a code block, shortened; a line that would close the
/// block (it starts with three backticks) is shown with its first backtick as a quote.
fn push_code_line(md: &mut String, line: &str) {
    let (line, cut) = prefix(line, 100);
    let indent = line.len() - line.trim_start().len();
    let start = md.len();
    if line[indent..].starts_with("```") {
        md.push_str(&line[..indent]);
        md.push('\'');
        md.push_str(&line[indent + 1..]);
    } else {
        md.push_str(line);
    }
    // Tabs would be removed with the other control characters: indentation shown as spaces.
    if md[start..].contains('\t') {
        let shown = md[start..].replace('\t', "    ");
        md.truncate(start);
        md.push_str(&shown);
    }
    if cut {
        md.push('…');
    }
    md.push('\n');
}

/// Inline code for text that came from the user. Backticks cannot appear inside a code span,
/// so they are shown as quotes.
fn push_code(md: &mut String, text: &str) {
    push_code_cut(md, text, false);
}

/// [`push_code`] of a shortened text, with the ellipsis inside the span when it was `cut`.
fn push_code_cut(md: &mut String, text: &str, cut: bool) {
    md.push('`');
    push_replacing(md, text, b'`', "'");
    if cut {
        md.push('…');
    }
    md.push('`');
}

/// `text` with every `byte` (ASCII) written as `with`.
fn push_replacing(md: &mut String, text: &str, byte: u8, with: &str) {
    let mut copied = 0;
    for (i, b) in text.bytes().enumerate() {
        if b == byte {
            md.push_str(&text[copied..i]);
            md.push_str(with);
            copied = i + 1;
        }
    }
    md.push_str(&text[copied..]);
}

/// `*See* `a`, `b`` for glossary ids; nothing when there are none.
fn push_terms(md: &mut String, ids: &[&str]) {
    for (n, id) in ids.iter().enumerate() {
        md.push_str(if n == 0 { "*See* `" } else { ", `" });
        md.push_str(id);
        md.push('`');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_are_escaped_cut_and_quoted() {
        let mut md = String::new();
        push_code_cut(&mut md, "a`b", true);
        push_escaped(&mut md, " *x* | y\\");
        push_short(&mut md, "ééé", 2);
        push_terms(&mut md, &["image", "layer"]);
        assert_eq!(md, "`a'b…` \\*x\\* \\| y\\\\éé…*See* `image`, `layer`");
        assert_eq!(prefix("abc", 3), ("abc", false));
        assert_eq!(prefix("abcd", 3), ("abc", true));
        assert_eq!(prefix("ééé", 3), ("ééé", false));
    }
}
