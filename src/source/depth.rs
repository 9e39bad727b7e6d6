//! Nesting depth of YAML, checked before the document is parsed.
//!
//! The YAML reader refuses documents nested deeper than [`MAX_DEPTH`], but only after scanning
//! the whole document, and its scanner does work proportional to the flow depth (`[[[…`,
//! `{a: {a: …`) for every token: 100,000 levels take minutes. Here libyaml's own event stream is
//! read and abandoned at the first level past the limit, so a hostile document fails in
//! milliseconds, and a document is judged by the same grammar that will parse it.

use unsafe_libyaml_norway as sys;

/// The deepest nesting read (the YAML and JSON readers stop there too); no Kubernetes object
/// comes near it.
pub const MAX_DEPTH: usize = 128;

/// The line (counted from 0 within `doc`) where nesting first goes past [`MAX_DEPTH`], or
/// `None` when it never does or the document is not valid YAML (the parser reports that).
pub fn too_deep(doc: &str) -> Option<usize> {
    // Flow collections are the slow case, and each level needs a `[` or `{`; block nesting
    // alone is linear, and the parser's own limit stops it.
    let openers = doc.bytes().filter(|b| matches!(b, b'[' | b'{')).count();
    if openers <= MAX_DEPTH {
        return None;
    }
    let mut parser = Box::new(std::mem::MaybeUninit::<sys::yaml_parser_t>::uninit());
    let p = parser.as_mut_ptr();
    // SAFETY: `p` points at boxed storage that outlives the parser, which is initialised
    // before use and deleted once below; the input is `doc`, borrowed for this whole function.
    unsafe {
        if sys::yaml_parser_initialize(p).fail {
            return None;
        }
        sys::yaml_parser_set_encoding(p, sys::YAML_UTF8_ENCODING);
        sys::yaml_parser_set_input_string(p, doc.as_ptr(), doc.len() as u64);
    }
    let mut depth = 0usize;
    let found = loop {
        let mut event = std::mem::MaybeUninit::<sys::yaml_event_t>::uninit();
        let e = event.as_mut_ptr();
        // SAFETY: a successful parse fills `event`, which is read and then deleted once.
        let (kind, line) = unsafe {
            if sys::yaml_parser_parse(p, e).fail {
                break None;
            }
            let kind = (*e).type_;
            let line = (*e).start_mark.line as usize;
            sys::yaml_event_delete(e);
            (kind, line)
        };
        match kind {
            sys::YAML_SEQUENCE_START_EVENT | sys::YAML_MAPPING_START_EVENT => {
                depth += 1;
                if depth > MAX_DEPTH {
                    break Some(line);
                }
            }
            sys::YAML_SEQUENCE_END_EVENT | sys::YAML_MAPPING_END_EVENT => {
                depth = depth.saturating_sub(1)
            }
            sys::YAML_STREAM_END_EVENT => break None,
            _ => {}
        }
    };
    // SAFETY: initialised above, deleted once.
    unsafe { sys::yaml_parser_delete(p) };
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_and_block_nesting_past_the_limit_is_found_where_it_starts() {
        let deep = format!("a: 1\nb: {}{}\n", "[".repeat(100_000), "]".repeat(100_000));
        let started = std::time::Instant::now();
        assert_eq!(too_deep(&deep), Some(1));
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
        let mapping = format!("{}x{}", "{a: ".repeat(50_000), "}".repeat(50_000));
        assert_eq!(too_deep(&mapping), Some(0));
    }

    #[test]
    fn ordinary_documents_and_brackets_in_text_pass() {
        assert_eq!(too_deep("a: [1, 2]\nb: {c: d}\n"), None);
        // Brackets inside strings and block scalars are text, however many.
        let text = format!("a: \"{}\"\nb: |\n  {}\n", "[".repeat(500), "{".repeat(500));
        assert_eq!(too_deep(&text), None);
        let at_limit = format!("{}{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(too_deep(&at_limit), None);
        let past = format!("{}{}", "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(too_deep(&past), Some(0));
        // Invalid YAML is left for the parser to report.
        assert_eq!(too_deep(&format!("a: b: c\n{}", "[".repeat(200))), None);
    }
}
