//! Untrusted text made safe to show a person.
//!
//! Everything that comes from a cluster or a file (names, images, messages, events, logs, API
//! error bodies, file names) may hold terminal control sequences (`ESC ] 0 ; … BEL` retitles a
//! terminal, `ESC [ 2 J` clears it), C1 controls that some terminals obey, or bidi overrides that
//! make text read differently from what it is. Every writer meant for people — the check table,
//! error messages on stderr, Markdown, the dashboard — passes such text through [`safe`] (or
//! [`safe_lines`] where our own line breaks must survive). Nothing is dropped silently: each
//! dangerous character becomes a visible escape, so a hostile name still reads as hostile.

use std::borrow::Cow;

/// "1 workload", "3 workloads".
pub fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// How one character is shown, when it is not shown as itself.
fn escape(c: char) -> Option<Cow<'static, str>> {
    match c {
        '\u{1b}' => Some(Cow::Borrowed("\\e")),
        // Layout whitespace is harmless; on one line it reads best as a space.
        '\t' | '\n' => Some(Cow::Borrowed(" ")),
        '\r' => Some(Cow::Borrowed("\\r")),
        // C0 controls and DEL.
        '\u{0}'..='\u{1f}' | '\u{7f}' => Some(Cow::Owned(format!("\\x{:02x}", c as u32))),
        // C1 controls: some terminals act on them (U+009B is a one-byte CSI).
        '\u{80}'..='\u{9f}' => Some(Cow::Owned(format!("\\u{{{:x}}}", c as u32))),
        c if is_invisible_format(c) => Some(Cow::Owned(format!("\\u{{{:x}}}", c as u32))),
        _ => None,
    }
}

/// Bidi controls and line separators: they reorder or break what follows them on screen while
/// staying invisible themselves (the "Trojan Source" characters), plus the interlinear
/// annotation marks.
pub fn is_invisible_format(c: char) -> bool {
    matches!(
        c,
        '\u{061c}'
            | '\u{200e}'
            | '\u{200f}'
            | '\u{2028}'
            | '\u{2029}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{fff9}'..='\u{fffb}'
    )
}

/// True when `c` must not reach a terminal or a human-facing document as itself.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Text from a cluster or a file, made safe to print on one line: control characters, C1
/// controls and bidi overrides become visible escapes (`\e`, `\x07`, `\u{9b}`, `\u{202e}`),
/// line breaks and tabs a space, a carriage return `\r` (it would overwrite the line). Borrowed when nothing needed escaping.
pub fn safe(s: &str) -> Cow<'_, str> {
    escape_with(s, |_| false)
}

/// As [`safe`], but line breaks stay line breaks: for messages whose own lines matter (an error
/// with a hint on the next line). A carriage return is still escaped, so no line can overwrite
/// the one before it.
pub fn safe_lines(s: &str) -> Cow<'_, str> {
    escape_with(s, |c| c == '\n')
}

fn escape_with(s: &str, keep: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !s.chars().any(|c| is_unsafe(c) && !keep(c)) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match escape(c) {
            Some(e) if !keep(c) => out.push_str(&e),
            _ => out.push(c),
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_sequences_become_visible_escapes() {
        assert_eq!(
            safe("nginx\u{1b}]0;pwned\u{7}:1.25"),
            "nginx\\e]0;pwned\\x07:1.25"
        );
        assert_eq!(safe("a\u{1b}[2Jb"), "a\\e[2Jb");
        assert_eq!(safe("csi\u{9b}31m"), "csi\\u{9b}31m");
        assert_eq!(safe("del\u{7f}"), "del\\x7f");
        assert_eq!(safe("nul\u{0}"), "nul\\x00");
    }

    #[test]
    fn bidi_overrides_and_isolates_are_shown_not_obeyed() {
        assert_eq!(safe("api\u{202e}gnp.exe"), "api\\u{202e}gnp.exe");
        assert_eq!(safe("x\u{2066}y\u{2069}"), "x\\u{2066}y\\u{2069}");
        assert_eq!(safe("l\u{2028}s"), "l\\u{2028}s");
        for c in ('\u{202a}'..='\u{202e}').chain('\u{2066}'..='\u{2069}') {
            assert!(!safe(&c.to_string()).contains(c), "{:x}", c as u32);
        }
    }

    #[test]
    fn line_breaks_stay_on_one_line_unless_asked() {
        assert_eq!(safe("a\nb\tc\rd"), "a b c\\rd");
        assert_eq!(safe_lines("a\nb\rc\u{1b}"), "a\nb\\rc\\e");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        for s in ["payments-api", "ünïcødé ✔ 名前", "emoji 👩‍💻 zwj", ""] {
            assert!(matches!(safe(s), Cow::Borrowed(_)), "{s}");
            assert_eq!(safe(s), s);
        }
    }

    #[test]
    fn no_output_of_any_char_holds_an_unsafe_char() {
        for u in 0..0x3000u32 {
            if let Some(c) = char::from_u32(u) {
                let s = format!("a{c}b");
                assert!(!safe(&s).chars().any(is_unsafe), "U+{u:04X}");
                assert!(
                    !safe_lines(&s).chars().any(|c| is_unsafe(c) && c != '\n'),
                    "U+{u:04X}"
                );
            }
        }
    }
}
