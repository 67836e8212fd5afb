//! `nashr watch` as a designer uses it: the built binary runs in a temp
//! folder, the test saves the layout, and a new output appears; a save that
//! breaks the layout prints the error with its position and leaves the last
//! good output; the live preview answers on the loopback address.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// How long a change may take to show before the test fails: generous,
/// for a machine busy with other builds; the time measured is printed.
const PATIENCE: Duration = Duration::from_secs(10);

fn layout(text: &str) -> String {
    format!(
        "[page]\nsize = \"A6\"\nmargin = \"10mm\"\n[styles.body]\nsize = \"14pt\"\n[[frame]]\nname = \"main\"\n[[frame.block]]\ntype = \"paragraph\"\ntext = \"{text}\"\n"
    )
}

/// The watch process, its standard error as a stream of lines, and a kill on drop.
struct Watching {
    child: Child,
    lines: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Watching {
    fn start(args: &[&str]) -> Watching {
        let mut child = Command::new(env!("CARGO_BIN_EXE_nashr"))
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start nashr watch");
        let stderr = child.stderr.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Watching { child, lines, seen: Vec::new() }
    }

    /// Wait for a line containing `needle`; the lines read so far on failure.
    fn wait_for_line(&mut self, needle: &str) -> String {
        let deadline = Instant::now() + PATIENCE;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!("no line with {needle:?} within {PATIENCE:?}; saw:\n{}", self.seen.join("\n"));
    }
}

impl Drop for Watching {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Watching {
    /// Poll until `file` exists with content other than `before`.
    fn wait_for_new_content(&mut self, file: &Path, before: Option<&[u8]>) -> (Vec<u8>, Duration) {
        let start = Instant::now();
        while start.elapsed() < PATIENCE {
            if let Ok(bytes) = std::fs::read(file)
                && !bytes.is_empty()
                && Some(bytes.as_slice()) != before
            {
                return (bytes, start.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        self.seen.extend(self.lines.try_iter());
        panic!("{} did not change within {PATIENCE:?}; nashr said:\n{}", file.display(), self.seen.join("\n"));
    }
}

#[test]
fn a_save_renders_again_and_a_broken_save_keeps_the_last_good_output() {
    let dir = temp_dir("watch");
    let file = dir.join("card.toml");
    let out = dir.join("card.png");
    std::fs::write(&file, layout("سلام")).unwrap();
    let mut watching = Watching::start(&["watch", file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let (first, _) = watching.wait_for_new_content(&out, None);
    assert!(first.starts_with(b"\x89PNG"));
    watching.wait_for_line("wrote");

    std::fs::write(&file, layout("سلام دنیا، این متن تازه است")).unwrap();
    let (second, took) = watching.wait_for_new_content(&out, Some(&first));
    eprintln!("a save showed in {took:?}");
    assert!(second.starts_with(b"\x89PNG") && second != first);
    let line = watching.wait_for_line("wrote");
    assert!(line.contains(" ms") && line.starts_with('['), "one line per render with its time: {line}");

    // A misspelt key: the error names file, line and column; the output stays.
    std::fs::write(&file, layout("سلام").replace("margin", "margn")).unwrap();
    let error = watching.wait_for_line("error:");
    let position = watching.wait_for_line("card.toml:3:1");
    assert!(error.contains("margn") || position.contains("card.toml:3:1"), "{error}\n{position}");
    watching.wait_for_line("kept the last good");
    assert_eq!(std::fs::read(&out).unwrap(), second, "a broken save leaves the previous output intact");

    // Mended, it renders again.
    std::fs::write(&file, layout("دوباره درست")).unwrap();
    let (third, _) = watching.wait_for_new_content(&out, Some(&second));
    assert!(third.starts_with(b"\x89PNG"));
}

#[test]
fn a_save_of_a_picture_the_layout_names_renders_again() {
    let dir = temp_dir("watch-picture");
    let file = dir.join("pic.toml");
    let out = dir.join("pic.png");
    let picture = dir.join("dot.png");
    write_png(&picture, [200, 20, 20]);
    std::fs::write(
        &file,
        "[page]\nsize = \"A6\"\n[[frame]]\nname = \"photo\"\n[[frame.block]]\ntype = \"image\"\npath = \"dot.png\"\nheight = \"30mm\"\n",
    )
    .unwrap();
    let mut watching = Watching::start(&["watch", file.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let (first, _) = watching.wait_for_new_content(&out, None);
    std::thread::sleep(Duration::from_millis(200));
    write_png(&picture, [20, 20, 200]);
    let (second, _) = watching.wait_for_new_content(&out, Some(&first));
    assert_ne!(first, second);
}

#[test]
fn a_save_of_the_locale_or_the_data_renders_again() {
    let dir = temp_dir("watch-locale");
    std::fs::create_dir_all(dir.join("locales")).unwrap();
    let locale = |greeting: &str| {
        format!(
            "[locale]\nlanguage = \"fa\"\nname = \"فارسی\"\ndirection = \"rtl\"\n[strings]\ngreeting = \"{greeting}\"\n"
        )
    };
    std::fs::write(dir.join("locales/fa.toml"), locale("سلام")).unwrap();
    let data = dir.join("rows.csv");
    std::fs::write(&data, "city\nتهران\n").unwrap();
    let file = dir.join("card.toml");
    std::fs::write(
        &file,
        layout("{{greeting}} {{city}}").replace("[page]", "[meta]\nlocale = \"locales/fa.toml\"\n[page]"),
    )
    .unwrap();
    let out = dir.join("card.png");
    let mut watching = Watching::start(&[
        "watch",
        file.to_str().unwrap(),
        "-o",
        out.to_str().unwrap(),
        "--data",
        data.to_str().unwrap(),
    ]);
    let (first, _) = watching.wait_for_new_content(&out, None);
    watching.wait_for_line("wrote");
    std::fs::write(dir.join("locales/fa.toml"), locale("درود بر شما")).unwrap();
    let (second, _) = watching.wait_for_new_content(&out, Some(&first));
    watching.wait_for_line("wrote");
    std::fs::write(&data, "city\nشیراز و اصفهان\n").unwrap();
    let (third, _) = watching.wait_for_new_content(&out, Some(&second));
    assert!(third.starts_with(b"\x89PNG"));
}

/// A 4 × 4 PNG of one colour.
fn write_png(path: &Path, rgb: [u8; 3]) {
    let mut pixmap = tiny_skia::Pixmap::new(4, 4).unwrap();
    pixmap.fill(tiny_skia::Color::from_rgba8(rgb[0], rgb[1], rgb[2], 255));
    let tmp = path.with_extension("tmp");
    pixmap.save_png(&tmp).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

/// GET a path from the preview server.
fn get(addr: &str, path: &str) -> (String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response.windows(4).position(|w| w == b"\r\n\r\n").expect("headers end");
    let head = String::from_utf8_lossy(&response[..split]).into_owned();
    (head, response[split + 4..].to_vec())
}

#[test]
fn the_preview_serves_every_page_on_the_loopback_address() {
    let dir = temp_dir("watch-preview");
    let file = dir.join("two.toml");
    let out = dir.join("two.pdf");
    std::fs::write(&file, layout("یک").replace("margin = \"10mm\"", "margin = \"10mm\"\npages = 2")).unwrap();
    let mut watching = Watching::start(&["watch", file.to_str().unwrap(), "-o", out.to_str().unwrap(), "--preview"]);
    let line = watching.wait_for_line("preview on http://");
    let addr = line.split("http://").nth(1).unwrap().trim_end_matches('/').to_string();
    assert!(addr.starts_with("127.0.0.1:"), "loopback only: {addr}");
    watching.wait_for_line("wrote");
    let (head, page) = get(&addr, "/");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("/page/1.png") && page.contains("/page/2.png"), "{page}");
    assert!(page.contains("location.reload"), "the page reloads itself");
    let (head, png) = get(&addr, "/page/2.png");
    assert!(head.contains("image/png") && png.starts_with(b"\x89PNG"), "{head}");
    let (_, version) = get(&addr, "/version");
    assert_eq!(version, b"1");
    let (head, _) = get(&addr, "/page/3.png");
    assert!(head.starts_with("HTTP/1.1 404"), "{head}");

    // A broken save: the page shows the error above the last good pages.
    std::fs::write(&file, layout("یک").replace("[page]", "[paeg]")).unwrap();
    watching.wait_for_line("kept the last good");
    let (_, page) = get(&addr, "/");
    let page = String::from_utf8(page).unwrap();
    assert!(page.contains("class=error") && page.contains("two.toml:1:2"), "{page}");
    assert!(page.contains("/page/2.png"), "the last good pages stay");
    assert_eq!(get(&addr, "/version").1, b"2");
}
