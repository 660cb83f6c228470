//! The web UI: the single-page app built into `web/dist` (`npm run build` in `web/`).
//!
//! Release binaries embed the folder at compile time, so they serve the UI from any working
//! directory; debug builds read it from disk on each request, so a rebuilt UI shows up without
//! recompiling the server. When the UI was not built, `/` answers a short page saying so.
//!
//! [`fallback`] is the router's fallback: every GET that no API route answers gets a file of the
//! app or, for the app's own client-side paths (`/runs/…`), its `index.html`. Paths under `/api`,
//! missing static files and other methods keep the API's JSON 404.

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use rust_embed::{Embed, EmbeddedFile};

use crate::error::ApiError;

#[derive(Embed)]
#[folder = "../../web/dist"]
#[allow_missing = true]
struct WebDist;

const INDEX: &str = "index.html";

/// Vite puts content-hashed bundles here: their names change whenever their content does.
const HASHED_ASSETS_DIR: &str = "assets/";

const NOT_BUILT_PAGE: &str = "<!doctype html>
<html lang=\"en\"><head><meta charset=\"utf-8\"><title>SLB Planner</title></head>
<body>
<h1>SLB Planner</h1>
<p>The web UI is not built into this server. Build it with
<code>npm --prefix web ci &amp;&amp; npm --prefix web run build</code> (or start the product with
<code>bash scripts/run.sh</code>), then reload this page.</p>
<p>The HTTP API is running: see the <a href=\"/api/docs\">API documentation</a>.</p>
</body></html>
";

/// Fallback handler of the application router (see the module docs).
pub async fn fallback(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let path = uri.path();
    if !matches!(method, Method::GET | Method::HEAD) || is_api_path(path) {
        return ApiError::route_not_found(path).into_response();
    }
    let file_path = path.trim_start_matches('/');
    if let Some(file) = WebDist::get(file_path).filter(|_| !file_path.is_empty()) {
        return file_response(file_path, &file, &headers);
    }
    if looks_like_file(file_path) {
        return ApiError::route_not_found(path).into_response();
    }
    match WebDist::get(INDEX) {
        Some(index) => file_response(INDEX, &index, &headers),
        None => Html(NOT_BUILT_PAGE).into_response(),
    }
}

fn is_api_path(path: &str) -> bool {
    path == "/api" || path.starts_with("/api/")
}

/// Client-side routes have no extension; a missing `x.js` must not be answered with HTML.
fn looks_like_file(path: &str) -> bool {
    path.starts_with(HASHED_ASSETS_DIR) || path.rsplit('/').next().is_some_and(|s| s.contains('.'))
}

fn file_response(path: &str, file: &EmbeddedFile, request: &HeaderMap) -> Response {
    let etag = etag(file);
    let cache = if path.starts_with(HASHED_ASSETS_DIR) {
        "public, max-age=31536000, immutable"
    } else {
        // index.html names the current bundles: always revalidate it.
        "no-cache"
    };
    let unchanged = request
        .get(IF_NONE_MATCH)
        .is_some_and(|v| v.as_bytes() == etag.as_bytes());
    let (status, body) = if unchanged {
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else {
        (StatusCode::OK, Body::from(file.data.clone()))
    };
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    if let Ok(mime) = HeaderValue::from_str(file.metadata.mimetype()) {
        headers.insert(CONTENT_TYPE, mime);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    if let Ok(etag) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, etag);
    }
    response
}

fn etag(file: &EmbeddedFile) -> String {
    let hash = file.metadata.sha256_hash();
    let hex: String = hash[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn get(path: &str) -> Response {
        fallback(Method::GET, path.parse().unwrap(), HeaderMap::new()).await
    }

    fn content_type(response: &Response) -> &str {
        response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    #[tokio::test]
    async fn unknown_api_paths_keep_the_json_404() {
        for path in ["/api", "/api/nope", "/api/runs/x/y"] {
            let response = get(path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(content_type(&response), "application/json", "{path}");
        }
    }

    #[tokio::test]
    async fn other_methods_keep_the_json_404() {
        let response = fallback(Method::POST, "/runs".parse().unwrap(), HeaderMap::new()).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        assert_eq!(content_type(&response), "application/json");
    }

    #[tokio::test]
    async fn client_side_routes_get_the_app_page() {
        for path in ["/", "/runs", "/runs/3f2a", "/scenario-sets/abc"] {
            let response = get(path).await;
            assert_eq!(response.status(), StatusCode::OK, "{path}");
            assert!(content_type(&response).starts_with("text/html"), "{path}");
        }
    }

    #[tokio::test]
    async fn missing_static_files_are_not_answered_with_html() {
        for path in ["/assets/index-0000.js", "/favicon-missing.png"] {
            let response = get(path).await;
            assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            assert_eq!(content_type(&response), "application/json", "{path}");
        }
    }
}
