//! Namespace objects as CEL values, converted once per grading pass.
//!
//! Every workload of a namespace sees the same `namespaceObject`; converting it for each
//! workload cost as much as a custom check's own evaluation. During a pass run through
//! [`sharing`], the first workload of a namespace converts it and the rest share that value;
//! an expression that reads nothing but `namespaceObject` is evaluated once per namespace.
//! The pass borrows the model it grades, so nothing can change a Namespace while the value is
//! kept, and the values are dropped when the pass ends.

use super::cel::{Expression, Outcome};
use super::shared_value::Variable;
use crate::cluster::ClusterModel;
use std::cell::RefCell;
use std::collections::HashMap;

/// What the pass under way converted and evaluated, by model (its address).
#[derive(Default)]
struct Converted {
    /// Namespace name → value.
    values: HashMap<usize, HashMap<String, Variable>>,
    /// (model, expression) → namespace name → outcome.
    outcomes: HashMap<(usize, usize), HashMap<String, Outcome>>,
}

thread_local! {
    static CONVERTED: RefCell<Option<Converted>> = const { RefCell::new(None) };
}

/// Runs `pass`, in which [`value`] converts each namespace once.
pub fn sharing<T>(pass: impl FnOnce() -> T) -> T {
    /// Puts back what an enclosing pass kept, also when `pass` panics.
    struct Restore(Option<Converted>);
    impl Drop for Restore {
        fn drop(&mut self) {
            let outer = self.0.take();
            CONVERTED.with(|c| *c.borrow_mut() = outer);
        }
    }
    let outer = CONVERTED.with(|c| c.borrow_mut().replace(Converted::default()));
    let _restore = Restore(outer);
    pass()
}

/// The Namespace object `name` of `model` as CEL sees it, `null` when the model has none.
pub fn value(model: &ClusterModel, name: &str) -> Variable {
    let convert =
        || super::custom::namespace_object(model, name).map_or_else(Variable::null, Variable::of);
    CONVERTED.with(|c| {
        let mut c = c.borrow_mut();
        let Some(converted) = c.as_mut() else {
            return convert();
        };
        let of_model = converted
            .values
            .entry(model as *const ClusterModel as usize)
            .or_default();
        if let Some(v) = of_model.get(name) {
            return v.share();
        }
        let v = convert();
        let shared = v.share();
        of_model.insert(name.to_string(), v);
        shared
    })
}

/// The outcome of `expression`, which reads nothing but `namespaceObject`, on the namespace
/// `name` of `model`: `evaluate` runs once per namespace in a pass, and every time outside one.
pub fn outcome(
    model: &ClusterModel,
    name: &str,
    expression: &Expression,
    evaluate: impl FnOnce() -> Outcome,
) -> Outcome {
    let key = (
        model as *const ClusterModel as usize,
        expression as *const Expression as usize,
    );
    let known = CONVERTED.with(|c| {
        c.borrow().as_ref().map(|converted| {
            converted
                .outcomes
                .get(&key)
                .and_then(|of_namespace| of_namespace.get(name))
                .cloned()
        })
    });
    match known {
        // Outside a pass.
        None => evaluate(),
        Some(Some(outcome)) => outcome,
        Some(None) => {
            // Evaluated with the cell released: evaluating converts the namespace through it.
            let outcome = evaluate();
            CONVERTED.with(|c| {
                if let Some(converted) = c.borrow_mut().as_mut() {
                    converted
                        .outcomes
                        .entry(key)
                        .or_default()
                        .insert(name.to_string(), outcome.clone());
                }
            });
            outcome
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The value as CEL prints it.
    fn labels(v: &Variable) -> Option<String> {
        let value: cel::Value = v.val.as_ref().try_into().ok()?;
        Some(format!("{value:?}"))
    }

    #[test]
    fn a_pass_converts_each_namespace_once_and_outside_a_pass_nothing_is_kept() {
        let mut model = crate::testing::model(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {team: a}}\n",
        );
        let in_pass = sharing(|| {
            let first = value(&model, "shop");
            let second = value(&model, "shop");
            // The same value, shared: one conversion.
            let (a, b) = (first.val.as_ref(), second.val.as_ref());
            assert!(std::ptr::addr_eq(
                a.downcast_ref::<cel::common::types::CelMap>().unwrap(),
                b.downcast_ref::<cel::common::types::CelMap>().unwrap()
            ));
            assert!(value(&model, "nowhere")
                .val
                .downcast_ref::<cel::common::types::CelNull>()
                .is_some());
            labels(&first)
        });
        assert!(in_pass.as_deref().unwrap().contains("team"), "{in_pass:?}");
        // A changed Namespace is seen by the next pass, and outside a pass.
        let msgs = crate::source::file::load_str(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop, labels: {owner: b}}\n",
            "ns.yaml",
            &crate::source::LoadOptions::default(),
        )
        .unwrap();
        for m in msgs {
            model.apply(m);
        }
        let next = sharing(|| labels(&value(&model, "shop")));
        assert!(next.as_deref().unwrap().contains("owner"), "{next:?}");
        assert!(labels(&value(&model, "shop")).unwrap().contains("owner"));
    }

    #[test]
    fn an_expression_of_the_namespace_alone_is_evaluated_once_per_namespace_in_a_pass() {
        let model = crate::testing::model(
            "apiVersion: v1\nkind: Namespace\nmetadata: {name: shop}\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: data}\n",
        );
        let expression = super::super::cel::compile(
            "namespaceObject != null",
            &super::super::cel::CHECK_VARIABLES,
            super::super::cel::Expect::Check,
        )
        .unwrap();
        let runs = std::cell::Cell::new(0);
        let run = |outcome: Outcome| {
            runs.set(runs.get() + 1);
            outcome
        };
        sharing(|| {
            for ns in ["shop", "shop", "data", "shop", "data"] {
                let o = outcome(&model, ns, &expression, || run(Outcome::Pass));
                assert_eq!(o, Outcome::Pass);
            }
        });
        assert_eq!(runs.get(), 2, "once for shop, once for data");
        // Outside a pass nothing is kept.
        outcome(&model, "shop", &expression, || {
            run(Outcome::Fail(Vec::new()))
        });
        let o = outcome(&model, "shop", &expression, || {
            run(Outcome::Unknown("x".into()))
        });
        assert_eq!(o, Outcome::Unknown("x".into()));
        assert_eq!(runs.get(), 4);
    }
}
