//! A drawn screen as SVG: the README's screenshots come from the same drawing code as the
//! terminal, through a ratatui buffer.
//!
//! Every cell sits on a fixed grid (x = column × cell width, y = row × line height), whatever
//! font the viewer has: text runs give each character its own x, and box-drawing and block
//! characters are drawn as shapes so borders join and score bars are solid in any font.

use super::theme::Theme;
use ratatui::buffer::{Buffer, Cell, CellWidth};
use ratatui::style::{Color, Modifier};
use std::fmt::Write;

/// Monospace fonts most viewers have, best first.
pub const FONT_STACK: &str =
    "'DejaVu Sans Mono', 'Cascadia Mono', Menlo, Consolas, 'Liberation Mono', 'Noto Sans Mono', monospace";

/// An sRGB colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    fn hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }
}

/// Geometry and the colours that stand for the terminal's defaults (`Color::Reset`).
#[derive(Clone, Debug, PartialEq)]
pub struct SvgOptions {
    pub font_size: f32,
    pub cell_width: f32,
    pub line_height: f32,
    pub default_fg: Rgb,
    pub default_bg: Rgb,
    /// The image's accessible title.
    pub title: String,
}

impl SvgOptions {
    /// 14 px text on a 0.6 em × 1.25 em grid, the theme's text and background as defaults.
    pub fn for_theme(theme: &Theme, title: impl Into<String>) -> SvgOptions {
        SvgOptions {
            font_size: 14.0,
            cell_width: 8.4,
            line_height: 17.5,
            default_fg: theme
                .text
                .map_or(Rgb(0xd0, 0xd0, 0xd0), |c| rgb(c, Rgb(0, 0, 0))),
            default_bg: theme
                .background
                .map_or(Rgb(0x10, 0x10, 0x10), |c| rgb(c, Rgb(0, 0, 0))),
            title: title.into(),
        }
    }
}

/// A terminal colour as sRGB; `Reset` is the given default. Named and indexed colours use
/// xterm's palette.
pub fn rgb(color: Color, default: Rgb) -> Rgb {
    const ANSI: [Rgb; 16] = [
        Rgb(0x00, 0x00, 0x00),
        Rgb(0xcd, 0x00, 0x00),
        Rgb(0x00, 0xcd, 0x00),
        Rgb(0xcd, 0xcd, 0x00),
        Rgb(0x00, 0x00, 0xee),
        Rgb(0xcd, 0x00, 0xcd),
        Rgb(0x00, 0xcd, 0xcd),
        Rgb(0xe5, 0xe5, 0xe5),
        Rgb(0x7f, 0x7f, 0x7f),
        Rgb(0xff, 0x00, 0x00),
        Rgb(0x00, 0xff, 0x00),
        Rgb(0xff, 0xff, 0x00),
        Rgb(0x5c, 0x5c, 0xff),
        Rgb(0xff, 0x00, 0xff),
        Rgb(0x00, 0xff, 0xff),
        Rgb(0xff, 0xff, 0xff),
    ];
    match color {
        Color::Reset => default,
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        Color::Black => ANSI[0],
        Color::Red => ANSI[1],
        Color::Green => ANSI[2],
        Color::Yellow => ANSI[3],
        Color::Blue => ANSI[4],
        Color::Magenta => ANSI[5],
        Color::Cyan => ANSI[6],
        Color::Gray => ANSI[7],
        Color::DarkGray => ANSI[8],
        Color::LightRed => ANSI[9],
        Color::LightGreen => ANSI[10],
        Color::LightYellow => ANSI[11],
        Color::LightBlue => ANSI[12],
        Color::LightMagenta => ANSI[13],
        Color::LightCyan => ANSI[14],
        Color::White => ANSI[15],
        Color::Indexed(i @ 0..=15) => ANSI[i as usize],
        Color::Indexed(i @ 16..=231) => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            let i = i - 16;
            Rgb(level(i / 36), level(i / 6 % 6), level(i % 6))
        }
        Color::Indexed(i) => {
            let v = 8 + 10 * (i - 232);
            Rgb(v, v, v)
        }
    }
}

/// Escapes text for XML content and double-quoted attributes. Characters XML cannot carry
/// (controls) become U+FFFD.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{fffe}' || c == '\u{ffff}' => {
                out.push('\u{fffd}')
            }
            c => out.push(c),
        }
    }
    out
}

/// A number for an attribute: at most two decimals, no trailing zeros.
fn num(v: f32) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" {
        "0".into()
    } else {
        s.to_string()
    }
}

/// How one cell's text looks, after defaults and `REVERSED` are resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Look {
    fg: Rgb,
    bg: Rgb,
    bold: bool,
    italic: bool,
    dim: bool,
    hidden: bool,
    underline: Option<Rgb>,
    crossed: bool,
}

fn look(cell: &Cell, opts: &SvgOptions) -> Look {
    let m = cell.modifier;
    let mut fg = rgb(cell.fg, opts.default_fg);
    let mut bg = rgb(cell.bg, opts.default_bg);
    if m.contains(Modifier::REVERSED) {
        std::mem::swap(&mut fg, &mut bg);
    }
    Look {
        fg,
        bg,
        bold: m.contains(Modifier::BOLD),
        italic: m.contains(Modifier::ITALIC),
        dim: m.contains(Modifier::DIM),
        hidden: m.contains(Modifier::HIDDEN),
        underline: m
            .contains(Modifier::UNDERLINED)
            .then(|| match cell.underline_color {
                Color::Reset => fg,
                c => rgb(c, fg),
            }),
        crossed: m.contains(Modifier::CROSSED_OUT),
    }
}

/// A filled axis-aligned rectangle; adjacent equal ones on a row merge into one.
#[derive(Clone, Debug, PartialEq)]
struct Fill {
    x: f32,
    y: f32,
    w: f32,
    h: f32,
    color: Rgb,
    opacity: f32,
}

fn push_fill(fills: &mut Vec<Fill>, f: Fill) {
    if let Some(last) = fills.last_mut() {
        if last.y == f.y
            && last.h == f.h
            && last.color == f.color
            && last.opacity == f.opacity
            && (last.x + last.w - f.x).abs() < 0.01
        {
            last.w += f.w;
            return;
        }
    }
    fills.push(f);
}

fn write_fill(out: &mut String, f: &Fill) {
    let _ = write!(
        out,
        r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{}""#,
        num(f.x),
        num(f.y),
        num(f.w),
        num(f.h),
        f.color.hex()
    );
    if f.opacity < 1.0 {
        let _ = write!(out, r#" fill-opacity="{}""#, num(f.opacity));
    }
    out.push_str("/>\n");
}

/// Line weights of a box-drawing character's four arms (up, right, down, left): 0 none,
/// 1 light, 2 heavy, 3 double; `rounded` for the arc corners.
struct BoxArms {
    up: u8,
    right: u8,
    down: u8,
    left: u8,
    rounded: bool,
}

fn box_arms(c: char) -> Option<BoxArms> {
    let arms = |up, right, down, left| {
        Some(BoxArms {
            up,
            right,
            down,
            left,
            rounded: false,
        })
    };
    let arc = |up, right, down, left| {
        Some(BoxArms {
            up,
            right,
            down,
            left,
            rounded: true,
        })
    };
    match c {
        '─' => arms(0, 1, 0, 1),
        '━' => arms(0, 2, 0, 2),
        '│' => arms(1, 0, 1, 0),
        '┃' => arms(2, 0, 2, 0),
        '┌' => arms(0, 1, 1, 0),
        '┐' => arms(0, 0, 1, 1),
        '└' => arms(1, 1, 0, 0),
        '┘' => arms(1, 0, 0, 1),
        '┏' => arms(0, 2, 2, 0),
        '┓' => arms(0, 0, 2, 2),
        '┗' => arms(2, 2, 0, 0),
        '┛' => arms(2, 0, 0, 2),
        '├' => arms(1, 1, 1, 0),
        '┤' => arms(1, 0, 1, 1),
        '┬' => arms(0, 1, 1, 1),
        '┴' => arms(1, 1, 0, 1),
        '┼' => arms(1, 1, 1, 1),
        '┣' => arms(2, 2, 2, 0),
        '┫' => arms(2, 0, 2, 2),
        '┳' => arms(0, 2, 2, 2),
        '┻' => arms(2, 2, 0, 2),
        '╋' => arms(2, 2, 2, 2),
        '═' => arms(0, 3, 0, 3),
        '║' => arms(3, 0, 3, 0),
        '╔' => arms(0, 3, 3, 0),
        '╗' => arms(0, 0, 3, 3),
        '╚' => arms(3, 3, 0, 0),
        '╝' => arms(3, 0, 0, 3),
        '╭' => arc(0, 1, 1, 0),
        '╮' => arc(0, 0, 1, 1),
        '╰' => arc(1, 1, 0, 0),
        '╯' => arc(1, 0, 0, 1),
        _ => None,
    }
}

/// Block elements as (x, y, width, height) fractions of the cell and an opacity.
fn block_shape(c: char) -> Option<(f32, f32, f32, f32, f32)> {
    let eighth = |n: u8| f32::from(n) / 8.0;
    Some(match c {
        '█' => (0.0, 0.0, 1.0, 1.0, 1.0),
        '▀' => (0.0, 0.0, 1.0, 0.5, 1.0),
        '▐' => (0.5, 0.0, 0.5, 1.0, 1.0),
        '▔' => (0.0, 0.0, 1.0, eighth(1), 1.0),
        '▕' => (eighth(7), 0.0, eighth(1), 1.0, 1.0),
        '░' => (0.0, 0.0, 1.0, 1.0, 0.25),
        '▒' => (0.0, 0.0, 1.0, 1.0, 0.5),
        '▓' => (0.0, 0.0, 1.0, 1.0, 0.75),
        // ▁▂▃▄▅▆▇: lower eighths.
        '\u{2581}'..='\u{2587}' => {
            let h = eighth(c as u8 - 0x80);
            (0.0, 1.0 - h, 1.0, h, 1.0)
        }
        // ▉▊▋▌▍▎▏: left eighths, seven down to one.
        '\u{2589}'..='\u{258f}' => (0.0, 0.0, eighth(0x8f - c as u8 + 1), 1.0, 1.0),
        _ => return None,
    })
}

/// Where the shapes of one cell go.
struct Canvas<'a> {
    opts: &'a SvgOptions,
    fills: Vec<Fill>,
    arcs: String,
}

impl Canvas<'_> {
    fn stroke(&self, weight: u8) -> f32 {
        let light = (self.opts.font_size / 14.0).max(1.0);
        if weight >= 2 {
            light * 2.5
        } else {
            light
        }
    }

    /// Draws a box-drawing character as rectangles (straight arms) and a path (arcs).
    fn draw_box(&mut self, col: u16, row: u16, arms: &BoxArms, color: Rgb, opacity: f32) {
        let (cw, lh) = (self.opts.cell_width, self.opts.line_height);
        let x0 = f32::from(col) * cw;
        let y0 = f32::from(row) * lh;
        let (cx, cy) = (x0 + cw / 2.0, y0 + lh / 2.0);
        let fill = |x, y, w, h| Fill {
            x,
            y,
            w,
            h,
            color,
            opacity,
        };
        let stroke_opacity = if opacity < 1.0 {
            format!(r#" stroke-opacity="{}""#, num(opacity))
        } else {
            String::new()
        };
        if arms.up == 3 || arms.right == 3 || arms.down == 3 || arms.left == 3 {
            // Two light lines, `gap` either side of the centre line.
            let w = self.stroke(1);
            let gap = w * 1.5;
            if arms.left == 3 && arms.right == 3 {
                for dy in [-gap, gap] {
                    push_fill(&mut self.fills, fill(x0, cy + dy - w / 2.0, cw, w));
                }
            } else if arms.up == 3 && arms.down == 3 {
                for dx in [-gap, gap] {
                    push_fill(&mut self.fills, fill(cx + dx - w / 2.0, y0, w, lh));
                }
            } else {
                // A corner: an outer and an inner L from the horizontal arm's cell edge to
                // the vertical arm's.
                let sx = if arms.right == 3 { 1.0 } else { -1.0 };
                let sy = if arms.down == 3 { 1.0 } else { -1.0 };
                let hx = if arms.right == 3 { x0 + cw } else { x0 };
                let vy = if arms.down == 3 { y0 + lh } else { y0 };
                for side in [-1.0, 1.0] {
                    let _ = writeln!(
                        self.arcs,
                        r#"<path d="M{} {}H{}V{}" stroke="{}" stroke-width="{}"{stroke_opacity}/>"#,
                        num(hx),
                        num(cy + side * sy * gap),
                        num(cx + side * sx * gap),
                        num(vy),
                        color.hex(),
                        num(w),
                    );
                }
            }
            return;
        }
        if arms.rounded {
            let w = self.stroke(1);
            let r = cw / 2.0;
            // From the horizontal arm's cell edge, round the corner, to the vertical arm's.
            let (hx, vy) = (
                if arms.right > 0 { x0 + cw } else { x0 },
                if arms.down > 0 { y0 + lh } else { y0 },
            );
            let sx = if arms.right > 0 { r } else { -r };
            let sy = if arms.down > 0 { r } else { -r };
            let sweep = u8::from((arms.right > 0) != (arms.down > 0));
            let _ = writeln!(
                self.arcs,
                r#"<path d="M{} {}H{}A{} {} 0 0 {} {} {}V{}" stroke="{}" stroke-width="{}"{stroke_opacity}/>"#,
                num(hx),
                num(cy),
                num(cx + sx),
                num(r),
                num(r),
                sweep,
                num(cx),
                num(cy + sy),
                num(vy),
                color.hex(),
                num(w),
            );
            return;
        }
        // Each arm reaches the centre and half a stroke past it, so joins are square.
        let half = |weight| self.stroke(weight) / 2.0;
        let widest = |a: u8, b: u8| half(a.max(b));
        let mut pieces = Vec::new();
        if arms.left > 0 {
            let t = half(arms.left);
            let reach = cx + widest(arms.up, arms.down).max(t);
            pieces.push(fill(x0, cy - t, reach - x0, 2.0 * t));
        }
        if arms.right > 0 {
            let t = half(arms.right);
            let from = if arms.left == arms.right {
                // One straight line: merge with the left arm.
                cx + widest(arms.up, arms.down).max(t)
            } else {
                cx - widest(arms.up, arms.down).max(t)
            };
            pieces.push(fill(from, cy - t, x0 + cw - from, 2.0 * t));
        }
        if arms.up > 0 {
            let t = half(arms.up);
            let reach = cy + widest(arms.left, arms.right).max(t);
            pieces.push(fill(cx - t, y0, 2.0 * t, reach - y0));
        }
        if arms.down > 0 {
            let t = half(arms.down);
            let from = cy - widest(arms.left, arms.right).max(t);
            pieces.push(fill(cx - t, from, 2.0 * t, y0 + lh - from));
        }
        for p in pieces {
            push_fill(&mut self.fills, p);
        }
    }
}

/// One `<text>` element: cells of one look, each character at its own column.
struct Run {
    look: Look,
    row: u16,
    /// (column, symbol) of each cell that draws text.
    cells: Vec<(u16, String)>,
}

impl Run {
    /// Writes the run as `<text>` elements. Leading and trailing spaces draw nothing and are
    /// dropped; two or more spaces in a row split it, since a viewer that collapses white
    /// space would shift every later character onto the wrong x.
    fn write(&self, out: &mut String, opts: &SvgOptions) {
        let mut from = 0;
        while from < self.cells.len() {
            let Some(start) = self.cells[from..].iter().position(|(_, s)| s != " ") else {
                return;
            };
            let start = from + start;
            let mut end = start;
            let mut i = start;
            while i < self.cells.len() {
                if self.cells[i].1 != " " {
                    end = i;
                } else if i > end + 1 {
                    break;
                }
                i += 1;
            }
            self.write_segment(&self.cells[start..=end], out, opts);
            from = end + 1;
        }
    }

    fn write_segment(&self, cells: &[(u16, String)], out: &mut String, opts: &SvgOptions) {
        let xs: Vec<String> = cells
            .iter()
            .map(|(col, _)| num(f32::from(*col) * opts.cell_width))
            .collect();
        let baseline = f32::from(self.row) * opts.line_height
            + (opts.line_height - opts.font_size) / 2.0
            + opts.font_size * 0.8;
        let _ = write!(
            out,
            r#"<text x="{}" y="{}" fill="{}""#,
            xs.join(" "),
            num(baseline),
            self.look.fg.hex()
        );
        if self.look.bold {
            out.push_str(r#" font-weight="bold""#);
        }
        if self.look.italic {
            out.push_str(r#" font-style="italic""#);
        }
        if self.look.dim {
            out.push_str(r#" fill-opacity="0.6""#);
        }
        out.push('>');
        for (_, s) in cells {
            out.push_str(&escape(s));
        }
        out.push_str("</text>\n");
    }
}

/// The whole buffer as a standalone SVG document.
pub fn buffer_to_svg(buf: &Buffer, opts: &SvgOptions) -> String {
    let (cw, lh) = (opts.cell_width, opts.line_height);
    let width = f32::from(buf.area.width) * cw;
    let height = f32::from(buf.area.height) * lh;
    let mut backgrounds = Vec::new();
    let mut decorations = Vec::new();
    let mut canvas = Canvas {
        opts,
        fills: Vec::new(),
        arcs: String::new(),
    };
    let mut text = String::new();

    for row in 0..buf.area.height {
        let y = f32::from(row) * lh;
        let mut run: Option<Run> = None;
        let mut col = 0;
        while col < buf.area.width {
            let cell = &buf[(buf.area.x + col, buf.area.y + row)];
            let look = look(cell, opts);
            let symbol = cell.symbol();
            // A wide character covers the next cells, which hold nothing of their own.
            let cells_wide = cell.cell_width().max(1).min(buf.area.width - col);
            let x = f32::from(col) * cw;
            let w = f32::from(cells_wide) * cw;
            if look.bg != opts.default_bg {
                push_fill(
                    &mut backgrounds,
                    Fill {
                        x,
                        y,
                        w,
                        h: lh,
                        color: look.bg,
                        opacity: 1.0,
                    },
                );
            }
            let opacity = if look.dim { 0.6 } else { 1.0 };
            let mut chars = symbol.chars();
            let single = match (chars.next(), chars.next()) {
                (Some(c), None) => Some(c),
                _ => None,
            };
            let shape = single.filter(|_| !look.hidden).and_then(|c| {
                if let Some(arms) = box_arms(c) {
                    canvas.draw_box(col, row, &arms, look.fg, opacity);
                    Some(())
                } else if let Some((fx, fy, fw, fh, alpha)) = block_shape(c) {
                    push_fill(
                        &mut canvas.fills,
                        Fill {
                            x: x + fx * cw,
                            y: y + fy * lh,
                            w: fw * cw,
                            h: fh * lh,
                            color: look.fg,
                            opacity: alpha * opacity,
                        },
                    );
                    Some(())
                } else {
                    None
                }
            });
            let draws_text = shape.is_none() && !look.hidden && !symbol.trim().is_empty();
            if let Some(u) = look.underline.filter(|_| !symbol.is_empty()) {
                push_fill(
                    &mut decorations,
                    Fill {
                        x,
                        y: y + (lh + opts.font_size) / 2.0,
                        w,
                        h: (opts.font_size / 14.0).max(1.0),
                        color: u,
                        opacity,
                    },
                );
            }
            if look.crossed && draws_text {
                push_fill(
                    &mut decorations,
                    Fill {
                        x,
                        y: y + lh / 2.0,
                        w,
                        h: (opts.font_size / 14.0).max(1.0),
                        color: look.fg,
                        opacity,
                    },
                );
            }
            // Same-look cells share a run; a cluster of several code points gets its own
            // element, since SVG would give each code point its own x.
            let text_look = Look {
                bg: opts.default_bg,
                underline: None,
                crossed: false,
                ..look
            };
            let joins = draws_text && single.is_some();
            match &mut run {
                Some(r) if joins && r.look == text_look => r.cells.push((col, symbol.into())),
                Some(r) if !draws_text && symbol == " " && !r.cells.is_empty() => {
                    // A plain space continues any run: it draws nothing.
                    r.cells.push((col, " ".into()));
                }
                _ => {
                    if let Some(r) = run.take() {
                        r.write(&mut text, opts);
                    }
                    if draws_text {
                        let r = Run {
                            look: text_look,
                            row,
                            cells: vec![(col, symbol.into())],
                        };
                        if joins {
                            run = Some(r);
                        } else {
                            r.write(&mut text, opts);
                        }
                    }
                }
            }
            col += cells_wide;
        }
        if let Some(r) = run.take() {
            r.write(&mut text, opts);
        }
    }

    let mut out = String::with_capacity(text.len() * 2);
    let _ = writeln!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}" font-family="{font}" font-size="{size}" xml:space="preserve">"#,
        w = num(width),
        h = num(height),
        font = FONT_STACK,
        size = num(opts.font_size)
    );
    let _ = writeln!(out, "<title>{}</title>", escape(&opts.title));
    out.push_str("<style>text { white-space: pre }</style>\n");
    let _ = writeln!(
        out,
        r#"<rect width="{}" height="{}" fill="{}"/>"#,
        num(width),
        num(height),
        opts.default_bg.hex()
    );
    out.push_str("<g shape-rendering=\"crispEdges\">\n");
    for f in backgrounds.iter().chain(&canvas.fills).chain(&decorations) {
        write_fill(&mut out, f);
    }
    out.push_str("</g>\n<g fill=\"none\">\n");
    out.push_str(&canvas.arcs);
    out.push_str("</g>\n<g>\n");
    out.push_str(&text);
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn opts() -> SvgOptions {
        SvgOptions {
            font_size: 14.0,
            cell_width: 10.0,
            line_height: 20.0,
            default_fg: Rgb(0xee, 0xee, 0xee),
            default_bg: Rgb(0x11, 0x11, 0x11),
            title: "test <screen>".into(),
        }
    }

    /// The SVG of a `width`×`height` buffer that `fill` writes into.
    fn svg_of(width: u16, height: u16, fill: impl FnOnce(&mut Buffer)) -> String {
        let mut buf = Buffer::empty(Rect::new(0, 0, width, height));
        fill(&mut buf);
        buffer_to_svg(&buf, &opts())
    }

    fn texts(svg: &str) -> Vec<&str> {
        svg.lines().filter(|l| l.starts_with("<text")).collect()
    }

    #[test]
    fn escapes_markup_and_controls() {
        assert_eq!(
            escape(r#"<a href="x">Tom & 'Jerry'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; &apos;Jerry&apos;&lt;/a&gt;"
        );
        assert_eq!(escape("a\u{1}b\u{7f}"), "a\u{fffd}b\u{fffd}");
        assert_eq!(escape("✖ ünïcode"), "✖ ünïcode");
    }

    #[test]
    fn cell_text_is_escaped_in_the_document() {
        let svg = svg_of(12, 1, |buf| {
            buf.set_string(0, 0, "a<b & \"c\"", Style::new());
        });
        let t = texts(&svg);
        assert_eq!(t.len(), 1, "{svg}");
        assert!(
            t[0].ends_with(">a&lt;b &amp; &quot;c&quot;</text>"),
            "{}",
            t[0]
        );
        assert!(svg.contains("<title>test &lt;screen&gt;</title>"));
        assert!(!svg.contains("a<b"));
    }

    #[test]
    fn maps_colours() {
        let d = Rgb(1, 2, 3);
        assert_eq!(rgb(Color::Reset, d), d);
        assert_eq!(rgb(Color::Rgb(0x12, 0xab, 0xff), d), Rgb(0x12, 0xab, 0xff));
        assert_eq!(rgb(Color::Red, d), Rgb(0xcd, 0, 0));
        assert_eq!(rgb(Color::Indexed(1), d), rgb(Color::Red, d));
        assert_eq!(rgb(Color::White, d), Rgb(255, 255, 255));
        // The 6×6×6 cube and the grey ramp.
        assert_eq!(rgb(Color::Indexed(16), d), Rgb(0, 0, 0));
        assert_eq!(rgb(Color::Indexed(196), d), Rgb(255, 0, 0));
        assert_eq!(rgb(Color::Indexed(231), d), Rgb(255, 255, 255));
        assert_eq!(rgb(Color::Indexed(232), d), Rgb(8, 8, 8));
        assert_eq!(rgb(Color::Indexed(255), d), Rgb(238, 238, 238));
        assert_eq!(Rgb(0x0a, 0xbc, 0xff).hex(), "#0abcff");
    }

    #[test]
    fn default_colours_come_from_the_options_and_reversed_swaps() {
        let svg = svg_of(4, 1, |buf| {
            buf.set_string(0, 0, "ab", Style::new());
            buf.set_string(
                2,
                0,
                "cd",
                Style::new()
                    .fg(Color::Rgb(0, 0, 0xff))
                    .add_modifier(Modifier::REVERSED),
            );
        });
        let t = texts(&svg);
        assert!(t[0].contains(r##"fill="#eeeeee">ab<"##), "{svg}");
        // Reversed: the text takes the default background, the cell the blue.
        assert!(t[1].contains(r##"fill="#111111">cd<"##), "{svg}");
        assert!(
            svg.contains(r##"<rect x="20" y="0" width="20" height="20" fill="#0000ff"/>"##),
            "{svg}"
        );
        // The background is one rectangle of the default colour; default cells add none.
        assert_eq!(svg.matches(r##"fill="#111111"/>"##).count(), 1, "{svg}");
    }

    #[test]
    fn merges_runs_of_one_style_and_splits_on_change() {
        let svg = svg_of(20, 1, |buf| {
            let red = Style::new().fg(Color::Rgb(255, 0, 0));
            buf.set_string(0, 0, "one two", red);
            buf.set_string(8, 0, "BOLD", red.add_modifier(Modifier::BOLD));
            buf.set_string(13, 0, "it", red.add_modifier(Modifier::ITALIC));
        });
        let t = texts(&svg);
        assert_eq!(t.len(), 3, "{svg}");
        // One run, every character at its own column, the inner space kept.
        assert!(
            t[0].starts_with(r##"<text x="0 10 20 30 40 50 60" y="14.2" fill="#ff0000">one two<"##),
            "{}",
            t[0]
        );
        assert!(t[1].contains(r#"x="80 90 100 110""#) && t[1].contains(r#"font-weight="bold""#));
        assert!(t[2].contains(r#"font-style="italic""#) && !t[2].contains("bold"));
        // A background change alone does not split text.
        let svg = svg_of(6, 1, |buf| {
            buf.set_string(0, 0, "abc", Style::new());
            buf.set_string(3, 0, "def", Style::new().bg(Color::Rgb(0, 0x80, 0)));
        });
        assert_eq!(texts(&svg).len(), 1, "{svg}");
        assert!(svg.contains(r##"<rect x="30" y="0" width="30" height="20" fill="#008000"/>"##));
    }

    #[test]
    fn two_spaces_split_a_run_and_edges_are_trimmed() {
        let svg = svg_of(16, 1, |buf| {
            buf.set_string(0, 0, " ab c   de  f ", Style::new());
        });
        let t = texts(&svg);
        assert_eq!(t.len(), 3, "{svg}");
        assert!(t[0].starts_with(r#"<text x="10 20 30 40""#) && t[0].ends_with(">ab c</text>"));
        assert!(t[1].starts_with(r#"<text x="80 90""#) && t[1].ends_with(">de</text>"));
        assert!(t[2].starts_with(r#"<text x="120""#) && t[2].ends_with(">f</text>"));
    }

    #[test]
    fn underline_and_strike_are_drawn_as_lines() {
        let svg = svg_of(4, 1, |buf| {
            buf.set_string(
                0,
                0,
                "ab",
                Style::new()
                    .fg(Color::Rgb(0, 0, 0xff))
                    .add_modifier(Modifier::UNDERLINED),
            );
            buf.set_string(2, 0, "cd", Style::new().add_modifier(Modifier::CROSSED_OUT));
        });
        assert!(
            svg.contains(r##"<rect x="0" y="17" width="20" height="1" fill="#0000ff"/>"##),
            "{svg}"
        );
        assert!(
            svg.contains(r##"<rect x="20" y="10" width="20" height="1" fill="#eeeeee"/>"##),
            "{svg}"
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        let svg = svg_of(6, 1, |buf| {
            buf.set_string(0, 0, "a漢b", Style::new());
        });
        let t = texts(&svg);
        assert_eq!(t.len(), 1, "{svg}");
        // 漢 covers columns 1 and 2; b is at column 3.
        assert!(t[0].starts_with(r#"<text x="0 10 30""#), "{}", t[0]);
        assert!(t[0].ends_with(">a漢b</text>"), "{}", t[0]);
    }

    #[test]
    fn clusters_of_several_code_points_get_their_own_element() {
        let svg = svg_of(4, 1, |buf| {
            buf.set_string(0, 0, "ae\u{301}z", Style::new());
        });
        let t = texts(&svg);
        assert_eq!(t.len(), 3, "{svg}");
        assert!(t[1].starts_with(r#"<text x="10""#) && t[1].ends_with(">e\u{301}</text>"));
        assert!(t[2].starts_with(r#"<text x="20""#));
    }

    #[test]
    fn box_drawing_and_blocks_are_shapes_not_text() {
        let svg = svg_of(4, 3, |buf| {
            buf.set_string(0, 0, "╭──╮", Style::new());
            buf.set_string(0, 1, "│█░│", Style::new());
            buf.set_string(0, 2, "┗━━┛", Style::new());
        });
        assert!(texts(&svg).is_empty(), "{svg}");
        // Two rounded corners, each one arc path.
        assert_eq!(svg.matches("<path ").count(), 2, "{svg}");
        // The two ─ between them merge into one light line across both cells.
        assert!(
            svg.contains(r##"<rect x="10" y="9.5" width="20" height="1" fill="#eeeeee"/>"##),
            "{svg}"
        );
        // █ fills its cell, ░ is a quarter-opacity fill.
        assert!(svg.contains(r##"<rect x="10" y="20" width="10" height="20" fill="#eeeeee"/>"##));
        assert!(svg.contains(
            r##"<rect x="20" y="20" width="10" height="20" fill="#eeeeee" fill-opacity="0.25"/>"##
        ));
        // The heavy bottom edge is 2.5 px thick and reaches the corners' centres.
        assert!(svg.contains(r#"height="2.5""#), "{svg}");
    }

    #[test]
    fn double_lines_are_two_lines() {
        let svg = svg_of(3, 2, |buf| {
            buf.set_string(0, 0, "╔═╗", Style::new());
            buf.set_string(0, 1, "║ ║", Style::new());
        });
        assert!(texts(&svg).is_empty(), "{svg}");
        // ═ at y 10 ± 1.5; ║ at x 5 ± 1.5 (and 25 ± 1.5).
        assert!(
            svg.contains(r##"<rect x="10" y="8" width="10" height="1" fill="#eeeeee"/>"##),
            "{svg}"
        );
        assert!(svg.contains(r##"<rect x="10" y="11" width="10" height="1" fill="#eeeeee"/>"##));
        assert!(svg.contains(r##"<rect x="3" y="20" width="1" height="20" fill="#eeeeee"/>"##));
        assert!(svg.contains(r##"<rect x="6" y="20" width="1" height="20" fill="#eeeeee"/>"##));
        // ╔: the outer L from the right edge on the upper line down the left one.
        assert!(svg.contains(r#"<path d="M10 8.5H3.5V20""#), "{svg}");
        assert!(svg.contains(r#"<path d="M10 11.5H6.5V20""#), "{svg}");
        assert_eq!(svg.matches("<path ").count(), 4);
    }

    #[test]
    fn the_document_is_well_formed() {
        let svg = svg_of(3, 2, |buf| {
            buf.set_string(0, 0, "x", Style::new());
        });
        assert!(
            svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"30\" height=\"40\"")
        );
        // Runs keep their inner spaces (SVG 1.1 and CSS viewers both).
        assert!(svg.contains(r#"xml:space="preserve""#));
        assert!(svg.contains("<style>text { white-space: pre }</style>"));
        assert!(svg.contains(FONT_STACK));
        assert!(svg.trim_end().ends_with("</svg>"));
        assert_eq!(svg.matches("<g").count(), svg.matches("</g>").count());
        assert_eq!(svg.matches("<text").count(), svg.matches("</text>").count());
    }
}
