//! `GET /render/{layout}.{ext}`: from request to response. The variant's
//! fingerprint is the SHA-256 of everything its output depends on — this
//! build of nashr and its bundled fonts, the layout's and the locale's
//! text, the length and modification time of every other file the layout
//! names, the format, page, scale, quality and template values — so it is
//! known before rendering: it is the `ETag` (a matching `If-None-Match`
//! gets 304 without a render) and the key of the output cache. A miss
//! waits at the gate for a render slot, renders on tokio's blocking pool
//! within the request's time budget, and keeps its output in the cache
//! (even when the client has gone or the budget ran out meanwhile).
//! Identical misses that arrive together share one render.

use super::ServiceState;
use super::catalog::{LayoutEntry, LocaleEntry, Stamp};
use super::gate::Refusal;
use super::lru::Key;
use super::metrics::Rejection;
use super::problem::Problem;
use super::request::{self, Wanted};
use crate::{DataRow, Format};
use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use tokio::time::Instant;

/// The handler.
pub(crate) async fn handle(State(state): State<Arc<ServiceState>>, uri: Uri, headers: HeaderMap) -> Response {
    match answer(&state, &uri, &headers).await {
        Ok(response) => response,
        Err(problem) => {
            match problem.status {
                StatusCode::BAD_REQUEST => state.metrics.reject(Rejection::Invalid),
                StatusCode::URI_TOO_LONG => state.metrics.reject(Rejection::TooLong),
                _ => {}
            }
            problem.into_response()
        }
    }
}

async fn answer(state: &Arc<ServiceState>, uri: &Uri, headers: &HeaderMap) -> Result<Response, Problem> {
    let deadline = Instant::now() + state.config.budget;
    // The route matches one segment after /render/: the last one.
    let file = uri.path().rsplit('/').next().unwrap_or("");
    let wanted = request::parse(file, uri.query(), &state.config)?;
    let layout = state.catalog.layout(&wanted.layout)?;
    if let Some(unknown) = wanted.values.keys().find(|k| !layout.keys.contains(*k)) {
        let known: Vec<&str> = layout.keys.iter().map(String::as_str).collect();
        return Err(Problem::bad_request(format!(
            "the layout {} has no placeholder \"{unknown}\"; its keys are: {}",
            layout.name,
            known.join(", ")
        )));
    }
    let locale = match &wanted.locale {
        Some(code) => Some(state.catalog.locale_named(code)?),
        // The layout's own locale, when it reads; else the engine reports why not.
        None => layout.default_locale.as_ref().and_then(|p| state.catalog.locale_at(p).ok()),
    };
    let key = fingerprint(&state.identity, &layout, locale.as_deref(), &wanted);
    let etag = etag_of(&key);
    let output = Output { state, wanted: &wanted, locale: locale.as_deref(), etag: &etag };
    if client_has(headers, &etag) {
        state.metrics.not_modified.fetch_add(1, Ordering::Relaxed);
        return Ok(output.not_modified());
    }
    if let Some(bytes) = state.cache.get(&key) {
        state.metrics.hits.fetch_add(1, Ordering::Relaxed);
        return Ok(output.ok(bytes));
    }
    state.metrics.misses.fetch_add(1, Ordering::Relaxed);
    // Identical misses at the same time render once: the first runs the
    // render, the others wait for its output (or take over if it leaves).
    let flight = Flight::join(state, key);
    let mut rendered_here = false;
    let result = tokio::time::timeout_at(
        deadline,
        flight.cell.get_or_init(|| {
            rendered_here = true;
            render_miss(state, &layout, locale.clone(), &wanted, key, deadline)
        }),
    )
    .await;
    if !rendered_here && result.is_ok() {
        state.metrics.shared.fetch_add(1, Ordering::Relaxed);
    }
    match result {
        Err(_) => Err(refused(state, Refusal::TimedOut)),
        Ok(Ok(bytes)) => Ok(output.ok(bytes.clone())),
        Ok(Err(problem)) => Err(problem.clone()),
    }
}

/// Renders of one fingerprint in progress.
pub(crate) type Flights = std::sync::Mutex<std::collections::HashMap<Key, Arc<FlightCell>>>;
type FlightCell = tokio::sync::OnceCell<Result<Bytes, Problem>>;

/// A request's share of a render in progress; leaving it forgets the
/// render once it is done or nobody else waits for it.
struct Flight<'a> {
    state: &'a ServiceState,
    key: Key,
    cell: Arc<FlightCell>,
}

impl<'a> Flight<'a> {
    fn join(state: &'a ServiceState, key: Key) -> Flight<'a> {
        let mut flights = state.flights.lock().unwrap_or_else(|p| p.into_inner());
        let cell = flights.entry(key).or_default().clone();
        Flight { state, key, cell }
    }
}

impl Drop for Flight<'_> {
    fn drop(&mut self) {
        let mut flights = self.state.flights.lock().unwrap_or_else(|p| p.into_inner());
        let ours = flights.get(&self.key).is_some_and(|c| Arc::ptr_eq(c, &self.cell));
        // Held by the map and by this request alone, or finished.
        if ours && (self.cell.initialized() || Arc::strong_count(&self.cell) <= 2) {
            flights.remove(&self.key);
        }
    }
}

/// A miss: wait for a render slot, render on the blocking pool, keep the
/// output in the cache.
async fn render_miss(
    state: &Arc<ServiceState>,
    layout: &Arc<LayoutEntry>,
    locale: Option<Arc<LocaleEntry>>,
    wanted: &Wanted,
    key: Key,
    deadline: Instant,
) -> Result<Bytes, Problem> {
    let permit = state.gate.enter(deadline).await.map_err(|why| refused(state, why))?;
    let job = {
        let (state, layout, wanted) = (state.clone(), layout.clone(), wanted.clone());
        move || {
            let _permit = permit;
            let start = std::time::Instant::now();
            let result = render(&state, &layout, locale.as_deref(), &wanted);
            match &result {
                Ok(bytes) => {
                    state.metrics.renders.fetch_add(1, Ordering::Relaxed);
                    state.cache.put(key, bytes.clone());
                    let micros = start.elapsed().as_micros() as u64;
                    tracing::info!(layout = layout.name, bytes = bytes.len(), micros, "rendered");
                }
                Err(e) => {
                    state.metrics.render_errors.fetch_add(1, Ordering::Relaxed);
                    tracing::info!(layout = layout.name, error = %e, "render failed");
                }
            }
            result
        }
    };
    match tokio::time::timeout_at(deadline, tokio::task::spawn_blocking(job)).await {
        Err(_) => Err(refused(state, Refusal::TimedOut)),
        Ok(Err(panicked)) => {
            tracing::error!(layout = layout.name, error = %panicked, "render panicked");
            Err(Problem::new(StatusCode::INTERNAL_SERVER_ERROR, "internal error while rendering".into()))
        }
        Ok(Ok(Err(e))) => Err(Problem::from_error(&e, state.catalog.root())),
        Ok(Ok(Ok(bytes))) => Ok(bytes),
    }
}

/// The 503 for a request the gate did not let in, counted.
fn refused(state: &ServiceState, why: Refusal) -> Problem {
    match why {
        Refusal::Saturated => {
            state.metrics.reject(Rejection::Saturated);
            Problem::unavailable("every render slot is busy and the queue is full; try again shortly".into())
        }
        Refusal::TimedOut => {
            state.metrics.reject(Rejection::Timeout);
            Problem::unavailable(format!(
                "the render did not finish within the {} ms budget; try again shortly",
                state.config.budget.as_millis()
            ))
        }
    }
}

/// Render a variant (on a blocking thread).
fn render(
    state: &ServiceState,
    layout: &LayoutEntry,
    locale: Option<&LocaleEntry>,
    wanted: &Wanted,
) -> Result<Bytes, crate::Error> {
    let locale = locale.map(|l| &l.locale);
    let doc = if wanted.values.is_empty() {
        state.engine.load_with(&layout.source, locale, None)?
    } else {
        let row = DataRow { number: 1, file: "the query".into(), values: wanted.values.clone() };
        state.engine.load_with_text(&layout.source, locale, &row)?
    };
    let mut bytes = state.engine.render(&doc, &wanted.options())?.bytes;
    // The cache counts lengths: keep no spare capacity (an encoder's
    // buffer may have twice the room it used).
    bytes.shrink_to_fit();
    Ok(Bytes::from(bytes))
}

/// The identity of this build: its version and its bundled fonts.
pub(crate) fn build_identity() -> [u8; 32] {
    let mut hash = Sha256::new();
    hash.update(concat!("nashr ", env!("CARGO_PKG_VERSION")).as_bytes());
    for font in crate::fonts::BUNDLED {
        hash.update(font);
    }
    hash.finalize().into()
}

/// The SHA-256 of everything a variant's output depends on.
fn fingerprint(identity: &[u8; 32], layout: &LayoutEntry, locale: Option<&LocaleEntry>, wanted: &Wanted) -> Key {
    let mut hash = Sha256::new();
    let mut field = |bytes: &[u8]| {
        hash.update((bytes.len() as u64).to_le_bytes());
        hash.update(bytes);
    };
    field(identity);
    field(layout.source.name().as_os_str().as_encoded_bytes());
    field(&layout.digest);
    field(locale.map_or(&[][..], |l| &l.digest[..]));
    let o = wanted.options();
    field(o.format.extension().as_bytes());
    field(&o.page.to_le_bytes());
    field(&o.scale.map_or(0, f32::to_bits).to_le_bytes());
    field(&[o.quality]);
    for (k, v) in &wanted.values {
        field(k.as_bytes());
        field(v.as_bytes());
    }
    for file in &layout.files {
        field(file.as_os_str().as_encoded_bytes());
        match std::fs::metadata(file) {
            Ok(meta) => field(&Stamp::of(&meta).bytes()),
            Err(_) => field(b"missing"),
        }
    }
    hash.finalize().into()
}

/// The strong ETag of a fingerprint: its first 128 bits in hex, quoted.
fn etag_of(key: &Key) -> String {
    let hex: String = key[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether `If-None-Match` names `etag` (or is `*`).
fn client_has(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').map(str::trim).any(|tag| tag == "*" || tag.strip_prefix("W/").unwrap_or(tag) == etag))
}

/// What a successful answer says about its output.
struct Output<'a> {
    state: &'a ServiceState,
    wanted: &'a Wanted,
    locale: Option<&'a LocaleEntry>,
    etag: &'a str,
}

impl Output<'_> {
    fn headers(&self) -> HeaderMap {
        let mut h = HeaderMap::new();
        if let Ok(v) = HeaderValue::from_str(self.etag) {
            h.insert(header::ETAG, v);
        }
        h.insert(header::CACHE_CONTROL, self.state.cache_control.clone());
        h
    }

    fn ok(&self, bytes: Bytes) -> Response {
        let format = self.wanted.format;
        let content_type = match format {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Pdf => "application/pdf",
            _ => "application/json",
        };
        let language = self.locale.map(|l| l.locale.language.as_str()).filter(|l| catalog_safe(l));
        let name = match language {
            Some(l) => format!("{}-{l}.{}", self.wanted.layout, format.extension()),
            None => format!("{}.{}", self.wanted.layout, format.extension()),
        };
        let mut h = self.headers();
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
            h.insert(header::CONTENT_DISPOSITION, v);
        }
        h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
        (StatusCode::OK, h, Body::from(bytes)).into_response()
    }

    fn not_modified(&self) -> Response {
        (StatusCode::NOT_MODIFIED, self.headers()).into_response()
    }
}

/// Whether a locale's language tag may go into a file name as it is.
fn catalog_safe(language: &str) -> bool {
    super::catalog::is_plain_name(language)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_none_match_lists_are_read() {
        let mut h = HeaderMap::new();
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("\"a\", W/\"b\""));
        assert!(client_has(&h, "\"b\"") && client_has(&h, "\"a\"") && !client_has(&h, "\"c\""));
        h.insert(header::IF_NONE_MATCH, HeaderValue::from_static("*"));
        assert!(client_has(&h, "\"c\""));
    }
}
