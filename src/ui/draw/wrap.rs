//! Word wrapping that keeps a line's indent on its continuation lines, so a long message
//! under an indented finding stays visibly part of it.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

/// Wraps every line to `width` columns; continuation lines repeat the line's leading spaces.
pub fn wrap_hanging(lines: Vec<Line<'static>>, width: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        if width == 0 || line.width() <= width {
            out.push(line);
            continue;
        }
        wrap_line(line, width, &mut out);
    }
    out
}

fn wrap_line(line: Line<'static>, width: usize, out: &mut Vec<Line<'static>>) {
    let line_style = line.style;
    let cells: Vec<(char, Style)> = line
        .spans
        .iter()
        .flat_map(|s| s.content.chars().map(move |c| (c, s.style)))
        .collect();
    let indent = cells.iter().take_while(|(c, _)| *c == ' ').count();
    // A hanging indent that leaves too little room is dropped rather than looping.
    let indent = if indent * 2 > width { 0 } else { indent };
    let mut start = 0;
    let mut first = true;
    while start < cells.len() {
        let room = if first { width } else { width - indent };
        let end = (start + room).min(cells.len());
        let cut = if end == cells.len() {
            end
        } else {
            // Break after the last space that fits (not one of the indent's); a single long
            // word is cut hard.
            let from = start.max(indent);
            match cells[from..end].iter().rposition(|(c, _)| *c == ' ') {
                Some(p) if from + p > start => from + p + 1,
                _ => end,
            }
        };
        let mut piece: Vec<(char, Style)> = Vec::new();
        if !first {
            piece.extend(std::iter::repeat_n((' ', Style::default()), indent));
        }
        let mut body = &cells[start..cut];
        if !first {
            // Continuation lines start at the indent, not with the space that broke them.
            while let Some(((' ', _), rest)) = body.split_first() {
                body = rest;
            }
        }
        piece.extend_from_slice(body);
        out.push(Line::from(spans_of(&piece)).style(line_style));
        start = cut;
        first = false;
    }
}

/// Groups runs of equally styled characters back into spans.
fn spans_of(cells: &[(char, Style)]) -> Vec<Span<'static>> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let mut text = String::new();
    let mut style = None;
    for (c, s) in cells {
        if style.is_some_and(|st| st != *s) {
            spans.push(Span::styled(std::mem::take(&mut text), style.unwrap()));
        }
        style = Some(*s);
        text.push(*c);
    }
    if let Some(s) = style {
        spans.push(Span::styled(text, s));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::style::Color;

    fn texts(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn continuation_lines_keep_the_indent() {
        let lines = vec![Line::raw(
            "   the rollout made no progress within the deadline",
        )];
        let wrapped = wrap_hanging(lines, 24);
        assert_eq!(
            texts(&wrapped),
            vec![
                "   the rollout made no ",
                "   progress within the ",
                "   deadline"
            ]
        );
        assert!(wrapped.iter().all(|l| l.width() <= 24));
    }

    #[test]
    fn styles_survive_and_short_lines_are_untouched() {
        let red = Style::new().fg(Color::Red);
        let lines = vec![
            Line::from(vec![
                Span::styled("  ✖ ", red),
                Span::raw("alpha beta gamma"),
            ]),
            Line::raw("short"),
        ];
        let wrapped = wrap_hanging(lines, 12);
        assert_eq!(texts(&wrapped), vec!["  ✖ alpha ", "  beta gamma", "short"]);
        assert_eq!(wrapped[0].spans[0].style, red);
        assert_eq!(wrapped[0].spans[0].content, "  ✖ ");
    }

    #[test]
    fn a_word_longer_than_the_line_is_cut() {
        let wrapped = wrap_hanging(vec![Line::raw("  abcdefghijkl")], 8);
        assert_eq!(texts(&wrapped), vec!["  abcdef", "  ghijkl"]);
    }
}
