//! JSON input cut into objects as it is read: the elements of a List's `items` (as
//! `kubectl get -A -o json` prints them), the elements of a top-level array, or whole
//! top-level values, each handed on with the line it starts on. Only one object's text is held
//! at a time, so a dump of a large cluster is never in memory whole.
//!
//! This reads the structure around the objects only (strings, brackets, commas); each piece is
//! then parsed by serde_json, which says whether it is valid. Anything this does not expect
//! (a scalar at the top, a key with escapes, very deep nesting) stops the cut with
//! [`Unexpected`]: the caller then reads the input the slow way, which reports it precisely.

use std::io::{BufRead, ErrorKind};

/// The deepest nesting cut here; serde_json's own limit is 128 and no Kubernetes object comes
/// near either, so deeper input is left to the precise reader.
const MAX_DEPTH: usize = 100;

/// One piece of the input.
#[derive(Debug, PartialEq)]
pub enum Piece<'b> {
    /// An element of the `items` array of the top-level object being read.
    Item {
        text: &'b [u8],
        line: usize,
        index: usize,
    },
    /// The top-level object whose items were just handed on, without them (`"items": []`
    /// stands in their place), to tell a List from anything else.
    ItemsOf { text: &'b [u8], line: usize },
    /// A top-level value, or an element of a top-level array.
    Value { text: &'b [u8], line: usize },
}

/// The input is not what the cut expects, or reading it failed: read it another way.
#[derive(Debug, PartialEq)]
pub struct Unexpected;

/// Cuts `input` into pieces and hands each to `each`, in order; stops at the first error from
/// `each`. At most `limit` bytes are read.
pub fn cut<R: BufRead, E: From<Unexpected>>(
    input: R,
    limit: u64,
    mut each: impl FnMut(Piece<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let mut s = Scanner {
        input,
        line: 1,
        read: 0,
        limit,
        depth: 0,
    };
    let mut piece = Vec::new();
    let mut rest = Vec::new();
    loop {
        s.skip_ws()?;
        let Some(first) = s.peek()? else {
            return Ok(());
        };
        let line = s.line;
        match first {
            b'[' => {
                s.bump();
                s.elements(&mut piece, |text, line, _| {
                    each(Piece::Value { text, line })
                })?;
            }
            b'{' => {
                s.bump();
                rest.clear();
                rest.push(b'{');
                let mut had_items = false;
                let mut first_key = true;
                loop {
                    s.skip_ws()?;
                    match s.peek()? {
                        Some(b'}') if first_key => {
                            s.bump();
                            break;
                        }
                        Some(b'"') => {}
                        _ => return Err(Unexpected.into()),
                    }
                    first_key = false;
                    let key_start = rest.len();
                    s.string(&mut rest)?;
                    let is_items = &rest[key_start..] == b"\"items\"";
                    s.skip_ws()?;
                    s.expect(b':')?;
                    rest.push(b':');
                    s.skip_ws()?;
                    if is_items && !had_items && s.peek()? == Some(b'[') {
                        had_items = true;
                        s.bump();
                        s.depth = 2;
                        s.elements(&mut piece, |text, line, index| {
                            each(Piece::Item { text, line, index })
                        })?;
                        s.depth = 1;
                        rest.extend_from_slice(b"[]");
                    } else {
                        s.depth = 1;
                        s.value(&mut rest)?;
                    }
                    s.skip_ws()?;
                    match s.peek()? {
                        Some(b',') => {
                            s.bump();
                            rest.push(b',');
                        }
                        Some(b'}') => {
                            s.bump();
                            break;
                        }
                        _ => return Err(Unexpected.into()),
                    }
                }
                rest.push(b'}');
                s.depth = 0;
                if had_items {
                    each(Piece::ItemsOf { text: &rest, line })?;
                } else {
                    each(Piece::Value { text: &rest, line })?;
                }
            }
            _ => return Err(Unexpected.into()),
        }
    }
}

struct Scanner<R> {
    input: R,
    /// The line of the next byte, from 1.
    line: usize,
    read: u64,
    limit: u64,
    depth: usize,
}

impl<R: BufRead> Scanner<R> {
    fn peek(&mut self) -> Result<Option<u8>, Unexpected> {
        loop {
            match self.input.fill_buf() {
                Ok(buf) => return Ok(buf.first().copied()),
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return Err(Unexpected),
            }
        }
    }

    /// Moves past the byte [`Self::peek`] returned.
    fn bump(&mut self) {
        self.input.consume(1);
        self.read += 1;
    }

    fn expect(&mut self, b: u8) -> Result<(), Unexpected> {
        if self.peek()? == Some(b) {
            self.bump();
            Ok(())
        } else {
            Err(Unexpected)
        }
    }

    fn over_limit(&self) -> Result<(), Unexpected> {
        if self.read > self.limit {
            Err(Unexpected)
        } else {
            Ok(())
        }
    }

    fn skip_ws(&mut self) -> Result<(), Unexpected> {
        loop {
            let buf = match self.input.fill_buf() {
                Ok(buf) => buf,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(_) => return Err(Unexpected),
            };
            if buf.is_empty() {
                return Ok(());
            }
            let n = buf
                .iter()
                .position(|b| !matches!(b, b' ' | b'\n' | b'\r' | b'\t'))
                .unwrap_or(buf.len());
            self.line += buf[..n].iter().filter(|&&b| b == b'\n').count();
            let done = n < buf.len();
            self.input.consume(n);
            self.read += n as u64;
            self.over_limit()?;
            if done {
                return Ok(());
            }
        }
    }

    /// The elements of an array whose `[` was just read, each copied into `piece` and handed
    /// to `each` with its line and index; the closing `]` is read too.
    fn elements<E: From<Unexpected>>(
        &mut self,
        piece: &mut Vec<u8>,
        mut each: impl FnMut(&[u8], usize, usize) -> Result<(), E>,
    ) -> Result<(), E> {
        let depth = self.depth;
        let mut index = 0;
        self.skip_ws()?;
        if self.peek()? == Some(b']') {
            self.bump();
            return Ok(());
        }
        loop {
            self.skip_ws()?;
            let line = self.line;
            piece.clear();
            self.depth = depth;
            self.value(piece)?;
            each(piece, line, index)?;
            index += 1;
            self.skip_ws()?;
            match self.peek()? {
                Some(b',') => self.bump(),
                Some(b']') => {
                    self.bump();
                    return Ok(());
                }
                _ => return Err(Unexpected.into()),
            }
        }
    }

    /// Copies one value into `out`: a string, an object or array with all it holds, or a
    /// scalar up to the byte that ends it. Its validity is for serde_json to judge.
    fn value(&mut self, out: &mut Vec<u8>) -> Result<(), Unexpected> {
        match self.peek()? {
            Some(b'"') => self.string(out),
            Some(b'{' | b'[') => self.nested(out),
            Some(_) => {
                // A number, `true`, `false` or `null`: up to a delimiter.
                loop {
                    let buf = self.input.fill_buf().map_err(|_| Unexpected)?;
                    if buf.is_empty() {
                        return Ok(());
                    }
                    let n = buf
                        .iter()
                        .position(|b| {
                            matches!(b, b',' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t')
                        })
                        .unwrap_or(buf.len());
                    out.extend_from_slice(&buf[..n]);
                    let done = n < buf.len();
                    self.input.consume(n);
                    self.read += n as u64;
                    self.over_limit()?;
                    if done {
                        return Ok(());
                    }
                }
            }
            None => Err(Unexpected),
        }
    }

    /// A string, quotes and escapes as written.
    fn string(&mut self, out: &mut Vec<u8>) -> Result<(), Unexpected> {
        self.expect(b'"')?;
        out.push(b'"');
        let mut escaped = false;
        loop {
            let buf = self.input.fill_buf().map_err(|_| Unexpected)?;
            if buf.is_empty() {
                return Err(Unexpected);
            }
            let mut end = None;
            for (i, &b) in buf.iter().enumerate() {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    end = Some(i + 1);
                    break;
                } else if b == b'\n' {
                    // Not valid JSON; counted so lines stay right for whoever reports it.
                    self.line += 1;
                }
            }
            let n = end.unwrap_or(buf.len());
            out.extend_from_slice(&buf[..n]);
            self.input.consume(n);
            self.read += n as u64;
            self.over_limit()?;
            if end.is_some() {
                return Ok(());
            }
        }
    }

    /// An object or array, from its opening bracket to the matching closing one.
    fn nested(&mut self, out: &mut Vec<u8>) -> Result<(), Unexpected> {
        let base = self.depth;
        let (mut open, mut in_string, mut escaped) = (0usize, false, false);
        loop {
            let buf = self.input.fill_buf().map_err(|_| Unexpected)?;
            if buf.is_empty() {
                return Err(Unexpected);
            }
            let mut end = None;
            let mut i = 0;
            while i < buf.len() {
                // Eight bytes at a time past those that change nothing (most of a
                // pretty-printed object: indentation, names, values).
                if !escaped {
                    if let Some(word) = buf.get(i..i + 8) {
                        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
                        let quiet = if in_string {
                            !in_string_stop(word)
                        } else {
                            !structural(word)
                        };
                        if quiet {
                            i += 8;
                            continue;
                        }
                    }
                }
                let b = buf[i];
                i += 1;
                if in_string {
                    if escaped {
                        escaped = false;
                    } else if b == b'\\' {
                        escaped = true;
                    } else if b == b'"' {
                        in_string = false;
                    }
                    continue;
                }
                match b {
                    b'"' => in_string = true,
                    b'{' | b'[' => {
                        open += 1;
                        if base + open > MAX_DEPTH {
                            return Err(Unexpected);
                        }
                    }
                    b'}' | b']' => {
                        open -= 1;
                        if open == 0 {
                            end = Some(i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let n = end.unwrap_or(buf.len());
            // Line breaks count alike inside strings (not valid JSON, counted so lines stay
            // right for whoever reports it) and outside.
            self.line += buf[..n].iter().filter(|&&b| b == b'\n').count();
            out.extend_from_slice(&buf[..n]);
            self.input.consume(n);
            self.read += n as u64;
            self.over_limit()?;
            if end.is_some() {
                return Ok(());
            }
        }
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;

/// Whether any of the eight bytes of `word` is `b`.
fn has_byte(word: u64, b: u8) -> bool {
    let v = word ^ (ONES * u64::from(b));
    v.wrapping_sub(ONES) & !v & (ONES << 7) != 0
}

/// Whether `word` holds a quote or a bracket: clearing bit 5 of each byte turns `{` into `[`
/// and `}` into `]`, and no other byte into either.
fn structural(word: u64) -> bool {
    let folded = word & !(ONES << 5);
    has_byte(word, b'"') || has_byte(folded, b'[') || has_byte(folded, b']')
}

/// Whether `word` holds a byte that ends a string or escapes the next one.
fn in_string_stop(word: u64) -> bool {
    has_byte(word, b'"') || has_byte(word, b'\\')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Result<Vec<String>, Unexpected> {
        let mut out = Vec::new();
        cut(text.as_bytes(), 1 << 20, |p| {
            out.push(match p {
                Piece::Item { text, line, index } => {
                    format!("item {index} @{line}: {}", String::from_utf8_lossy(text))
                }
                Piece::ItemsOf { text, line } => {
                    format!("list @{line}: {}", String::from_utf8_lossy(text))
                }
                Piece::Value { text, line } => {
                    format!("value @{line}: {}", String::from_utf8_lossy(text))
                }
            });
            Ok::<_, Unexpected>(())
        })?;
        Ok(out)
    }

    #[test]
    fn a_list_is_cut_into_its_items_with_their_lines() {
        let text = "{\n \"apiVersion\": \"v1\",\n \"items\": [\n  {\"a\": \"}]\\\"\"},\n\n  {\"b\": [1, {\"c\": null}]}\n ],\n \"kind\": \"List\"\n}\n";
        assert_eq!(
            pieces(text).unwrap(),
            vec![
                "item 0 @4: {\"a\": \"}]\\\"\"}",
                "item 1 @6: {\"b\": [1, {\"c\": null}]}",
                "list @1: {\"apiVersion\":\"v1\",\"items\":[],\"kind\":\"List\"}",
            ]
        );
    }

    #[test]
    fn arrays_and_streams_of_values_are_cut_into_values() {
        let text = "[{\"a\": 1},\n {\"b\": 2}]\n{\"c\": 3}\n{}";
        assert_eq!(
            pieces(text).unwrap(),
            vec![
                "value @1: {\"a\": 1}",
                "value @2: {\"b\": 2}",
                "value @3: {\"c\":3}",
                "value @4: {}",
            ]
        );
        assert_eq!(pieces("[]").unwrap(), Vec::<String>::new());
    }

    #[test]
    fn what_is_not_expected_is_left_to_the_precise_reader() {
        for text in [
            "3",
            "\"text\"",
            "{\"items\": [{\"a\": 1}",
            "{\"a\" 1}",
            "{\"a\": 1,}",
            "[1 2]",
            "{\"a\": \"unterminated",
        ] {
            assert_eq!(pieces(text), Err(Unexpected), "{text}");
        }
        let deep = format!("[{}{}]", "[".repeat(200), "]".repeat(200));
        assert_eq!(pieces(&deep), Err(Unexpected));
    }

    #[test]
    fn the_eight_byte_tests_find_exactly_their_bytes() {
        for b in 0..=255u8 {
            for at in 0..8 {
                let mut bytes = [b'a'; 8];
                bytes[at] = b;
                let word = u64::from_le_bytes(bytes);
                assert_eq!(structural(word), b"\"{}[]".contains(&b), "{b:#x} at {at}");
                assert_eq!(in_string_stop(word), b"\"\\".contains(&b), "{b:#x} at {at}");
            }
        }
    }

    #[test]
    fn items_are_cut_alike_wherever_their_brackets_and_escapes_fall() {
        // Escapes, quotes, brackets inside strings and line breaks at every offset against
        // the eight-byte steps: the same items and lines as a byte-by-byte reading gives.
        for pad in 0..17 {
            let spaces = " ".repeat(pad);
            let item = format!(
                "{{{spaces}\"k\\\\\": \"{spaces}a}}\\\"[x\",\n{spaces}\"l\": [{spaces}{{}}, \"]\"],{spaces}\"m\":{spaces}\"\\\\\"}}"
            );
            let text = format!("{{\"items\": [\n{item},\n{spaces}{item}\n], \"kind\": \"List\"}}");
            let got = pieces(&text).unwrap();
            assert_eq!(got[0], format!("item 0 @2: {item}"), "pad {pad}");
            assert_eq!(got[1], format!("item 1 @4: {item}"), "pad {pad}");
            let value: serde_json::Value = serde_json::from_str(&item).unwrap();
            assert_eq!(value["m"], "\\", "pad {pad}");
        }
    }

    #[test]
    fn reading_stops_past_the_limit() {
        let text = format!("[{}]", "{\"a\": 1},".repeat(1000) + "{}");
        let mut n = 0;
        let r = cut(text.as_bytes(), 100, |_| {
            n += 1;
            Ok::<_, Unexpected>(())
        });
        assert_eq!(r, Err(Unexpected));
        assert!(n < 20);
    }
}
