//! `jianggao serve`: the web page for writers who use no code editor.
//!
//! An adapter beside `cli` and `lsp`. The page (sources in `web/`, bundle in `web/dist/`,
//! embedded here) is one more LSP client: it speaks LSP over the WebSocket at `/lsp`
//! (`socket`), so diagnostics, hover, completion and fixes come from the same server
//! code as in editors. Plain HTTP endpoints open and download files (`files`). Every
//! request passes `guard` first.

mod files;
mod guard;
mod socket;

use axum::body::Bytes;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{DefaultBodyLimit, Query, Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::{Json, Router};
use guard::Policy;
use serde::Deserialize;
use serde_json::json;
use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;
use std::sync::Arc;

/// The default port: fixed, because the browser keeps drafts per origin (host and
/// port), and a writer who restarts the server must find them again.
pub const DEFAULT_PORT: u16 = 7226;

pub struct Options {
    /// The interface to listen on; loopback when not given.
    pub host: Option<String>,
    pub port: u16,
    /// Open the default browser on the page.
    pub open: bool,
}

const INDEX_HTML: &[u8] = include_bytes!("../../web/dist/index.html");
const APP_JS: &[u8] = include_bytes!("../../web/dist/app.js");
const APP_CSS: &[u8] = include_bytes!("../../web/dist/app.css");

/// The page's rules: its own scripts, styles (CodeMirror sets inline styles) and
/// connections only; nothing from the network.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; \
img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; \
form-action 'none'; frame-ancestors 'none'";

pub fn serve(options: Options) -> ExitCode {
    crate::lsp::init_logging();
    let runtime = match crate::lsp::runtime() {
        Ok(rt) => rt,
        Err(code) => return code,
    };
    let result = runtime.block_on(run(options));
    runtime.shutdown_background();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("jianggao serve: {message}");
            ExitCode::from(2)
        }
    }
}

async fn run(options: Options) -> Result<(), String> {
    let host = options.host.clone().unwrap_or_else(|| "127.0.0.1".into());
    let ip: IpAddr = match host.as_str() {
        "localhost" => IpAddr::from([127, 0, 0, 1]),
        h => h.trim_matches(['[', ']']).parse().map_err(|_| {
            format!("--host 需要一个 IP 地址（如 127.0.0.1 或 0.0.0.0），而不是 {h}")
        })?,
    };
    let listener = tokio::net::TcpListener::bind(SocketAddr::new(ip, options.port))
        .await
        .map_err(|e| bind_error(ip, options.port, &e))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let shown_host = guard::bracketed(&ip.to_string());
    let (policy, url) = if ip.is_loopback() {
        (
            Policy::loopback(&ip.to_string(), port),
            format!("http://{shown_host}:{port}/"),
        )
    } else {
        let token = guard::new_token()?;
        let url = format!("http://{shown_host}:{port}/?{}={token}", guard::TOKEN_PARAM);
        (Policy::with_token(token), url)
    };
    println!("讲稿网页版已启动：{url}");
    if !ip.is_loopback() {
        println!(
            "警告：正在监听 {ip}，本机以外的计算机也可能访问。只把带 token 的完整地址告诉信任的人；\
             {}请把地址中的 {shown_host} 换成本机在局域网中的地址。",
            if ip.is_unspecified() { "" } else { "如有需要，" }
        );
    }
    println!("按 Ctrl+C 停止。草稿保存在浏览器中，重新启动后打开同一地址即可继续。");
    use std::io::Write;
    let _ = std::io::stdout().flush();
    if options.open {
        open_browser(&url);
    }
    // Small messages both ways: without TCP_NODELAY a diagnostic can wait for the
    // delayed ACK of the previous write (Nagle's algorithm).
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    axum::serve(listener, router(policy))
        .await
        .map_err(|e| e.to_string())
}

fn bind_error(ip: IpAddr, port: u16, e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::AddrInUse {
        format!(
            "端口 {port} 已被占用。如果已有一个 jianggao serve 在运行，请直接打开 http://{}:{port}/ ；\
             否则用 --port 指定其他端口（--port 0 自动选择，但浏览器中保存的草稿按地址区分）。",
            guard::bracketed(&ip.to_string())
        )
    } else {
        format!("无法监听 {ip}:{port}：{e}")
    }
}

fn open_browser(url: &str) {
    let mut command = if cfg!(target_os = "windows") {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else {
        std::process::Command::new("xdg-open")
    };
    command
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    if let Err(e) = command.spawn() {
        eprintln!("无法打开浏览器（{e}）：请手动打开 {url}");
    }
}

fn router(policy: Policy) -> Router {
    Router::new()
        .route("/", get(index))
        .route(
            "/assets/app.js",
            get(|| asset(APP_JS, "text/javascript; charset=utf-8")),
        )
        .route(
            "/assets/app.css",
            get(|| asset(APP_CSS, "text/css; charset=utf-8")),
        )
        .route("/api/info", get(info))
        .route("/api/import", post(import))
        .route("/api/export", post(export))
        .route("/lsp", get(lsp_socket))
        .layer(DefaultBodyLimit::max(files::MAX_UPLOAD_BYTES))
        .layer(middleware::from_fn_with_state(Arc::new(policy), check))
}

async fn check(State(policy): State<Arc<Policy>>, request: Request, next: Next) -> Response {
    if let Err((status, why)) = policy.check(request.uri(), request.headers()) {
        tracing::warn!(
            "refused {} {}: {why}",
            request.method(),
            request.uri().path()
        );
        return (status, why).into_response();
    }
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    headers.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    // The URL may carry the token: never send it elsewhere.
    headers.insert("referrer-policy", HeaderValue::from_static("no-referrer"));
    response
}

async fn index() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CONTENT_SECURITY_POLICY, CSP),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        INDEX_HTML,
    )
        .into_response()
}

async fn asset(body: &'static [u8], mime: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        body,
    )
        .into_response()
}

async fn info() -> Json<serde_json::Value> {
    Json(json!({
        "version": env!("CARGO_PKG_VERSION"),
        "import": files::import_extensions(),
        "export": files::export_formats(),
        "maxUploadBytes": files::MAX_UPLOAD_BYTES,
    }))
}

fn file_error(e: files::FileError) -> Response {
    let status = match e {
        files::FileError::Unsupported(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        files::FileError::Unreadable(_) => StatusCode::UNPROCESSABLE_ENTITY,
    };
    (status, Json(json!({ "error": e.message() }))).into_response()
}

#[derive(Deserialize)]
struct ImportQuery {
    name: String,
}

/// The body is the file's bytes; `?name=` its file name.
async fn import(Query(q): Query<ImportQuery>, body: Bytes) -> Response {
    match files::import(&q.name, &body) {
        Ok(imported) => Json(imported).into_response(),
        Err(e) => file_error(e),
    }
}

async fn export(Json(request): Json<files::ExportRequest>) -> Response {
    match files::export(&request) {
        Ok(out) => {
            // RFC 6266 / 5987: the UTF-8 name for browsers, an ASCII fallback.
            let disposition = format!(
                "attachment; filename=\"draft.{}\"; filename*=UTF-8''{}",
                out.file_name.rsplit('.').next().unwrap_or("txt"),
                percent_encode(&out.file_name)
            );
            (
                [
                    (header::CONTENT_TYPE, out.mime.to_string()),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                out.bytes,
            )
                .into_response()
        }
        Err(e) => file_error(e),
    }
}

fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn lsp_socket(upgrade: WebSocketUpgrade) -> Response {
    upgrade
        .max_message_size(socket::MAX_MESSAGE_BYTES)
        .max_frame_size(socket::MAX_MESSAGE_BYTES)
        .on_upgrade(socket::run)
}
