//! Reading `dterms --format json explain LINE` for the command-line tests: the explanation,
//! its parts by the text they explain, and the check that every word was understood.

use serde_json::Value;

use super::Sandbox;

/// The JSON explanation of one command line, which must succeed with nothing on stderr.
pub fn explain(line: &str) -> Value {
    let r = Sandbox::new().run(["--format", "json", "explain", line]);
    assert_eq!((r.code, r.stderr.as_str()), (0, ""), "{line}");
    serde_json::from_str(&r.stdout).expect("JSON")
}

/// The explained parts, in line order.
pub fn parts(v: &Value) -> &Vec<Value> {
    v["parts"].as_array().expect("parts")
}

/// The part that explains `text`.
pub fn part<'v>(v: &'v Value, text: &str) -> &'v Value {
    parts(v)
        .iter()
        .find(|p| p["text"] == text)
        .unwrap_or_else(|| panic!("no part {text:?} in {v:#}"))
}

/// What the part for `text` means.
pub fn meaning(v: &Value, text: &str) -> String {
    part(v, text)["meaning"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Nothing on the line is unknown to dterms, and no meaning is an unread template.
pub fn all_known(v: &Value) {
    for p in parts(v) {
        let m = p["meaning"].as_str().unwrap_or_default();
        assert!(
            !m.contains("does not know") && !m.contains("Unknown"),
            "{p}"
        );
        assert!(!m.contains("{}"), "an unread placeholder: {p}");
    }
}
