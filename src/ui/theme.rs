//! Themes: flat TOML files of semantic colour slots (`themes/*.toml`). The three shipped themes
//! are compiled in; `--theme PATH` reads any other file.

use crate::checks::Severity;
use crate::score::{Grade, Health};
use ratatui::style::Color;
use serde::Deserialize;
use std::path::Path;

pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../../themes/dark.toml")),
    ("light", include_str!("../../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../../themes/high-contrast.toml"),
    ),
];

/// Semantic colours; `None` everywhere when colour is off (`NO_COLOR`).
#[derive(Clone, Debug, PartialEq)]
pub struct Theme {
    pub name: String,
    pub background: Option<Color>,
    pub text: Option<Color>,
    pub muted: Option<Color>,
    pub accent: Option<Color>,
    pub border: Option<Color>,
    pub border_focused: Option<Color>,
    pub selection_bg: Option<Color>,
    pub selection_fg: Option<Color>,
    pub grades: [Option<Color>; 5],
    pub critical: Option<Color>,
    pub warning: Option<Color>,
    pub info: Option<Color>,
    pub healthy: Option<Color>,
    pub degraded: Option<Color>,
    pub failing: Option<Color>,
    pub unknown: Option<Color>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTheme {
    name: String,
    colors: RawColors,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawColors {
    background: toml::Spanned<String>,
    text: toml::Spanned<String>,
    muted: toml::Spanned<String>,
    accent: toml::Spanned<String>,
    border: toml::Spanned<String>,
    border_focused: toml::Spanned<String>,
    selection_bg: toml::Spanned<String>,
    selection_fg: toml::Spanned<String>,
    grade_a: toml::Spanned<String>,
    grade_b: toml::Spanned<String>,
    grade_c: toml::Spanned<String>,
    grade_d: toml::Spanned<String>,
    grade_f: toml::Spanned<String>,
    critical: toml::Spanned<String>,
    warning: toml::Spanned<String>,
    info: toml::Spanned<String>,
    healthy: toml::Spanned<String>,
    degraded: toml::Spanned<String>,
    failing: toml::Spanned<String>,
    unknown: toml::Spanned<String>,
}

/// A theme file that cannot be used.
#[derive(Debug, thiserror::Error, PartialEq)]
#[error("{file}:{line}: {message}")]
pub struct ThemeError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

fn parse_color(s: &str) -> Option<Color> {
    let hex = s.strip_prefix('#')?;
    if hex.len() != 6 {
        return None;
    }
    let v = u32::from_str_radix(hex, 16).ok()?;
    Some(Color::Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
}

impl Theme {
    pub fn parse(text: &str, file: &str) -> Result<Theme, ThemeError> {
        let line_of = |offset: usize| text[..offset.min(text.len())].matches('\n').count() + 1;
        let raw: RawTheme = toml::from_str(text).map_err(|e| ThemeError {
            file: file.into(),
            line: line_of(e.span().map_or(0, |s| s.start)),
            message: e.message().trim().to_string(),
        })?;
        let c = raw.colors;
        let color = |key: &str, v: &toml::Spanned<String>| {
            parse_color(v.get_ref())
                .map(Some)
                .ok_or_else(|| ThemeError {
                    file: file.into(),
                    line: line_of(v.span().start),
                    message: format!(
                        "colors.{key}: `{}` is not a colour; use #rrggbb",
                        v.get_ref()
                    ),
                })
        };
        Ok(Theme {
            name: raw.name,
            background: color("background", &c.background)?,
            text: color("text", &c.text)?,
            muted: color("muted", &c.muted)?,
            accent: color("accent", &c.accent)?,
            border: color("border", &c.border)?,
            border_focused: color("border-focused", &c.border_focused)?,
            selection_bg: color("selection-bg", &c.selection_bg)?,
            selection_fg: color("selection-fg", &c.selection_fg)?,
            grades: [
                color("grade-a", &c.grade_a)?,
                color("grade-b", &c.grade_b)?,
                color("grade-c", &c.grade_c)?,
                color("grade-d", &c.grade_d)?,
                color("grade-f", &c.grade_f)?,
            ],
            critical: color("critical", &c.critical)?,
            warning: color("warning", &c.warning)?,
            info: color("info", &c.info)?,
            healthy: color("healthy", &c.healthy)?,
            degraded: color("degraded", &c.degraded)?,
            failing: color("failing", &c.failing)?,
            unknown: color("unknown", &c.unknown)?,
        })
    }

    /// A shipped theme by name.
    pub fn builtin(name: &str) -> Option<Theme> {
        BUILTIN.iter().find(|(n, _)| *n == name).map(|(n, t)| {
            Theme::parse(t, &format!("themes/{n}.toml")).expect("shipped themes parse")
        })
    }

    /// `--theme NAME` (a shipped theme) or a path to a theme file.
    pub fn load(name_or_path: &str) -> Result<Theme, ThemeError> {
        if let Some(t) = Theme::builtin(name_or_path) {
            return Ok(t);
        }
        let path = Path::new(name_or_path);
        let text = crate::config::read_small_file(path).map_err(|e| ThemeError {
            file: name_or_path.into(),
            line: 0,
            message: format!(
                "cannot read the theme ({e}); shipped themes are {}",
                BUILTIN
                    .iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        })?;
        Theme::parse(&text, name_or_path)
    }

    /// This theme first, then the other shipped ones in their order: what `t` cycles through.
    pub fn with_shipped(self) -> Vec<Theme> {
        let mut themes = vec![self];
        for (name, _) in BUILTIN {
            if themes[0].name != *name {
                themes.push(Theme::builtin(name).expect("shipped themes parse"));
            }
        }
        themes
    }

    /// The same theme with every colour removed (`NO_COLOR`): symbols and bold carry meaning.
    pub fn monochrome(&self) -> Theme {
        Theme {
            name: format!("{} (no colour)", self.name),
            background: None,
            text: None,
            muted: None,
            accent: None,
            border: None,
            border_focused: None,
            selection_bg: None,
            selection_fg: None,
            grades: [None; 5],
            critical: None,
            warning: None,
            info: None,
            healthy: None,
            degraded: None,
            failing: None,
            unknown: None,
        }
    }

    pub fn grade(&self, g: Option<Grade>) -> Option<Color> {
        match g {
            Some(Grade::A) => self.grades[0],
            Some(Grade::B) => self.grades[1],
            Some(Grade::C) => self.grades[2],
            Some(Grade::D) => self.grades[3],
            Some(Grade::F) => self.grades[4],
            None => self.muted,
        }
    }

    pub fn severity(&self, s: Severity) -> Option<Color> {
        match s {
            Severity::Critical => self.critical,
            Severity::Warning => self.warning,
            Severity::Info => self.info,
        }
    }

    pub fn health(&self, h: Health) -> Option<Color> {
        match h {
            Health::Failing => self.failing,
            Health::Degraded => self.degraded,
            Health::Healthy => self.healthy,
            Health::Unknown => self.unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_themes_parse() {
        for (name, _) in BUILTIN {
            let t = Theme::builtin(name).unwrap();
            assert_eq!(t.name, *name);
            assert!(t.critical.is_some());
        }
    }

    #[test]
    fn a_broken_theme_names_the_key() {
        let text = BUILTIN[0]
            .1
            .replace("critical = \"#f7768e\"", "critical = \"red-ish\"");
        let e = Theme::parse(&text, "mine.toml").unwrap_err();
        assert!(e.message.contains("colors.critical"), "{e}");
        assert_eq!(
            e.line,
            text.lines().position(|l| l.contains("red-ish")).unwrap() + 1
        );
        let text = BUILTIN[0].1.replace("muted = ", "mutted = ");
        let e = Theme::parse(&text, "mine.toml").unwrap_err();
        assert!(e.message.contains("mutted"), "{e}");
        let e = Theme::load("/nonexistent/theme.toml").unwrap_err();
        assert!(e
            .message
            .contains("shipped themes are dark, light, high-contrast"));
    }
}
