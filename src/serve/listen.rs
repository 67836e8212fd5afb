//! Accepting connections: HTTP/1.1 with hyper, a limit on open
//! connections, a timeout on reading a request's head (a client that sends
//! its headers slowly is cut off, and holds no render slot meanwhile), a
//! limit on the head's size (431 past it), and graceful shutdown: on the
//! signal the listener closes, idle connections close, and requests in
//! flight finish (within a grace period) before [`run`] returns.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How [`run`] treats connections.
///
/// ```
/// let opts = nashr::serve::ListenOptions::default();
/// assert_eq!(opts.header_timeout, std::time::Duration::from_secs(5));
/// ```
#[derive(Debug, Clone)]
pub struct ListenOptions {
    /// How long a client may take to send a request's head.
    pub header_timeout: Duration,
    /// The largest request head (request line and headers), in bytes; past
    /// it the answer is 431 and the connection closes.
    pub max_head_bytes: usize,
    /// Connections open at once; more wait to be accepted.
    pub max_connections: usize,
    /// How long shutdown waits for requests in flight.
    pub grace: Duration,
}

impl Default for ListenOptions {
    fn default() -> Self {
        ListenOptions {
            header_timeout: Duration::from_secs(5),
            max_head_bytes: 64 << 10,
            max_connections: 1024,
            grace: Duration::from_secs(30),
        }
    }
}

/// Refuse to listen on an address other machines can reach unless
/// `public` says it is meant.
///
/// ```
/// use nashr::serve::check_address;
/// assert!(check_address("127.0.0.1:8080".parse().unwrap(), false).is_ok());
/// assert!(check_address("[::1]:8080".parse().unwrap(), false).is_ok());
/// assert!(check_address("0.0.0.0:8080".parse().unwrap(), false).is_err());
/// assert!(check_address("0.0.0.0:8080".parse().unwrap(), true).is_ok());
/// ```
pub fn check_address(addr: SocketAddr, public: bool) -> Result<(), String> {
    if addr.ip().is_loopback() || public {
        return Ok(());
    }
    Err(format!(
        "{addr} can be reached from other machines; pass --public to listen there (and put a proxy or firewall in front), or use 127.0.0.1"
    ))
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = interrupt => tracing::info!("SIGINT: finishing requests in flight"),
        _ = terminate => tracing::info!("SIGTERM: finishing requests in flight"),
    }
}

/// Serve `router` on `listener` until `shutdown` resolves, then stop
/// accepting, let requests in flight finish (up to `opts.grace`) and return.
pub async fn run(
    listener: TcpListener,
    router: Router,
    opts: ListenOptions,
    shutdown: impl Future<Output = ()>,
) -> std::io::Result<()> {
    let graceful = GracefulShutdown::new();
    let open = Arc::new(Semaphore::new(opts.max_connections.max(1)));
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(TokioTimer::new())
        .header_read_timeout(opts.header_timeout)
        .max_buf_size(opts.max_head_bytes.max(8192))
        .keep_alive(true);
    tokio::pin!(shutdown);
    loop {
        let permit = tokio::select! {
            permit = open.clone().acquire_owned() => match permit {
                Ok(p) => p,
                Err(_) => break,
            },
            () = &mut shutdown => break,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        let connection = http.serve_connection(TokioIo::new(stream), TowerToHyperService::new(router.clone()));
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(%peer, error = %e, "connection ended with an error");
            }
            drop(permit);
        });
    }
    drop(listener);
    tokio::select! {
        () = graceful.shutdown() => tracing::info!("every connection closed"),
        () = tokio::time::sleep(opts.grace) => tracing::warn!("grace period over; closing connections still open"),
    }
    Ok(())
}
