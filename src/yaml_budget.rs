//! A linear pre-scan of YAML text that refuses, before the YAML library sees it, what would
//! make the library slow or large: deep nesting, too many nodes, and aliases that expand.
//!
//! The library (yaml_serde on libyaml) loads a whole document's events into memory, replays an
//! anchored node for every alias, and scans deep flow nesting in time that grows with the depth
//! at every token; its own depth limit (128) applies only after that scanning. This module reads
//! the text once, with a small state machine that knows just enough YAML (comments, quoted and
//! block scalars, flow collections, block indentation, anchors and aliases) to measure:
//!
//! - nesting depth: open flow collections (`[`, `{`) plus block collections (indentation and
//!   compact `- - x` entries), at most [`Budget::max_depth`];
//! - nodes: scalars, aliases and collections (a block mapping's key counts twice: the library
//!   keeps an event for its value even when it is empty), at most [`Budget::max_nodes`];
//! - aliases: at most [`Budget::max_aliases`], and the bytes they would add when expanded, at
//!   most [`Budget::max_alias_bytes`]. An anchored node's size is taken from where its anchor
//!   stands to where the node ends (over-estimated where unsure), plus what the aliases inside
//!   it add; an alias adds its anchor's size.
//!
//! It errs on the side of counting too much, never too little: text it cannot classify is
//! counted as structure.

use std::collections::HashMap;
use std::fmt;

/// The limits one document must keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Deepest nesting of collections, flow and block together.
    pub max_depth: usize,
    /// Most nodes (scalars, aliases, collections) in the text.
    pub max_nodes: usize,
    /// Most aliases (`*name`, merge keys included).
    pub max_aliases: usize,
    /// Most bytes that expanding every alias would add to the document.
    pub max_alias_bytes: u64,
}

/// The limits for a team glossary: far beyond what a glossary needs (a term is four levels
/// deep and about 30 nodes), small enough that the library stays within about 64 MiB and a
/// second. The library holds every node of a document at once, about 190 bytes each: 250,000
/// nodes (a glossary of about 7,000 small terms) is about 48 MiB.
pub const GLOSSARY: Budget = Budget {
    max_depth: 32,
    max_nodes: 250_000,
    max_aliases: 10_000,
    max_alias_bytes: 1024 * 1024,
};

/// Which limit was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Nesting deeper than the budget.
    Depth(usize),
    /// More nodes than the budget.
    Nodes(usize),
    /// More aliases than the budget.
    Aliases(usize),
    /// Aliases that would add more bytes than the budget.
    AliasBytes(u64),
}

/// The first limit reached, and where.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exceeded {
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// The limit.
    pub limit: Limit,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::Depth(max) => write!(f, "nesting is deeper than {max} levels, the limit"),
            Limit::Nodes(max) => write!(f, "more than {max} YAML nodes, the limit"),
            Limit::Aliases(max) => write!(f, "more than {max} aliases (*name), the limit"),
            Limit::AliasBytes(max) => write!(
                f,
                "aliases (*name) would expand the file by more than {} KiB, the limit",
                max / 1024
            ),
        }
    }
}

impl fmt::Display for Exceeded {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.line, self.column, self.limit)
    }
}

/// What the scan counted, for a document within budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Measure {
    /// Deepest nesting seen.
    pub depth: usize,
    /// Nodes.
    pub nodes: usize,
    /// Aliases.
    pub aliases: usize,
    /// Bytes the aliases would add.
    pub alias_bytes: u64,
}

/// Where an anchored node ends.
#[derive(Debug, Clone, Copy)]
enum Extent {
    /// Inside a flow collection: at a `,` at this flow depth, or when the depth drops below it.
    Flow(usize),
    /// In block context: at a line indented less than `column`, or as much when `key` is false
    /// or the line is not a `- ` entry (a key's value may be a sequence at the key's column).
    Block { column: usize, key: bool },
}

#[derive(Debug)]
struct Open<'t> {
    name: &'t str,
    start: usize,
    extra: u64,
    extent: Extent,
}

struct Scanner<'t> {
    text: &'t str,
    bytes: &'t [u8],
    budget: Budget,
    pos: usize,
    line: usize,
    line_start: usize,
    flow: usize,
    /// The open block collections, innermost last: their column, and whether they are
    /// sequences (a sequence may stand at its parent key's column).
    block: Vec<(usize, bool)>,
    measure: Measure,
    anchors: HashMap<&'t str, u64>,
    open: Vec<Open<'t>>,
}

/// Scans `text` against `budget`: the counts when within it, else the first limit reached.
/// Time is linear in the text; memory is a small multiple of the number of anchors.
pub fn scan(text: &str, budget: Budget) -> Result<Measure, Exceeded> {
    let mut s = Scanner {
        text,
        bytes: text.as_bytes(),
        budget,
        pos: 0,
        line: 1,
        line_start: 0,
        flow: 0,
        block: Vec::new(),
        measure: Measure::default(),
        anchors: HashMap::new(),
        open: Vec::new(),
    };
    s.document()?;
    Ok(s.measure)
}

/// A space or tab.
pub(crate) fn is_blank(b: u8) -> bool {
    b == b' ' || b == b'\t'
}

/// A line break.
pub(crate) fn is_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// A character that ends a plain scalar inside `[…]` or `{…}`.
pub(crate) fn is_flow_indicator(b: u8) -> bool {
    matches!(b, b',' | b'[' | b']' | b'{' | b'}')
}

impl<'t> Scanner<'t> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips the spaces at the cursor and returns how many there were: a line's indentation.
    fn indentation(&mut self) -> usize {
        let start = self.pos;
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
        self.pos - start
    }

    fn at(&self, offset: usize) -> Option<u8> {
        self.bytes.get(self.pos + offset).copied()
    }

    /// Whether the byte after the current one ends a token (space, line break or end).
    fn followed_by_space(&self) -> bool {
        self.at(1).is_none_or(|b| is_blank(b) || is_break(b))
    }

    fn exceeded(&self, limit: Limit) -> Exceeded {
        let column = self
            .text
            .get(self.line_start..self.pos)
            .map_or(0, |before| before.chars().count())
            + 1;
        Exceeded {
            line: self.line,
            column,
            limit,
        }
    }

    fn node(&mut self) -> Result<(), Exceeded> {
        self.measure.nodes += 1;
        if self.measure.nodes > self.budget.max_nodes {
            return Err(self.exceeded(Limit::Nodes(self.budget.max_nodes)));
        }
        Ok(())
    }

    fn check_depth(&mut self) -> Result<(), Exceeded> {
        let depth = self.block.len() + self.flow;
        self.measure.depth = self.measure.depth.max(depth);
        if depth > self.budget.max_depth {
            return Err(self.exceeded(Limit::Depth(self.budget.max_depth)));
        }
        Ok(())
    }

    /// A block collection at `column`: a sequence (a `- ` entry) or a mapping (a `? ` or a
    /// `key:`).
    fn block_collection(&mut self, column: usize, sequence: bool) -> Result<(), Exceeded> {
        let nested = self.block.last().is_none_or(|&(top, top_sequence)| {
            top < column || (top == column && sequence && !top_sequence)
        });
        if nested {
            self.block.push((column, sequence));
            self.check_depth()?;
        }
        Ok(())
    }

    /// Moves past one line break (`\r\n` counts once).
    fn newline(&mut self) {
        if self.peek() == Some(b'\r') && self.at(1) == Some(b'\n') {
            self.pos += 1;
        }
        self.pos += 1;
        self.line += 1;
        self.line_start = self.pos;
    }

    fn skip_to_line_end(&mut self) {
        while self.peek().is_some_and(|b| !is_break(b)) {
            self.pos += 1;
        }
    }

    fn skip_blanks(&mut self) {
        while self.peek().is_some_and(is_blank) {
            self.pos += 1;
        }
    }

    /// Closes the anchors whose node ends here, recording their expanded size.
    fn close_anchors(&mut self, ends: impl Fn(&Extent) -> bool) {
        let pos = self.pos;
        let anchors = &mut self.anchors;
        self.open.retain(|open| {
            if ends(&open.extent) {
                let size = (pos - open.start) as u64 + open.extra;
                anchors.insert(open.name, size);
                false
            } else {
                true
            }
        });
    }

    fn document(&mut self) -> Result<(), Exceeded> {
        while self.pos < self.bytes.len() {
            self.line_begin()?;
        }
        self.close_anchors(|_| true);
        Ok(())
    }

    /// One line, from its first byte: indentation, then its tokens.
    fn line_begin(&mut self) -> Result<(), Exceeded> {
        if self.flow > 0 {
            // Only at the end of the text: flow collections are read to their end.
            return self.flow_tokens();
        }
        let indent = self.indentation();
        match self.peek() {
            None => return Ok(()),
            Some(b) if is_break(b) => {
                self.newline();
                return Ok(());
            }
            Some(b'#') => {
                self.skip_to_line_end();
                return Ok(());
            }
            _ => {}
        }
        // Document markers and directives stand at column 0 and hold no nesting.
        let rest = &self.bytes[self.pos..];
        if indent == 0
            && (rest.starts_with(b"---") || rest.starts_with(b"...") || self.peek() == Some(b'%'))
        {
            let marker = self.peek() != Some(b'%') && self.at(3).is_none_or(|b| !is_blank(b));
            if self.peek() == Some(b'%') || marker {
                self.skip_to_line_end();
                return Ok(());
            }
        }
        let dash = self.peek() == Some(b'-') && self.followed_by_space();
        self.close_anchors(|extent| match *extent {
            Extent::Block { column, key } => {
                indent < column || (indent == column && !(key && dash))
            }
            Extent::Flow(_) => false,
        });
        while self
            .block
            .last()
            .is_some_and(|&(top, sequence)| top > indent || (top == indent && sequence && !dash))
        {
            self.block.pop();
        }
        self.block_tokens(indent)
    }

    /// The tokens of a line in block context, from the first one, at `indent`.
    fn block_tokens(&mut self, indent: usize) -> Result<(), Exceeded> {
        // The column of the innermost collection whose entry this line holds, for block scalars.
        let mut owner = indent;
        let mut key_column: Option<usize> = None;
        loop {
            self.skip_blanks();
            let column = self.pos - self.line_start;
            let Some(b) = self.peek() else {
                return Ok(());
            };
            match b {
                b'\n' | b'\r' => {
                    self.newline();
                    return Ok(());
                }
                b'#' => {
                    self.skip_to_line_end();
                }
                b'-' | b'?' | b':' if self.followed_by_space() => {
                    if b != b':' {
                        self.block_collection(column, b == b'-')?;
                        self.node()?;
                        owner = column;
                    }
                    self.pos += 1;
                }
                b'[' | b'{' => {
                    self.node()?;
                    self.flow += 1;
                    self.check_depth()?;
                    self.pos += 1;
                    self.flow_tokens()?;
                }
                b'&' => self.anchor(Some((key_column.unwrap_or(column), key_column.is_some())))?,
                b'*' => self.alias()?,
                b'!' => self.skip_token(),
                b'|' | b'>' => {
                    self.node()?;
                    let threshold = key_column.unwrap_or(owner);
                    self.skip_to_line_end();
                    return self.block_scalar(threshold);
                }
                b'"' | b'\'' => {
                    self.node()?;
                    self.quoted(b)?;
                    if self.key_follows() {
                        self.block_collection(column, false)?;
                        self.node()?;
                        key_column = Some(column);
                    }
                }
                _ => {
                    // A plain scalar: to a `: ` (then it was a key), a ` #` or the line's end.
                    self.node()?;
                    if self.plain_in_block() {
                        self.block_collection(column, false)?;
                        // The library holds a key and its value, even an empty one.
                        self.node()?;
                        key_column = Some(column);
                    }
                }
            }
        }
    }

    /// Whether a `:` follows (after blanks) that makes the scalar just read a key.
    fn key_follows(&mut self) -> bool {
        let save = self.pos;
        self.skip_blanks();
        if self.peek() == Some(b':') && self.followed_by_space() {
            return true;
        }
        self.pos = save;
        false
    }

    /// Reads a plain scalar in block context; true when it ends in `: ` (a key), with the
    /// position on the `:`.
    fn plain_in_block(&mut self) -> bool {
        while let Some(b) = self.peek() {
            if is_break(b) {
                return false;
            }
            if b == b':' && self.followed_by_space() {
                return true;
            }
            if is_blank(b) && self.at(1) == Some(b'#') {
                return false;
            }
            self.pos += 1;
        }
        false
    }

    /// Skips a tag or another token up to a blank or line break.
    fn skip_token(&mut self) {
        while self.peek().is_some_and(|b| !is_blank(b) && !is_break(b)) {
            self.pos += 1;
        }
    }

    fn name(&mut self) -> &'t str {
        self.pos += 1;
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !is_blank(b) && !is_break(b) && !is_flow_indicator(b))
        {
            self.pos += 1;
        }
        self.text.get(start..self.pos).unwrap_or("")
    }

    /// An anchor: in block context, `block` is the column its node belongs to and whether that
    /// is a key's value.
    fn anchor(&mut self, block: Option<(usize, bool)>) -> Result<(), Exceeded> {
        let start = self.pos;
        let name = self.name();
        let extent = match block {
            Some((column, key)) => Extent::Block { column, key },
            None => Extent::Flow(self.flow),
        };
        self.open.push(Open {
            name,
            start,
            extra: 0,
            extent,
        });
        // Anchored nodes nest; more open at once than levels of nesting is not YAML.
        if self.open.len() > self.budget.max_depth + 1 {
            return Err(self.exceeded(Limit::Depth(self.budget.max_depth)));
        }
        Ok(())
    }

    fn alias(&mut self) -> Result<(), Exceeded> {
        let at = self.pos;
        let name = self.name();
        self.node()?;
        self.measure.aliases += 1;
        if self.measure.aliases > self.budget.max_aliases {
            self.pos = at;
            return Err(self.exceeded(Limit::Aliases(self.budget.max_aliases)));
        }
        // An alias of a node still open (which the library refuses) counts what it has so far.
        let size = match self.anchors.get(name) {
            Some(&size) => size,
            None => self
                .open
                .iter()
                .rev()
                .find(|o| o.name == name)
                .map_or(0, |o| (at - o.start) as u64 + o.extra),
        };
        self.measure.alias_bytes = self.measure.alias_bytes.saturating_add(size);
        for open in &mut self.open {
            open.extra = open.extra.saturating_add(size);
        }
        if self.measure.alias_bytes > self.budget.max_alias_bytes {
            self.pos = at;
            return Err(self.exceeded(Limit::AliasBytes(self.budget.max_alias_bytes)));
        }
        Ok(())
    }

    /// Skips a quoted scalar from its opening quote, across lines if need be.
    fn quoted(&mut self, quote: u8) -> Result<(), Exceeded> {
        self.pos += 1;
        while let Some(b) = self.peek() {
            match b {
                b'\\' if quote == b'"' => {
                    self.pos += 1;
                    if self.peek().is_some_and(is_break) {
                        self.newline();
                    } else if self.peek().is_some() {
                        self.pos += 1;
                    }
                }
                b'\'' if quote == b'\'' && self.at(1) == Some(b'\'') => self.pos += 2,
                _ if b == quote => {
                    self.pos += 1;
                    return Ok(());
                }
                b'\n' | b'\r' => self.newline(),
                _ => self.pos += 1,
            }
        }
        Ok(())
    }

    /// Skips a block scalar's content: the lines after its header (already read) that are
    /// blank or indented at least as much as its first non-blank line, when that is indented
    /// more than `threshold`.
    fn block_scalar(&mut self, threshold: usize) -> Result<(), Exceeded> {
        if self.peek().is_none() {
            return Ok(());
        }
        self.newline();
        let mut content: Option<usize> = None;
        loop {
            let start = self.pos;
            let indent = self.indentation();
            match self.peek() {
                None => return Ok(()),
                Some(b) if is_break(b) => {
                    self.newline();
                    continue;
                }
                _ => {}
            }
            let needed = *content.get_or_insert(indent);
            if needed <= threshold || indent < needed {
                // Not content: this line is read again as structure.
                self.pos = start;
                return Ok(());
            }
            self.skip_to_line_end();
            if self.peek().is_none() {
                return Ok(());
            }
            self.newline();
        }
    }

    /// Tokens inside flow collections, across lines, until the outermost one closes (or the
    /// text ends). The caller reads the rest of that line.
    fn flow_tokens(&mut self) -> Result<(), Exceeded> {
        // Whether the next byte may start a token (after an indicator or a blank).
        let mut token_start = true;
        while self.flow > 0 {
            let Some(b) = self.peek() else {
                return Ok(());
            };
            match b {
                b'\n' | b'\r' => {
                    self.newline();
                    token_start = true;
                    continue;
                }
                b' ' | b'\t' => {
                    self.pos += 1;
                    token_start = true;
                    continue;
                }
                b'#' if token_start => self.skip_to_line_end(),
                b'[' | b'{' => {
                    self.node()?;
                    self.flow += 1;
                    self.check_depth()?;
                    self.pos += 1;
                }
                b']' | b'}' => {
                    self.pos += 1;
                    self.flow -= 1;
                    let flow = self.flow;
                    self.close_anchors(|extent| matches!(*extent, Extent::Flow(d) if d > flow));
                }
                b',' => {
                    self.pos += 1;
                    let flow = self.flow;
                    self.close_anchors(|extent| matches!(*extent, Extent::Flow(d) if d >= flow));
                }
                b'"' | b'\'' if token_start => {
                    self.node()?;
                    self.quoted(b)?;
                }
                b'&' if token_start => self.anchor(None)?,
                b'*' if token_start => self.alias()?,
                b'!' if token_start => {
                    while self
                        .peek()
                        .is_some_and(|b| !is_blank(b) && !is_break(b) && !is_flow_indicator(b))
                    {
                        self.pos += 1;
                    }
                }
                _ => {
                    if token_start && b != b':' && b != b'?' {
                        self.node()?;
                    }
                    self.pos += 1;
                    token_start = matches!(b, b':' | b'?');
                    continue;
                }
            }
            token_start = true;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limit(text: &str) -> Option<Limit> {
        scan(text, GLOSSARY).err().map(|e| e.limit)
    }

    const TERM: &str = "- id: feature-store\n  name: Feature store\n  aliases: [fstore, 'f store']\n  category: ml\n  summary: \"Where features live: [here\"\n  body: |\n    Built on [[volume|volumes]] [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n    {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{ # not a comment\n\n    - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - -\n  examples:\n    - command: docker run --rm x\n      note: runs it\n  related: [volume]   # a comment [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n  docs: https://docs.docker.com/\n";

    #[test]
    fn a_real_glossary_is_well_within_budget() {
        let measure = scan(TERM, GLOSSARY).expect("within budget");
        assert!(measure.depth <= 4, "{measure:?}");
        assert!((15..40).contains(&measure.nodes), "{measure:?}");
        let many = TERM.repeat(1000);
        assert_eq!(
            scan(&many, GLOSSARY).expect("fits").nodes,
            measure.nodes * 1000
        );
    }

    #[test]
    fn nesting_of_every_kind_is_measured() {
        for (open, close) in [("[", "]"), ("{a: ", "}"), ("[{a: ", "}]")] {
            let deep = |n: usize| format!("{}x{}", open.repeat(n), close.repeat(n));
            let depth = scan(&deep(4), GLOSSARY).expect("shallow").depth;
            assert!((4..=8).contains(&depth), "{open}: {depth}");
            assert_eq!(limit(&deep(100)), Some(Limit::Depth(32)), "{open}");
        }
        let mut block = String::new();
        for level in 0..40 {
            block.push_str(&format!("{}k{level}:\n", " ".repeat(level)));
        }
        assert_eq!(limit(&block), Some(Limit::Depth(32)));
        assert_eq!(scan(&block[..60], GLOSSARY).err(), None);
        let dashes = format!("{}x\n", "- ".repeat(40));
        assert_eq!(limit(&dashes), Some(Limit::Depth(32)));
        let keys_in_items = "- a:\n  - b:\n    - c:\n      - d: x\n";
        assert_eq!(scan(keys_in_items, GLOSSARY).expect("ok").depth, 8);
    }

    #[test]
    fn deep_nesting_is_found_where_it_is() {
        let text = format!("- id: x\n  related: {}\n", "[".repeat(50));
        let err = scan(&text, GLOSSARY).expect_err("too deep");
        assert_eq!((err.line, err.column), (2, 12 + 30));
        assert_eq!(
            err.to_string(),
            "2:42: nesting is deeper than 32 levels, the limit"
        );
    }

    #[test]
    fn structure_hidden_after_an_empty_block_scalar_is_still_scanned() {
        // `|` with nothing indented more than `key` is empty; k2 is structure again.
        let text = format!("- key: |\n  k2: {}\n", "[".repeat(50));
        assert_eq!(limit(&text), Some(Limit::Depth(32)));
    }

    #[test]
    fn alias_bombs_are_stopped_at_their_expanded_size() {
        let mut bomb = String::from("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (prev, name) in "abcdefgh".chars().zip("bcdefghi".chars()) {
            let refs = vec![format!("*{prev}"); 9].join(", ");
            bomb.push_str(&format!("{name}: &{name} [{refs}]\n"));
        }
        let err = scan(&bomb, GLOSSARY).expect_err("a bomb");
        assert_eq!(err.limit, Limit::AliasBytes(1024 * 1024));
        assert!(err.line <= 8, "{err}");

        // One large string, aliased many times.
        let big = format!(
            "s: &s {}\nl: [{}]\n",
            "x".repeat(100_000),
            vec!["*s"; 20].join(",")
        );
        assert_eq!(limit(&big), Some(Limit::AliasBytes(1024 * 1024)));
        // Block anchors are measured to the end of their node.
        let block = format!(
            "base: &b\n  body: {}\n  x: y\nother: 1\nuse: [{}]\n",
            "y".repeat(100_000),
            vec!["*b"; 20].join(",")
        );
        assert_eq!(limit(&block), Some(Limit::AliasBytes(1024 * 1024)));
        // …and not beyond it.
        let small = format!(
            "base: &b\n  x: y\nother: {}\nuse: [{}]\n",
            "y".repeat(100_000),
            vec!["*b"; 20].join(",")
        );
        let measure = scan(&small, GLOSSARY).expect("small anchor");
        assert!(measure.alias_bytes < 20 * 40, "{measure:?}");
    }

    #[test]
    fn reasonable_aliases_pass_and_too_many_do_not() {
        let mut text = String::from("- docs: &docs https://docs.docker.com/\n");
        for _ in 0..1000 {
            text.push_str("- docs: *docs\n");
        }
        let measure = scan(&text, GLOSSARY).expect("fine");
        assert_eq!(measure.aliases, 1000);
        assert!(measure.alias_bytes < 1000 * 64, "{measure:?}");
        let many = format!("a: &a x\nl: [{}]\n", vec!["*a"; 10_001].join(","));
        assert_eq!(limit(&many), Some(Limit::Aliases(10_000)));
    }

    #[test]
    fn nodes_are_counted() {
        let lines = "- a\n".repeat(GLOSSARY.max_nodes + 1);
        assert_eq!(limit(&lines), Some(Limit::Nodes(GLOSSARY.max_nodes)));
        let flow = format!("[{}]", "a,".repeat(GLOSSARY.max_nodes));
        assert_eq!(limit(&flow), Some(Limit::Nodes(GLOSSARY.max_nodes)));
    }

    #[test]
    fn quotes_comments_and_odd_text_are_skipped_not_counted() {
        for text in [
            "a: \"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"\n",
            "a: '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[''['\n",
            "# [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
            "a: b[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n",
            "a: >-\n  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n\n  {{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{\nb: c\n",
            "---\na: 1\n...\n",
            "a: \"multi\n  line [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n  end\"\n",
            "",
            "\n\n\n",
        ] {
            assert_eq!(limit(text), None, "{text:?}");
        }
    }

    #[test]
    fn hostile_text_never_panics() {
        for text in [
            "\"unterminated",
            "'",
            "[",
            "]",
            "}",
            "{",
            "&",
            "*",
            "&&&&",
            "- - -",
            "? ? ?",
            ": : :",
            "|",
            "|\n",
            ">\n  x",
            "key: &a\n",
            "*a",
            "\r\n\r",
            "[\"",
            "[&a",
            "[*a]",
            "a: [b: {c",
            "- &a [*a]",
            "é: [ü, *ö]",
            "!!str &x *x",
            "\t- x\n\t\t- y",
        ] {
            let _ = scan(text, GLOSSARY);
        }
    }
}
