//! The routes, the token and Host checks, and the headers every answer
//! carries.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, Request, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};

use super::api::{App, Failure, MAX_BODY};

/// The most of a refused body read before answering 413.
const DRAINED: usize = 1 << 20;

const PAGE: &str = include_str!("page.html");
const SCRIPT: &str = include_str!("app.js");
const STYLE: &str = include_str!("app.css");

/// Scripts and styles from the server only, nothing inline, nothing
/// evaluated, no frames, requests to the server only.
const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; \
connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/// Every route; anything else is 404.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(page))
        .route("/app.js", get(script))
        .route("/app.css", get(style))
        .route("/api/scenario", get(scenario))
        .route("/api/run", post(run))
        .route("/api/view", post(view))
        .fallback(not_found)
        .layer(middleware::from_fn_with_state(app.clone(), guard))
        .with_state(app)
}

/// `{ "error": message }` with `status`.
fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body + "\n",
    )
        .into_response()
}

fn text(kind: &'static str, body: &'static str) -> Response {
    ([(header::CONTENT_TYPE, kind)], body).into_response()
}

async fn page() -> Response {
    text("text/html; charset=utf-8", PAGE)
}

async fn script() -> Response {
    text("text/javascript; charset=utf-8", SCRIPT)
}

async fn style() -> Response {
    text("text/css; charset=utf-8", STYLE)
}

async fn not_found() -> Response {
    error(
        StatusCode::NOT_FOUND,
        "no such page: the page is /, the API /api/scenario, /api/run and /api/view",
    )
}

async fn scenario(State(app): State<Arc<App>>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        app.scenario().to_vec(),
    )
        .into_response()
}

async fn run(State(app): State<Arc<App>>, req: Request<Body>) -> Response {
    answer(app, req, App::run).await
}

async fn view(State(app): State<Arc<App>>, req: Request<Body>) -> Response {
    answer(app, req, App::view).await
}

/// The answer of `work` to a run request's body, after the checks every
/// run request passes.
async fn answer(
    app: Arc<App>,
    req: Request<Body>,
    work: fn(&App, &[u8]) -> Result<Vec<u8>, Failure>,
) -> Response {
    let json = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.trim()
                .to_ascii_lowercase()
                .starts_with("application/json")
        });
    // A form or a plain-text post from another site cannot say JSON
    // without the browser asking first (CORS), and this server never
    // says yes.
    if !json {
        return error(
            StatusCode::BAD_REQUEST,
            "a run request is JSON: send it with Content-Type: application/json",
        );
    }
    let too_large = || {
        error(
            StatusCode::PAYLOAD_TOO_LARGE,
            &format!("a run request is at most {} KiB", MAX_BODY / 1024),
        )
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > DRAINED as u64) {
        return too_large();
    }
    // A body a little too large is read to its end before the refusal, so
    // that the connection closes cleanly and the client reads the 413
    // rather than a reset.
    let body = match axum::body::to_bytes(req.into_body(), DRAINED).await {
        Ok(b) if b.len() <= MAX_BODY => b,
        _ => return too_large(),
    };
    let answer = tokio::task::spawn_blocking(move || work(&app, &body)).await;
    match answer {
        Ok(Ok(json)) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Ok(Err(f)) => {
            let status = match f {
                Failure::Bad(_) => StatusCode::BAD_REQUEST,
                Failure::Cancelled => StatusCode::CONFLICT,
                Failure::TimedOut => StatusCode::SERVICE_UNAVAILABLE,
                Failure::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            };
            error(status, &f.message())
        }
        Err(e) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            &format!("the run failed: {e}"),
        ),
    }
}

/// Whether `a` and `b` are equal, in a time that does not say where they
/// differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
}

/// The token a request shows: `Authorization: Bearer T`, else `token=T`
/// in its query.
fn shown_token<'r>(headers: &'r HeaderMap, query: Option<&'r str>) -> Option<&'r str> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    bearer.or_else(|| query?.split('&').find_map(|kv| kv.strip_prefix("token=")))
}

/// Whether `Host` names this server as its own machine does. Without a
/// token, this is what keeps another site's page, whose name has been
/// pointed at 127.0.0.1 (DNS rebinding), from reading the answers.
fn host_is_local(headers: &HeaderMap, port: u16) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    ["127.0.0.1", "localhost", "[::1]"]
        .iter()
        .any(|name| host == format!("{name}:{port}") || (port == 80 && host == *name))
}

/// Checks the Host or the token, then adds the headers every answer
/// carries. The page's script and style are public: they hold no data.
async fn guard(State(app): State<Arc<App>>, req: Request<Body>, next: Next) -> Response {
    let path = req.uri().path();
    let guarded = path == "/" || path.starts_with("/api/");
    let mut res = match &app.token {
        None if !host_is_local(req.headers(), app.local.port()) => error(
            StatusCode::FORBIDDEN,
            "the Host header does not name this machine: open the address kpisim serve printed",
        ),
        Some(t)
            if guarded
                && !shown_token(req.headers(), req.uri().query())
                    .is_some_and(|s| same(s.as_bytes(), t.as_bytes())) =>
        {
            let mut r = error(
                StatusCode::UNAUTHORIZED,
                "this server needs its token: Authorization: Bearer TOKEN, or ?token=TOKEN on the page's address",
            );
            r.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
            r
        }
        _ => next.run(req).await,
    };
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // The page's address may hold the token: it must not leave in a
    // Referer.
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}
