//! The HTTP service behind `nashr serve`: images, PDFs and scenes of the
//! layouts in a folder, rendered on request with template values from the
//! query string (`/render/invitation-square.png?locale=fa&name=…`).
//!
//! A [`Service`] owns one [`Engine`](crate::Engine) confined to a root
//! folder, the catalogue of layouts and locales under it, a byte-bounded
//! cache of finished outputs, the admission gate that keeps renders to one
//! per core with a short queue, and the counters `/metrics` reports.
//! [`Service::router`] gives an [`axum::Router`] an embedder can mount or
//! nest; [`run`] serves a router on a listener with header timeouts, a
//! connection limit and graceful shutdown, as the `nashr serve` command does.
//!
//! Which file owns what:
//!
//! | file | owns |
//! |---|---|
//! | `mod.rs` | [`Config`], [`Service`], the routes |
//! | `catalog.rs` | which layouts and locales exist under the root; their text, template keys and the files they name, re-read when they change |
//! | `request.rs` | reading `/render/{layout}.{ext}` and its query: names, limits, control characters |
//! | `render.rs` | a render request from fingerprint to response: ETag, 304, the output cache, the gate, the blocking pool |
//! | `gate.rs` | how many renders run and wait; 503 beyond |
//! | `lru.rs` | the output cache, bounded by bytes |
//! | `problem.rs` | errors as RFC 9457 problem details |
//! | `metrics.rs` | request, latency, cache and rejection counters in Prometheus text |
//! | `listen.rs` | accepting connections: timeouts, limits, graceful shutdown, signals |
//!
//! Every input is untrusted: layout and locale names are plain words
//! looked up in two folders, template values are plain text (never markup),
//! limited in length and free of control characters, and errors never show
//! the content of a file.

mod catalog;
mod gate;
mod listen;
mod lru;
mod metrics;
mod problem;
mod render;
mod request;

pub use gate::Reservation;
pub use listen::{ListenOptions, check_address, run, shutdown_signal};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// How a [`Service`] serves: where its layouts are, how much it renders at
/// once, how long a request may take, how much it caches.
///
/// ```
/// let config = nashr::serve::Config { workers: 2, queue: Some(8), ..nashr::serve::Config::new(".") };
/// assert_eq!(config.layouts, std::path::PathBuf::from("./layouts"));
/// ```
#[derive(Debug, Clone)]
pub struct Config {
    /// The folder layouts may read files from (fonts, pictures, locales).
    pub root: PathBuf,
    /// The folder whose `NAME.toml` files are served as `/render/NAME.…`
    /// (default `ROOT/layouts`); it must lie inside the root.
    pub layouts: PathBuf,
    /// The folder `?locale=CODE` reads `CODE.toml` from (default `ROOT/locales`).
    pub locales: PathBuf,
    /// Renders at once (0: one per core).
    pub workers: usize,
    /// Requests that may wait for a render slot; past them, 503 (`None`:
    /// four per worker).
    pub queue: Option<usize>,
    /// How long a render request may wait and render before it gets 503.
    pub budget: Duration,
    /// The largest total size of cached outputs, in bytes (0: no cache).
    pub cache_bytes: usize,
    /// The `Cache-Control` header of a rendered output.
    pub cache_control: String,
    /// The longest template value, in characters.
    pub max_value_chars: usize,
    /// The longest query string, in bytes; longer gets 414.
    pub max_query_bytes: usize,
    /// The largest `scale` a request may ask for.
    pub max_scale: f32,
}

impl Config {
    /// The defaults for a root folder: layouts in `ROOT/layouts`, locales
    /// in `ROOT/locales`, one render per core and four waiting per core, a
    /// five-second budget, 256 MB of cached outputs, values of up to 500
    /// characters in a query of up to 8 KB, scale up to 4.
    pub fn new(root: impl Into<PathBuf>) -> Config {
        let root = root.into();
        Config {
            layouts: root.join("layouts"),
            locales: root.join("locales"),
            root,
            workers: 0,
            queue: None,
            budget: Duration::from_secs(5),
            cache_bytes: 256 << 20,
            cache_control: "public, max-age=300".into(),
            max_value_chars: 500,
            max_query_bytes: 8 << 10,
            max_scale: 4.0,
        }
    }

    /// Renders at once: `workers`, or one per core.
    fn worker_count(&self) -> usize {
        match self.workers {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// The shared state of a service: what every handler reads.
pub(crate) struct ServiceState {
    pub(crate) engine: crate::Engine,
    pub(crate) config: Config,
    pub(crate) catalog: catalog::Catalog,
    pub(crate) cache: lru::OutputCache,
    pub(crate) gate: gate::Gate,
    /// Renders in progress, by fingerprint, so identical misses share one.
    pub(crate) flights: render::Flights,
    pub(crate) metrics: metrics::Metrics,
    /// The `Cache-Control` value, checked once.
    pub(crate) cache_control: HeaderValue,
    /// This build's version and bundled fonts, hashed: part of every ETag.
    pub(crate) identity: [u8; 32],
}

/// Renders layouts under a root folder over HTTP. Cheap to clone; every
/// clone shares the engine, the caches, the gate and the counters.
///
/// ```no_run
/// # async fn demo() -> Result<(), Box<dyn std::error::Error>> {
/// let service = nashr::serve::Service::new(nashr::Engine::new(), nashr::serve::Config::new("."))?;
/// // Mount it under /images in a larger application…
/// let app = axum::Router::new().nest("/images", service.router());
/// // …or serve it alone, as `nashr serve` does.
/// let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
/// nashr::serve::run(listener, app, nashr::serve::ListenOptions::default(), nashr::serve::shutdown_signal()).await?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Service {
    state: Arc<ServiceState>,
}

impl std::fmt::Debug for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Service").field("config", &self.state.config).finish()
    }
}

impl Service {
    /// A service over `config.root`, rendering with `engine` confined to
    /// that root. Fails when the root or the layouts folder is missing, the
    /// layouts folder lies outside the root, or `cache_control` is not a
    /// valid header value.
    pub fn new(engine: crate::Engine, config: Config) -> Result<Service, crate::Error> {
        let catalog = catalog::Catalog::new(&config.root, &config.layouts, &config.locales)?;
        let cache_control = HeaderValue::from_str(&config.cache_control).map_err(|_| {
            crate::Error::Options(format!("the Cache-Control value \"{}\" is not a valid header", config.cache_control))
        })?;
        let workers = config.worker_count();
        let queue = config.queue.unwrap_or(4 * workers);
        let state = ServiceState {
            engine: engine.with_root(catalog.root()),
            catalog,
            cache: lru::OutputCache::new(config.cache_bytes),
            gate: gate::Gate::new(workers, queue),
            flights: Default::default(),
            metrics: metrics::Metrics::default(),
            cache_control,
            identity: render::build_identity(),
            config,
        };
        Ok(Service { state: Arc::new(state) })
    }

    /// The routes: `GET /render/{layout}.{png|jpg|pdf|json}`, `GET
    /// /layouts`, `GET /healthz` and `GET /metrics`; anything else is a
    /// 404 problem. Every response is counted and timed.
    pub fn router(&self) -> Router {
        Router::new()
            .route("/render/{file}", get(render::handle))
            .route("/layouts", get(layouts))
            .route("/healthz", get(healthz))
            .route("/metrics", get(metrics))
            .fallback(not_found)
            .method_not_allowed_fallback(not_allowed)
            .layer(axum::middleware::from_fn_with_state(self.state.clone(), metrics::track))
            .with_state(self.state.clone())
    }

    /// Take `slots` render slots out of service until the returned value is
    /// dropped (so a batch job sharing the machine keeps its cores, or a
    /// test holds the service saturated); `None` when that many are not free
    /// now. Requests meanwhile queue, and past the queue get 503.
    ///
    /// ```
    /// let config = nashr::serve::Config { workers: 1, ..nashr::serve::Config::new(env!("CARGO_MANIFEST_DIR")) };
    /// let service = nashr::serve::Service::new(nashr::Engine::new(), config)?;
    /// let held = service.reserve(1).expect("a free slot");
    /// assert!(service.reserve(1).is_none());
    /// drop(held);
    /// assert!(service.reserve(1).is_some());
    /// # Ok::<(), nashr::Error>(())
    /// ```
    pub fn reserve(&self, slots: u32) -> Option<Reservation> {
        self.state.gate.reserve(slots)
    }
}

/// `GET /layouts`: every layout in the layouts folder with its template
/// keys and default locale, and the locales `?locale=` accepts.
async fn layouts(State(state): State<Arc<ServiceState>>) -> Response {
    let listing = state.catalog.listing();
    let mut response = axum::Json(listing).into_response();
    response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// `GET /healthz`: the process is up and answering.
async fn healthz() -> Response {
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], "ok\n").into_response()
}

/// `GET /metrics`: the counters in the Prometheus text format.
async fn metrics(State(state): State<Arc<ServiceState>>) -> Response {
    let text = state.metrics.render(&state.cache, &state.gate);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], text)
        .into_response()
}

async fn not_found() -> Response {
    problem::Problem::new(
        StatusCode::NOT_FOUND,
        "nothing here; images are at /render/LAYOUT.png (GET /layouts lists the layouts)".into(),
    )
    .into_response()
}

async fn not_allowed() -> Response {
    let mut response =
        problem::Problem::new(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD are served".into()).into_response();
    response.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
    response
}
