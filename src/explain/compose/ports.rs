//! Published ports, in the short syntax (`[HOST:]CONTAINER[/PROTOCOL]`, with `HOST` as
//! `[IP:](port | range)`) and the long syntax, read as Compose reads them (the Compose
//! Specification's `ports`, and docker/go-connections' port-spec rules that compose-go uses).

use serde::Serialize;

use super::parse::{Node, Value};

/// One `ports` entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Port {
    /// As written (the short syntax), or rebuilt from the long syntax.
    pub text: String,
    /// The host address it listens on; every interface when `None`.
    pub host_ip: Option<String>,
    /// The host port or range; Docker picks a free port when `None`.
    pub host_port: Option<String>,
    /// The port or range inside the container.
    pub container_port: String,
    /// tcp, udp or sctp.
    pub protocol: String,
    /// Its line.
    pub line: usize,
    /// The file it is written in, when not the file explained.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
}

/// Where a published port can be reached from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Every network interface: other machines on the network too.
    Everywhere,
    /// The loopback address: this machine only.
    ThisMachine,
    /// One address of the host: machines that can reach that address.
    OneAddress,
}

impl Port {
    /// Where it can be reached from.
    pub fn reach(&self) -> Reach {
        match self.host_ip.as_deref() {
            None | Some("0.0.0.0" | "::" | "") => Reach::Everywhere,
            Some(ip) if ip.starts_with("127.") || ip == "::1" || ip == "localhost" => {
                Reach::ThisMachine
            }
            Some(_) => Reach::OneAddress,
        }
    }

    /// Whether other machines can reach it.
    pub fn reachable_from_other_machines(&self) -> bool {
        self.reach() != Reach::ThisMachine
    }
}

/// Reads one `ports` entry: a number, a short-syntax string or a long-syntax mapping.
pub fn read(node: &Node) -> Result<Port, String> {
    match &node.value {
        Value::Number(n) => short(n, node.line),
        Value::String(s) => short(s, node.line),
        Value::Map(_) => long(node),
        _ => Err(format!(
            "a port is a string, a number or a mapping, not {}",
            node.describe()
        )),
    }
}

/// Reads the short syntax.
pub fn short(spec: &str, line: usize) -> Result<Port, String> {
    let spec_trim = spec.trim();
    // go-connections splits on every colon: the last part is the container port, the one
    // before it the host port, and everything before that the IP (which may hold colons).
    let parts: Vec<&str> = spec_trim.split(':').collect();
    let (ip, host, container) = match parts.as_slice() {
        [c] => ("", "", *c),
        [h, c] => ("", *h, *c),
        [ip, h, c] => (*ip, *h, *c),
        [rest @ .., h, c] => {
            let at = rest.iter().map(|p| p.len() + 1).sum::<usize>() - 1;
            (&spec_trim[..at], *h, *c)
        }
        [] => ("", "", ""),
    };
    let (container, protocol) = match container.split_once('/') {
        Some((port, proto)) if !proto.is_empty() => (port, proto.to_ascii_lowercase()),
        Some((port, _)) => (port, "tcp".to_owned()),
        None => (container, "tcp".to_owned()),
    };
    if container.is_empty() {
        return Err(format!("'{spec_trim}' has no container port"));
    }
    if !matches!(protocol.as_str(), "tcp" | "udp" | "sctp") {
        return Err(format!(
            "'{spec_trim}': unknown protocol '{protocol}' (tcp, udp or sctp)"
        ));
    }
    let ip = ip
        .strip_prefix('[')
        .and_then(|i| i.strip_suffix(']'))
        .unwrap_or(ip);
    if !ip.is_empty() && ip.parse::<std::net::IpAddr>().is_err() {
        return Err(format!("'{spec_trim}': '{ip}' is not an IP address"));
    }
    let container_range = range(container).ok_or_else(|| {
        format!("'{spec_trim}': '{container}' is not a port or a range of ports (0-65535)")
    })?;
    if !host.is_empty() {
        let host_range = range(host).ok_or_else(|| {
            format!("'{spec_trim}': '{host}' is not a port or a range of ports (0-65535)")
        })?;
        let span = |(a, b): (u16, u16)| b - a;
        if span(container_range) > 0 && span(host_range) != span(container_range) {
            return Err(format!(
                "'{spec_trim}': the host range and the container range have different lengths"
            ));
        }
    }
    Ok(Port {
        text: spec_trim.to_owned(),
        host_ip: (!ip.is_empty()).then(|| ip.to_owned()),
        host_port: (!host.is_empty()).then(|| host.to_owned()),
        container_port: container.to_owned(),
        protocol,
        line,
        file: None,
    })
}

/// `8000` or `8000-8010` as (first, last).
fn range(text: &str) -> Option<(u16, u16)> {
    let (a, b) = text.split_once('-').unwrap_or((text, text));
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(a) || !digits(b) {
        return None;
    }
    let (a, b) = (a.parse::<u16>().ok()?, b.parse::<u16>().ok()?);
    (a <= b).then_some((a, b))
}

/// Reads the long syntax.
fn long(node: &Node) -> Result<Port, String> {
    let text = |key: &str| node.get(key).and_then(Node::text).map(str::to_owned);
    let container = text("target").ok_or("a long-syntax port needs target, the container port")?;
    range(&container)
        .ok_or_else(|| format!("target '{container}' is not a port or a range of ports"))?;
    let published = text("published").filter(|p| !p.is_empty());
    if let Some(p) = &published {
        range(p).ok_or_else(|| format!("published '{p}' is not a port or a range of ports"))?;
    }
    let protocol = text("protocol")
        .unwrap_or_else(|| "tcp".into())
        .to_ascii_lowercase();
    let host_ip = text("host_ip").filter(|ip| !ip.is_empty());
    let mut shown = String::new();
    if let Some(ip) = &host_ip {
        shown.push_str(ip);
        shown.push(':');
    }
    if let Some(p) = &published {
        shown.push_str(p);
        shown.push(':');
    }
    shown.push_str(&container);
    shown.push('/');
    shown.push_str(&protocol);
    Ok(Port {
        text: shown,
        host_ip,
        host_port: published,
        container_port: container,
        protocol,
        line: node.line,
        file: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(spec: &str) -> Port {
        short(spec, 1).unwrap_or_else(|e| panic!("{spec}: {e}"))
    }

    fn parts(spec: &str) -> (Option<String>, Option<String>, String, String) {
        let port = p(spec);
        (
            port.host_ip,
            port.host_port,
            port.container_port,
            port.protocol,
        )
    }

    fn s(text: &str) -> Option<String> {
        Some(text.to_owned())
    }

    // Every short-syntax example of the Compose Specification, 05-services.md, "ports".
    #[test]
    fn the_specifications_short_examples() {
        assert_eq!(parts("3000"), (None, None, "3000".into(), "tcp".into()));
        assert_eq!(
            parts("3000-3005"),
            (None, None, "3000-3005".into(), "tcp".into())
        );
        assert_eq!(
            parts("8000:8000"),
            (None, s("8000"), "8000".into(), "tcp".into())
        );
        assert_eq!(
            parts("9090-9091:8080-8081"),
            (None, s("9090-9091"), "8080-8081".into(), "tcp".into())
        );
        assert_eq!(
            parts("49100:22"),
            (None, s("49100"), "22".into(), "tcp".into())
        );
        assert_eq!(
            parts("8000-9000:80"),
            (None, s("8000-9000"), "80".into(), "tcp".into())
        );
        assert_eq!(
            parts("127.0.0.1:8001:8001"),
            (s("127.0.0.1"), s("8001"), "8001".into(), "tcp".into())
        );
        assert_eq!(
            parts("127.0.0.1:5000-5010:5000-5010"),
            (
                s("127.0.0.1"),
                s("5000-5010"),
                "5000-5010".into(),
                "tcp".into()
            )
        );
        assert_eq!(
            parts("::1:6000:6000"),
            (s("::1"), s("6000"), "6000".into(), "tcp".into())
        );
        assert_eq!(
            parts("[::1]:6001:6001"),
            (s("::1"), s("6001"), "6001".into(), "tcp".into())
        );
        assert_eq!(
            parts("6060:6060/udp"),
            (None, s("6060"), "6060".into(), "udp".into())
        );
    }

    #[test]
    fn reach_follows_the_host_ip() {
        assert_eq!(p("8888:8888").reach(), Reach::Everywhere);
        assert_eq!(p("0.0.0.0:8888:8888").reach(), Reach::Everywhere);
        assert_eq!(p("127.0.0.1:8888:8888").reach(), Reach::ThisMachine);
        assert_eq!(p("[::1]:8888:8888").reach(), Reach::ThisMachine);
        assert_eq!(p("192.168.1.5:8888:8888").reach(), Reach::OneAddress);
        assert!(p("8888").reachable_from_other_machines());
    }

    #[test]
    fn broken_specs_say_why() {
        for (spec, why) in [
            ("", "no container port"),
            ("8080:", "no container port"),
            ("80/bogus", "unknown protocol"),
            ("abc:80", "not a port"),
            ("99999", "not a port"),
            ("300.1.1.1:80:80", "not an IP address"),
            ("8000-8001:80-82", "different lengths"),
            ("90-80", "not a port"),
        ] {
            let err = short(spec, 1).expect_err(spec);
            assert!(err.contains(why), "{spec}: {err}");
        }
    }

    // The long-syntax example of the Compose Specification, 05-services.md, "ports".
    #[test]
    fn the_specifications_long_example() {
        let root = super::super::parse::parse(
            "- name: web\n  target: 80\n  host_ip: 127.0.0.1\n  published: \"8080\"\n  protocol: tcp\n  app_protocol: http\n  mode: host\n- name: web-secured\n  target: 443\n  host_ip: 127.0.0.1\n  published: \"8083-9000\"\n  protocol: tcp\n  app_protocol: https\n  mode: host\n",
        )
        .expect("valid");
        let ports: Vec<Port> = root
            .items()
            .expect("list")
            .iter()
            .map(|n| read(n).expect("valid"))
            .collect();
        assert_eq!(ports[0].text, "127.0.0.1:8080:80/tcp");
        assert_eq!(ports[0].reach(), Reach::ThisMachine);
        assert_eq!(ports[1].host_port.as_deref(), Some("8083-9000"));
        assert_eq!(ports[1].container_port, "443");
        assert_eq!(ports[1].line, 8);
    }
}
