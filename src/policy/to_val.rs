//! Serialises a Kubernetes object straight into shared CEL values, the shape `serde_json` would
//! give (a struct or map is a map with string keys, an absent option `null`, an integer an
//! `int`), without building a JSON tree first: half the cost of converting a pod spec was
//! building and dropping that tree.

use super::shared_value::{SharedList, SharedMap, Variable};
use cel::common::types::{CelBool, CelDouble, CelInt, CelMapKey, CelNull, CelString, CelUInt};
use cel::common::value::Val;
use serde::ser::{self, Serialize};
use std::collections::HashMap;

/// Why a value could not be serialised (a map key that is no string, number or bool).
#[derive(Debug)]
pub struct NotSerialisable(String);

impl std::fmt::Display for NotSerialisable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotSerialisable {}

impl ser::Error for NotSerialisable {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        NotSerialisable(msg.to_string())
    }
}

type Out = Box<dyn Val + 'static>;
type Result<T> = std::result::Result<T, NotSerialisable>;

/// What the top-level struct leaves out and adds.
pub struct Top<'a> {
    pub skip: &'a [&'a str],
    /// The fields of a pod spec or container kept, when not all are.
    pub keep: Option<super::fields_read::FieldsRead>,
    pub extra: Vec<(&'a str, Variable)>,
}

/// The serialiser; `items` tracks the longest list or map written.
pub struct ToVal<'a, 'i> {
    pub items: &'i mut u64,
    pub top: Option<Top<'a>>,
}

impl<'i> ToVal<'_, 'i> {
    fn nested<'n>(items: &'n mut u64) -> ToVal<'static, 'n> {
        ToVal { items, top: None }
    }
}

/// A list being written.
pub struct ListOut<'i> {
    items: &'i mut u64,
    out: Vec<Out>,
    /// A tuple or struct variant's name: the list is wrapped in a map under it.
    variant: Option<&'static str>,
}

/// A map or struct being written.
pub struct MapOut<'a, 'i> {
    items: &'i mut u64,
    map: HashMap<CelMapKey<'static>, Out>,
    key: Option<String>,
    top: Option<Top<'a>>,
    variant: Option<&'static str>,
}

fn list(items: &mut u64, out: Vec<Out>) -> Out {
    *items = (*items).max(out.len() as u64);
    Box::new(SharedList::new(out))
}

fn map(items: &mut u64, map: HashMap<CelMapKey<'static>, Out>) -> Out {
    *items = (*items).max(map.len() as u64);
    Box::new(SharedMap::new(map))
}

/// `{variant: value}`, as `serde_json` writes a non-unit enum variant.
fn in_variant(items: &mut u64, variant: Option<&'static str>, value: Out) -> Out {
    match variant {
        None => value,
        Some(name) => {
            let mut m = HashMap::with_capacity(1);
            m.insert(CelMapKey::from(name), value);
            map(items, m)
        }
    }
}

impl<'a, 'i> ser::Serializer for ToVal<'a, 'i> {
    type Ok = Out;
    type Error = NotSerialisable;
    type SerializeSeq = ListOut<'i>;
    type SerializeTuple = ListOut<'i>;
    type SerializeTupleStruct = ListOut<'i>;
    type SerializeTupleVariant = ListOut<'i>;
    type SerializeMap = MapOut<'a, 'i>;
    type SerializeStruct = MapOut<'a, 'i>;
    type SerializeStructVariant = MapOut<'a, 'i>;

    fn serialize_bool(self, v: bool) -> Result<Out> {
        Ok(Box::new(CelBool::from(v)))
    }
    fn serialize_i8(self, v: i8) -> Result<Out> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<Out> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<Out> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<Out> {
        Ok(Box::new(CelInt::from(v)))
    }
    fn serialize_u8(self, v: u8) -> Result<Out> {
        self.serialize_i64(v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<Out> {
        self.serialize_i64(v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<Out> {
        self.serialize_i64(v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<Out> {
        // An `int` where it fits, as a JSON integer reads.
        Ok(match i64::try_from(v) {
            Ok(i) => Box::new(CelInt::from(i)),
            Err(_) => Box::new(CelUInt::from(v)),
        })
    }
    fn serialize_f32(self, v: f32) -> Result<Out> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> Result<Out> {
        // JSON has no NaN or infinity: `serde_json` writes them as null.
        if v.is_finite() {
            Ok(Box::new(CelDouble::from(v)))
        } else {
            Ok(Box::new(CelNull))
        }
    }
    fn serialize_char(self, v: char) -> Result<Out> {
        Ok(Box::new(CelString::from(v.to_string())))
    }
    fn serialize_str(self, v: &str) -> Result<Out> {
        Ok(Box::new(CelString::from(v.to_string())))
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<Out> {
        // As `serde_json`: a list of numbers.
        let out = v
            .iter()
            .map(|b| Box::new(CelInt::from(i64::from(*b))) as Out)
            .collect();
        Ok(list(self.items, out))
    }
    fn serialize_none(self) -> Result<Out> {
        Ok(Box::new(CelNull))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Out> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Out> {
        Ok(Box::new(CelNull))
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Out> {
        Ok(Box::new(CelNull))
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Out> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Out> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Out> {
        let inner = value.serialize(ToVal::nested(self.items))?;
        Ok(in_variant(self.items, Some(variant), inner))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<ListOut<'i>> {
        Ok(ListOut {
            items: self.items,
            out: Vec::with_capacity(len.unwrap_or(0)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<ListOut<'i>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<ListOut<'i>> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<ListOut<'i>> {
        Ok(ListOut {
            items: self.items,
            out: Vec::with_capacity(len),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<MapOut<'a, 'i>> {
        Ok(MapOut {
            items: self.items,
            map: HashMap::with_capacity(len.unwrap_or(0)),
            key: None,
            top: self.top,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<MapOut<'a, 'i>> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<MapOut<'a, 'i>> {
        Ok(MapOut {
            items: self.items,
            map: HashMap::with_capacity(len),
            key: None,
            top: None,
            variant: Some(variant),
        })
    }
}

impl ListOut<'_> {
    fn push<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let v = value.serialize(ToVal::nested(self.items))?;
        self.out.push(v);
        Ok(())
    }

    fn finish(self) -> Result<Out> {
        let l = list(self.items, self.out);
        Ok(in_variant(self.items, self.variant, l))
    }
}

macro_rules! list_like {
    ($($trait:ident :: $method:ident),*) => { $(
        impl ser::$trait for ListOut<'_> {
            type Ok = Out;
            type Error = NotSerialisable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
                self.push(value)
            }
            fn end(self) -> Result<Out> {
                self.finish()
            }
        }
    )* };
}

list_like!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// A map key as `serde_json` writes one: a string, or a number or bool written as a string.
fn key_text(key: &dyn Val) -> Result<String> {
    if let Some(s) = key.downcast_ref::<CelString>() {
        Ok(s.inner().to_string())
    } else if let Some(i) = key.downcast_ref::<CelInt>() {
        Ok(i.inner().to_string())
    } else if let Some(u) = key.downcast_ref::<CelUInt>() {
        Ok(u.inner().to_string())
    } else if let Some(b) = key.downcast_ref::<CelBool>() {
        Ok(b.inner().to_string())
    } else {
        Err(NotSerialisable(format!(
            "a map key of type {}",
            key.get_type().name()
        )))
    }
}

impl MapOut<'_, '_> {
    fn insert<T: Serialize + ?Sized>(&mut self, key: CelMapKey<'static>, value: &T) -> Result<()> {
        self.insert_keeping(key, value, None)
    }

    /// Inserts `value`, with only the fields `keep` keeps when given.
    fn insert_keeping<T: Serialize + ?Sized>(
        &mut self,
        key: CelMapKey<'static>,
        value: &T,
        keep: Option<super::fields_read::FieldsRead>,
    ) -> Result<()> {
        let top = keep.map(|keep| Top {
            skip: &[],
            keep: Some(keep),
            extra: Vec::new(),
        });
        let v = value.serialize(ToVal {
            items: self.items,
            top,
        })?;
        self.map.insert(key, v);
        Ok(())
    }

    fn finish(mut self) -> Result<Out> {
        if let Some(top) = self.top.take() {
            for (key, value) in top.extra {
                *self.items = (*self.items).max(value.items);
                self.map.insert(CelMapKey::from(key.to_string()), value.val);
            }
        }
        let m = map(self.items, self.map);
        Ok(in_variant(self.items, self.variant, m))
    }
}

impl ser::SerializeMap for MapOut<'_, '_> {
    type Ok = Out;
    type Error = NotSerialisable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let k = key.serialize(ToVal::nested(self.items))?;
        self.key = Some(key_text(k.as_ref())?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self
            .key
            .take()
            .ok_or_else(|| NotSerialisable("a map value without its key".into()))?;
        self.insert(CelMapKey::from(key), value)
    }
    fn end(self) -> Result<Out> {
        self.finish()
    }
}

macro_rules! struct_like {
    ($($trait:ident),*) => { $(
        impl ser::$trait for MapOut<'_, '_> {
            type Ok = Out;
            type Error = NotSerialisable;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<()> {
                let mut inner = None;
                if let Some(t) = self.top.as_ref() {
                    if t.skip.contains(&key) || t.keep.is_some_and(|k| !k.keeps(key)) {
                        return Ok(());
                    }
                    // A security context, probe or resource requirements keeps the fields
                    // named, as its pod spec or container does.
                    inner = t.keep.filter(|_| super::fields_read::NESTED.contains(&key));
                }
                // A field's name is static: the key borrows it, no copy per object.
                self.insert_keeping(CelMapKey::from(key), value, inner)
            }
            fn end(self) -> Result<Out> {
                self.finish()
            }
        }
    )* };
}

struct_like!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use super::*;

    /// The value as CEL reads it back, through `serde_json` and through [`ToVal`].
    fn both<T: Serialize>(value: &T) -> (cel::Value, cel::Value) {
        let mut items = 0;
        let direct = value
            .serialize(ToVal {
                items: &mut items,
                top: None,
            })
            .unwrap();
        let via_json = Variable::from_json(&serde_json::to_value(value).unwrap());
        (
            cel::Value::try_from(direct.as_ref()).unwrap(),
            cel::Value::try_from(via_json.val.as_ref()).unwrap(),
        )
    }

    #[test]
    fn kubernetes_objects_read_as_their_json_does() {
        let pod: k8s_openapi::api::core::v1::Pod = serde_json::from_value(serde_json::json!({
            "metadata": {"name": "web-1", "labels": {"app": "web"},
                         "creationTimestamp": "2026-12-01T10:00:00Z"},
            "spec": {
                "containers": [{
                    "name": "app", "image": "web:1",
                    "ports": [{"containerPort": 8080, "protocol": "TCP"}],
                    "resources": {"limits": {"cpu": "500m", "memory": "1Gi"}},
                    "livenessProbe": {"httpGet": {"path": "/", "port": "http"}},
                    "readinessProbe": {"tcpSocket": {"port": 8080}}
                }],
                "securityContext": {"runAsNonRoot": true, "runAsUser": 1000},
                "tolerations": [{"key": "spot", "operator": "Exists"}]
            },
            "status": {"phase": "Running", "containerStatuses": [
                {"name": "app", "ready": true, "restartCount": 3, "image": "web:1",
                 "imageID": "", "state": {"running": {"startedAt": "2026-12-01T10:00:05Z"}}}
            ]}
        }))
        .unwrap();
        let (direct, via_json) = both(&pod);
        assert_eq!(direct, via_json);
        let enums = serde_json::json!({"unit": null, "n": 1.5, "big": u64::MAX, "list": [1, "a"]});
        let (direct, via_json) = both(&enums);
        assert_eq!(direct, via_json);
        #[derive(serde::Serialize)]
        enum E {
            Unit,
            New(i32),
            Tuple(i32, i32),
            Struct { a: i32 },
        }
        for e in [E::Unit, E::New(1), E::Tuple(1, 2), E::Struct { a: 1 }] {
            let (direct, via_json) = both(&e);
            assert_eq!(direct, via_json);
        }
        let keys: std::collections::BTreeMap<i32, bool> = [(1, true), (2, false)].into();
        let (direct, via_json) = both(&keys);
        assert_eq!(direct, via_json);
    }

    #[test]
    fn the_longest_list_or_map_is_counted() {
        let mut items = 0;
        serde_json::json!({"a": [1, 2, 3], "b": {"c": [1, 2, 3, 4, 5, 6]}})
            .serialize(ToVal {
                items: &mut items,
                top: None,
            })
            .unwrap();
        assert_eq!(items, 6);
    }
}
