//! Kubernetes objects as CEL values whose maps and lists are shared, not copied.
//!
//! CEL's own map and list copy every entry when cloned, and the interpreter clones a list's
//! element into the iteration variable on every step of a comprehension: on
//! `containers.all(c, …)` that is a deep copy of each container (its env, probes, resources)
//! per expression per workload, most of the cost of a custom check. Here a map or list is an
//! `Arc` of CEL's own map or list: a clone copies a pointer, and everything else (lookups,
//! `in`, `size()`, iteration, equality, conversion back to a [`cel::Value`]) is CEL's own code,
//! reached through [`Val::as_builtin`] and the operator traits.

use cel::common::traits::{Adder, Container, Indexer, Iterable, Sizer, Zeroer};
use cel::common::types::{
    CelBool, CelDouble, CelInt, CelList, CelMap, CelMapKey, CelNull, CelString, CelUInt, Type,
};
use cel::common::value::{Builtin, BuiltinRef, CowVal, Val};
use cel::ExecutionError;

use std::collections::HashMap;
use std::sync::Arc;

/// A variable's value, ready to bind, with the length of the longest list or map in it (the
/// most times a comprehension over any part of it may run).
pub struct Variable {
    pub val: Box<dyn Val + 'static>,
    pub items: u64,
}

impl std::fmt::Debug for Variable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Variable")
            .field("type", &self.val.get_type().name())
            .field("items", &self.items)
            .finish()
    }
}

impl Variable {
    /// `null`.
    pub fn null() -> Variable {
        Variable {
            val: Box::new(CelNull),
            items: 0,
        }
    }

    /// A value as its JSON form reads (a Kubernetes object, or part of one); `null` when it
    /// cannot be serialised.
    pub fn of<T: serde::Serialize + ?Sized>(value: &T) -> Variable {
        Variable::of_struct(value, &[], Vec::new())
    }

    /// A JSON value. Integers are CEL `int`s (as Kubernetes' CEL sees JSON integers), those
    /// above `i64::MAX` `uint`s.
    pub fn from_json(json: &serde_json::Value) -> Variable {
        let mut items = 0;
        let val = from_json(json, &mut items);
        Variable { val, items }
    }

    /// A value the CEL runtime computed (a policy's `variables`).
    pub fn from_value(value: cel::Value) -> Variable {
        let items = longest_collection(&value);
        match Box::<dyn Val>::try_from(value) {
            Ok(val) => Variable { val, items },
            Err(_) => Variable::null(),
        }
    }

    /// A map of the given string keys.
    pub fn map(entries: Vec<(&str, Variable)>) -> Variable {
        let mut items = entries.len() as u64;
        let mut map: HashMap<CelMapKey<'static>, Box<dyn Val>> =
            HashMap::with_capacity(entries.len());
        for (key, value) in entries {
            items = items.max(value.items);
            map.insert(CelMapKey::from(key.to_string()), value.val);
        }
        Variable {
            val: Box::new(SharedMap(Arc::new(CelMap::from(map)))),
            items,
        }
    }

    /// The entry `key` of a map, shared with it; `None` when absent or when this is no map.
    pub fn entry(&self, key: &str) -> Option<&(dyn Val + 'static)> {
        let map = self.val.downcast_ref::<CelMap>()?;
        map.inner()
            .get(&CelMapKey::from(key.to_string()))
            .map(|v| v.as_ref())
    }

    /// A list of the given values.
    pub fn list(elements: Vec<Variable>) -> Variable {
        let mut items = elements.len() as u64;
        let out: Vec<Box<dyn Val>> = elements
            .into_iter()
            .map(|e| {
                items = items.max(e.items);
                e.val
            })
            .collect();
        Variable {
            val: Box::new(SharedList(Arc::new(CelList::from(out)))),
            items,
        }
    }

    /// A list of the elements of the given lists, shared with them.
    pub fn concat<'a>(
        lists: impl IntoIterator<Item = Option<&'a (dyn Val + 'static)>>,
    ) -> Variable {
        let mut out: Vec<Box<dyn Val>> = Vec::new();
        let mut items = 0;
        for list in lists.into_iter().flatten() {
            let Some(list) = list.downcast_ref::<CelList>() else {
                continue;
            };
            for element in list.inner() {
                items = items.max(longest_in(element.as_ref()));
                out.push(element.clone_as_boxed());
            }
        }
        items = items.max(out.len() as u64);
        Variable {
            val: Box::new(SharedList(Arc::new(CelList::from(out)))),
            items,
        }
    }
}

impl Variable {
    /// A struct as its JSON form reads, without the top-level fields named in `skip` (never
    /// serialised at all: a workload's pod template is the costly part of its spec), with
    /// `extra` entries added; `null` when it cannot be serialised.
    pub fn of_struct<T: serde::Serialize + ?Sized>(
        value: &T,
        skip: &[&str],
        extra: Vec<(&str, Variable)>,
    ) -> Variable {
        Variable::of_struct_keeping(value, skip, None, extra)
    }

    /// As [`Variable::of_struct`], with only the top-level fields `keep` keeps.
    pub fn of_struct_keeping<T: serde::Serialize + ?Sized>(
        value: &T,
        skip: &[&str],
        keep: Option<super::fields_read::FieldsRead>,
        extra: Vec<(&str, Variable)>,
    ) -> Variable {
        let mut items = 0;
        let top = Some(super::to_val::Top { skip, keep, extra });
        match value.serialize(super::to_val::ToVal {
            items: &mut items,
            top,
        }) {
            Ok(val) => Variable { val, items },
            Err(_) => Variable::null(),
        }
    }

    /// The same value, shared.
    pub fn share(&self) -> Variable {
        Variable {
            val: self.val.clone_as_boxed(),
            items: self.items,
        }
    }
}

fn from_json(json: &serde_json::Value, items: &mut u64) -> Box<dyn Val + 'static> {
    match json {
        serde_json::Value::Null => Box::new(CelNull),
        serde_json::Value::Bool(b) => Box::new(CelBool::from(*b)),
        serde_json::Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                Box::new(CelInt::from(i))
            } else if let Some(u) = n.as_u64() {
                Box::new(CelUInt::from(u))
            } else {
                Box::new(CelDouble::from(n.as_f64().unwrap_or(f64::NAN)))
            }
        }
        serde_json::Value::String(s) => Box::new(CelString::from(s.clone())),
        serde_json::Value::Array(a) => {
            *items = (*items).max(a.len() as u64);
            let list: Vec<Box<dyn Val>> = a.iter().map(|v| from_json(v, items)).collect();
            Box::new(SharedList(Arc::new(CelList::from(list))))
        }
        serde_json::Value::Object(o) => {
            *items = (*items).max(o.len() as u64);
            let map: HashMap<CelMapKey<'static>, Box<dyn Val>> = o
                .iter()
                .map(|(k, v)| (CelMapKey::from(k.clone()), from_json(v, items)))
                .collect();
            Box::new(SharedMap(Arc::new(CelMap::from(map))))
        }
    }
}

/// The longest list or map anywhere in `v`.
fn longest_collection(v: &cel::Value) -> u64 {
    match v {
        cel::Value::List(l) => l
            .iter()
            .map(longest_collection)
            .fold(l.len() as u64, u64::max),
        cel::Value::Map(m) => m
            .map
            .values()
            .map(longest_collection)
            .fold(m.map.len() as u64, u64::max),
        _ => 0,
    }
}

/// The longest list or map anywhere in a CEL value.
fn longest_in(v: &dyn Val) -> u64 {
    if let Some(list) = v.downcast_ref::<CelList>() {
        list.inner()
            .iter()
            .map(|e| longest_in(e.as_ref()))
            .fold(list.inner().len() as u64, u64::max)
    } else if let Some(map) = v.downcast_ref::<CelMap>() {
        map.values()
            .map(|e| longest_in(e.as_ref()))
            .fold(map.len() as u64, u64::max)
    } else {
        0
    }
}

/// A CEL map, shared.
#[derive(Debug, Clone)]
pub struct SharedMap(Arc<CelMap<'static>>);

impl SharedMap {
    pub fn new(map: HashMap<CelMapKey<'static>, Box<dyn Val>>) -> SharedMap {
        SharedMap(Arc::new(CelMap::from(map)))
    }
}

/// A CEL list, shared.
#[derive(Debug, Clone)]
pub struct SharedList(Arc<CelList<'static>>);

impl SharedList {
    pub fn new(list: Vec<Box<dyn Val>>) -> SharedList {
        SharedList(Arc::new(CelList::from(list)))
    }
}

/// The parts of [`Val`] both shared kinds forward to the CEL value they share.
macro_rules! forward_val {
    ($shared:ident, $builtin:ident, $inner:ty) => {
        impl Val for $shared {
            fn get_type(&self) -> &Type {
                self.0.get_type()
            }

            fn cel_type() -> &'static Type {
                <$inner as Val>::cel_type()
            }

            fn as_container(&self) -> Option<&dyn Container> {
                self.0.as_container()
            }

            fn as_indexer<'b, 'w>(&'b self) -> Option<&'b (dyn Indexer + 'w)>
            where
                Self: 'w,
            {
                Some(self)
            }

            fn into_indexer<'w>(self: Box<Self>) -> Option<Box<dyn Indexer + 'w>>
            where
                Self: 'w,
            {
                Some(self)
            }

            fn as_iterable<'b, 'w>(&'b self) -> Option<&'b (dyn Iterable + 'w)>
            where
                Self: 'w,
            {
                Some(&*self.0)
            }

            fn as_adder<'b, 'w>(&'b self) -> Option<&'b (dyn Adder + 'w)>
            where
                Self: 'w,
            {
                self.0.as_adder()
            }

            fn as_sizer(&self) -> Option<&dyn Sizer> {
                Some(&*self.0)
            }

            fn as_zeroer(&self) -> Option<&dyn Zeroer> {
                Some(&*self.0)
            }

            fn equals(&self, other: &dyn Val) -> bool {
                self.0.equals(other)
            }

            fn clone_as_boxed<'w>(&self) -> Box<dyn Val + 'w>
            where
                Self: 'w,
            {
                Box::new(self.clone())
            }

            fn as_builtin<'b, 'w>(&'b self) -> BuiltinRef<'b, 'w>
            where
                Self: 'w,
            {
                BuiltinRef::$builtin(&self.0)
            }

            fn into_builtin<'w>(self: Box<Self>) -> Option<Builtin<'w>>
            where
                Self: 'w,
            {
                Some(Builtin::$builtin(Arc::unwrap_or_clone(self.0)))
            }
        }

        impl Indexer for $shared {
            fn get<'b, 'w>(&'b self, idx: &dyn Val) -> Result<CowVal<'b, 'w>, ExecutionError>
            where
                Self: 'w,
            {
                self.0.get(idx)
            }

            fn steal<'w>(
                self: Box<Self>,
                idx: &dyn Val,
            ) -> Result<Box<dyn Val + 'w>, ExecutionError>
            where
                Self: 'w,
            {
                self.get(idx).map(CowVal::into_owned)
            }
        }
    };
}

forward_val!(SharedMap, Map, CelMap<'static>);
forward_val!(SharedList, List, CelList<'static>);

#[cfg(test)]
mod tests {
    use super::*;

    fn run(source: &str, variables: Vec<(&str, Variable)>) -> Result<cel::Value, String> {
        let env = std::sync::Arc::new(cel::Env::stdlib());
        let program = env.compile(source).map_err(|e| e.to_string())?;
        let mut context = cel::Context::with_env(env);
        for (name, v) in variables {
            context.add_variable_as_val(name, v.val);
        }
        program.execute(&context).map_err(|e| e.to_string())
    }

    fn pod_spec() -> serde_json::Value {
        serde_json::json!({
            "containers": [
                {"name": "app", "image": "docker.io/acme/app:1", "ports": [{"containerPort": 8080}],
                 "resources": {"limits": {"cpu": "1"}}},
                {"name": "sidecar", "image": "registry.k8s.io/pause@sha256:00"}
            ],
            "initContainers": [{"name": "init", "image": "busybox"}],
            "replicas": 3,
            "big": 18446744073709551615u64,
            "ratio": 0.5,
            "on": true,
            "none": null
        })
    }

    #[test]
    fn shared_values_answer_as_cels_own_do() {
        let cases: &[(&str, cel::Value)] = &[
            ("spec.containers.size()", 2.into()),
            (
                "spec.containers.map(c, c.name)",
                vec!["app", "sidecar"].into(),
            ),
            (
                "spec.containers.filter(c, c.image.startsWith('docker.io/')).map(c, c.name)",
                vec!["app"].into(),
            ),
            ("spec.containers.all(c, has(c.image))", true.into()),
            ("spec.containers.exists(c, has(c.resources))", true.into()),
            ("has(spec.containers[1].resources)", false.into()),
            ("'initContainers' in spec", true.into()),
            ("spec.replicas + 1", 4.into()),
            ("spec.big", cel::Value::UInt(u64::MAX)),
            ("spec.ratio", 0.5.into()),
            ("spec.on && spec.none == null", true.into()),
            (
                "spec.containers[0].ports == [{'containerPort': 8080}]",
                true.into(),
            ),
            (
                "[{'containerPort': 8080}] == spec.containers[0].ports",
                true.into(),
            ),
            (
                "spec.containers[0].resources.limits == {'cpu': '1'}",
                true.into(),
            ),
            ("size(spec.containers + spec.initContainers)", 3.into()),
            (
                "spec.containers.filter(c, c.name == 'sidecar')[0].image.endsWith(':00')",
                true.into(),
            ),
        ];
        for (source, want) in cases {
            let got = run(source, vec![("spec", Variable::from_json(&pod_spec()))]);
            assert_eq!(got.as_ref(), Ok(want), "{source}");
        }
        // A whole map comes back as a CEL value.
        let got = run(
            "spec.containers[1]",
            vec![("spec", Variable::from_json(&pod_spec()))],
        )
        .unwrap();
        let cel::Value::Map(m) = got else {
            panic!("{got:?}")
        };
        assert_eq!(m.map.len(), 2);
    }

    #[test]
    fn a_missing_key_is_an_error_and_has_is_false() {
        let spec = || vec![("spec", Variable::from_json(&pod_spec()))];
        assert!(run("spec.nothing", spec()).unwrap_err().contains("nothing"));
        assert_eq!(run("has(spec.nothing)", spec()), Ok(false.into()));
    }

    #[test]
    fn entries_and_concatenations_share_the_parts_they_are_made_of() {
        let spec = Variable::from_json(&pod_spec());
        let all = Variable::concat([spec.entry("initContainers"), spec.entry("containers")]);
        // Three containers; the longest collection is the app container's four fields.
        assert_eq!(all.items, 4);
        assert_eq!(
            run("all.map(c, c.name)", vec![("all", all)]),
            Ok(vec!["init", "app", "sidecar"].into())
        );
        assert!(spec.entry("nothing").is_none());
        assert!(Variable::null().entry("containers").is_none());
    }

    #[test]
    fn a_struct_leaves_out_the_skipped_fields_and_takes_the_extra_ones() {
        let spec = k8s_openapi::api::apps::v1::DeploymentSpec {
            replicas: Some(3),
            template: k8s_openapi::api::core::v1::PodTemplateSpec {
                spec: Some(Default::default()),
                ..Default::default()
            },
            ..Default::default()
        };
        let whole = Variable::of(&spec);
        let without = Variable::of_struct(&spec, &["template"], vec![]);
        let with = Variable::of_struct(&spec, &["template"], vec![("template", Variable::null())]);
        let read = |v: Variable, source: &str| run(source, vec![("spec", v)]);
        assert_eq!(read(whole, "has(spec.template)"), Ok(true.into()));
        assert_eq!(read(without, "has(spec.template)"), Ok(false.into()));
        assert_eq!(
            read(with, "spec.template == null && spec.replicas == 3"),
            Ok(true.into())
        );
        // A value that is no struct is no map.
        assert!(Variable::of_struct(&3, &[], vec![]).entry("x").is_none());
    }

    #[test]
    fn the_longest_collection_is_counted_at_any_depth() {
        let v = Variable::from_json(&serde_json::json!({"a": {"b": [1, 2, 3, 4, 5]}}));
        assert_eq!(v.items, 5);
        let m = Variable::map(vec![("x", v), ("y", Variable::null())]);
        assert_eq!(m.items, 5);
        let computed = Variable::from_value(cel::Value::List(std::sync::Arc::new(vec![
            1.into(),
            2.into(),
        ])));
        assert_eq!(computed.items, 2);
    }
}
