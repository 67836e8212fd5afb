//! Accepting connections: HTTP/1.1 with hyper, a limit on open
//! connections, a timeout on reading a request's head (a client that sends
//! its headers slowly, or keeps a connection idle, is cut off, and holds no
//! render slot meanwhile), a timeout on a response the client stops
//! reading, a limit on the head's size (431 past it), and graceful
//! shutdown: on the signal the listener closes, idle connections close, and
//! requests in flight finish (within a grace period) before [`run`] returns.

use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpListener;
use tokio::sync::Semaphore;
use tokio::time::Sleep;

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
    /// How long a client may accept no bytes of a response before the
    /// connection is closed.
    pub send_timeout: Duration,
    /// How long shutdown waits for requests in flight.
    pub grace: Duration,
}

impl Default for ListenOptions {
    fn default() -> Self {
        ListenOptions {
            header_timeout: Duration::from_secs(5),
            max_head_bytes: 64 << 10,
            max_connections: 1024,
            send_timeout: Duration::from_secs(30),
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
        let stream = Stalling::new(stream, opts.send_timeout);
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

/// A connection whose writes fail once one has waited `limit` for the
/// client to take bytes: a client that stops reading a response cannot
/// keep its connection open for ever.
struct Stalling<S> {
    inner: S,
    limit: Duration,
    stalled: Option<Pin<Box<Sleep>>>,
}

impl<S> Stalling<S> {
    fn new(inner: S, limit: Duration) -> Stalling<S> {
        Stalling { inner, limit, stalled: None }
    }

    /// After a write that could not proceed: an error once it has waited too long.
    fn check<T>(&mut self, cx: &mut Context<'_>, poll: Poll<std::io::Result<T>>) -> Poll<std::io::Result<T>> {
        if poll.is_ready() {
            self.stalled = None;
            return poll;
        }
        let limit = self.limit;
        let timer = self.stalled.get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match timer.as_mut().poll(cx) {
            Poll::Ready(()) => {
                Poll::Ready(Err(std::io::Error::new(std::io::ErrorKind::TimedOut, "the client stopped reading")))
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<S: AsyncRead + Unpin> AsyncRead for Stalling<S> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.inner).poll_read(cx, buf)
    }
}

impl<S: AsyncWrite + Unpin> AsyncWrite for Stalling<S> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write(cx, buf);
        self.check(cx, poll)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[std::io::IoSlice<'_>],
    ) -> Poll<std::io::Result<usize>> {
        let poll = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        self.check(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_flush(cx);
        self.check(cx, poll)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        let poll = Pin::new(&mut self.inner).poll_shutdown(cx);
        self.check(cx, poll)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    #[tokio::test]
    async fn a_client_that_stops_reading_is_cut_off() {
        let (near, mut far) = tokio::io::duplex(1024);
        let mut conn = Stalling::new(near, Duration::from_millis(50));
        // The client reads a little, then stops.
        conn.write_all(&[1; 1000]).await.unwrap();
        let mut some = [0; 1000];
        far.read_exact(&mut some).await.unwrap();
        let e = conn.write_all(&[2; 4096]).await.unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::TimedOut);
    }
}
