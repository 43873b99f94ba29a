//! `kpisim serve`: a page and a JSON API for one scenario (docs/serve.md).
//! `GET /api/scenario` says what can be moved: a multiplier of each
//! uncertain input and schedule, and the stress cases; `POST /api/run`
//! answers what `kpisim run --format json` prints for the scenario with a
//! case applied and then the multipliers, as a `[[stress]] scale` applies
//! them.
//!
//! One simulation runs at a time: a newer request cancels an older one,
//! which answers 409. Runs go in steps of whole chunks
//! ([`crate::analysis::CHECKPOINT`] trials), as `--precision` runs do, so
//! that stopping between steps is possible and the numbers stay the
//! CLI's. Nothing is read from disk after start: the page, its script and
//! its style are compiled in.

mod api;
mod http;

use std::net::SocketAddr;
use std::sync::Arc;

use crate::error::{Error, Result};
use crate::options::ServeOptions;
use crate::scenario::Loaded;

pub use api::App;

/// Serves `l` as `opts` say until the process is stopped (Ctrl-C).
/// Prints the page's address on one line of standard output first.
pub fn serve(l: Loaded, opts: &ServeOptions) -> Result<()> {
    let token = match &opts.token {
        Some(t) => Some(t.clone()),
        None if needs_token(&opts.addr) => Some(random_token()?),
        None => None,
    };
    let listen = |e: std::io::Error| Error::Other(format!("cannot listen on {}: {e}", opts.addr));
    let listener = std::net::TcpListener::bind(opts.addr).map_err(listen)?;
    listener.set_nonblocking(true).map_err(listen)?;
    let local = listener.local_addr().map_err(listen)?;
    let app = Arc::new(App::new(l, opts, token.clone(), local));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| Error::Other(format!("cannot start the server's threads: {e}")))?;
    runtime
        .block_on(async move {
            let listener = tokio::net::TcpListener::from_std(listener)?;
            println!("{}", address(&local, token.as_deref()));
            axum::serve(listener, http::router(app)).await
        })
        .map_err(listen)
}

/// Any address but this machine's own is reachable by others, who must
/// show the token.
fn needs_token(addr: &SocketAddr) -> bool {
    !addr.ip().is_loopback()
}

/// The page's address, with the token when one is needed.
fn address(local: &SocketAddr, token: Option<&str>) -> String {
    match token {
        Some(t) => format!("http://{local}/?token={t}"),
        None => format!("http://{local}/"),
    }
}

/// 128 random bits from the system, as 32 hex digits.
fn random_token() -> Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| {
            Error::Other(format!(
                "cannot make a token from /dev/urandom: {e}; give --token"
            ))
        })?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}
