//! Publishers whose pages count as primary sources (`data/sources.toml`): state organs,
//! the Party's own sites, and state media that publish official texts.

use serde::Deserialize;
use std::sync::OnceLock;

pub const SOURCES_TOML: &str = include_str!("../../data/sources.toml");

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    pub domain: String,
    pub name: String,
}

#[derive(Debug, Deserialize)]
struct SourcesFile {
    #[allow(dead_code)]
    schema_version: u32,
    publisher: Vec<Publisher>,
}

pub fn publishers() -> &'static [Publisher] {
    static ALL: OnceLock<Vec<Publisher>> = OnceLock::new();
    ALL.get_or_init(|| match toml::from_str::<SourcesFile>(SOURCES_TOML) {
        Ok(f) => f.publisher,
        Err(e) => {
            tracing::error!("embedded sources.toml is invalid: {e}");
            Vec::new()
        }
    })
}

/// The host of an http(s) URL, lower-cased.
fn host(url: &str) -> Option<String> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#']).next()?;
    let host = host.rsplit('@').next()?.split(':').next()?;
    Some(host.to_ascii_lowercase())
}

/// The publisher of a URL: the most specific domain that the host is or lies under.
pub fn publisher_of(url: &str) -> Option<&'static Publisher> {
    let host = host(url)?;
    // Checked for every reported list: no allocation per publisher.
    let under = |domain: &str| {
        host.strip_suffix(domain)
            .is_some_and(|rest| rest.is_empty() || rest.ends_with('.'))
    };
    publishers()
        .iter()
        .filter(|p| under(&p.domain))
        .max_by_key(|p| p.domain.len())
}

pub fn is_primary(url: &str) -> bool {
    publisher_of(url).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_domains_and_their_subdomains() {
        assert_eq!(
            publisher_of("https://www.gov.cn/xinwen/2022-10/25/content_5721685.htm")
                .map(|p| p.name.as_str()),
            Some("中国政府网")
        );
        assert_eq!(
            publisher_of("http://jhsjk.people.com.cn/article/1").map(|p| p.name.as_str()),
            Some("人民网")
        );
        assert!(is_primary("https://www.moe.gov.cn/a.html"));
        assert!(!is_primary("https://zh.wikisource.org/wiki/x"));
        assert!(!is_primary("https://notgov.cn.example.com/x"));
        assert!(!is_primary("https://evil-people.com.cn.example/x"));
    }
}
