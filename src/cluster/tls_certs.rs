//! When the certificates in `kubernetes.io/tls` Secrets expire, for clusters without
//! cert-manager (read only with `--read-tls-certs`).
//!
//! The live source reads those Secrets in full, takes the first certificate of `tls.crt`,
//! parses its `notAfter` here at ingest and hands on that date alone: the Secret object, the
//! PEM and the key never reach the model, a snapshot or a screen.

use super::object::Kind;
use super::Touched;
use chrono::{DateTime, NaiveDate, Utc};
use std::collections::BTreeMap;

/// Whether TLS Secrets are read, and how far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TlsReading {
    /// Not asked for (`--read-tls-certs` not given, or a file source).
    #[default]
    Off,
    /// Asked for, first list not in yet.
    Listing,
    Synced,
    /// Asked for, but the credentials may not list Secrets.
    Forbidden,
}

/// The expiry of each TLS Secret's certificate, keyed by (namespace, name); an `Err` says why
/// the certificate could not be read (never what it holds).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TlsCerts {
    pub reading: TlsReading,
    pub not_after: BTreeMap<(String, String), Result<DateTime<Utc>, String>>,
}

/// What the TLS Secret reader tells the model.
#[derive(Clone, Debug, PartialEq)]
pub enum TlsMsg {
    /// Reading has started: until `Synced`, an absent Secret may still come.
    Listing,
    Upsert {
        namespace: String,
        name: String,
        not_after: Result<DateTime<Utc>, String>,
    },
    Remove {
        namespace: String,
        name: String,
    },
    Synced,
    Forbidden,
}

impl TlsCerts {
    /// Applies a message; a certificate that came, changed or went touches the Secrets of its
    /// namespace (what `ingress.cert-expiry` reads), a change of state touches everything.
    pub fn apply(&mut self, msg: TlsMsg) -> Touched {
        let mut touched = Touched::default();
        let mut secret_in = |ns: &str| {
            touched
                .changed
                .entry(Kind::Secret)
                .or_default()
                .insert(ns.to_string());
        };
        match msg {
            TlsMsg::Listing => {
                self.reading = TlsReading::Listing;
                touched.everything = true;
            }
            TlsMsg::Upsert {
                namespace,
                name,
                not_after,
            } => {
                secret_in(&namespace);
                self.not_after.insert((namespace, name), not_after);
            }
            TlsMsg::Remove { namespace, name } => {
                if self.not_after.remove(&(namespace.clone(), name)).is_some() {
                    secret_in(&namespace);
                }
            }
            TlsMsg::Synced => {
                self.reading = TlsReading::Synced;
                touched.everything = true;
            }
            TlsMsg::Forbidden => {
                self.reading = TlsReading::Forbidden;
                self.not_after.clear();
                touched.everything = true;
            }
        }
        touched
    }

    /// The expiry read from Secret `name` in `namespace`, when reading is on and it was read.
    pub fn get(&self, namespace: &str, name: &str) -> Option<&Result<DateTime<Utc>, String>> {
        self.not_after
            .get(&(namespace.to_string(), name.to_string()))
    }
}

/// The `notAfter` of the first certificate in a PEM bundle (`tls.crt`: the leaf comes first).
pub fn pem_not_after(pem_text: &[u8]) -> Result<DateTime<Utc>, String> {
    let blocks = pem::parse_many(pem_text).map_err(|_| "tls.crt is not PEM".to_string())?;
    let leaf = blocks
        .iter()
        .find(|b| b.tag() == "CERTIFICATE")
        .ok_or_else(|| "tls.crt holds no CERTIFICATE block".to_string())?;
    der_not_after(leaf.contents())
}

/// A DER element: its tag and contents, and what follows it.
fn element(input: &[u8]) -> Result<(u8, &[u8], &[u8]), String> {
    let bad = || "tls.crt is not a well-formed X.509 certificate".to_string();
    let (&tag, rest) = input.split_first().ok_or_else(bad)?;
    // High-tag-number form never occurs in the fields walked here.
    if tag & 0x1f == 0x1f {
        return Err(bad());
    }
    let (&first, rest) = rest.split_first().ok_or_else(bad)?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        // DER: definite lengths of at most 4 bytes here (a certificate is far below 4 GB).
        if n == 0 || n > 4 || rest.len() < n {
            return Err(bad());
        }
        let len = rest[..n]
            .iter()
            .fold(0usize, |acc, &b| (acc << 8) | usize::from(b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return Err(bad());
    }
    Ok((tag, &rest[..len], &rest[len..]))
}

const SEQUENCE: u8 = 0x30;
const UTC_TIME: u8 = 0x17;
const GENERALIZED_TIME: u8 = 0x18;
/// `[0] EXPLICIT Version` at the start of a v2/v3 TBSCertificate.
const VERSION: u8 = 0xa0;

/// Walks `Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL,
/// serialNumber, signature, issuer, validity SEQUENCE { notBefore, notAfter }, … } … }`
/// (RFC 5280 §4.1) to `notAfter`: nothing else of the certificate is read.
pub fn der_not_after(der: &[u8]) -> Result<DateTime<Utc>, String> {
    let bad = || "tls.crt is not a well-formed X.509 certificate".to_string();
    let (tag, certificate, _) = element(der)?;
    if tag != SEQUENCE {
        return Err(bad());
    }
    let (tag, tbs, _) = element(certificate)?;
    if tag != SEQUENCE {
        return Err(bad());
    }
    let (tag, _, mut rest) = element(tbs)?;
    if tag == VERSION {
        // That was the version; the serial number follows.
        rest = element(rest)?.2;
    }
    let rest = element(rest)?.2; // signature algorithm
    let rest = element(rest)?.2; // issuer
    let (tag, validity, _) = element(rest)?;
    if tag != SEQUENCE {
        return Err(bad());
    }
    let (_, _, after_not_before) = element(validity)?;
    let (tag, time, _) = element(after_not_before)?;
    parse_time(tag, time).ok_or_else(|| "tls.crt has an unreadable notAfter".to_string())
}

/// RFC 5280 §4.1.2.5: UTCTime `YYMMDDHHMMSSZ` (years 1950–2049) or GeneralizedTime
/// `YYYYMMDDHHMMSSZ`, always in UTC with seconds.
fn parse_time(tag: u8, bytes: &[u8]) -> Option<DateTime<Utc>> {
    let text = std::str::from_utf8(bytes).ok()?;
    let digits = text.strip_suffix('Z')?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let num = |s: &str| s.parse::<u32>().ok();
    let (year, rest) = match (tag, digits.len()) {
        (UTC_TIME, 12) => {
            let yy = num(&digits[..2])? as i32;
            (if yy < 50 { 2000 + yy } else { 1900 + yy }, &digits[2..])
        }
        (GENERALIZED_TIME, 14) => (num(&digits[..4])? as i32, &digits[4..]),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(year, num(&rest[..2])?, num(&rest[2..4])?)?;
    let time = date.and_hms_opt(num(&rest[4..6])?, num(&rest[6..8])?, num(&rest[8..10])?)?;
    Some(time.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn both_time_forms_parse_and_utc_time_pivots_at_1950() {
        assert_eq!(
            parse_time(UTC_TIME, b"261220100000Z"),
            Some(at("2026-12-20T10:00:00Z"))
        );
        assert_eq!(
            parse_time(UTC_TIME, b"500101000000Z"),
            Some(at("1950-01-01T00:00:00Z"))
        );
        assert_eq!(
            parse_time(GENERALIZED_TIME, b"20610301235959Z"),
            Some(at("2061-03-01T23:59:59Z"))
        );
        for bad in [
            &b"261220100000"[..],
            b"2612201000Z",
            b"26122010000+Z",
            b"261340100000Z",
        ] {
            assert_eq!(parse_time(UTC_TIME, bad), None, "{bad:?}");
        }
        assert_eq!(parse_time(0x04, b"261220100000Z"), None);
    }

    #[test]
    fn truncated_or_foreign_input_is_an_error_not_a_panic() {
        assert!(der_not_after(&[]).is_err());
        assert!(der_not_after(&[0x30]).is_err());
        assert!(der_not_after(&[0x30, 0x84, 0xff, 0xff, 0xff, 0xff]).is_err());
        assert!(der_not_after(&[0x04, 0x01, 0x00]).is_err());
        assert!(pem_not_after(b"not pem at all").is_err());
        let key_only = b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n";
        let e = pem_not_after(key_only).unwrap_err();
        assert!(e.contains("no CERTIFICATE"), "{e}");
        assert!(!e.contains("AAAA"));
    }

    #[test]
    fn state_changes_regrade_everything_and_certificates_their_namespace() {
        let mut certs = TlsCerts::default();
        assert!(certs.apply(TlsMsg::Listing).everything);
        assert_eq!(certs.reading, TlsReading::Listing);
        let t = certs.apply(TlsMsg::Upsert {
            namespace: "shop".into(),
            name: "shop-tls".into(),
            not_after: Ok(at("2027-01-01T00:00:00Z")),
        });
        assert!(!t.everything);
        assert!(t.changed[&Kind::Secret].contains("shop"));
        assert!(certs.get("shop", "shop-tls").is_some());
        let t = certs.apply(TlsMsg::Remove {
            namespace: "shop".into(),
            name: "shop-tls".into(),
        });
        assert!(t.changed[&Kind::Secret].contains("shop"));
        assert!(certs.get("shop", "shop-tls").is_none());
        assert!(certs.apply(TlsMsg::Synced).everything);
        assert_eq!(certs.reading, TlsReading::Synced);
    }
}
