//! GPU requests of a service: `gpus:` (all, or a list of requests) and
//! `deploy.resources.reservations.devices` entries whose capabilities ask for a GPU (the Compose
//! Specification's `gpus` in 05-services.md and `devices` in deploy.md).

use serde::Serialize;

use super::parse::Node;

/// How many devices a request asks for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Count {
    /// A number of devices.
    Number(u64),
    /// `all`.
    All(&'static str),
}

/// A service's GPU request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Gpus {
    /// How many; `None` when device ids are given instead.
    pub count: Option<Count>,
    /// Exactly which devices.
    pub device_ids: Vec<String>,
    /// The driver, such as nvidia.
    pub driver: Option<String>,
    /// The capabilities asked for.
    pub capabilities: Vec<String>,
    /// Written as `gpus:` rather than under `deploy`.
    #[serde(skip)]
    pub short: bool,
    /// Its line.
    #[serde(skip)]
    pub line: usize,
    /// The file it is written in, when not the file explained.
    #[serde(skip)]
    pub file: Option<String>,
}

impl Gpus {
    /// In words: "all GPUs", "2 GPUs", "the GPUs 0, 1".
    pub fn describe(&self) -> String {
        let mut text = match (&self.count, self.device_ids.as_slice()) {
            (_, ids) if !ids.is_empty() => format!("the GPU(s) {}", ids.join(", ")),
            (Some(Count::Number(1)), _) => "1 GPU".to_owned(),
            (Some(Count::Number(n)), _) => format!("{n} GPUs"),
            _ => "all GPUs".to_owned(),
        };
        if let Some(driver) = &self.driver {
            text.push_str(&format!(" from the {driver} driver"));
        }
        text
    }
}

/// Strings of a list, or of one string.
fn strings(node: Option<&Node>) -> Vec<String> {
    match node {
        Some(n) => match n.items() {
            Some(items) => items
                .iter()
                .filter_map(Node::text)
                .map(str::to_owned)
                .collect(),
            None => n.text().map(str::to_owned).into_iter().collect(),
        },
        None => Vec::new(),
    }
}

/// Reads one device request; `short` for an entry of `gpus:`, which asks for a GPU implicitly.
pub fn request(node: &Node, short: bool) -> Result<Option<Gpus>, String> {
    let capabilities = strings(node.get("capabilities"));
    let driver = node.get("driver").and_then(Node::text).map(str::to_owned);
    let is_gpu = short
        || capabilities
            .iter()
            .any(|c| c == "gpu" || c.starts_with("nvidia"))
        || driver.as_deref() == Some("nvidia");
    if !is_gpu {
        return Ok(None);
    }
    if !short && capabilities.is_empty() {
        return Err("a device request needs capabilities, such as [gpu]".into());
    }
    let device_ids = strings(node.get("device_ids"));
    let count = match node.get("count") {
        Some(c) => match c.text() {
            Some("all") | Some("-1") => Some(Count::All("all")),
            Some(n) => {
                Some(Count::Number(n.parse().map_err(|_| {
                    format!("count is a number or all, not '{n}'")
                })?))
            }
            None => return Err("count is a number or all".into()),
        },
        None if device_ids.is_empty() => Some(Count::All("all")),
        None => None,
    };
    if node.get("count").is_some() && !device_ids.is_empty() {
        return Err("count and device_ids cannot both be set".into());
    }
    Ok(Some(Gpus {
        count,
        device_ids,
        driver,
        capabilities: if capabilities.is_empty() {
            vec!["gpu".into()]
        } else {
            capabilities
        },
        short,
        line: node.line,
        file: None,
    }))
}

/// Reads `gpus:`: `all` or a list of requests.
pub fn from_gpus_key(node: &Node) -> Result<Option<Gpus>, String> {
    if node.text() == Some("all") {
        return Ok(Some(Gpus {
            count: Some(Count::All("all")),
            device_ids: Vec::new(),
            driver: None,
            capabilities: vec!["gpu".into()],
            short: true,
            line: node.line,
            file: None,
        }));
    }
    match node.items() {
        Some(items) => match items.first() {
            Some(first) => request(first, true),
            None => Ok(None),
        },
        None => Err(format!("gpus is all or a list, not {}", node.describe())),
    }
}

#[cfg(test)]
mod tests {
    use super::super::parse::parse;
    use super::*;

    fn devices(yaml: &str) -> Result<Option<Gpus>, String> {
        let root = parse(yaml).expect("valid");
        request(&root.items().expect("list")[0], false)
    }

    // The device examples of the Compose Specification, deploy.md, "devices".
    #[test]
    fn the_specifications_device_examples() {
        let g = devices("- capabilities: [\"nvidia-compute\"]\n  driver: nvidia\n")
            .expect("valid")
            .expect("a GPU");
        assert_eq!(
            (g.count, g.driver.as_deref()),
            (Some(Count::All("all")), Some("nvidia"))
        );
        assert_eq!(devices("- capabilities: [\"tpu\"]\n  count: 2\n"), Ok(None));
        let g = devices("- capabilities: [\"gpu\"]\n  device_ids: [\"GPU-f123d1c9-26bb-df9b-1c23-4a731f61d8c7\"]\n")
            .expect("valid")
            .expect("a GPU");
        assert_eq!(g.count, None);
        assert_eq!(g.device_ids.len(), 1);
        assert!(devices("- capabilities: [gpu]\n  count: 1\n  device_ids: [\"0\"]\n").is_err());
    }

    // The gpus examples of the Compose Specification, 05-services.md, "gpus".
    #[test]
    fn the_specifications_gpus_examples() {
        let root = parse("gpus:\n  - driver: 3dfx\n    count: 2\n").expect("valid");
        let g = from_gpus_key(root.get("gpus").expect("gpus"))
            .expect("valid")
            .expect("a GPU");
        assert_eq!(g.describe(), "2 GPUs from the 3dfx driver");
        let root = parse("gpus: all\n").expect("valid");
        let g = from_gpus_key(root.get("gpus").expect("gpus"))
            .expect("valid")
            .expect("a GPU");
        assert_eq!(g.describe(), "all GPUs");
    }
}
