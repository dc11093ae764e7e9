//! A JSON body whose every rejection is a precise problem document: malformed JSON (400, with
//! line and column), a wrong type, a missing or unknown field (422, naming the field), a missing
//! content type (415).

use crate::problem::Problem;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;

pub struct Body<T>(pub T);

impl<S, T> FromRequest<S> for Body<T>
where
    T: serde::de::DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Problem> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Body(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                // "Failed to deserialize the JSON body into the target type: body.x: unknown …"
                let text = e.body_text();
                let detail = text
                    .split_once("target type: ")
                    .map(|(_, d)| d.to_string())
                    .unwrap_or(text);
                let (field, message) = match detail.split_once(": ") {
                    Some((path, msg)) if !path.contains(' ') => (path.to_string(), msg.to_string()),
                    _ => (String::new(), detail.clone()),
                };
                let field = if field.is_empty() || field == "." {
                    unknown_field(&message).unwrap_or_else(|| "body".to_string())
                } else {
                    field
                };
                Err(Problem::invalid(&field, message))
            }
            Err(JsonRejection::JsonSyntaxError(e)) => Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "malformed-json",
                "Malformed JSON",
                e.body_text(),
            )),
            Err(JsonRejection::MissingJsonContentType(_)) => Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "json-expected",
                "JSON expected",
                "Send the body with `Content-Type: application/json`.",
            )),
            Err(e) => Err(Problem::new(
                StatusCode::BAD_REQUEST,
                "bad-body",
                "Unreadable body",
                e.body_text(),
            )),
        }
    }
}

/// "unknown field `colour`, expected …" → "colour"; "missing field `body`" → "body".
fn unknown_field(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = message[start..].find('`')? + start;
    Some(message[start..end].to_string())
}
