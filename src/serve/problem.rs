//! Errors as RFC 9457 problem details (`application/problem+json`): the
//! status, its reason as the title, and as the detail the message the CLI
//! would print, with the root folder taken out of file names; a mistake in
//! a file also carries its file, line and column as members.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// An error answer.
#[derive(Debug, Clone)]
pub(crate) struct Problem {
    pub(crate) status: StatusCode,
    pub(crate) detail: String,
    /// File (relative to the root), line and column of a mistake in a file.
    pub(crate) at: Option<(String, usize, usize)>,
    /// Seconds a client should wait before trying again (503).
    pub(crate) retry_after: Option<u32>,
}

#[derive(Serialize)]
struct Body<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    status: u16,
    detail: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    file: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    column: Option<usize>,
}

impl Problem {
    pub(crate) fn new(status: StatusCode, detail: String) -> Problem {
        Problem { status, detail, at: None, retry_after: None }
    }

    pub(crate) fn bad_request(detail: String) -> Problem {
        Problem::new(StatusCode::BAD_REQUEST, detail)
    }

    pub(crate) fn not_found(detail: String) -> Problem {
        Problem::new(StatusCode::NOT_FOUND, detail)
    }

    /// 503 with `Retry-After: 1`.
    pub(crate) fn unavailable(detail: String) -> Problem {
        Problem { retry_after: Some(1), ..Problem::new(StatusCode::SERVICE_UNAVAILABLE, detail) }
    }

    /// A library error: the CLI's message with `root` taken out of paths,
    /// as 422 when the request cannot be rendered as asked (a value that
    /// does not fit, a page that does not exist, a mistake in the layout)
    /// and 500 when a file could not be read or written.
    pub(crate) fn from_error(e: &crate::Error, root: &std::path::Path) -> Problem {
        let status = match e {
            crate::Error::Read { .. } | crate::Error::Pdf(_) | crate::Error::Font(_) => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let detail = relative(&e.to_string(), root);
        let at = e.source_error().map(|s| (relative(&s.file.display().to_string(), root), s.line, s.column));
        Problem { at, ..Problem::new(status, detail) }
    }
}

/// `text` with the root folder (and the slash after it) taken out of the
/// paths it names, so answers do not show where the service's files are.
pub(crate) fn relative(text: &str, root: &std::path::Path) -> String {
    let root = root.display().to_string();
    if root.is_empty() || root == "/" {
        return text.to_string();
    }
    text.replace(&format!("{root}/"), "").replace(&root, ".")
}

impl IntoResponse for Problem {
    fn into_response(self) -> Response {
        let title = self.status.canonical_reason().unwrap_or("Error");
        let (file, line, column) = match &self.at {
            Some((f, l, c)) => (Some(f.as_str()), Some(*l), Some(*c)),
            None => (None, None, None),
        };
        let body =
            Body { kind: "about:blank", title, status: self.status.as_u16(), detail: &self.detail, file, line, column };
        let json = serde_json::to_vec(&body).unwrap_or_else(|_| b"{\"type\":\"about:blank\"}".to_vec());
        let mut response = (self.status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if let Some(secs) = self.retry_after {
            headers.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_taken_out_of_messages() {
        let root = std::path::Path::new("/srv/nashr");
        assert_eq!(relative("x\n --> /srv/nashr/layouts/a.toml:3:9", root), "x\n --> layouts/a.toml:3:9");
        assert_eq!(relative("inside /srv/nashr, the folder", root), "inside ., the folder");
    }
}
