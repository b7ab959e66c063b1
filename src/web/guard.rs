//! Who may talk to the server. Loopback only by default; then the `Host` header must
//! name the server itself (a page that rebinds its own domain name to 127.0.0.1 — DNS
//! rebinding — sends its own name), and an `Origin`, when the browser sends one, must
//! be the server's own (a foreign page opening a WebSocket to localhost — cross-site
//! WebSocket hijacking — or posting a form). Served beyond loopback, every request
//! except the static bundle must also carry the random token printed at start-up.

use axum::http::{HeaderMap, StatusCode, Uri};

/// The query parameter and the header that carry the token.
pub const TOKEN_PARAM: &str = "token";
pub const TOKEN_HEADER: &str = "x-jianggao-token";

#[derive(Debug, Clone)]
pub struct Policy {
    /// `Host` values accepted (`127.0.0.1:PORT`, `localhost:PORT`, …); `None`: any,
    /// which only a token-protected server allows.
    pub hosts: Option<Vec<String>>,
    /// Required on every request outside `/assets/`.
    pub token: Option<String>,
}

impl Policy {
    /// A server bound to a loopback address on `port`: its names for itself.
    pub fn loopback(bound_host: &str, port: u16) -> Policy {
        let mut hosts: Vec<String> = ["127.0.0.1", "localhost", "[::1]"]
            .iter()
            .map(|h| format!("{h}:{port}"))
            .collect();
        let own = format!("{}:{port}", bracketed(bound_host));
        if !hosts.contains(&own) {
            hosts.push(own);
        }
        Policy {
            hosts: Some(hosts),
            token: None,
        }
    }

    /// A server reachable from other machines: any Host, but only with the token.
    pub fn with_token(token: String) -> Policy {
        Policy {
            hosts: None,
            token: Some(token),
        }
    }

    /// Ok, or the status and the reason for refusing the request.
    pub fn check(&self, uri: &Uri, headers: &HeaderMap) -> Result<(), (StatusCode, &'static str)> {
        let forbidden = |why| Err((StatusCode::FORBIDDEN, why));
        let Some(host) = header(headers, "host") else {
            return forbidden("请求缺少 Host");
        };
        if let Some(hosts) = &self.hosts {
            if !hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
                return forbidden("Host 不是本服务的地址");
            }
        }
        if let Some(origin) = header(headers, "origin") {
            // Same origin: the scheme is http and the authority is the Host just checked.
            let same = origin
                .strip_prefix("http://")
                .is_some_and(|authority| authority.eq_ignore_ascii_case(host));
            if !same {
                return forbidden("来源（Origin）不是本页面");
            }
        }
        if let Some(token) = &self.token {
            if uri.path().starts_with("/assets/") {
                return Ok(());
            }
            let given = header(headers, TOKEN_HEADER).or_else(|| query_param(uri, TOKEN_PARAM));
            if !given.is_some_and(|g| same_secret(g.as_bytes(), token.as_bytes())) {
                return forbidden("缺少或错误的访问令牌（token）");
            }
        }
        Ok(())
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn query_param<'a>(uri: &'a Uri, name: &str) -> Option<&'a str> {
    uri.query()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then_some(value)
    })
}

/// IPv6 literals appear in `Host` with brackets.
pub fn bracketed(host: &str) -> String {
    if host.contains(':') && !host.starts_with('[') {
        format!("[{host}]")
    } else {
        host.to_string()
    }
}

/// Compares without an early exit, so the time taken says nothing about the token.
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// 128 random bits as hex, for the URL.
pub fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("无法生成访问令牌：{e}"))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, v.parse().unwrap());
        }
        h
    }

    fn status(p: &Policy, uri: &str, pairs: &[(&'static str, &str)]) -> u16 {
        match p.check(&uri.parse().unwrap(), &headers(pairs)) {
            Ok(()) => 200,
            Err((s, _)) => s.as_u16(),
        }
    }

    #[test]
    fn loopback_accepts_its_own_names_only() {
        let p = Policy::loopback("127.0.0.1", 7226);
        assert_eq!(status(&p, "/", &[("host", "127.0.0.1:7226")]), 200);
        assert_eq!(status(&p, "/", &[("host", "localhost:7226")]), 200);
        assert_eq!(status(&p, "/", &[("host", "evil.example:7226")]), 403);
        assert_eq!(status(&p, "/", &[("host", "127.0.0.1:80")]), 403);
        assert_eq!(status(&p, "/", &[]), 403);
        let ok = [
            ("host", "127.0.0.1:7226"),
            ("origin", "http://127.0.0.1:7226"),
        ];
        assert_eq!(status(&p, "/lsp", &ok), 200);
        for origin in [
            "http://evil.example",
            "null",
            "https://127.0.0.1:7226",
            "http://localhost:7226",
        ] {
            assert_eq!(
                status(
                    &p,
                    "/lsp",
                    &[("host", "127.0.0.1:7226"), ("origin", origin)]
                ),
                403,
                "{origin}"
            );
        }
        let v6 = Policy::loopback("::1", 9);
        assert_eq!(status(&v6, "/", &[("host", "[::1]:9")]), 200);
    }

    #[test]
    fn token_mode_needs_the_token_except_for_the_bundle() {
        let p = Policy::with_token("abc123".into());
        let host = ("host", "192.0.2.1:7226");
        assert_eq!(status(&p, "/", &[host]), 403);
        assert_eq!(status(&p, "/?token=abc124", &[host]), 403);
        assert_eq!(status(&p, "/?token=abc123", &[host]), 200);
        assert_eq!(status(&p, "/lsp?x=1&token=abc123", &[host]), 200);
        assert_eq!(
            status(&p, "/api/info", &[host, (TOKEN_HEADER, "abc123")]),
            200
        );
        assert_eq!(status(&p, "/assets/app.js", &[host]), 200);
        assert_eq!(
            status(
                &p,
                "/?token=abc123",
                &[host, ("origin", "http://evil.example")]
            ),
            403
        );
        assert_eq!(new_token().unwrap().len(), 32);
        assert_ne!(new_token().unwrap(), new_token().unwrap());
    }
}
