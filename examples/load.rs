//! A small load client for `nashr serve`: keep-alive HTTP/1.1 connections
//! sending GET requests as fast as the server answers, bounded in count and
//! time, then throughput, latency percentiles, statuses and (with `--pid`)
//! the server's resident memory before and after.
//!
//!     nashr serve --root . &
//!     cargo run --release --example load -- \
//!         --url 'http://127.0.0.1:8080/render/invitation-square.png?locale=fa' \
//!         --concurrency 8 --requests 2000 --seconds 30 [--vary headline] [--pid PID]
//!
//! `--vary KEY` adds `&KEY=…` with a value no other request has, so every
//! request misses the output cache; without it every request after the
//! first is a hit. `--warmup N` sends N requests first, not counted.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

struct Args {
    host: String,
    target: String,
    concurrency: usize,
    requests: usize,
    seconds: f64,
    vary: Option<String>,
    pid: Option<u32>,
    warmup: usize,
    threads: usize,
}

fn args() -> Result<Args, String> {
    let mut a = Args {
        host: "127.0.0.1:8080".into(),
        target: "/render/invitation-square.png?locale=fa".into(),
        concurrency: 8,
        requests: 1000,
        seconds: 30.0,
        vary: None,
        pid: None,
        warmup: 0,
        threads: 1,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        let number = |v: String| v.parse::<usize>().map_err(|_| format!("{flag}: not a number"));
        match flag.as_str() {
            "--url" => {
                let url = value()?;
                let rest = url.strip_prefix("http://").ok_or("only http:// URLs")?;
                let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
                a.host = host.to_string();
                a.target = if path.is_empty() { "/".into() } else { path.to_string() };
            }
            "--concurrency" => a.concurrency = number(value()?)?.max(1),
            "--requests" => a.requests = number(value()?)?,
            "--seconds" => a.seconds = value()?.parse().map_err(|_| "--seconds: not a number")?,
            "--vary" => a.vary = Some(value()?),
            "--pid" => a.pid = Some(number(value()?)? as u32),
            "--warmup" => a.warmup = number(value()?)?,
            "--threads" => a.threads = number(value()?)?.max(1),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(a)
}

/// The server's resident set size in kB, from /proc.
fn rss_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|l| l.strip_prefix("VmRSS:")).and_then(|v| v.trim().trim_end_matches(" kB").parse().ok())
}

/// One response: its status and body length.
async fn exchange(conn: &mut BufReader<TcpStream>, request: &[u8]) -> std::io::Result<(u16, usize, bool)> {
    conn.get_mut().write_all(request).await?;
    let mut line = String::new();
    if conn.read_line(&mut line).await? == 0 {
        return Err(std::io::ErrorKind::UnexpectedEof.into());
    }
    let status: u16 = line.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let (mut length, mut close) = (0usize, false);
    loop {
        line.clear();
        conn.read_line(&mut line).await?;
        let l = line.trim_end();
        if l.is_empty() {
            break;
        }
        if let Some((k, v)) = l.split_once(':') {
            if k.eq_ignore_ascii_case("content-length") {
                length = v.trim().parse().unwrap_or(0);
            } else if k.eq_ignore_ascii_case("connection") && v.trim().eq_ignore_ascii_case("close") {
                close = true;
            }
        }
    }
    let mut body = vec![0; length];
    conn.read_exact(&mut body).await?;
    Ok((status, length, close))
}

struct Tally {
    latencies: Vec<u32>,
    statuses: std::collections::BTreeMap<u16, usize>,
    bytes: usize,
    errors: usize,
}

async fn worker(args: Arc<Args>, next: Arc<AtomicUsize>, total: usize, deadline: Instant, base: usize) -> Tally {
    let mut tally = Tally { latencies: Vec::new(), statuses: Default::default(), bytes: 0, errors: 0 };
    let mut conn: Option<BufReader<TcpStream>> = None;
    loop {
        let i = next.fetch_add(1, Ordering::Relaxed);
        if i >= total || Instant::now() >= deadline {
            break;
        }
        let target = match &args.vary {
            Some(key) => {
                let sep = if args.target.contains('?') { '&' } else { '?' };
                format!("{}{sep}{key}=v{}-{}", args.target, std::process::id(), base + i)
            }
            None => args.target.clone(),
        };
        let request = format!("GET {target} HTTP/1.1\r\nHost: {}\r\n\r\n", args.host);
        if conn.is_none() {
            match TcpStream::connect(&args.host).await {
                Ok(s) => {
                    let _ = s.set_nodelay(true);
                    conn = Some(BufReader::with_capacity(256 << 10, s));
                }
                Err(_) => {
                    tally.errors += 1;
                    tokio::time::sleep(Duration::from_millis(10)).await;
                    continue;
                }
            }
        }
        let start = Instant::now();
        match exchange(conn.as_mut().expect("connected"), request.as_bytes()).await {
            Ok((status, len, close)) => {
                tally.latencies.push(start.elapsed().as_micros().min(u32::MAX as u128) as u32);
                *tally.statuses.entry(status).or_default() += 1;
                tally.bytes += len;
                if close {
                    conn = None;
                }
            }
            Err(_) => {
                tally.errors += 1;
                conn = None;
            }
        }
    }
    tally
}

async fn run(args: Arc<Args>, total: usize, base: usize) -> (Tally, f64) {
    let next = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + Duration::from_secs_f64(args.seconds);
    let tasks: Vec<_> = (0..args.concurrency)
        .map(|_| tokio::spawn(worker(args.clone(), next.clone(), total, deadline, base)))
        .collect();
    let mut all = Tally { latencies: Vec::new(), statuses: Default::default(), bytes: 0, errors: 0 };
    for t in tasks {
        if let Ok(t) = t.await {
            all.latencies.extend(t.latencies);
            for (s, n) in t.statuses {
                *all.statuses.entry(s).or_default() += n;
            }
            all.bytes += t.bytes;
            all.errors += t.errors;
        }
    }
    (all, start.elapsed().as_secs_f64())
}

fn percentile(sorted: &[u32], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i] as f64 / 1000.0
}

fn main() -> Result<(), String> {
    let args = Arc::new(args()?);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(args.threads)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(async {
        if args.warmup > 0 {
            run(args.clone(), args.warmup, 1 << 40).await;
        }
        let rss_before = args.pid.and_then(rss_kb);
        let (mut tally, secs) = run(args.clone(), args.requests, 0).await;
        let rss_after = args.pid.and_then(rss_kb);
        tally.latencies.sort_unstable();
        let n = tally.latencies.len();
        println!(
            "{n} requests in {secs:.2} s at concurrency {}: {:.0} req/s; latency ms p50 {:.2} p90 {:.2} p99 {:.2} max {:.2}; {:.1} MB received; statuses {:?}; errors {}",
            args.concurrency,
            n as f64 / secs,
            percentile(&tally.latencies, 0.5),
            percentile(&tally.latencies, 0.9),
            percentile(&tally.latencies, 0.99),
            percentile(&tally.latencies, 1.0),
            tally.bytes as f64 / 1e6,
            tally.statuses,
            tally.errors,
        );
        if let (Some(a), Some(b)) = (rss_before, rss_after) {
            println!("server RSS: {:.1} MB before, {:.1} MB after", a as f64 / 1024.0, b as f64 / 1024.0);
        }
    });
    Ok(())
}
