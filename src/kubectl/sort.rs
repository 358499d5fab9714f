//! `--sort-by`: orders objects by the first value a JSONPath finds in
//! each, as kubectl's sorter compares them (numbers numerically, strings
//! as quantities when both parse as one, else lexically; objects without
//! the field first).

use std::cmp::Ordering;
use std::rc::Rc;

use serde_json::Value;

use super::jsonpath::JsonPath;
use crate::sim::object::Object;
use crate::sim::quantity;

pub fn by_path(objects: &mut [Rc<Object>], path: &JsonPath) {
    let key = |o: &Rc<Object>| {
        // A null (an unset Go time) sorts as a missing value does.
        path.find(&o.to_json())
            .ok()
            .and_then(|r| r.into_iter().flatten().next())
            .filter(|v| !v.is_null())
    };
    let mut keyed: Vec<(Option<Value>, Rc<Object>)> =
        objects.iter().map(|o| (key(o), o.clone())).collect();
    keyed.sort_by(|(a, _), (b, _)| compare(a.as_ref(), b.as_ref()));
    for (slot, (_, object)) in objects.iter_mut().zip(keyed) {
        *slot = object;
    }
}

fn compare(a: Option<&Value>, b: Option<&Value>) -> Ordering {
    match (a, b) {
        (None, None) => Ordering::Equal,
        (None, _) => Ordering::Less,
        (_, None) => Ordering::Greater,
        (Some(Value::Number(x)), Some(Value::Number(y))) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(Ordering::Equal),
        (Some(Value::String(x)), Some(Value::String(y))) => {
            match (quantity::parse(x), quantity::parse(y)) {
                (Some(qx), Some(qy)) => qx.cmp(&qy),
                _ => x.cmp(y),
            }
        }
        (Some(Value::Array(x)), Some(Value::Array(y))) => x
            .iter()
            .zip(y.iter())
            .map(|(a, b)| compare(Some(a), Some(b)))
            .find(|o| *o != Ordering::Equal)
            .unwrap_or(Ordering::Equal),
        _ => Ordering::Equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn numbers_quantities_and_missing() {
        assert_eq!(compare(Some(&json!(2)), Some(&json!(10))), Ordering::Less);
        assert_eq!(
            compare(Some(&json!("500Mi")), Some(&json!("1Gi"))),
            Ordering::Less
        );
        assert_eq!(
            compare(Some(&json!("web-10")), Some(&json!("web-2"))),
            Ordering::Less
        );
        assert_eq!(compare(None, Some(&json!("a"))), Ordering::Less);
    }
}
