//! What `/metrics` reports, in the Prometheus text format: requests by
//! route and status, a latency histogram, output-cache hits, misses and
//! size, renders (done, failed, shared, running, waiting), rejections by
//! reason and the process's resident memory. [`track`] is the middleware that counts and times every
//! response and writes the access log line.

use super::ServiceState;
use super::gate::Gate;
use super::lru::OutputCache;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Upper bounds of the latency buckets, in seconds.
const BUCKETS: [f64; 12] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// Why a request was refused, as counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Rejection {
    /// Every slot busy and the queue full (503).
    Saturated,
    /// The time budget ran out (503).
    Timeout,
    /// A request that is not valid (400).
    Invalid,
    /// A query or value over its limit (414).
    TooLong,
}

impl Rejection {
    fn label(self) -> &'static str {
        match self {
            Rejection::Saturated => "saturated",
            Rejection::Timeout => "timeout",
            Rejection::Invalid => "invalid",
            Rejection::TooLong => "too_long",
        }
    }
}

/// The service's counters.
#[derive(Default)]
pub(crate) struct Metrics {
    requests: Mutex<BTreeMap<(&'static str, u16), u64>>,
    buckets: [AtomicU64; BUCKETS.len()],
    latency_count: AtomicU64,
    latency_micros: AtomicU64,
    pub(crate) hits: AtomicU64,
    pub(crate) misses: AtomicU64,
    pub(crate) not_modified: AtomicU64,
    pub(crate) renders: AtomicU64,
    pub(crate) shared: AtomicU64,
    pub(crate) render_errors: AtomicU64,
    rejections: Mutex<BTreeMap<Rejection, u64>>,
}

impl Metrics {
    /// Count a finished request.
    fn record(&self, route: &'static str, status: u16, seconds: f64) {
        *self.requests.lock().unwrap_or_else(|p| p.into_inner()).entry((route, status)).or_default() += 1;
        for (i, bound) in BUCKETS.iter().enumerate() {
            if seconds <= *bound {
                self.buckets[i].fetch_add(1, Ordering::Relaxed);
            }
        }
        self.latency_count.fetch_add(1, Ordering::Relaxed);
        self.latency_micros.fetch_add((seconds * 1e6) as u64, Ordering::Relaxed);
    }

    /// Count a refused request.
    pub(crate) fn reject(&self, why: Rejection) {
        *self.rejections.lock().unwrap_or_else(|p| p.into_inner()).entry(why).or_default() += 1;
    }

    /// The counters as Prometheus text.
    pub(crate) fn render(&self, cache: &OutputCache, gate: &Gate) -> String {
        let mut out = String::new();
        let counter = |out: &mut String, name: &str, help: &str, value: u64| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}");
        };
        let gauge = |out: &mut String, name: &str, help: &str, value: usize| {
            let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}");
        };
        out.push_str("# HELP nashr_http_requests_total HTTP requests answered, by route and status.\n");
        out.push_str("# TYPE nashr_http_requests_total counter\n");
        for ((route, status), n) in self.requests.lock().unwrap_or_else(|p| p.into_inner()).iter() {
            let _ = writeln!(out, "nashr_http_requests_total{{route=\"{route}\",status=\"{status}\"}} {n}");
        }
        out.push_str("# HELP nashr_http_request_duration_seconds Time from request to response head.\n");
        out.push_str("# TYPE nashr_http_request_duration_seconds histogram\n");
        for (i, bound) in BUCKETS.iter().enumerate() {
            let n = self.buckets[i].load(Ordering::Relaxed);
            let _ = writeln!(out, "nashr_http_request_duration_seconds_bucket{{le=\"{bound}\"}} {n}");
        }
        let count = self.latency_count.load(Ordering::Relaxed);
        let _ = writeln!(out, "nashr_http_request_duration_seconds_bucket{{le=\"+Inf\"}} {count}");
        let sum = self.latency_micros.load(Ordering::Relaxed) as f64 / 1e6;
        let _ = writeln!(out, "nashr_http_request_duration_seconds_sum {sum}");
        let _ = writeln!(out, "nashr_http_request_duration_seconds_count {count}");
        let load = |a: &AtomicU64| a.load(Ordering::Relaxed);
        counter(&mut out, "nashr_cache_hits_total", "Renders answered from the output cache.", load(&self.hits));
        counter(&mut out, "nashr_cache_misses_total", "Renders not in the output cache.", load(&self.misses));
        counter(
            &mut out,
            "nashr_not_modified_total",
            "Requests answered 304 because the client's ETag was current.",
            load(&self.not_modified),
        );
        let (entries, bytes) = cache.size();
        gauge(&mut out, "nashr_cache_entries", "Outputs in the output cache.", entries);
        gauge(&mut out, "nashr_cache_bytes", "Bytes the output cache holds.", bytes);
        gauge(&mut out, "nashr_cache_limit_bytes", "The output cache's bound.", cache.limit());
        counter(&mut out, "nashr_renders_total", "Renders finished.", load(&self.renders));
        counter(&mut out, "nashr_render_errors_total", "Renders that failed.", load(&self.render_errors));
        counter(
            &mut out,
            "nashr_render_shared_total",
            "Misses answered by an identical render already in progress.",
            load(&self.shared),
        );
        gauge(&mut out, "nashr_render_slots", "Renders that may run at once.", gate.workers());
        gauge(&mut out, "nashr_render_slots_busy", "Render slots in use (rendering or reserved).", gate.busy());
        gauge(&mut out, "nashr_render_queue_limit", "Requests that may wait for a slot.", gate.queue());
        gauge(&mut out, "nashr_render_queue_waiting", "Requests waiting for a slot.", gate.waiting());
        if let Some(bytes) = resident_bytes() {
            gauge(&mut out, "process_resident_memory_bytes", "Resident memory of the process.", bytes);
        }
        out.push_str("# HELP nashr_rejections_total Requests refused, by reason.\n");
        out.push_str("# TYPE nashr_rejections_total counter\n");
        let rejections = self.rejections.lock().unwrap_or_else(|p| p.into_inner()).clone();
        for why in [Rejection::Saturated, Rejection::Timeout, Rejection::Invalid, Rejection::TooLong] {
            let n = rejections.get(&why).copied().unwrap_or(0);
            let _ = writeln!(out, "nashr_rejections_total{{reason=\"{}\"}} {n}", why.label());
        }
        out
    }
}

/// The process's resident memory, where the system says (Linux).
fn resident_bytes() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kb: usize =
        status.lines().find_map(|l| l.strip_prefix("VmRSS:"))?.trim().trim_end_matches("kB").trim().parse().ok()?;
    Some(kb * 1024)
}

/// The route a path is counted under (a fixed set, so a scan of random
/// paths cannot grow the counters).
fn route_of(path: &str) -> &'static str {
    match path {
        "/layouts" => "layouts",
        "/healthz" => "healthz",
        "/metrics" => "metrics",
        p if p.starts_with("/render/") => "render",
        _ => "other",
    }
}

/// Count and time every response, and log it.
pub(crate) async fn track(State(state): State<Arc<ServiceState>>, request: Request, next: Next) -> Response {
    let start = Instant::now();
    let route = route_of(request.uri().path());
    let method = request.method().clone();
    // The path as sent (percent-encoded, so no control characters), cut short.
    let path: String = request.uri().path().chars().take(200).collect();
    let response = next.run(request).await;
    let elapsed = start.elapsed();
    let status = response.status().as_u16();
    state.metrics.record(route, status, elapsed.as_secs_f64());
    let micros = elapsed.as_micros() as u64;
    // A 503 is load shedding, counted in the metrics: logging each one
    // would flood the log exactly when the service is busiest.
    if status >= 500 && status != 503 {
        tracing::warn!(%method, path, status, micros, "request");
    } else {
        tracing::debug!(%method, path, status, micros, "request");
    }
    response
}
