//! The widget script, the demo news page, and the CORS policy of the public endpoints.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};

use super::{ApiError, AppState};
use crate::widget;

/// The CORS policy of public read and check endpoints: any origin, never credentials (the
/// wildcard `*` forbids them), `GET` and `POST` with a JSON or multipart body. Staff endpoints
/// are not wrapped, so a browser on another origin cannot reach them.
pub(super) fn public_cors() -> actix_cors::Cors {
    actix_cors::Cors::default()
        .allow_any_origin()
        .send_wildcard()
        .allowed_methods(["GET", "POST"])
        .allowed_header(header::CONTENT_TYPE)
        .max_age(86_400)
}

/// `GET /widget.js`: the current widget, revalidated every five minutes so that a fix reaches
/// every page soon; a page that pins it with `integrity` uses the versioned URL instead.
pub(super) async fn script(req: HttpRequest) -> HttpResponse {
    serve_script(&req, "public, max-age=300")
}

/// `GET /widget/{release}/widget.js`: this release of the widget, cacheable for a year (a
/// release names exact bytes, see [`widget::release`]).
pub(super) async fn versioned_script(
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    if path.as_str() != widget::release() {
        return Err(ApiError::NotFound(format!(
            "this service serves widget release {}, not {:?}; take the tag it publishes",
            widget::release(),
            path.as_str()
        )));
    }
    Ok(serve_script(&req, "public, max-age=31536000, immutable"))
}

fn serve_script(req: &HttpRequest, cache: &'static str) -> HttpResponse {
    let fresh = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|tags| {
            // Weak comparison (RFC 9110 section 13.1.2): the `W/` prefix does not matter.
            let ours = widget::etag().trim_start_matches("W/");
            tags.split(',')
                .map(|t| t.trim().trim_start_matches("W/"))
                .any(|t| t == ours || t == "*")
        });
    let mut response = if fresh {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    response
        .insert_header((header::CACHE_CONTROL, cache))
        .insert_header((header::ETAG, widget::etag()))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header(("bonafide-widget-version", widget::release()))
        .insert_header(("bonafide-widget-integrity", widget::integrity()));
    if fresh {
        response.finish()
    } else {
        response
            .content_type("text/javascript; charset=utf-8")
            .body(widget::script())
    }
}

/// `GET /` (demo only): the organisation's news page with the notice, an article and the widget,
/// under a strict Content Security Policy. The widget's tag names the configured public URL, else
/// the address the browser used, so the page works however it is reached (`localhost`, a LAN
/// address, a bind to `0.0.0.0`).
pub(super) async fn news_page(req: HttpRequest, state: web::Data<AppState>) -> HttpResponse {
    let base = match &state.public_url {
        Some(url) => url.clone(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    };
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CONTENT_SECURITY_POLICY, widget::NEWS_CSP))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .body(widget::news_page(&base))
}

/// `GET /news.css` (demo only): the news page's style sheet.
pub(super) async fn news_css() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=300"))
        .body(widget::NEWS_CSS)
}

/// `GET /favicon.svg` (demo only): the news page's icon.
pub(super) async fn news_icon() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("image/svg+xml")
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(widget::NEWS_ICON)
}
