//! The live preview of `nashr watch --preview`: a tiny HTTP server on the
//! loopback address only, serving a page that shows the PNG of every page
//! of the last good render and reloads itself when a new render lands (it
//! polls `/version`), with the last error shown above the pages.
//!
//! Hand-rolled on `std::net`: one thread per connection, GET only, no
//! keep-alive. It reads nothing from disk: the pictures are in memory.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// What the preview shows: the pages of the last good render and the last error.
#[derive(Default)]
pub struct Shown {
    /// Bumped on every render, good or bad; the page reloads when it changes.
    pub version: u64,
    /// PNG images of the pages of the last good render.
    pub pages: Vec<Vec<u8>>,
    /// The error of the last render, when it failed.
    pub error: Option<String>,
}

/// The preview's state, shared between the watch loop and the server.
pub type Preview = Arc<Mutex<Shown>>;

/// Serve `preview` on `127.0.0.1:port` (0: a free port) from a background
/// thread; returns the address it listens on.
pub fn serve(port: u16, preview: Preview) -> Result<std::net::SocketAddr, String> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .map_err(|e| format!("cannot listen on 127.0.0.1:{port}: {e}"))?;
    let addr = listener.local_addr().map_err(|e| e.to_string())?;
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let preview = preview.clone();
            std::thread::spawn(move || {
                let _ = answer(stream, &preview);
            });
        }
    });
    Ok(addr)
}

/// Answer one request.
fn answer(mut stream: TcpStream, preview: &Preview) -> std::io::Result<()> {
    stream.set_read_timeout(Some(std::time::Duration::from_secs(5)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    // The headers are read and ignored.
    let mut line = String::new();
    while reader.read_line(&mut line)? > 2 {
        line.clear();
    }
    let path = request.split_whitespace().nth(1).unwrap_or("/");
    let path = path.split('?').next().unwrap_or(path);
    let (status, kind, body) = route(path, preview);
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)
}

/// Status, content type and body for a path.
fn route(path: &str, preview: &Preview) -> (&'static str, &'static str, Vec<u8>) {
    let Ok(shown) = preview.lock() else { return ("500 Internal Server Error", "text/plain", Vec::new()) };
    if path == "/" {
        return ("200 OK", "text/html; charset=utf-8", page(&shown).into_bytes());
    }
    if path == "/version" {
        return ("200 OK", "text/plain", shown.version.to_string().into_bytes());
    }
    let number = path.strip_prefix("/page/").and_then(|p| p.strip_suffix(".png")).and_then(|n| n.parse::<usize>().ok());
    match number.and_then(|n| n.checked_sub(1)).and_then(|i| shown.pages.get(i)) {
        Some(png) => ("200 OK", "image/png", png.clone()),
        None => ("404 Not Found", "text/plain", b"not found".to_vec()),
    }
}

/// The HTML page: the error, if any, then every page's picture.
fn page(shown: &Shown) -> String {
    let error = shown.error.as_deref().map_or(String::new(), |e| format!("<pre class=error>{}</pre>", escape(e)));
    let images: String = (1..=shown.pages.len())
        .map(|n| format!("<img src=\"/page/{n}.png?v={}\" alt=\"page {n}\">", shown.version))
        .collect();
    format!(
        "<!doctype html><meta charset=utf-8><title>nashr preview</title>\
         <style>body{{background:#555;margin:0;padding:16px;font:14px sans-serif}}\
         img{{display:block;max-width:100%;margin:0 auto 16px;box-shadow:0 2px 8px #0008}}\
         .error{{background:#fee;color:#900;padding:8px;white-space:pre-wrap}}</style>\
         {error}{images}\
         <script>const v={};setInterval(async()=>{{try{{const r=await fetch('/version');\
         if((await r.text())!=String(v))location.reload()}}catch(e){{}}}},500)</script>",
        shown.version
    )
}

/// Text made safe inside HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}
