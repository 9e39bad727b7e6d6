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
        facts: Facts,
    },
    /// The top-level object whose items were just handed on, without them (`"items": []`
    /// stands in their place), to tell a List from anything else.
    ItemsOf { text: &'b [u8], line: usize },
    /// A top-level value, or an element of a top-level array.
    Value { text: &'b [u8], line: usize },
}

/// What the cut learnt of a List's item while copying it, for a reader that types the item
/// straight from its text rather than through a generic value.
///
/// An item's `metadata.managedFields` (half the bytes of a `kubectl get -o json` dump, and
/// never read) is not copied: `null` stands in its place, and the value is checked apart to be
/// valid JSON. Every key of the item (escapes read) is checked not to be written twice in its
/// object, as the API server refuses it: a key twice stops the cut with [`Unexpected`], so the
/// precise reader reports it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Facts {
    /// Where, in the item's text, its top-level `kind` and `apiVersion` strings are (within
    /// the quotes), when written without escapes.
    pub kind: Option<(usize, usize)>,
    pub api_version: Option<(usize, usize)>,
    /// Whether its `spec` has a `selector` (one is defaulted for old workload objects).
    pub spec_selector: bool,
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
    let mut item = ItemScan::default();
    loop {
        s.skip_ws()?;
        let Some(first) = s.peek()? else {
            return Ok(());
        };
        let line = s.line;
        match first {
            b'[' => {
                s.bump();
                s.elements(&mut piece, None, |text, line, _, _| {
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
                        s.elements(&mut piece, Some(&mut item), |text, line, index, facts| {
                            each(Piece::Item {
                                text,
                                line,
                                index,
                                facts,
                            })
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
            self.line += lines_in(&buf[..n]);
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
    /// With `items`, the elements are a List's items: objects are read by [`Self::item`].
    fn elements<E: From<Unexpected>>(
        &mut self,
        piece: &mut Vec<u8>,
        mut items: Option<&mut ItemScan>,
        mut each: impl FnMut(&[u8], usize, usize, Facts) -> Result<(), E>,
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
            let mut facts = Facts::default();
            match items.as_deref_mut() {
                Some(scan) if self.peek()? == Some(b'{') => facts = self.item(piece, scan)?,
                _ => self.value(piece)?,
            }
            each(piece, line, index, facts)?;
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
            self.line += lines_in(&buf[..n]);
            out.extend_from_slice(&buf[..n]);
            self.input.consume(n);
            self.read += n as u64;
            self.over_limit()?;
            if end.is_some() {
                return Ok(());
            }
        }
    }

    /// A List's item that is an object, copied into `out` as [`Self::nested`] copies it, but
    /// with its keys read: see [`Facts`].
    fn item(&mut self, out: &mut Vec<u8>, scan: &mut ItemScan) -> Result<Facts, Unexpected> {
        let base = self.depth;
        scan.reset();
        let mut facts = Facts::default();
        loop {
            let buf = self.input.fill_buf().map_err(|_| Unexpected)?;
            if buf.is_empty() {
                return Err(Unexpected);
            }
            // `buf[copied..]` is yet to be copied into `out` (or, while a value is left out,
            // into `scan.left_out`).
            let (mut i, mut copied, mut end) = (0, 0, None);
            while i < buf.len() {
                if scan.in_string && !scan.escaped {
                    // Long strings (a last-applied configuration, messages, images) are
                    // passed to their next quote or escape at once.
                    let run = memchr::memchr2(b'"', b'\\', &buf[i..]).unwrap_or(buf.len() - i);
                    if scan.in_key {
                        scan.key.extend_from_slice(&buf[i..i + run]);
                    }
                    i += run;
                    if i == buf.len() {
                        break;
                    }
                } else if scan.fast() {
                    if let Some(word) = buf.get(i..i + 8) {
                        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
                        let quiet = if scan.in_string {
                            !in_string_stop(word)
                        } else {
                            !item_structural(word)
                        };
                        if quiet {
                            if scan.in_key {
                                scan.key.extend_from_slice(&buf[i..i + 8]);
                            }
                            i += 8;
                            continue;
                        }
                    }
                }
                let at = i;
                let b = buf[i];
                i += 1;
                if scan.in_string {
                    if scan.escaped {
                        scan.escaped = false;
                    } else if b == b'\\' {
                        scan.escaped = true;
                        scan.string_escaped = true;
                    } else if b == b'"' {
                        scan.in_string = false;
                        if scan.in_key {
                            scan.in_key = false;
                            scan.key_read(&mut facts)?;
                        } else {
                            // The end of a value string.
                            let place = out.len() + at - copied;
                            if let Some(start) = scan.capture.take() {
                                if !scan.string_escaped {
                                    match scan.role {
                                        Role::Kind => facts.kind = Some((start, place)),
                                        Role::ApiVersion => {
                                            facts.api_version = Some((start, place))
                                        }
                                        _ => {}
                                    }
                                }
                            }
                            if scan.leaving == Some((Leaving::String, scan.frames.len())) {
                                scan.left_out.extend_from_slice(&buf[copied..i]);
                                copied = i;
                                scan.leaving = None;
                            }
                        }
                        continue;
                    }
                    if scan.in_key {
                        scan.key.push(b);
                    }
                    continue;
                }
                if scan.armed {
                    // The value of `managedFields` starts at the next byte past `:`.
                    if matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b':') {
                        if b == b':' {
                            scan.expect_key(false);
                        }
                        continue;
                    }
                    scan.armed = false;
                    out.extend_from_slice(&buf[copied..at]);
                    out.extend_from_slice(b"null");
                    copied = at;
                    let how = match b {
                        b'{' | b'[' => Leaving::Nested,
                        b'"' => Leaving::String,
                        _ => Leaving::Scalar,
                    };
                    scan.leaving = Some((how, scan.frames.len()));
                }
                if scan.leaving == Some((Leaving::Scalar, scan.frames.len()))
                    && matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                {
                    scan.left_out.extend_from_slice(&buf[copied..at]);
                    copied = at;
                    scan.leaving = None;
                }
                match b {
                    b'"' => {
                        scan.in_string = true;
                        scan.string_escaped = false;
                        scan.in_key = scan.frames.last().is_some_and(|f| f.object && f.expect_key);
                        if scan.in_key {
                            scan.key.clear();
                        } else if matches!(scan.role, Role::Kind | Role::ApiVersion) {
                            scan.capture = Some(out.len() + i - copied);
                        }
                    }
                    b':' => scan.expect_key(false),
                    b',' => {
                        scan.expect_key(true);
                        scan.role = Role::None;
                    }
                    b'{' | b'[' => {
                        let place = match scan.role {
                            Role::Metadata => Place::Metadata,
                            Role::Spec => Place::Spec,
                            _ if scan.frames.is_empty() => Place::Item,
                            _ => Place::Other,
                        };
                        scan.role = Role::None;
                        if base + scan.frames.len() + 1 > MAX_DEPTH {
                            return Err(Unexpected);
                        }
                        let keys_from = scan.keys.len();
                        scan.frames.push(Frame {
                            object: b == b'{',
                            expect_key: b == b'{',
                            place,
                            keys_from,
                            many: None,
                        });
                    }
                    b'}' | b']' => {
                        let frame = scan.frames.pop().ok_or(Unexpected)?;
                        scan.keys.truncate(frame.keys_from);
                        scan.role = Role::None;
                        if scan.leaving == Some((Leaving::Nested, scan.frames.len())) {
                            scan.left_out.extend_from_slice(&buf[copied..i]);
                            copied = i;
                            scan.leaving = None;
                        }
                        if scan.frames.is_empty() {
                            end = Some(i);
                            break;
                        }
                    }
                    _ => {}
                }
            }
            let n = end.unwrap_or(buf.len());
            self.line += lines_in(&buf[..n]);
            if scan.leaving.is_some() {
                scan.left_out.extend_from_slice(&buf[copied..n]);
            } else {
                out.extend_from_slice(&buf[copied..n]);
            }
            self.input.consume(n);
            self.read += n as u64;
            self.over_limit()?;
            if end.is_some() {
                break;
            }
        }
        if scan.armed || scan.leaving.is_some() {
            return Err(Unexpected);
        }
        // What was left out is still input: it must be JSON, as the rest must.
        if !scan.left_out.is_empty()
            && (std::str::from_utf8(&scan.left_out).is_err()
                || serde_json::from_slice::<serde::de::IgnoredAny>(&scan.left_out).is_err())
        {
            return Err(Unexpected);
        }
        Ok(facts)
    }
}

/// The line breaks in `bytes` (counted many bytes at a time).
fn lines_in(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
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

/// As [`structural`], and the separators `,` and `:` too (an item's keys are read).
fn item_structural(word: u64) -> bool {
    structural(word) || has_byte(word, b',') || has_byte(word, b':')
}

/// Whether `word` holds a byte that ends a string or escapes the next one.
fn in_string_stop(word: u64) -> bool {
    has_byte(word, b'"') || has_byte(word, b'\\')
}

/// Where in an item an object or array is.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Place {
    Item,
    Metadata,
    Spec,
    Other,
}

/// What the value after the key just read is, to the cut.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    None,
    Metadata,
    Spec,
    Kind,
    ApiVersion,
}

/// The shape of a value being left out.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Leaving {
    Nested,
    String,
    Scalar,
}

/// An object or array open in an item.
struct Frame {
    object: bool,
    /// The next string is a key.
    expect_key: bool,
    place: Place,
    /// Where this object's keys start in [`ItemScan::keys`].
    keys_from: usize,
    /// The keys of an object with many, for quick look-up.
    many: Option<std::collections::HashSet<u64>>,
}

/// Objects with more keys than this are looked up in a set.
const FEW_KEYS: usize = 32;

/// The state of reading one item, kept between items to reuse its buffers.
struct ItemScan {
    frames: Vec<Frame>,
    /// The keys (hashed) of the objects open, outermost first.
    keys: Vec<u64>,
    key: Vec<u8>,
    in_string: bool,
    escaped: bool,
    /// The string being read holds an escape.
    string_escaped: bool,
    in_key: bool,
    role: Role,
    /// Where the value string being read starts in the item's text.
    capture: Option<usize>,
    /// `managedFields:` was read; its value is to be left out.
    armed: bool,
    /// A value is being left out: its shape and the depth it is at.
    leaving: Option<(Leaving, usize)>,
    left_out: Vec<u8>,
    /// A key with escapes, in quotes, to be read by serde_json.
    quoted: Vec<u8>,
    hasher: foldhash::fast::FixedState,
}

impl Default for ItemScan {
    fn default() -> ItemScan {
        ItemScan {
            frames: Vec::new(),
            keys: Vec::new(),
            key: Vec::new(),
            in_string: false,
            escaped: false,
            string_escaped: false,
            in_key: false,
            role: Role::None,
            capture: None,
            armed: false,
            leaving: None,
            left_out: Vec::new(),
            quoted: Vec::new(),
            hasher: foldhash::fast::FixedState::with_seed(0x5eed),
        }
    }
}

impl ItemScan {
    fn reset(&mut self) {
        self.frames.clear();
        self.keys.clear();
        self.in_string = false;
        self.escaped = false;
        self.in_key = false;
        self.role = Role::None;
        self.capture = None;
        self.armed = false;
        self.leaving = None;
        self.left_out.clear();
    }

    /// A key of the item's object at `frames`' top was read whole (in `self.key`).
    fn key_read(&mut self, facts: &mut Facts) -> Result<(), Unexpected> {
        if self.string_escaped {
            // Compared as the API server reads it (`k:{\"name\":…}` keys of managedFields
            // are written so): unescaped by serde_json, which refuses what is not JSON.
            self.quoted.clear();
            self.quoted.push(b'"');
            self.quoted.extend_from_slice(&self.key);
            self.quoted.push(b'"');
            let key: String = serde_json::from_slice(&self.quoted).map_err(|_| Unexpected)?;
            self.key.clear();
            self.key.extend_from_slice(key.as_bytes());
        }
        if !self.first_sight() {
            return Err(Unexpected);
        }
        let leaving = self.leaving.is_some();
        let place = self.frames.last().map_or(Place::Other, |f| f.place);
        self.role = match (place, self.key.as_slice()) {
            (Place::Item, b"metadata") => Role::Metadata,
            (Place::Item, b"spec") => Role::Spec,
            (Place::Item, b"kind") => Role::Kind,
            (Place::Item, b"apiVersion") => Role::ApiVersion,
            (Place::Metadata, b"managedFields") if !leaving => {
                self.armed = true;
                Role::None
            }
            (Place::Spec, b"selector") => {
                facts.spec_selector = true;
                Role::None
            }
            _ => Role::None,
        };
        Ok(())
    }

    /// Whether eight bytes that hold nothing to act on may be passed at once.
    fn fast(&self) -> bool {
        !self.escaped && !self.armed && !matches!(self.leaving, Some((Leaving::Scalar, _)))
    }

    fn expect_key(&mut self, expect: bool) {
        if let Some(f) = self.frames.last_mut() {
            f.expect_key = f.object && expect;
        }
    }

    /// Records `self.key` in the innermost object; false when it may be there already (the
    /// same hash: the precise reader tells).
    fn first_sight(&mut self) -> bool {
        use std::hash::BuildHasher;
        let hash = self.hasher.hash_one(self.key.as_slice());
        let Some(frame) = self.frames.last_mut() else {
            return true;
        };
        if let Some(many) = frame.many.as_mut() {
            return many.insert(hash);
        }
        let keys = &mut self.keys[frame.keys_from..];
        if keys.contains(&hash) {
            return false;
        }
        if keys.len() >= FEW_KEYS {
            let mut many: std::collections::HashSet<u64> = keys.iter().copied().collect();
            many.insert(hash);
            frame.many = Some(many);
            return true;
        }
        self.keys.push(hash);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str) -> Result<Vec<String>, Unexpected> {
        let mut out = Vec::new();
        cut(text.as_bytes(), 1 << 20, |p| {
            out.push(match p {
                Piece::Item {
                    text, line, index, ..
                } => {
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

    /// The item's text and facts, when `items` are a List's.
    fn items(items: &str) -> Result<Vec<(String, Facts)>, Unexpected> {
        let list = format!("{{\"kind\": \"List\", \"items\": [{items}]}}");
        let mut out = Vec::new();
        cut(list.as_bytes(), 1 << 20, |p| {
            if let Piece::Item { text, facts, .. } = p {
                out.push((String::from_utf8(text.to_vec()).unwrap(), facts));
            }
            Ok::<_, Unexpected>(())
        })?;
        Ok(out)
    }

    #[test]
    fn an_item_is_cut_without_its_managed_fields_and_with_its_kind_found() {
        let item = r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"managedFields": [{"manager": "kubectl", "fieldsV1": {"f:spec": {"f:replicas": {}}}}], "name": "web"}, "spec": {"selector": {}}}"#;
        let got = items(item).unwrap();
        let (text, facts) = &got[0];
        assert_eq!(
            text,
            r#"{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"managedFields": null, "name": "web"}, "spec": {"selector": {}}}"#
        );
        let part = |r: Option<(usize, usize)>| r.map(|(a, b)| &text[a..b]);
        assert_eq!(part(facts.kind), Some("Deployment"));
        assert_eq!(part(facts.api_version), Some("apps/v1"));
        assert!(facts.spec_selector);
        // `managedFields` elsewhere than in the metadata, a `selector` elsewhere than in the
        // spec, a `kind` below the top: left as they are.
        let other = r#"{"kind": "Pod", "spec": {"managedFields": 1, "template": {"selector": 2, "kind": "x"}}}"#;
        let got = items(other).unwrap();
        assert_eq!(got[0].0, other);
        assert!(!got[0].1.spec_selector);
        assert_eq!(part_of(&got[0], got[0].1.kind), Some("Pod"));
        assert_eq!(got[0].1.api_version, None);
        // Scalars and strings left out too, and an item that is not an object is only cut.
        let got = items(
            r#"{"metadata": {"managedFields": null}}, {"metadata": {"managedFields":"x"}}, [1]"#,
        )
        .unwrap();
        assert_eq!(got[0].0, r#"{"metadata": {"managedFields": null}}"#);
        assert_eq!(got[1].0, r#"{"metadata": {"managedFields":null}}"#);
        assert_eq!(got[2], ("[1]".to_string(), Facts::default()));
    }

    fn part_of(item: &(String, Facts), r: Option<(usize, usize)>) -> Option<&str> {
        r.map(|(a, b)| &item.0[a..b])
    }

    #[test]
    fn a_key_twice_in_one_object_is_left_to_the_precise_reader() {
        for item in [
            r#"{"a": 1, "a": 2}"#,
            r#"{"metadata": {"labels": {"x": "1", "y": "2", "x": "3"}}}"#,
            r#"{"metadata": {"managedFields": [{"f:a": {}, "f:a": {}}]}}"#,
            r#"{"metadata": {"managedFields": [{"f:\u0061": {}, "f:a": {}}]}}"#,
            r#"{"metadata": {"managedFields": [{"k:{\"name\":\"c\"}": {}, "k:{\"name\":\"c\"}": 1}]}}"#,
            r#"{"n\u0061me": 1, "name": 2}"#,
            r#"{"metadata": {"managedFields": [{"a": tru}]}}"#,
            r#"{"metadata": {"managedFields": nul}}"#,
        ] {
            assert_eq!(items(item), Err(Unexpected), "{item}");
        }
        // The same key in different objects, or in an array's objects, is no repeat.
        let fine = r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}], "c": {"a": 1}}"#;
        assert!(items(fine).is_ok());
        let keyed = r#"{"metadata": {"managedFields": [{"k:{\"name\":\"a\"}": {}, "k:{\"name\":\"b\"}": {}}]}}"#;
        assert!(items(keyed).is_ok());
        // Many keys are looked up in a set, a repeat found there too.
        let many: Vec<String> = (0..100).map(|i| format!("\"k{i}\": {i}")).collect();
        let many = many.join(", ");
        assert!(items(&format!("{{{many}}}")).is_ok());
        assert_eq!(items(&format!("{{{many}, \"k7\": 0}}")), Err(Unexpected));
    }

    #[test]
    fn managed_fields_are_left_out_wherever_they_fall_against_the_eight_byte_steps() {
        for pad in 0..17 {
            let spaces = " ".repeat(pad);
            let item = format!(
                "{{{spaces}\"kind\":{spaces}\"Pod\",\n{spaces}\"metadata\": {{{spaces}\"a\": \"{spaces}\\\"\",{spaces}\"managedFields\"{spaces}:{spaces}[{spaces}{{\"f:x\": \"}}]\\\"\"}}, {{}}]{spaces},\"name\":\"p\"}}}}"
            );
            let got = items(&format!("{item},\n{spaces}{item}")).unwrap();
            let mut expected: serde_json::Value = serde_json::from_str(&item).unwrap();
            expected["metadata"]["managedFields"] = serde_json::Value::Null;
            for (text, facts) in &got {
                let read: serde_json::Value = serde_json::from_str(text).unwrap();
                assert_eq!(read, expected, "pad {pad}: {text}");
                assert_eq!(
                    part_of(&(text.clone(), *facts), facts.kind),
                    Some("Pod"),
                    "pad {pad}"
                );
            }
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
