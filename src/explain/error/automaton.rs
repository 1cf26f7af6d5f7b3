//! Finding every fragment of data/errors.yaml in normalised text in one pass, with the
//! Aho-Corasick automaton that build/errors.rs builds: nothing is built at run time, and the
//! time is linear in the text.

use crate::errors::FRAGMENTS;

/// A deterministic Aho-Corasick automaton of the first `prefix` bytes of every fragment, as
/// static tables. State 0 is the root. Reading a byte in `state` leads to
/// `transitions[state * stride + classes[byte]]`, flagged with [`HAS_OUTPUT`] when that state
/// ends some fragment's first bytes.
#[derive(Debug)]
pub struct Automaton {
    /// How many leading bytes of each fragment the automaton holds.
    prefix: usize,
    /// The class of every byte; bytes that occur in no fragment's first bytes are class 0.
    classes: &'static [u8; 256],
    /// The number of classes: the length of one state's row in `transitions`.
    stride: usize,
    /// Every state's transition on every class, the state possibly flagged.
    transitions: &'static [u16],
    /// Where each state's fragments start in `outputs`, plus the end.
    first_output: &'static [u16],
    /// The fragments (indices into `FRAGMENTS`) whose first bytes end when a state is reached.
    outputs: &'static [u16],
}

include!(concat!(env!("OUT_DIR"), "/error_automaton.rs"));

/// The start offsets of every occurrence of every fragment in `text`, overlapping ones
/// included, at most `max` each, ascending; indexed like `FRAGMENTS`.
pub fn fragment_positions(text: &str, max: usize) -> Vec<Vec<usize>> {
    let a = &AUTOMATON;
    let bytes = text.as_bytes();
    let mut positions = vec![Vec::new(); FRAGMENTS.len()];
    let mut state = 0;
    for (at, &byte) in bytes.iter().enumerate() {
        let next = a.transitions[state * a.stride + usize::from(a.classes[usize::from(byte)])];
        state = usize::from(next & !HAS_OUTPUT);
        if next & HAS_OUTPUT == 0 {
            continue;
        }
        let outputs = usize::from(a.first_output[state])..usize::from(a.first_output[state + 1]);
        for &fragment in &a.outputs[outputs] {
            let fragment = usize::from(fragment);
            let text = FRAGMENTS[fragment].as_bytes();
            let start = at + 1 - text.len().min(a.prefix);
            let list: &mut Vec<usize> = &mut positions[fragment];
            if list.len() < max && bytes[start..].starts_with(text) {
                list.push(start);
            }
        }
    }
    positions
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::errors::ENTRIES;

    /// Every occurrence of every fragment, by trying each at every offset.
    fn naive(text: &str, max: usize) -> Vec<Vec<usize>> {
        FRAGMENTS
            .iter()
            .map(|fragment| {
                (0..text.len())
                    .filter(|&at| text.as_bytes()[at..].starts_with(fragment.as_bytes()))
                    .take(max)
                    .collect()
            })
            .collect()
    }

    #[test]
    fn finds_what_trying_every_offset_finds() {
        let mut texts: Vec<String> = ENTRIES
            .iter()
            .flat_map(|e| e.examples)
            .map(|t| crate::error_text::normalize(t).text)
            .collect();
        // Fragments run together, overlapping and nested, and every fragment after a prefix
        // of another, so failure links are taken from deep states.
        texts.push(FRAGMENTS.concat());
        texts.push(FRAGMENTS.join(" "));
        let prefixes: String = FRAGMENTS
            .iter()
            .zip(FRAGMENTS.iter().rev())
            .map(|(a, b)| {
                a.chars()
                    .take(a.len() / 2)
                    .chain(b.chars())
                    .collect::<String>()
            })
            .collect();
        texts.push(prefixes);
        // Every fragment's first bytes without its end: found by the automaton, not taken.
        let cut: String = FRAGMENTS
            .iter()
            .map(|f| format!("{}# ", &f[..f.char_indices().last().map_or(0, |(i, _)| i)]))
            .collect();
        texts.push(cut);
        texts.push("no space left on device".repeat(300));
        for text in &texts {
            assert_eq!(fragment_positions(text, 256), naive(text, 256), "{text:?}");
        }
    }

    #[test]
    fn positions_are_capped() {
        let text = "exit code: 137 ".repeat(10);
        let positions = fragment_positions(&text, 3);
        let exit = FRAGMENTS.iter().position(|&f| f == "exit code: 137");
        let exit = exit.expect("a fragment of oom-killed-137");
        assert_eq!(positions[exit], [0, 15, 30]);
    }
}
