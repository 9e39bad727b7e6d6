//! Nesting depth of YAML, checked before the document is parsed.
//!
//! The YAML reader refuses documents nested deeper than [`MAX_DEPTH`], but only after scanning
//! the whole document, and its scanner does work proportional to the flow depth (`[[[…`,
//! `{a: {a: …`) for every token: 100,000 levels take minutes. Here libyaml's own event stream is
//! read and abandoned at the first level past the limit, so a hostile document fails in
//! milliseconds, and a document is judged by the same grammar that will parse it.

use unsafe_libyaml_norway as unsafe_yaml;

/// The deepest nesting read (the YAML and JSON readers stop there too); no Kubernetes object
/// comes near it.
pub const MAX_DEPTH: usize = 128;

/// The line (counted from 0 within `doc`) where nesting first goes past [`MAX_DEPTH`], or
/// `None` when it never does or the document is not valid YAML (the parser reports that).
pub fn too_deep(doc: &str) -> Option<usize> {
    // Flow collections are the slow case, and each level needs a `[` or `{`; block nesting
    // alone is linear, and the parser's own limit stops it.
    if flow_depth_bound(doc.as_bytes()) <= MAX_DEPTH {
        return None;
    }
    deepest(doc, MAX_DEPTH).1
}

/// The deepest flow nesting in `doc`'s events, read until the end, an error, or the first level
/// (flow or block) past `limit`, whose line comes second.
fn deepest(doc: &str, limit: usize) -> (usize, Option<usize>) {
    let mut parser = Box::new(std::mem::MaybeUninit::<unsafe_yaml::yaml_parser_t>::uninit());
    let p = parser.as_mut_ptr();
    // SAFETY: `p` points at boxed storage that outlives the parser, which is initialised
    // before use and deleted once below; the input is `doc`, borrowed for this whole function.
    unsafe {
        if unsafe_yaml::yaml_parser_initialize(p).fail {
            return (0, None);
        }
        unsafe_yaml::yaml_parser_set_encoding(p, unsafe_yaml::YAML_UTF8_ENCODING);
        unsafe_yaml::yaml_parser_set_input_string(p, doc.as_ptr(), doc.len() as u64);
    }
    // Whether each open collection is a flow one.
    let (mut open, mut max_flow) = (Vec::<bool>::new(), 0usize);
    let found = loop {
        let mut event = std::mem::MaybeUninit::<unsafe_yaml::yaml_event_t>::uninit();
        let e = event.as_mut_ptr();
        // SAFETY: a successful parse fills `event`, which is read and then deleted once.
        let (kind, line, flow) = unsafe {
            if unsafe_yaml::yaml_parser_parse(p, e).fail {
                break None;
            }
            let kind = (*e).type_;
            let line = (*e).start_mark.line as usize;
            let flow = match kind {
                unsafe_yaml::YAML_SEQUENCE_START_EVENT => {
                    (*e).data.sequence_start.style == unsafe_yaml::YAML_FLOW_SEQUENCE_STYLE
                }
                unsafe_yaml::YAML_MAPPING_START_EVENT => {
                    (*e).data.mapping_start.style == unsafe_yaml::YAML_FLOW_MAPPING_STYLE
                }
                _ => false,
            };
            unsafe_yaml::yaml_event_delete(e);
            (kind, line, flow)
        };
        match kind {
            unsafe_yaml::YAML_SEQUENCE_START_EVENT | unsafe_yaml::YAML_MAPPING_START_EVENT => {
                open.push(flow);
                max_flow = max_flow.max(open.iter().filter(|f| **f).count());
                if open.len() > limit {
                    break Some(line);
                }
            }
            unsafe_yaml::YAML_SEQUENCE_END_EVENT | unsafe_yaml::YAML_MAPPING_END_EVENT => {
                open.pop();
            }
            unsafe_yaml::YAML_STREAM_END_EVENT => break None,
            _ => {}
        }
    };
    // SAFETY: initialised above, deleted once.
    unsafe { unsafe_yaml::yaml_parser_delete(p) };
    (max_flow, found)
}

/// At least the deepest flow nesting of `doc`, found without parsing it. A pair such as
/// `[]`, `{}` or `[notifier]` (a bracket, then only letters, digits, spaces, commas and
/// `-_./=+@()`, then its closing bracket on the same line) adds at most one level however many
/// there are: with no quote, `#` or `:` between them, both brackets are text or both are syntax.
/// So `kubectl get -o yaml` output, whose flow collections are such pairs, is parsed once.
/// Any other `[` counts twice: an entry of a flow sequence written `key: value` is a mapping
/// of its own, a level below the sequence (`[{}: a]` is three levels deep).
fn flow_depth_bound(bytes: &[u8]) -> usize {
    let mut openers = 0;
    let mut i = 0;
    while i < bytes.len() {
        let close = match bytes[i] {
            b'[' => b']',
            b'{' => b'}',
            _ => {
                i += 1;
                continue;
            }
        };
        let mut j = i + 1;
        while j < bytes.len()
            && (bytes[j].is_ascii_alphanumeric() || b" \t-_./,=+@()".contains(&bytes[j]))
        {
            j += 1;
        }
        if bytes.get(j) == Some(&close) {
            i = j + 1;
        } else {
            openers += if close == b']' { 2 } else { 1 };
            i += 1;
        }
    }
    openers + 1
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
    fn the_bound_is_never_below_the_real_depth() {
        // A flow sequence's `key: value` entry is a mapping a level below it.
        for text in ["[{}a:", "[{}: a]", "[[[a: 1]: 2]: 3]", "[[]: [{}: b]]"] {
            assert!(
                flow_depth_bound(text.as_bytes()) >= deepest(text, usize::MAX).0,
                "{text}"
            );
        }
        // Closing brackets inside quotes do not lower it.
        let hidden = format!("{}\n", "[\"]\", ".repeat(300));
        assert!(flow_depth_bound(hidden.as_bytes()) >= 300);
        assert!(too_deep(&hidden).is_some());
        let kubectl = "status:\n  message: 'containers with unready status: [notifier]'\n  resources: {}\n  args: [a, b]\n".repeat(1000);
        assert_eq!(flow_depth_bound(kubectl.as_bytes()), 1);
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig { cases: 2000, failure_persistence: None, ..Default::default() })]

        /// Text made of YAML's indicators: however the parser nests flow collections in it, up
        /// to an error or the end, the cheap bound is at least as deep.
        #[test]
        fn the_bound_covers_every_flow_nesting(text in "([\\[\\]{}\"', :#!&*|>\n-]|a|b ){0,80}") {
            let (max, _) = deepest(&text, usize::MAX);
            proptest::prop_assert!(flow_depth_bound(text.as_bytes()) >= max, "{text:?}");
        }
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
