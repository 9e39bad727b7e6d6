//! Resource quantities (`500m`, `1.5Gi`, `1e9`) parsed as the API server parses them
//! (`k8s.io/apimachinery/pkg/api/resource.ParseQuantity`), so shipshape accepts exactly what
//! Kubernetes accepts and reads the same amount from it.
//!
//! The grammar: an optional sign, digits with an optional decimal point, then one suffix —
//! binary `Ki Mi Gi Ti Pi Ei`, decimal `n u m k M G T P E` (or none), or a decimal exponent
//! `e`/`E` followed by an optionally signed integer.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;

/// The smallest non-zero amount: a smaller non-zero quantity is rounded up to it.
const NANO: f64 = 1e-9;

/// The amount in base units (cores, bytes, …), or `None` when the API server would reject the
/// text. Exactly `0.0` only for a quantity that is zero; any other amount is at least 1n.
pub fn parse(text: &str) -> Option<f64> {
    // The API server trims surrounding space before parsing (`Quantity.UnmarshalJSON`).
    let text = text.trim();
    let (negative, int, frac, suffix) = split(text)?;
    let magnitude = if int.bytes().chain(frac.bytes()).all(|b| b == b'0') {
        0.0
    } else {
        let scaled = match suffix {
            "Ki" | "Mi" | "Gi" | "Ti" | "Pi" | "Ei" => {
                let power = match suffix {
                    "Ki" => 10,
                    "Mi" => 20,
                    "Gi" => 30,
                    "Ti" => 40,
                    "Pi" => 50,
                    _ => 60,
                };
                format!("{int}.{frac}").parse::<f64>().ok()? * 2f64.powi(power)
            }
            _ => {
                let exponent: i64 = match suffix {
                    "n" => -9,
                    "u" => -6,
                    "m" => -3,
                    "" => 0,
                    "k" => 3,
                    "M" => 6,
                    "G" => 9,
                    "T" => 12,
                    "P" => 15,
                    "E" => 18,
                    _ => suffix
                        .strip_prefix(['e', 'E'])
                        .filter(|e| !e.is_empty())?
                        .parse()
                        .ok()?,
                };
                // Decimal text keeps the value exact until the one rounding to f64.
                format!("{int}.{frac}e{}", exponent.clamp(-1000, 1000))
                    .parse::<f64>()
                    .ok()?
            }
        };
        scaled.clamp(NANO, f64::MAX)
    };
    Some(if negative { -magnitude } else { magnitude })
}

/// [`parse`] for a typed quantity.
pub fn amount(q: &Quantity) -> Option<f64> {
    parse(&q.0)
}

/// True for a quantity that parses to exactly zero.
pub fn is_zero(q: &Quantity) -> bool {
    amount(q) == Some(0.0)
}

fn valid_suffix(suffix: &str) -> bool {
    matches!(
        suffix,
        "" | "n"
            | "u"
            | "m"
            | "k"
            | "M"
            | "G"
            | "T"
            | "P"
            | "E"
            | "Ki"
            | "Mi"
            | "Gi"
            | "Ti"
            | "Pi"
            | "Ei"
    ) || suffix
        .strip_prefix(['e', 'E'])
        .is_some_and(|e| e.parse::<i64>().is_ok())
}

/// Splits the text as `parseQuantityString` does: sign, integer digits, fraction digits and
/// the suffix (letters from `eEinumkKMGTP`, then an optional sign and digits). `None` when
/// anything else follows or the suffix is not a known one. Like Kubernetes, it takes a
/// missing number as zero (`Gi`, `-` and `.` parse as 0).
fn split(text: &str) -> Option<(bool, &str, &str, &str)> {
    if text.is_empty() {
        return None;
    }
    let bytes = text.as_bytes();
    let mut pos = 0;
    let negative = match bytes[0] {
        b'-' => {
            pos = 1;
            true
        }
        b'+' => {
            pos = 1;
            false
        }
        _ => false,
    };
    let digits = |from: usize| {
        from + bytes[from..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count()
    };
    let int_end = digits(pos);
    let int = &text[pos..int_end];
    pos = int_end;
    let mut frac = "";
    if bytes.get(pos) == Some(&b'.') {
        let end = digits(pos + 1);
        frac = &text[pos + 1..end];
        pos = end;
    }
    let suffix_start = pos;
    pos += bytes[pos..]
        .iter()
        .take_while(|b| b"eEinumkKMGTP".contains(b))
        .count();
    if matches!(bytes.get(pos), Some(b'+' | b'-')) {
        pos += 1;
    }
    pos = digits(pos);
    if pos != bytes.len() {
        return None;
    }
    let suffix = &text[suffix_start..];
    if !valid_suffix(suffix) {
        return None;
    }
    Some((
        negative,
        if int.is_empty() { "0" } else { int },
        frac,
        suffix,
    ))
}

#[cfg(test)]
mod tests {
    use super::parse;

    #[test]
    fn accepts_what_the_api_server_accepts() {
        let cases: &[(&str, f64)] = &[
            ("0", 0.0),
            ("1", 1.0),
            ("500m", 0.5),
            ("0.5", 0.5),
            (".5", 0.5),
            ("1.", 1.0),
            ("+2", 2.0),
            ("007", 7.0),
            ("100n", 100e-9),
            ("250u", 250e-6),
            ("1k", 1e3),
            ("1M", 1e6),
            ("1G", 1e9),
            ("2T", 2e12),
            ("1P", 1e15),
            ("2E", 2e18),
            ("1Ki", 1024.0),
            ("128Mi", 128.0 * 1024.0 * 1024.0),
            ("1.5Gi", 1.5 * 1024f64.powi(3)),
            ("1Ti", 1024f64.powi(4)),
            ("1Pi", 1024f64.powi(5)),
            ("1e3", 1e3),
            ("1E3", 1e3),
            ("1e9", 1e9),
            ("1e+3", 1e3),
            ("5e-3", 5e-3),
            ("1.5e2", 150.0),
            ("1000000000", 1e9),
            (" 256Mi ", 256.0 * 1024.0 * 1024.0),
            ("0Gi", 0.0),
            ("0.000m", 0.0),
            ("-0", 0.0),
        ];
        for (text, want) in cases {
            let got = parse(text).unwrap_or_else(|| panic!("{text:?} was rejected"));
            assert!(
                (got - want).abs() <= want.abs() * 1e-12,
                "{text:?}: {got} != {want}"
            );
        }
    }

    #[test]
    fn signs_are_kept_so_validation_can_reject_negatives() {
        assert_eq!(parse("-1"), Some(-1.0));
        assert_eq!(parse("-500m"), Some(-0.5));
        assert_eq!(parse("-1Gi"), Some(-(1024f64.powi(3))));
    }

    #[test]
    fn rejects_what_the_api_server_rejects() {
        for text in [
            "",
            "lots",
            "1x",
            "1K",
            "1KB",
            "1Mb",
            "1mi",
            "1gi",
            "1 Gi",
            "1.5.5",
            "1e",
            "1e+",
            "1e3Gi",
            "1Ki3",
            "1m3",
            "1ee3",
            "1e1.5",
            "--1",
            "1,5",
            "0x10",
            "1_000",
            "१",
            "∞",
            "1Gi\u{1b}[2J",
        ] {
            assert_eq!(parse(text), None, "{text:?} was accepted");
        }
    }

    #[test]
    fn tiny_amounts_round_up_and_huge_ones_stay_finite() {
        // Kubernetes rounds any non-zero amount up to 1n, so a tiny request is not zero.
        assert_eq!(parse("1e-20"), Some(1e-9));
        assert_eq!(parse("0.0000000001"), Some(1e-9));
        assert!(parse("1e400").is_some_and(f64::is_finite));
        assert!(parse("-1e400").is_some_and(|v| v.is_finite() && v < 0.0));
    }
}
