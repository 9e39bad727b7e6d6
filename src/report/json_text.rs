//! The JSON text shipshape writes (`check -o json`, `report --format json|sarif`,
//! `checks -o json`, `diff -o json`, JSON snapshots). The data stays exactly what it was for a
//! machine, but the text never carries a character that acts on a terminal or reorders what
//! a person reads when the file is shown with `cat` or in a review: C1 controls, DEL and bidi
//! overrides are written as `\uXXXX` escapes, as C0 controls already are.

use serde::Serialize;
use serde_json::ser::{Formatter, PrettyFormatter};
use std::io::{self, Write};

/// `value` as pretty-printed JSON, ending in a newline.
pub fn pretty<T: Serialize + ?Sized>(value: &T) -> String {
    let mut out = Vec::with_capacity(4096);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeFormatter::default());
    value
        .serialize(&mut ser)
        .expect("JSON values serialise into memory");
    out.push(b'\n');
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

/// Writes `value` as pretty-printed JSON to `out` as it is serialised, ending in a newline: the
/// same text as [`pretty`], without holding it.
pub fn write_pretty<T: Serialize + ?Sized>(out: &mut dyn io::Write, value: &T) -> io::Result<()> {
    let mut out = io::BufWriter::with_capacity(64 * 1024, out);
    let mut ser = serde_json::Serializer::with_formatter(&mut out, SafeFormatter::default());
    value.serialize(&mut ser).map_err(io::Error::from)?;
    out.write_all(b"\n")?;
    out.flush()
}

/// serde_json's pretty layout, with [`crate::text::is_unsafe`] characters escaped in strings.
#[derive(Default)]
struct SafeFormatter(PrettyFormatter<'static>);

impl Formatter for SafeFormatter {
    fn write_string_fragment<W: ?Sized + io::Write>(
        &mut self,
        writer: &mut W,
        fragment: &str,
    ) -> io::Result<()> {
        let mut start = 0;
        for (i, c) in fragment.char_indices() {
            if crate::text::is_unsafe(c) {
                writer.write_all(&fragment.as_bytes()[start..i])?;
                // Every such character is in the Basic Multilingual Plane: one escape.
                write!(writer, "\\u{:04x}", c as u32)?;
                start = i + c.len_utf8();
            }
        }
        writer.write_all(&fragment.as_bytes()[start..])
    }

    fn begin_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_array(w)
    }
    fn end_array<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array(w)
    }
    fn begin_array_value<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_array_value(w, first)
    }
    fn end_array_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_array_value(w)
    }
    fn begin_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object(w)
    }
    fn end_object<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object(w)
    }
    fn begin_object_key<W: ?Sized + io::Write>(
        &mut self,
        w: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.0.begin_object_key(w, first)
    }
    fn begin_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.begin_object_value(w)
    }
    fn end_object_value<W: ?Sized + io::Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.0.end_object_value(w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn layout_is_serde_jsons_pretty_one() {
        let v = json!({"a": [1, {"b": "c"}], "d": {}, "e": [], "f": null});
        assert_eq!(
            pretty(&v),
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap())
        );
    }

    #[test]
    fn c1_del_and_bidi_are_escaped_and_read_back_the_same() {
        let hostile = "a\u{1b}]0;t\u{7}b\u{9b}2J\u{85}\u{7f}c\u{202e}d\u{2066}e é 名";
        let v = json!({ hostile: [hostile] });
        let text = pretty(&v);
        assert!(
            !text.chars().any(|c| crate::text::is_unsafe(c) && c != '\n'),
            "{text}"
        );
        assert!(text.contains("\\u009b"), "{text}");
        assert!(text.contains("\\u0085"), "{text}");
        assert!(text.contains("\\u202e"), "{text}");
        assert!(text.contains("\\u2066"), "{text}");
        assert!(text.contains("\\u001b"), "{text}");
        assert!(text.contains("é 名"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, v);
    }
}
