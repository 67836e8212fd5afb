//! The HTTP service as a client meets it: a server on an ephemeral loopback
//! port in this process, spoken to over plain TCP. Each endpoint, ETags and
//! 304, saturation (503), identical misses sharing a render, graceful
//! shutdown, hostile requests, slow and departing clients, and a layout, a
//! locale and a picture replaced while they are served. No assertion
//! depends on timing: a request "in flight" is one held at the gate by
//! `Service::reserve`, observed through `/metrics`.

mod common;

use nashr::serve::{Config, ListenOptions, Service};
use nashr::{DataRow, Engine, Format, LayoutSource, RenderOptions};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// A running server and how to stop it.
struct Server {
    addr: SocketAddr,
    service: Service,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(config: Config, listen: ListenOptions) -> Server {
        let service = Service::new(Engine::new(), config).expect("a service");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let router = service.router();
        let done = tokio::spawn(nashr::serve::run(listener, router, listen, async {
            let _ = stopped.await;
        }));
        Server { addr, service, stop: Some(stop), done }
    }

    async fn get(&self, target: &str) -> Reply {
        get(self.addr, target, &[]).await
    }

    /// The value of a gauge or counter in `/metrics`.
    async fn metric(&self, name: &str) -> u64 {
        let text = String::from_utf8(self.get("/metrics").await.body).unwrap();
        text.lines()
            .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
            .unwrap_or_else(|| panic!("no {name} in {text}"))
            .parse()
            .unwrap()
    }

    async fn shut_down(mut self) {
        let _ = self.stop.take().unwrap().send(());
        self.done.await.unwrap().unwrap();
    }
}

/// A response as read off the wire.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as a problem document, checking its media type.
    fn problem(&self) -> serde_json::Value {
        assert_eq!(self.header("content-type"), Some("application/problem+json"), "{self:?}");
        let p: serde_json::Value = serde_json::from_slice(&self.body).expect("JSON");
        assert_eq!(p["status"], self.status, "{p}");
        p
    }
}

/// Send one GET (the target as written, unnormalised) on a fresh
/// connection and read the whole response.
async fn get(addr: SocketAddr, target: &str, headers: &[(&str, &str)]) -> Reply {
    send(addr, "GET", target, headers).await
}

/// Send one request with another method.
async fn request(addr: SocketAddr, method: &str, target: &str) -> Reply {
    send(addr, method, target, &[]).await
}

async fn send(addr: SocketAddr, method: &str, target: &str, headers: &[(&str, &str)]) -> Reply {
    let mut stream = TcpStream::connect(addr).await.expect("connect");
    let mut head = format!("{method} {target} HTTP/1.1\r\nHost: test\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).await.unwrap();
    let mut raw = Vec::new();
    tokio::time::timeout(Duration::from_secs(60), stream.read_to_end(&mut raw)).await.expect("a reply").unwrap();
    parse_reply(&raw)
}

fn parse_reply(raw: &[u8]) -> Reply {
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap_or_else(|| {
        panic!("no complete response head in {:?}", String::from_utf8_lossy(&raw[..raw.len().min(200)]))
    });
    let head = String::from_utf8_lossy(&raw[..end]).into_owned();
    let mut lines = head.split("\r\n");
    let status = lines.next().unwrap().split(' ').nth(1).unwrap().parse().unwrap();
    let headers = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    Reply { status, headers, body: raw[end + 4..].to_vec() }
}

/// A root folder with the repository's square layout and locales, and a
/// secret file just outside it.
fn project(name: &str) -> PathBuf {
    let dir = common::temp_dir(&format!("serve-{name}"));
    let root = dir.join("root");
    std::fs::create_dir_all(root.join("layouts")).unwrap();
    std::fs::create_dir_all(root.join("locales")).unwrap();
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(repo.join("layouts/invitation-square.toml"), root.join("layouts/invitation-square.toml")).unwrap();
    for l in ["fa", "en"] {
        std::fs::copy(repo.join(format!("locales/{l}.toml")), root.join(format!("locales/{l}.toml"))).unwrap();
    }
    std::fs::write(dir.join("secret.toml"), "password = \"hunter2\"\n").unwrap();
    std::fs::write(dir.join("secret.png"), "hunter2").unwrap();
    root
}

/// The defaults for tests: two render slots and a queue of eight.
fn config(root: &Path) -> Config {
    Config { workers: 2, queue: Some(8), ..Config::new(root) }
}

/// The square rendered by the library, as `nashr render` does.
fn library_png(root: &Path, locale: &str, values: &[(&str, &str)]) -> Vec<u8> {
    let text = std::fs::read_to_string(root.join("layouts/invitation-square.toml")).unwrap();
    library_png_of(root, &text, locale, values)
}

/// The square with the layout text `text` rendered by the library.
fn library_png_of(root: &Path, text: &str, locale: &str, values: &[(&str, &str)]) -> Vec<u8> {
    let engine = Engine::new().with_root(root);
    let root = root.canonicalize().unwrap();
    let source = LayoutSource::new(root.join("layouts/invitation-square.toml"), text);
    let locale = engine.locale(root.join(format!("locales/{locale}.toml"))).unwrap();
    let doc = if values.is_empty() {
        engine.load_with(&source, Some(&locale), None).unwrap()
    } else {
        let values = values.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        engine.load_with_text(&source, Some(&locale), &DataRow { number: 1, file: "q".into(), values }).unwrap()
    };
    engine.render(&doc, &RenderOptions::new(Format::Png)).unwrap().bytes
}

/// Percent-encode a value for a query.
fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_square_is_byte_identical_to_nashr_render() {
    let root = project("identical");
    let server = Server::start(config(&root), ListenOptions::default()).await;
    for locale in ["fa", "en"] {
        let reply = server.get(&format!("/render/invitation-square.png?locale={locale}")).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert_eq!(reply.header("content-type"), Some("image/png"));
        let expected = format!("inline; filename=\"invitation-square-{locale}.png\"");
        assert_eq!(reply.header("content-disposition"), Some(expected.as_str()));
        let out = root.join(format!("cli-{locale}.png"));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_nashr"))
            .current_dir(&root)
            .args(["render", "layouts/invitation-square.toml", "--locale", locale, "-o"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(reply.body == std::fs::read(&out).unwrap(), "locale {locale}: the service and the CLI differ");
    }
    // Without ?locale the layout's own (fa) is used: the same image.
    let default = server.get("/render/invitation-square.png").await;
    assert_eq!(default.body, library_png(&root, "fa", &[]));
    // A template value from the query, and markup in a value printed as written.
    for headline in ["به جشن ما بیایید، مریم!", "**[click](javascript:alert(1))** \\*"] {
        let reply = server.get(&format!("/render/invitation-square.png?locale=fa&headline={}", encode(headline))).await;
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(reply.body == library_png(&root, "fa", &[("headline", headline)]), "{headline}");
        assert!(reply.body != default.body);
    }
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn etags_give_304_and_the_cache_answers_repeats() {
    let root = project("etag");
    let custom = Config { cache_control: "public, max-age=60, immutable".into(), ..config(&root) };
    let server = Server::start(custom, ListenOptions::default()).await;
    let target = "/render/invitation-square.png?locale=en&date_short=12%20May";
    let first = server.get(target).await;
    assert_eq!(first.status, 200, "{}", first.text());
    let etag = first.header("etag").expect("an ETag").to_string();
    assert!(etag.starts_with('"') && etag.len() == 34, "{etag}");
    assert_eq!(first.header("cache-control"), Some("public, max-age=60, immutable"));
    let again = server.get(target).await;
    assert_eq!((again.header("etag"), &again.body), (Some(etag.as_str()), &first.body));
    assert_eq!(
        (server.metric("nashr_cache_hits_total").await, server.metric("nashr_cache_misses_total").await),
        (1, 1)
    );
    let not_modified = get(server.addr, target, &[("If-None-Match", &format!("\"x\", {etag}"))]).await;
    assert_eq!(not_modified.status, 304);
    assert!(not_modified.body.is_empty());
    assert_eq!(not_modified.header("etag"), Some(etag.as_str()));
    // Another value, another ETag; a stale ETag gets the image.
    let other = server.get("/render/invitation-square.png?locale=en&date_short=13%20May").await;
    assert_ne!(other.header("etag"), Some(etag.as_str()));
    let stale = get(server.addr, "/render/invitation-square.png?locale=fa", &[("If-None-Match", &etag)]).await;
    assert_eq!(stale.status, 200);
    // The other formats, with their media types.
    for (ext, kind, magic) in [
        ("jpg", "image/jpeg", &b"\xff\xd8"[..]),
        ("pdf", "application/pdf", b"%PDF"),
        ("json", "application/json", b"{"),
    ] {
        let r = server.get(&format!("/render/invitation-square.{ext}?locale=en")).await;
        assert_eq!((r.status, r.header("content-type")), (200, Some(kind)), "{}", r.text());
        assert!(r.body.starts_with(magic), "{ext}");
    }
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn layouts_health_and_metrics() {
    let root = project("listing");
    let server = Server::start(config(&root), ListenOptions::default()).await;
    let health = server.get("/healthz").await;
    assert_eq!((health.status, health.text().as_str()), (200, "ok\n"));
    let listing = server.get("/layouts").await;
    assert_eq!(listing.status, 200);
    let listing: serde_json::Value = serde_json::from_slice(&listing.body).unwrap();
    let square = &listing["layouts"][0];
    assert_eq!(square["name"], "invitation-square");
    assert_eq!(square["locale"], "fa");
    let keys: Vec<&str> = square["keys"].as_array().unwrap().iter().map(|k| k.as_str().unwrap()).collect();
    assert_eq!(keys, ["date_note", "date_short", "headline", "telegram", "website"]);
    assert_eq!(listing["locales"], serde_json::json!(["en", "fa"]));
    assert_eq!(server.get("/render/invitation-square.png").await.status, 200);
    assert_eq!(server.get("/render/nothing.png").await.status, 404);
    // HEAD answers as GET without the body; other methods get a 405 problem.
    let head = request(server.addr, "HEAD", "/render/invitation-square.png").await;
    assert_eq!((head.status, head.header("content-type")), (200, Some("image/png")));
    assert!(head.body.is_empty() && head.header("content-length").is_some_and(|l| l.parse::<usize>().unwrap() > 1000));
    let post = request(server.addr, "POST", "/render/invitation-square.png").await;
    assert_eq!((post.status, post.header("allow")), (405, Some("GET, HEAD")));
    post.problem();
    let metrics = server.get("/metrics").await;
    assert_eq!(metrics.header("content-type"), Some("text/plain; version=0.0.4; charset=utf-8"));
    let text = metrics.text();
    assert!(text.lines().any(|l| l.starts_with("process_resident_memory_bytes ")), "{text}");
    for line in [
        "nashr_http_requests_total{route=\"render\",status=\"200\"} 2",
        "nashr_http_requests_total{route=\"render\",status=\"405\"} 1",
        "nashr_http_requests_total{route=\"render\",status=\"404\"} 1",
        "nashr_http_requests_total{route=\"healthz\",status=\"200\"} 1",
        "nashr_http_requests_total{route=\"layouts\",status=\"200\"} 1",
        "nashr_cache_misses_total 1",
        "nashr_renders_total 1",
        "nashr_render_slots 2",
        "nashr_rejections_total{reason=\"saturated\"} 0",
        "nashr_http_request_duration_seconds_count 6",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} missing from\n{text}");
    }
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_requests_get_4xx_without_file_content() {
    let root = project("hostile");
    std::fs::write(root.join("layouts/broken.toml"), "[page]\nsize = \"A9\"\n").unwrap();
    let listen = ListenOptions { max_head_bytes: 16 << 10, ..ListenOptions::default() };
    let server = Server::start(config(&root), listen).await;
    let square = "/render/invitation-square.png";
    let long = "ب".repeat(501);
    let cases: Vec<(String, u16)> = vec![
        ("/render/../../etc/passwd".into(), 404),
        ("/render/../../secret.png".into(), 404),
        ("/render/%2e%2e%2f%2e%2e%2fsecret.png".into(), 400),
        ("/render/%2e%2e.png".into(), 400),
        ("/render/..%2f..%2fetc%2fpasswd.png".into(), 400),
        ("/render//etc/passwd.png".into(), 404),
        ("/render/%2fetc%2fpasswd.png".into(), 400),
        ("/render/C:%5cwindows.png".into(), 400),
        ("/render/unknown.png".into(), 404),
        ("/render/invitation-square.exe".into(), 400),
        (format!("{square}?locale=../../secret"), 400),
        (format!("{square}?locale=%2e%2e%2fsecret"), 400),
        (format!("{square}?locale=xx"), 404),
        (format!("{square}?headline={}", encode(&long)), 414),
        (format!("{square}?headline={}", "a".repeat(9000)), 414),
        (format!("{square}?headline=a%00b"), 400),
        (format!("{square}?headline=a%0d%0aSet-Cookie:x"), 400),
        (format!("{square}?headline=%1b%5b31m"), 400),
        (format!("{square}?headline=%ff"), 400),
        (format!("{square}?password=1"), 400),
        (format!("{square}?scale=100000"), 400),
        (format!("{square}?page=0"), 400),
        ("/render/invitation-square.pdf?page=2".into(), 400),
        (format!("{square}?page=9"), 422),
        ("/etc/passwd".into(), 404),
    ];
    for (target, status) in &cases {
        let reply = server.get(target).await;
        assert_eq!(reply.status, *status, "{target}: {}", reply.text());
        let problem = reply.problem();
        let body = reply.text();
        assert!(!body.contains("hunter2") && !body.contains("root:"), "{target}: {body}");
        assert!(!body.contains(root.to_str().unwrap()), "{target} shows the root: {body}");
        assert!(problem["detail"].as_str().is_some_and(|d| !d.is_empty()), "{target}");
    }
    // A mistake in a layout: the CLI's message, with its place in the file.
    let broken = server.get("/render/broken.png").await;
    assert_eq!(broken.status, 422);
    let p = broken.problem();
    assert_eq!(
        (p["file"].as_str(), p["line"].as_u64(), p["column"].as_u64()),
        (Some("layouts/broken.toml"), Some(2), Some(8))
    );
    assert!(p["detail"].as_str().unwrap().contains("layouts/broken.toml:2:8"), "{p}");
    // A megabyte in one value: refused (hyper's 431) before anything is read into a render.
    let huge = format!("{square}?headline={}", "a".repeat(1 << 20));
    let mut stream = TcpStream::connect(server.addr).await.unwrap();
    let request = format!("GET {huge} HTTP/1.1\r\nHost: test\r\n\r\n");
    let (mut reader, mut writer) = stream.split();
    let (_, raw) = tokio::join!(writer.write_all(request.as_bytes()), async {
        let mut raw = Vec::new();
        let _ = reader.read_to_end(&mut raw).await;
        raw
    });
    assert_eq!(parse_reply(&raw).status, 431);
    // The server keeps serving.
    assert_eq!(server.get("/healthz").await.status, 200);
    assert_eq!(server.get(&format!("{square}?locale=en")).await.status, 200);
    assert_eq!(server.metric("nashr_rejections_total{reason=\"too_long\"}").await, 2);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_queue_gets_503_with_retry_after() {
    let root = project("saturated");
    let server =
        Server::start(Config { workers: 1, queue: Some(0), ..Config::new(&root) }, ListenOptions::default()).await;
    // The one slot is busy: the request cannot even wait.
    let held = server.service.reserve(1).expect("the free slot");
    let busy = server.get("/render/invitation-square.png?locale=en").await;
    assert_eq!(busy.status, 503);
    assert_eq!(busy.header("retry-after"), Some("1"));
    assert!(busy.problem()["detail"].as_str().unwrap().contains("busy"));
    drop(held);
    assert_eq!(server.get("/render/invitation-square.png?locale=en").await.status, 200);
    // A cached output needs no slot: it is served even when all are busy.
    let _held = server.service.reserve(1).unwrap();
    assert_eq!(server.get("/render/invitation-square.png?locale=en").await.status, 200);
    assert_eq!(server.metric("nashr_rejections_total{reason=\"saturated\"}").await, 1);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_waits_in_the_queue_and_the_next_is_turned_away() {
    let root = project("queue");
    let server =
        Server::start(Config { workers: 1, queue: Some(1), ..Config::new(&root) }, ListenOptions::default()).await;
    let held = server.service.reserve(1).unwrap();
    let addr = server.addr;
    let waiting = tokio::spawn(async move { get(addr, "/render/invitation-square.png?locale=fa", &[]).await });
    wait_for(&server, "nashr_render_queue_waiting", 1).await;
    let turned_away = server.get("/render/invitation-square.png?locale=en").await;
    assert_eq!(turned_away.status, 503);
    drop(held);
    let served = waiting.await.unwrap();
    assert_eq!(served.status, 200);
    assert!(served.body == library_png(&root, "fa", &[]));
    server.shut_down().await;
}

/// Poll `/metrics` until `name` reads `value`.
async fn wait_for(server: &Server, name: &str, value: u64) {
    for _ in 0..2000 {
        if server.metric(name).await == value {
            return;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    panic!("{name} never reached {value}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_requests_in_flight() {
    let root = project("shutdown");
    let server =
        Server::start(Config { workers: 1, queue: Some(4), ..Config::new(&root) }, ListenOptions::default()).await;
    let held = server.service.reserve(1).unwrap();
    let addr = server.addr;
    let in_flight = tokio::spawn(async move { get(addr, "/render/invitation-square.png?locale=en", &[]).await });
    wait_for(&server, "nashr_render_queue_waiting", 1).await;
    let Server { stop, done, .. } = server;
    stop.unwrap().send(()).unwrap();
    // The listener closes: new connections are refused…
    let mut refused = false;
    for _ in 0..2000 {
        if TcpStream::connect(addr).await.is_err() {
            refused = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(refused, "the listener stayed open after shutdown");
    assert!(!done.is_finished(), "the server stopped with a request in flight");
    // …while the request in flight finishes, and then the server stops.
    drop(held);
    let reply = in_flight.await.unwrap();
    assert_eq!(reply.status, 200);
    assert!(reply.body == library_png(&root, "en", &[]));
    tokio::time::timeout(Duration::from_secs(30), done).await.expect("the server stops").unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slow_clients_and_clients_that_leave_hold_nothing() {
    let root = project("slow");
    let listen = ListenOptions { header_timeout: Duration::from_millis(300), ..ListenOptions::default() };
    let server = Server::start(config(&root), listen).await;
    // Headers that never finish: the connection is closed.
    let mut slow = TcpStream::connect(server.addr).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: te").await.unwrap();
    let mut rest = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(20), slow.read_to_end(&mut rest)).await;
    assert!(read.is_ok(), "a client that never finished its headers kept its connection");
    assert!(rest.is_empty() || String::from_utf8_lossy(&rest).starts_with("HTTP/1.1 408"), "{rest:?}");
    // Clients that read a few bytes of an image and leave.
    for i in 0..6 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        let req =
            format!("GET /render/invitation-square.pdf?locale=en&headline=leaving{i} HTTP/1.1\r\nHost: t\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        let mut some = [0u8; 64];
        let _ = s.read(&mut some).await.unwrap();
        drop(s);
    }
    // Clients that leave before the answer.
    for i in 0..4 {
        let mut s = TcpStream::connect(server.addr).await.unwrap();
        let req = format!("GET /render/invitation-square.png?locale=en&headline=gone{i} HTTP/1.1\r\nHost: t\r\n\r\n");
        s.write_all(req.as_bytes()).await.unwrap();
        drop(s);
    }
    wait_for(&server, "nashr_render_slots_busy", 0).await;
    assert_eq!(server.get("/healthz").await.status, 200);
    let reply = server.get("/render/invitation-square.png?locale=fa").await;
    assert_eq!(reply.status, 200);
    assert!(reply.body == library_png(&root, "fa", &[]));
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_layout_edited_while_served_is_rendered_anew() {
    let root = project("edited");
    let server = Server::start(config(&root), ListenOptions::default()).await;
    let path = root.join("layouts/invitation-square.toml");
    let before = server.get("/render/invitation-square.png?locale=en").await;
    assert_eq!(before.status, 200);
    let old_png = library_png(&root, "en", &[]);
    assert!(before.body == old_png);
    // Requests keep coming while the layout is replaced (atomically, as an
    // editor or a deploy does).
    let addr = server.addr;
    let traffic: Vec<_> = (0..6)
        .map(|i| {
            tokio::spawn(async move {
                get(addr, &format!("/render/invitation-square.png?locale=en&date_note=n{i}"), &[]).await
            })
        })
        .collect();
    let text = std::fs::read_to_string(&path).unwrap().replace("#c62d24", "#1d4ed8").replace("86px", "80px");
    let staged = root.join("layouts/.staged");
    std::fs::write(&staged, &text).unwrap();
    std::fs::rename(&staged, &path).unwrap();
    for t in traffic {
        let reply = t.await.unwrap();
        assert_eq!(reply.status, 200, "{}", reply.text());
        assert!(reply.body.starts_with(b"\x89PNG"));
    }
    let after = server.get("/render/invitation-square.png?locale=en").await;
    assert_eq!(after.status, 200);
    assert_ne!(after.header("etag"), before.header("etag"));
    let new_png = library_png(&root, "en", &[]);
    assert!(new_png != old_png);
    assert!(after.body == new_png, "the edited layout is served");
    // The old ETag no longer matches.
    let etag = before.header("etag").unwrap();
    let r = get(addr, "/render/invitation-square.png?locale=en", &[("If-None-Match", etag)]).await;
    assert_eq!(r.status, 200);
    // Rewritten in place, the file is empty for a moment: meanwhile the
    // version read last is served, for new values too.
    std::fs::write(&path, "").unwrap();
    let meanwhile = server.get("/render/invitation-square.png?locale=en&date_note=meanwhile").await;
    assert_eq!(meanwhile.status, 200, "{}", meanwhile.text());
    assert!(meanwhile.body == library_png_of(&root, &text, "en", &[("date_note", "meanwhile")]));
    std::fs::write(&path, &text).unwrap();
    // A layout that is empty from the start is not ready.
    std::fs::write(root.join("layouts/empty.toml"), "").unwrap();
    let empty = server.get("/render/empty.png").await;
    assert_eq!((empty.status, empty.header("retry-after")), (503, Some("1")));
    // A locale edited likewise.
    let en = root.join("locales/en.toml");
    let locale = std::fs::read_to_string(&en).unwrap().replace("December 2021", "December 2031");
    std::fs::write(root.join("locales/.staged"), locale).unwrap();
    std::fs::rename(root.join("locales/.staged"), &en).unwrap();
    let relocalised = server.get("/render/invitation-square.png?locale=en").await;
    assert!(relocalised.body == library_png(&root, "en", &[]) && relocalised.body != after.body);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_loopback_unless_public() {
    assert!(nashr::serve::check_address("0.0.0.0:8080".parse().unwrap(), false).is_err());
    let o = common::nashr(&["serve", "--root", ".", "--addr", "0.0.0.0:0"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("--public"), "{}", String::from_utf8_lossy(&o.stderr));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn identical_misses_at_once_render_once() {
    let root = project("shared");
    let server =
        Server::start(Config { workers: 1, queue: Some(4), ..Config::new(&root) }, ListenOptions::default()).await;
    let held = server.service.reserve(1).unwrap();
    let addr = server.addr;
    let target = "/render/invitation-square.png?locale=en&date_note=together";
    let requests: Vec<_> = (0..3).map(|_| tokio::spawn(async move { get(addr, target, &[]).await })).collect();
    // One waits for the slot; the other two wait for its render.
    wait_for(&server, "nashr_cache_misses_total", 3).await;
    assert_eq!(server.metric("nashr_render_queue_waiting").await, 1);
    drop(held);
    let mut bodies = Vec::new();
    for r in requests {
        let reply = r.await.unwrap();
        assert_eq!(reply.status, 200);
        bodies.push(reply.body);
    }
    assert!(bodies.iter().all(|b| *b == bodies[0]));
    assert!(bodies[0] == library_png(&root, "en", &[("date_note", "together")]));
    assert_eq!(server.metric("nashr_renders_total").await, 1);
    assert_eq!(server.metric("nashr_render_shared_total").await, 2);
    server.shut_down().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_picture_replaced_while_served_is_drawn_anew() {
    let root = project("picture");
    std::fs::create_dir_all(root.join("pictures")).unwrap();
    let logo = root.join("pictures/logo.png");
    std::fs::write(&logo, common::variants::png([200, 30, 30], 40, 20)).unwrap();
    let layout = "[page]\nsize = \"A6\"\n[[frame]]\nimage = \"../pictures/logo.png\"\nimage_fit = \"contain\"\n";
    std::fs::write(root.join("layouts/logo-card.toml"), layout).unwrap();
    let server = Server::start(config(&root), ListenOptions::default()).await;
    let render = |root: &Path| {
        let engine = Engine::new().with_root(root);
        let doc = engine.load(root.canonicalize().unwrap().join("layouts/logo-card.toml")).unwrap();
        engine.render(&doc, &RenderOptions::new(Format::Png)).unwrap().bytes
    };
    let before = server.get("/render/logo-card.png").await;
    assert_eq!(before.status, 200, "{}", before.text());
    assert!(before.body == render(&root));
    // The same request is a cache hit while the picture is unchanged…
    assert_eq!(server.get("/render/logo-card.png").await.header("etag"), before.header("etag"));
    // …and a new render once it is replaced.
    std::fs::write(root.join("pictures/.staged"), common::variants::png([30, 30, 200], 40, 24)).unwrap();
    std::fs::rename(root.join("pictures/.staged"), &logo).unwrap();
    let after = server.get("/render/logo-card.png").await;
    assert_eq!(after.status, 200);
    assert_ne!(after.header("etag"), before.header("etag"));
    assert!(after.body != before.body && after.body == render(&root));
    assert_eq!(server.metric("nashr_renders_total").await, 2);
    server.shut_down().await;
}
