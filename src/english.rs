//! How common a word is in English, from `data/english-frequency.tsv`: search uses it to weigh
//! question words (`how`, `why`, `my`) down without a list of stop words.

mod table {
    include!(concat!(env!("OUT_DIR"), "/english.rs"));
}

/// The word's Zipf frequency (log10 of occurrences per billion words of English) when it is
/// one of the common words listed, which all have 5.0 or more; `None` for rarer words.
pub fn zipf(word: &str) -> Option<f64> {
    table::ENGLISH
        .binary_search_by(|(w, _)| (*w).cmp(word))
        .ok()
        .map(|at| f64::from(table::ENGLISH[at].1) / 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_words_are_listed_and_rarer_ones_are_not() {
        let the = zipf("the").expect("listed");
        let how = zipf("how").expect("listed");
        assert!(the > how && how >= 5.0, "{the} {how}");
        assert_eq!(zipf("docker"), None);
        assert_eq!(zipf("gpu"), None);
    }
}
