//! Responses as WordPress writes them: the bare JSON value, encoded the way PHP's
//! `json_encode` does, with the headers every REST response carries.
//!
//! PHP escapes `/` as `\/` and every non-ASCII character as `\uXXXX`; clients that
//! compare bodies or sign them see the same bytes from cartd as from WordPress.

use std::io;

use bytes::Bytes;
use hyper::header::{HeaderName, HeaderValue};
use serde::Serialize;
use serde_json::Value;
use serde_json::ser::{CharEscape, Formatter};

/// What a handler returns: a status, extra headers and a JSON body.
#[derive(Debug, Clone)]
pub struct ApiResponse {
    /// HTTP status.
    pub status: u16,
    /// Headers besides the ones every response gets.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The body; `None` sends an empty body.
    pub body: Option<Value>,
    /// A non-JSON body and its content type, sent instead of `body`.
    pub text: Option<(&'static str, String)>,
}

impl ApiResponse {
    /// A 200 with a JSON body.
    pub fn ok(body: Value) -> Self {
        ApiResponse {
            status: 200,
            headers: Vec::new(),
            body: Some(body),
            text: None,
        }
    }

    /// A 200 with a text body of the given content type.
    pub fn text(content_type: &'static str, body: String) -> Self {
        ApiResponse {
            status: 200,
            headers: Vec::new(),
            body: None,
            text: Some((content_type, body)),
        }
    }

    /// Adds a header. Values that are not valid header text are dropped (they never come
    /// from clients).
    pub fn header(mut self, name: &'static str, value: impl AsRef<str>) -> Self {
        if let Ok(value) = HeaderValue::from_str(value.as_ref()) {
            self.headers.push((HeaderName::from_static(name), value));
        }
        self
    }
}

/// Encodes a value as PHP's `json_encode` does with WordPress's default flags.
pub fn encode_json<T: Serialize + ?Sized>(value: &T) -> Bytes {
    let mut out = Vec::with_capacity(256);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, PhpFormatter);
    // Serializing a `Value` or plain data into memory cannot fail.
    if value.serialize(&mut ser).is_err() {
        return Bytes::from_static(b"null");
    }
    Bytes::from(out)
}

/// serde_json's compact output plus PHP's extra escapes.
struct PhpFormatter;

impl Formatter for PhpFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, ch) in fragment.char_indices() {
            if ch != '/' && ch.is_ascii() {
                continue;
            }
            writer.write_all(&fragment.as_bytes()[start..i])?;
            if ch == '/' {
                writer.write_all(b"\\/")?;
            } else {
                let mut units = [0u16; 2];
                for unit in ch.encode_utf16(&mut units) {
                    write!(writer, "\\u{unit:04x}")?;
                }
            }
            start = i + ch.len_utf8();
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn write_char_escape<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        escape: CharEscape,
    ) -> io::Result<()> {
        // serde_json's escapes match PHP's for quotes, backslashes and control characters.
        let text: &[u8] = match escape {
            CharEscape::Quote => b"\\\"",
            CharEscape::ReverseSolidus => b"\\\\",
            CharEscape::Solidus => b"\\/",
            CharEscape::Backspace => b"\\b",
            CharEscape::FormFeed => b"\\f",
            CharEscape::LineFeed => b"\\n",
            CharEscape::CarriageReturn => b"\\r",
            CharEscape::Tab => b"\\t",
            CharEscape::AsciiControl(byte) => {
                return write!(writer, "\\u{byte:04x}");
            }
        };
        writer.write_all(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn escapes_like_php() {
        let body = json!({"href": "http://h/wp-json/", "name": "Café ☕ 😀", "q": "a\"b\n"});
        assert_eq!(
            std::str::from_utf8(&encode_json(&body)).unwrap(),
            r#"{"href":"http:\/\/h\/wp-json\/","name":"Caf\u00e9 \u2615 \ud83d\ude00","q":"a\"b\n"}"#
        );
    }
}
