//! The accept loop: HTTP/1.1 connections with bounded numbers and time limits.
//!
//! - At most [`ConnectionLimits::max_connections`] connections are open, and at most
//!   [`ConnectionLimits::max_connections_per_client`] from one peer IP. A connection beyond
//!   either is answered at once — 503 `SERVER_BUSY` or 429 `TOO_MANY_CONNECTIONS`, with
//!   `Retry-After` — and closed; the connections already open keep being served.
//! - A new connection must send its request head within the header timeout; a keep-alive
//!   connection may sit idle for the idle timeout, and once its next request starts arriving,
//!   the head must be complete within the header timeout (a client trickling headers byte by
//!   byte is cut off). A client that stops reading its response is cut off after the idle
//!   timeout. Body reads are bounded by the body timeout of the extractors.
//! - On SIGTERM or Ctrl-C the loop stops accepting, idle connections close, and in-flight
//!   requests finish (within the shutdown grace).

use std::collections::HashMap;
use std::future::Future;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use axum::Router;
use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{OwnedSemaphorePermit, Semaphore, watch};
use tower::ServiceExt;

use crate::error::ApiError;
pub use crate::limits::ConnectionLimits;

/// Refusals being written at once at most; beyond, a connection over the cap is just closed.
const MAX_REFUSALS: usize = 64;

/// Serves `app` on `listener` until SIGTERM or Ctrl-C, within `limits`.
pub async fn serve_with(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
) -> io::Result<()> {
    serve_until(listener, app, limits, shutdown_signal()).await
}

/// [`serve_with`] until `shutdown` completes.
pub async fn serve_until(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    shutdown: impl Future<Output = ()>,
) -> io::Result<()> {
    let max = limits.max_connections.clamp(1, Semaphore::MAX_PERMITS);
    let slots = Arc::new(Semaphore::new(max));
    let clients = Arc::new(Mutex::new(HashMap::<IpAddr, usize>::new()));
    let refusals = Arc::new(Semaphore::new(MAX_REFUSALS));
    let (stop, stopping) = watch::channel(false);
    let limits = Arc::new(limits);
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors and the like: wait rather than spin; a client's
                    // aborted handshake is nothing.
                    if !is_connection_error(&e) {
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        let _ = stream.set_nodelay(true);
        match Slot::take(
            &slots,
            &clients,
            peer.ip(),
            limits.max_connections_per_client,
        ) {
            Ok(slot) => {
                let connection =
                    serve_connection(stream, peer, app.clone(), limits.clone(), stopping.clone());
                tokio::spawn(async move {
                    connection.await;
                    drop(slot);
                });
            }
            Err(refusal) => {
                if let Ok(permit) = refusals.clone().try_acquire_owned() {
                    tokio::spawn(async move {
                        refuse(stream, refusal).await;
                        drop(permit);
                    });
                }
            }
        }
    }
    drop(listener);
    tracing::info!("shutdown signal received; finishing in-flight requests");
    let _ = stop.send(true);
    // Every open connection holds a slot: all slots back means all connections are done.
    let all = u32::try_from(max).unwrap_or(u32::MAX);
    if tokio::time::timeout(limits.shutdown_grace, slots.acquire_many(all))
        .await
        .is_err()
    {
        tracing::warn!(
            "connections still open after the shutdown grace of {} s; stopping anyway",
            limits.shutdown_grace.as_secs()
        );
    }
    Ok(())
}

fn is_connection_error(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::ConnectionRefused
            | io::ErrorKind::ConnectionAborted
            | io::ErrorKind::ConnectionReset
    )
}

/// One HTTP/1.1 connection, until it closes or the server stops.
async fn serve_connection(
    stream: TcpStream,
    peer: SocketAddr,
    app: Router,
    limits: Arc<ConnectionLimits>,
    mut stopping: watch::Receiver<bool>,
) {
    let activity = Arc::new(AtomicU64::new(0));
    let io = TokioIo::new(Watched {
        inner: stream,
        reads: activity.clone(),
        write_timeout: limits.idle_timeout,
        write_stall: None,
    });
    let timer = HeadTimer {
        reads: activity,
        header_timeout: limits.header_timeout,
        idle_timeout: limits.idle_timeout,
    };
    let service = hyper::service::service_fn(move |mut request: hyper::Request<Incoming>| {
        request.extensions_mut().insert(ConnectInfo(peer));
        app.clone().oneshot(request)
    });
    let mut builder = hyper::server::conn::http1::Builder::new();
    builder
        .timer(timer)
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true);
    let connection = builder.serve_connection(io, service);
    let mut connection = std::pin::pin!(connection);
    tokio::select! {
        result = connection.as_mut() => {
            if let Err(e) = result {
                tracing::debug!(error = %e, %peer, "connection closed");
            }
            return;
        }
        _ = stopping.wait_for(|stop| *stop) => {}
    }
    // Stopping: finish the request in flight (if any), then close.
    connection.as_mut().graceful_shutdown();
    let _ = connection.await;
}

/// A connection's place under the caps; given back when dropped.
struct Slot {
    _permit: OwnedSemaphorePermit,
    clients: Arc<Mutex<HashMap<IpAddr, usize>>>,
    ip: IpAddr,
}

/// Why a connection was refused.
enum Refusal {
    ServerFull,
    ClientFull,
}

impl Slot {
    fn take(
        slots: &Arc<Semaphore>,
        clients: &Arc<Mutex<HashMap<IpAddr, usize>>>,
        ip: IpAddr,
        per_client: usize,
    ) -> Result<Slot, Refusal> {
        let permit = slots
            .clone()
            .try_acquire_owned()
            .map_err(|_| Refusal::ServerFull)?;
        let mut table = clients.lock().unwrap_or_else(|e| e.into_inner());
        let open = table.entry(ip).or_insert(0);
        if per_client > 0 && *open >= per_client {
            return Err(Refusal::ClientFull);
        }
        *open += 1;
        Ok(Slot {
            _permit: permit,
            clients: clients.clone(),
            ip,
        })
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut table = self.clients.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(open) = table.get_mut(&self.ip) {
            *open -= 1;
            if *open == 0 {
                table.remove(&self.ip);
            }
        }
    }
}

/// Answers a refused connection with one complete HTTP response (the API's error body and
/// `Retry-After`), then closes it. Bounded in time.
async fn refuse(mut stream: TcpStream, refusal: Refusal) {
    let (status, error) = match refusal {
        Refusal::ServerFull => (
            "503 Service Unavailable",
            ApiError::busy("the server has too many open connections; retry shortly"),
        ),
        Refusal::ClientFull => (
            "429 Too Many Requests",
            ApiError::too_many(
                "TOO_MANY_CONNECTIONS",
                "this client has too many open connections (SLB_MAX_CONNECTIONS_PER_CLIENT)",
            ),
        ),
    };
    let body = serde_json::to_vec(&error.body).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\nretry-after: 1\r\n\
         connection: close\r\ncontent-length: {}\r\n\r\n",
        body.len()
    );
    let exchange = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(&body).await?;
        stream.shutdown().await?;
        // Read what the client sent so that closing does not reset the connection before it
        // has read the answer.
        let mut sink = [0u8; 4096];
        while stream.read(&mut sink).await? > 0 {}
        io::Result::Ok(())
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), exchange).await;
}

/// The socket, counting the bytes read (for [`HeadTimer`]) and giving up on a client that
/// stops reading for `write_timeout`.
struct Watched {
    inner: TcpStream,
    reads: Arc<AtomicU64>,
    write_timeout: Duration,
    write_stall: Option<Pin<Box<tokio::time::Sleep>>>,
}

impl Watched {
    /// After a write that made no progress: whether the client has stalled for too long.
    fn stalled(&mut self, cx: &mut Context<'_>) -> bool {
        let timeout = self.write_timeout;
        let stall = self
            .write_stall
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(timeout)));
        stall.as_mut().poll(cx).is_ready()
    }

    fn write_result<T>(
        &mut self,
        cx: &mut Context<'_>,
        poll: Poll<io::Result<T>>,
    ) -> Poll<io::Result<T>> {
        match poll {
            Poll::Pending if self.stalled(cx) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "the client stopped reading",
            ))),
            Poll::Pending => Poll::Pending,
            ready => {
                self.write_stall = None;
                ready
            }
        }
    }
}

impl AsyncRead for Watched {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let poll = Pin::new(&mut this.inner).poll_read(cx, buf);
        let read = buf.filled().len() - before;
        if read > 0 {
            this.reads.fetch_add(read as u64, Ordering::Relaxed);
        }
        poll
    }
}

impl AsyncWrite for Watched {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write(cx, buf);
        this.write_result(cx, poll)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_write_vectored(cx, bufs);
        this.write_result(cx, poll)
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let poll = Pin::new(&mut this.inner).poll_flush(cx);
        this.write_result(cx, poll)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

/// hyper's HTTP/1 server uses its timer only for the header-read timeout, which it arms each
/// time it starts waiting for a request head, at `now + header_timeout`. This timer turns that
/// into two limits: on a new connection the head is due within the header timeout; on a
/// keep-alive connection nothing is due for the idle timeout, and once bytes of the next
/// request arrive the head is due within the header timeout of the first of them.
#[derive(Clone)]
struct HeadTimer {
    reads: Arc<AtomicU64>,
    header_timeout: Duration,
    idle_timeout: Duration,
}

impl hyper::rt::Timer for HeadTimer {
    fn sleep(&self, duration: Duration) -> Pin<Box<dyn hyper::rt::Sleep>> {
        self.sleep_until(Instant::now() + duration)
    }

    fn sleep_until(&self, deadline: Instant) -> Pin<Box<dyn hyper::rt::Sleep>> {
        let armed_at = deadline
            .checked_sub(self.header_timeout)
            .unwrap_or_else(Instant::now);
        let reads = self.reads.load(Ordering::Relaxed);
        let fresh = reads == 0;
        let first_deadline = if fresh {
            deadline
        } else {
            armed_at + self.idle_timeout
        };
        Box::pin(HeadSleep {
            reads: self.reads.clone(),
            reads_when_armed: reads,
            header_timeout: self.header_timeout,
            head_started: fresh,
            sleep: Box::pin(tokio::time::sleep_until(first_deadline.into())),
        })
    }
}

struct HeadSleep {
    reads: Arc<AtomicU64>,
    reads_when_armed: u64,
    header_timeout: Duration,
    /// Whether the header timeout runs (a new connection, or bytes of a head have come).
    head_started: bool,
    sleep: Pin<Box<tokio::time::Sleep>>,
}

impl Future for HeadSleep {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        if !this.head_started && this.reads.load(Ordering::Relaxed) > this.reads_when_armed {
            this.head_started = true;
            let due = tokio::time::Instant::now() + this.header_timeout;
            if due < this.sleep.deadline() {
                this.sleep.as_mut().reset(due);
            }
        }
        this.sleep.as_mut().poll(cx)
    }
}

impl hyper::rt::Sleep for HeadSleep {}

/// SIGTERM or Ctrl-C.
pub(crate) async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
