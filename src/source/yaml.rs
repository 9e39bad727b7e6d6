//! One YAML document read the way Kubernetes reads it (`sigs.k8s.io/yaml`, YAML 1.1 merge
//! keys): `<<: *base` and `<<: [*a, *b]` are merged in, a key set twice in one mapping is an
//! error (kubectl and the API server reject it rather than keep the last), and scalar keys
//! (`80: http`) become strings, as in JSON. JSON documents get the same duplicate-key rule
//! through [`StrictJson`].

use crate::text::safe;
use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use std::cell::RefCell;
use std::fmt;

/// Why a document could not be read; `line` counts from 1 within the document.
#[derive(Debug)]
pub struct YamlError {
    pub line: Option<usize>,
    pub message: String,
    /// Set when the error is a key written twice in one mapping.
    pub duplicate_key: Option<String>,
}

/// Parses one YAML document (no `---` separators inside) into a JSON value.
pub fn parse_document(doc: &str) -> Result<Value, YamlError> {
    let duplicate = RefCell::new(None);
    let seed = Node {
        duplicate: Some(&duplicate),
        merge_keys: true,
    };
    seed.deserialize(serde_norway::Deserializer::from_str(doc))
        .map_err(|e| {
            let at = e
                .location()
                .map(|l| (l.line(), l.column().saturating_sub(1)));
            match duplicate.take() {
                Some(key) => {
                    // The parser points at the start of the mapping; find the second `key:`.
                    let line = at.map(|(line, column)| {
                        duplicate_line(doc, line, column, &key).unwrap_or(line)
                    });
                    YamlError {
                        line,
                        message: duplicate_message(&key),
                        duplicate_key: Some(key),
                    }
                }
                None => YamlError {
                    line: at.map(|(line, _)| line),
                    message: e.to_string(),
                    duplicate_key: None,
                },
            }
        })
}

fn duplicate_message(key: &str) -> String {
    format!(
        "duplicate key `{}` in one mapping; kubectl and the API server reject it: keep one",
        safe(key)
    )
}

/// A JSON value read as the API server reads JSON: a key set twice in one object is an error
/// (serde_json alone keeps the last).
#[derive(Debug)]
pub struct StrictJson(pub Value);

impl<'de> serde::Deserialize<'de> for StrictJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<StrictJson, D::Error> {
        let seed = Node {
            duplicate: None,
            merge_keys: false,
        };
        seed.deserialize(deserializer).map(StrictJson)
    }
}

/// The line (from 1) of the second `key:` of the block mapping whose first key sits at
/// `line`/`column` (from 1 and 0); `None` when it cannot be told (flow style, odd layout).
fn duplicate_line(doc: &str, line: usize, column: usize, key: &str) -> Option<usize> {
    let mut seen = 0;
    for (i, text) in doc.lines().enumerate().skip(line.checked_sub(1)?) {
        let entry = if i + 1 == line {
            text.get(column..)?
        } else {
            let body = text.trim_start_matches(' ');
            if body.is_empty() || body.starts_with('#') {
                continue;
            }
            let indent = text.len() - body.len();
            if indent < column {
                break;
            }
            if indent > column {
                continue;
            }
            body
        };
        if starts_with_key(entry, key) {
            seen += 1;
            if seen == 2 {
                return Some(i + 1);
            }
        }
    }
    None
}

/// Whether a block-mapping entry starts with `key:` (plain, single- or double-quoted).
fn starts_with_key(entry: &str, key: &str) -> bool {
    let rest = [("", ""), ("\"", "\""), ("'", "'")]
        .iter()
        .find_map(|(open, close)| {
            entry
                .strip_prefix(open)?
                .strip_prefix(key)?
                .strip_prefix(close)
        });
    rest.is_some_and(|r| r.trim_start_matches(' ').starts_with(':'))
}

/// Builds a JSON value, refusing duplicate keys (and recording the key, when asked, so the
/// error can say where it is); applies YAML merge keys when `merge_keys`.
#[derive(Clone, Copy)]
struct Node<'d> {
    duplicate: Option<&'d RefCell<Option<String>>>,
    merge_keys: bool,
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        // `.inf` and `.nan` have no JSON form.
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        self.deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(self)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut merged = Vec::new();
        while let Some(key) = map.next_key_seed(Key)? {
            if self.merge_keys && key == MERGE_KEY {
                merged.push(map.next_value_seed(self)?);
                continue;
            }
            if out.contains_key(&key) {
                if let Some(cell) = self.duplicate {
                    *cell.borrow_mut() = Some(key.clone());
                }
                return Err(de::Error::custom(duplicate_message(&key)));
            }
            let value = map.next_value_seed(self)?;
            out.insert(key, value);
        }
        // Keys written in the mapping win over merged ones; among merged mappings the
        // earlier wins (YAML 1.1 merge type).
        for source in merged {
            let sources = match source {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                let Value::Object(source) = source else {
                    return Err(de::Error::custom(
                        "a merge key (`<<`) takes a mapping or a list of mappings, such as `<<: *base`",
                    ));
                };
                for (k, v) in source {
                    out.entry(k).or_insert(v);
                }
            }
        }
        Ok(Value::Object(out))
    }
}

const MERGE_KEY: &str = "<<";

/// A mapping key: a scalar, spelled as a string.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = String;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<String, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = String;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a scalar mapping key")
    }

    fn visit_bool<E>(self, v: bool) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_i64<E>(self, v: i64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_u64<E>(self, v: u64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_f64<E>(self, v: f64) -> Result<String, E> {
        Ok(v.to_string())
    }

    fn visit_str<E>(self, v: &str) -> Result<String, E> {
        Ok(v.to_owned())
    }

    fn visit_string<E>(self, v: String) -> Result<String, E> {
        Ok(v)
    }

    fn visit_unit<E>(self) -> Result<String, E> {
        Ok("null".into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_keys_are_applied_and_written_keys_win() {
        let doc = "base: &base\n  a: 1\n  b: 2\nother: &other\n  b: 20\n  c: 30\none:\n  <<: *base\n  b: 3\nmany:\n  <<: [*base, *other]\n  d: 4\n";
        let v = parse_document(doc).unwrap();
        assert_eq!(v["one"], json!({"a": 1, "b": 3}));
        assert_eq!(v["many"], json!({"a": 1, "b": 2, "c": 30, "d": 4}));
    }

    #[test]
    fn merges_chain_through_merged_mappings() {
        let doc = "a: &a {x: 1}\nb: &b\n  <<: *a\n  y: 2\nc:\n  <<: *b\n  z: 3\n";
        let v = parse_document(doc).unwrap();
        assert_eq!(v["c"], json!({"x": 1, "y": 2, "z": 3}));
        assert!(v["c"].get("<<").is_none());
    }

    #[test]
    fn a_merge_of_a_scalar_is_an_error() {
        let e = parse_document("a:\n  <<: 3\n").unwrap_err();
        assert!(e.message.contains("merge key"), "{}", e.message);
    }

    #[test]
    fn duplicate_keys_name_the_key_and_its_second_line() {
        let doc =
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  labels:\n    app: x\n  name: b\n";
        let e = parse_document(doc).unwrap_err();
        assert_eq!(e.line, Some(7));
        assert!(e.message.contains("duplicate key `name`"), "{}", e.message);
        let seq = "items:\n- name: a\n  image: x\n  \"name\": b\n";
        let e = parse_document(seq).unwrap_err();
        assert_eq!(e.line, Some(4), "{}", e.message);
        // Flow style: the mapping's own line.
        let e = parse_document("x: 1\nm: {a: 1, a: 2}\n").unwrap_err();
        assert_eq!(e.line, Some(2));
    }

    #[test]
    fn json_duplicates_are_refused_and_merge_keys_are_plain_keys() {
        let parse = |text: &str| serde_json::from_str::<StrictJson>(text).map(|j| j.0);
        let e = parse("{\"a\": 1,\n \"b\": {\"c\": 1,\n \"c\": 2}}").unwrap_err();
        assert_eq!(e.line(), 3);
        assert!(
            e.to_string()
                .starts_with("duplicate key `c` in one mapping"),
            "{e}"
        );
        let v = parse("{\"<<\": {\"a\": 1}, \"n\": [1.5, -2, null, true, \"s\"]}").unwrap();
        assert_eq!(v, json!({"<<": {"a": 1}, "n": [1.5, -2, null, true, "s"]}));
    }

    #[test]
    fn scalar_keys_become_strings() {
        let v = parse_document("80: http\ntrue: yes\n~: n\n").unwrap();
        assert_eq!(v, json!({"80": "http", "true": "yes", "null": "n"}));
    }
}
