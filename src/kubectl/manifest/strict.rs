//! Decoding a document into its API type the way the apiserver's JSON
//! decoder does, with fieldValidation=Strict. The schema is k8s-openapi's own
//! Deserialize code: we hand it a deserializer that watches what it asks for
//! (a struct and its field names, an int32, a list, a quantity) and compares
//! that with the JSON, so unknown fields and type errors are found for every
//! field of every type without a hand-written schema.

use super::converter::{self, Dest};
use crate::kubectl::gojson::kind_of;
use std::cell::RefCell;
use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess,
    Visitor,
};
use serde_json::{Map, Value};

use crate::kubectl::levenshtein;
use crate::sim::quantity;

/// A field the type does not have, and the type's closest field name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unknown {
    pub path: String,
    pub suggestion: Option<String>,
}

/// A value Go's decoder refuses. `fatal` errors (from a type's own
/// UnmarshalJSON, like Quantity's) stop decoding at once and win over type
/// errors, which Go saves while it goes on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fault {
    pub path: String,
    pub message: String,
    pub fatal: bool,
    /// What the unstructured converter says of the same value (a strategic
    /// merge patch's result goes through it), when it refuses it too.
    pub converter: Option<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Findings {
    pub unknown: Vec<Unknown>,
    pub fault: Option<Fault>,
}

/// Decodes `value` into `T`, reporting unknown fields and the first refused
/// value. The decoded object is returned only if nothing was refused.
pub fn decode<T: DeserializeOwned>(value: &Value) -> (Option<T>, Findings) {
    let report = RefCell::new(Findings::default());
    let root = Checked {
        value,
        at: At {
            path: String::new(),
            go_struct: "",
            go_fields: String::new(),
            go_type: None,
            report: &report,
        },
    };
    let decoded = T::deserialize(root).ok();
    let findings = report.into_inner();
    if findings.fault.is_some() {
        return (None, findings);
    }
    (decoded, findings)
}

/// Why decoding stopped.
#[derive(Debug)]
pub enum Stop {
    /// A refused value, already recorded.
    Refused,
    /// A type probe's answer: the Go type the visitor asked for.
    Probe(String),
    Custom(String),
}

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Stop::Refused => f.write_str("refused"),
            Stop::Probe(t) => write!(f, "probe {t}"),
            Stop::Custom(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(msg: T) -> Stop {
        Stop::Custom(msg.to_string())
    }
}

/// Where the decoder is: the JSON path (with list indices, for positions and
/// strict errors), and Go's view of it (innermost struct, field names only).
#[derive(Clone)]
struct At<'r> {
    path: String,
    go_struct: &'static str,
    go_fields: String,
    /// The Go type of this field when k8s-openapi flattens a named Go type.
    go_type: Option<&'static str>,
    report: &'r RefCell<Findings>,
}

impl<'r> At<'r> {
    fn field(&self, go_struct: &'static str, name: &str) -> At<'r> {
        At {
            path: join(&self.path, name),
            go_struct,
            go_fields: join(&self.go_fields, name),
            go_type: named_type(go_struct, name),
            report: self.report,
        }
    }

    fn entry(&self, key: &str) -> At<'r> {
        At {
            path: join(&self.path, key),
            go_type: None,
            ..self.clone()
        }
    }

    fn item(&self, index: usize) -> At<'r> {
        At {
            path: format!("{}[{index}]", self.path),
            go_type: self.go_type.and_then(|t| t.strip_prefix("[]")),
            ..self.clone()
        }
    }

    fn refuse(&self, message: String, fatal: bool) -> Stop {
        self.record(message, fatal, None)
    }

    fn record(&self, message: String, fatal: bool, converter: Option<String>) -> Stop {
        let mut report = self.report.borrow_mut();
        let replace = match &report.fault {
            None => true,
            Some(existing) => fatal && !existing.fatal,
        };
        if replace {
            report.fault = Some(Fault {
                path: self.path.clone(),
                message,
                fatal,
                converter,
            });
        }
        Stop::Refused
    }

    /// encoding/json's UnmarshalTypeError text for `source` (described as
    /// `value`) in a field of `go_type`, and the converter's.
    fn mismatch(&self, source: &Value, value: &str, go_type: &str, dest: Dest) -> Stop {
        let message = if self.go_struct.is_empty() {
            format!("json: cannot unmarshal {value} into Go value of type {go_type}")
        } else {
            format!(
                "json: cannot unmarshal {value} into Go struct field {}.{} of type {go_type}",
                self.go_struct, self.go_fields
            )
        };
        self.record(message, false, converter::message(source, dest, go_type))
    }
}

fn join(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// Go's names for fields that k8s-openapi types as plain strings, lists or
/// maps, as they appear in "of type …" messages.
fn named_type(go_struct: &str, field: &str) -> Option<&'static str> {
    Some(match (go_struct, field) {
        ("StatefulSetSpec", "podManagementPolicy") => "v1.PodManagementPolicyType",
        ("StatefulSetUpdateStrategy", "type") => "v1.StatefulSetUpdateStrategyType",
        ("StatefulSetPersistentVolumeClaimRetentionPolicy", "whenDeleted" | "whenScaled") => {
            "v1.PersistentVolumeClaimRetentionPolicyType"
        }
        ("PodSpec", "restartPolicy") => "v1.RestartPolicy",
        ("PodSpec", "dnsPolicy") => "v1.DNSPolicy",
        ("Container", "imagePullPolicy") => "v1.PullPolicy",
        ("Container", "terminationMessagePolicy") => "v1.TerminationMessagePolicy",
        ("ContainerPort" | "ServicePort", "protocol") => "v1.Protocol",
        ("ServiceSpec", "type") => "v1.ServiceType",
        ("ServiceSpec", "sessionAffinity") => "v1.ServiceAffinity",
        ("ServiceSpec", "externalTrafficPolicy") => "v1.ServiceExternalTrafficPolicy",
        ("ServiceSpec", "internalTrafficPolicy") => "v1.ServiceInternalTrafficPolicy",
        ("ServiceSpec", "ipFamilyPolicy") => "v1.IPFamilyPolicy",
        ("ServiceSpec", "ipFamilies") => "[]v1.IPFamily",
        ("PersistentVolumeClaimSpec" | "PersistentVolumeSpec", "accessModes") => {
            "[]v1.PersistentVolumeAccessMode"
        }
        ("PersistentVolumeClaimSpec" | "PersistentVolumeSpec", "volumeMode") => {
            "v1.PersistentVolumeMode"
        }
        ("PersistentVolumeSpec", "persistentVolumeReclaimPolicy") => {
            "v1.PersistentVolumeReclaimPolicy"
        }
        ("PersistentVolumeSpec", "capacity") => "v1.ResourceList",
        ("VolumeResourceRequirements" | "ResourceRequirements", "limits" | "requests") => {
            "v1.ResourceList"
        }
        ("StorageClass", "reclaimPolicy") => "v1.PersistentVolumeReclaimPolicy",
        ("StorageClass", "volumeBindingMode") => "v1.VolumeBindingMode",
        ("LabelSelectorRequirement", "operator") => "v1.LabelSelectorOperator",
        ("Toleration", "operator") => "v1.TolerationOperator",
        ("Toleration", "effect") => "v1.TaintEffect",
        ("NamespaceSpec", "finalizers") => "[]v1.FinalizerName",
        _ => return None,
    })
}

/// The name of the closest field: same letters in another case, or at most
/// a third of the letters different.
fn nearest<'f>(name: &str, fields: &[&'f str]) -> Option<&'f str> {
    let lower = name.to_ascii_lowercase();
    if let Some(same) = fields.iter().find(|f| f.to_ascii_lowercase() == lower) {
        return Some(same);
    }
    fields
        .iter()
        .map(|f| (levenshtein(&lower, &f.to_ascii_lowercase()), *f))
        .filter(|(d, f)| *d <= (f.len().max(name.len()) / 3).max(1))
        .min()
        .map(|(_, f)| f)
}

/// The visitor's description of what it expects, e.g. "IntOrString".
fn expecting<'de, V: Visitor<'de>>(visitor: &V) -> String {
    struct Expecting<'a, V>(&'a V);
    impl<'de, V: Visitor<'de>> fmt::Display for Expecting<'_, V> {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            self.0.expecting(f)
        }
    }
    Expecting(visitor).to_string()
}

struct Checked<'de, 'r> {
    value: &'de Value,
    at: At<'r>,
}

impl<'de> Checked<'de, '_> {
    fn go_type_or(&self, fallback: &str) -> String {
        self.at
            .go_type
            .map_or_else(|| fallback.to_string(), str::to_string)
    }

    fn int<V: Visitor<'de>>(
        self,
        visitor: V,
        go_type: &str,
        range: (i64, i64),
    ) -> Result<V::Value, Stop> {
        match self.value {
            Value::Null => visitor.visit_i64(0),
            Value::Number(n) => match n.as_i64() {
                Some(i) if i >= range.0 && i <= range.1 => visitor.visit_i64(i),
                _ => Err(self
                    .at
                    .mismatch(self.value, &format!("number {n}"), go_type, Dest::Int)),
            },
            other => {
                Err(self
                    .at
                    .mismatch(other, kind_of(other), &self.go_type_or(go_type), Dest::Int))
            }
        }
    }

    fn quantity<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let checked = match self.value {
            Value::Null => return visitor.visit_newtype_struct("0".into_deserializer()),
            Value::Number(_) => Ok(()),
            Value::String(s) => quantity::sign(s.trim()).map(|_| ()),
            _ => Err(quantity::FORMAT_WRONG),
        };
        match checked {
            Ok(()) => visitor.visit_newtype_struct(self),
            Err(message) => Err(self.at.refuse(message.to_string(), true)),
        }
    }

    /// IntOrString's UnmarshalJSON: a JSON string, or else an int32.
    fn int_or_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let value = match self.value {
            Value::String(s) => return visitor.visit_borrowed_str(s),
            Value::Null => return visitor.visit_i32(0),
            Value::Number(n) => match n.as_i64().and_then(|i| i32::try_from(i).ok()) {
                Some(i) => return visitor.visit_i32(i),
                None => format!("number {n}"),
            },
            other => kind_of(other).to_string(),
        };
        Err(self.at.refuse(
            format!("json: cannot unmarshal {value} into Go value of type int32"),
            true,
        ))
    }
}

/// Methods that read their value as another method does (a tuple as a list, a char as a string).
macro_rules! forward {
    ($($method:ident($($arg:ident: $ty:ty),*) => $to:ident;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, $($arg: $ty,)* visitor: V) -> Result<V::Value, Stop> {
                self.$to(visitor)
            }
        )*
    };
}

macro_rules! ints {
    ($($method:ident => $go:literal, $min:expr, $max:expr;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
                self.int(visitor, $go, ($min, $max))
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Checked<'de, '_> {
    type Error = Stop;

    forward! {
        deserialize_f32() => deserialize_f64;
        deserialize_char() => deserialize_str;
        deserialize_string() => deserialize_str;
        deserialize_bytes() => deserialize_str;
        deserialize_byte_buf() => deserialize_str;
        deserialize_identifier() => deserialize_str;
        deserialize_tuple(_len: usize) => deserialize_seq;
        deserialize_tuple_struct(_name: &'static str, _len: usize) => deserialize_seq;
        deserialize_unit_struct(_name: &'static str) => deserialize_unit;
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        if expecting(&visitor) == "IntOrString" {
            return self.int_or_string(visitor);
        }
        self.value
            .deserialize_any(visitor)
            .map_err(|e| Stop::Custom(e.to_string()))
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.value {
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Null => visitor.visit_bool(false),
            other => Err(self.at.mismatch(other, kind_of(other), "bool", Dest::Bool)),
        }
    }

    ints! {
        deserialize_i8 => "int8", i8::MIN.into(), i8::MAX.into();
        deserialize_i16 => "int16", i16::MIN.into(), i16::MAX.into();
        deserialize_i32 => "int32", i32::MIN.into(), i32::MAX.into();
        deserialize_i64 => "int64", i64::MIN, i64::MAX;
        deserialize_u8 => "uint8", 0, u8::MAX.into();
        deserialize_u16 => "uint16", 0, u16::MAX.into();
        deserialize_u32 => "uint32", 0, u32::MAX.into();
        deserialize_u64 => "uint64", 0, i64::MAX;
    }

    fn deserialize_f64<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.value {
            Value::Number(n) => visitor.visit_f64(n.as_f64().unwrap_or_default()),
            Value::Null => visitor.visit_f64(0.0),
            other => Err(self
                .at
                .mismatch(other, kind_of(other), "float64", Dest::Float)),
        }
    }

    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.value {
            // []byte fields (a Secret's data): encoding/json decodes base64 itself.
            Value::String(s) if expecting(&visitor) == "a base64-encoded string" => {
                match base64_fault(s) {
                    Some(at) => Err(self
                        .at
                        .refuse(format!("illegal base64 data at input byte {at}"), true)),
                    None => visitor.visit_str(&s.replace(['\r', '\n'], "")),
                }
            }
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Null => visitor.visit_str(""),
            other => {
                Err(self
                    .at
                    .mismatch(other, kind_of(other), &self.go_type_or("string"), Dest::Str))
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_unit()
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Stop> {
        match name {
            "Quantity" => self.quantity(visitor),
            _ => visitor.visit_newtype_struct(self),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.value {
            Value::Array(items) => visitor.visit_seq(Items {
                items: items.iter().enumerate(),
                at: self.at,
            }),
            Value::Null => visitor.visit_seq(Items {
                items: [].iter().enumerate(),
                at: self.at,
            }),
            other => {
                let go_type = match self.at.go_type {
                    Some(t) => t.to_string(),
                    None => format!("[]{}", probe_item(visitor)),
                };
                Err(self
                    .at
                    .mismatch(other, kind_of(other), &go_type, Dest::Slice))
            }
        }
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        match self.value {
            Value::Object(map) => visitor.visit_map(Entries {
                entries: map.iter(),
                value: None,
                at: self.at,
                go_struct: None,
            }),
            Value::Null => visitor.visit_map(Entries {
                entries: empty().iter(),
                value: None,
                at: self.at,
                go_struct: None,
            }),
            other => Err(self.at.mismatch(
                other,
                kind_of(other),
                &self.go_type_or("map[string]string"),
                Dest::Map,
            )),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        let map = match self.value {
            Value::Object(map) => map,
            Value::Null => empty(),
            other => {
                return Err(self.at.mismatch(
                    other,
                    kind_of(other),
                    &self.go_type_or(&format!("v1.{name}")),
                    Dest::Struct,
                ))
            }
        };
        for key in map.keys().filter(|k| !fields.contains(&k.as_str())) {
            let suggestion = nearest(key, fields).map(|f| join(&self.at.path, f));
            self.at.report.borrow_mut().unknown.push(Unknown {
                path: join(&self.at.path, key),
                suggestion,
            });
        }
        visitor.visit_map(Entries {
            entries: map.iter(),
            value: None,
            at: self.at,
            go_struct: Some((name, fields)),
        })
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Stop> {
        self.value
            .deserialize_enum(name, variants, visitor)
            .map_err(|e| Stop::Custom(e.to_string()))
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_unit()
    }
}

/// The map a JSON null stands for.
/// Where Go's padded standard base64 decoder gives up on `text`, if it does:
/// the byte offset of a character outside the alphabet, of misplaced
/// padding, or of an incomplete last group. Line breaks are skipped.
fn base64_fault(text: &str) -> Option<usize> {
    let is_alphabet = |c: u8| c.is_ascii_alphanumeric() || c == b'+' || c == b'/';
    let mut group = 0;
    let mut group_start = 0;
    let mut padding_needed = 0;
    let mut finished = false;
    for (at, c) in text.bytes().enumerate() {
        match c {
            b'\r' | b'\n' => continue,
            _ if finished => return Some(at),
            b'=' if padding_needed > 0 => {
                padding_needed -= 1;
                finished = padding_needed == 0;
            }
            b'=' if group >= 2 => {
                padding_needed = 3 - group;
                finished = padding_needed == 0;
            }
            _ if padding_needed > 0 || !is_alphabet(c) => return Some(at),
            _ => {
                if group == 0 {
                    group_start = at;
                }
                group = (group + 1) % 4;
            }
        }
    }
    (group != 0 && !finished).then_some(group_start)
}

fn empty() -> &'static Map<String, Value> {
    static EMPTY: std::sync::OnceLock<Map<String, Value>> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Map::new)
}

struct Items<'de, 'r, I: Iterator<Item = (usize, &'de Value)>> {
    items: I,
    at: At<'r>,
}

impl<'de, I: Iterator<Item = (usize, &'de Value)>> SeqAccess<'de> for Items<'de, '_, I> {
    type Error = Stop;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Stop> {
        match self.items.next() {
            Some((index, value)) => seed
                .deserialize(Checked {
                    value,
                    at: self.at.item(index),
                })
                .map(Some),
            None => Ok(None),
        }
    }
}

/// A map's entries, or a struct's known fields (unknown ones were reported
/// and are skipped, as the strict decoder drops them).
struct Entries<'de, 'r> {
    entries: serde_json::map::Iter<'de>,
    value: Option<(&'de String, &'de Value)>,
    at: At<'r>,
    go_struct: Option<(&'static str, &'static [&'static str])>,
}

impl<'de> MapAccess<'de> for Entries<'de, '_> {
    type Error = Stop;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Stop> {
        for (key, value) in self.entries.by_ref() {
            if self
                .go_struct
                .is_some_and(|(_, fields)| !fields.contains(&key.as_str()))
            {
                continue;
            }
            self.value = Some((key, value));
            let key: de::value::BorrowedStrDeserializer<'de, Stop> =
                de::value::BorrowedStrDeserializer::new(key);
            return seed.deserialize(key).map(Some);
        }
        Ok(None)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Stop> {
        let Some((key, value)) = self.value.take() else {
            return Err(Stop::Custom("value without a key".to_string()));
        };
        let at = match self.go_struct {
            Some((name, _)) => self.at.field(name, key),
            None => self.at.entry(key),
        };
        seed.deserialize(Checked { value, at })
    }
}

/// Asks a list's visitor for one item and reports the Go type it wanted.
fn probe_item<'de, V: Visitor<'de>>(visitor: V) -> String {
    struct One(bool);
    impl<'de> SeqAccess<'de> for One {
        type Error = Stop;
        fn next_element_seed<T: DeserializeSeed<'de>>(
            &mut self,
            seed: T,
        ) -> Result<Option<T::Value>, Stop> {
            if std::mem::replace(&mut self.0, true) {
                return Ok(None);
            }
            seed.deserialize(Probe).map(Some)
        }
    }
    match visitor.visit_seq(One(false)) {
        Err(Stop::Probe(go_type)) => go_type,
        _ => "interface {}".to_string(),
    }
}

/// A deserializer that answers every request with the Go type requested.
struct Probe;

macro_rules! probes {
    ($($method:ident => $go:literal;)*) => {
        $(
            fn $method<V: Visitor<'de>>(self, _visitor: V) -> Result<V::Value, Stop> {
                Err(Stop::Probe($go.to_string()))
            }
        )*
    };
}

/// Named Go types: the probe answers `v1.NAME`.
macro_rules! named_probes {
    ($($method:ident($($arg:ident: $ty:ty),*);)*) => {
        $(
            fn $method<V: Visitor<'de>>(
                self,
                name: &'static str,
                $($arg: $ty,)*
                _visitor: V,
            ) -> Result<V::Value, Stop> {
                Err(Stop::Probe(format!("v1.{name}")))
            }
        )*
    };
}

impl<'de> Deserializer<'de> for Probe {
    type Error = Stop;

    forward! {
        deserialize_tuple(_len: usize) => deserialize_seq;
        deserialize_tuple_struct(_name: &'static str, _len: usize) => deserialize_seq;
    }

    probes! {
        deserialize_bool => "bool";
        deserialize_i8 => "int8";
        deserialize_i16 => "int16";
        deserialize_i32 => "int32";
        deserialize_i64 => "int64";
        deserialize_u8 => "uint8";
        deserialize_u16 => "uint16";
        deserialize_u32 => "uint32";
        deserialize_u64 => "uint64";
        deserialize_f32 => "float32";
        deserialize_f64 => "float64";
        deserialize_char => "string";
        deserialize_str => "string";
        deserialize_string => "string";
        deserialize_bytes => "[]uint8";
        deserialize_byte_buf => "[]uint8";
        deserialize_unit => "struct {}";
        deserialize_seq => "[]interface {}";
        deserialize_map => "map[string]string";
        deserialize_identifier => "string";
        deserialize_ignored_any => "interface {}";
    }

    named_probes! {
        deserialize_unit_struct();
        deserialize_struct(_fields: &'static [&'static str]);
        deserialize_enum(_variants: &'static [&'static str]);
    }

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        let go_type = match expecting(&visitor).as_str() {
            "IntOrString" => "intstr.IntOrString".to_string(),
            _ => "interface {}".to_string(),
        };
        Err(Stop::Probe(go_type))
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Stop> {
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _visitor: V,
    ) -> Result<V::Value, Stop> {
        Err(Stop::Probe(match name {
            "Quantity" => "resource.Quantity".to_string(),
            other => format!("v1.{other}"),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use k8s_openapi::api::apps::v1::StatefulSet;
    use k8s_openapi::api::core::v1::{PersistentVolumeClaim, Service};
    use serde_json::json;

    fn findings<T: DeserializeOwned>(value: Value) -> Findings {
        decode::<T>(&value).1
    }

    #[test]
    fn secret_data_is_base64_as_go_reads_it() {
        for good in ["", "YWRtaW4=", "YQ==", "YWJj", "YWRt\naW4="] {
            assert_eq!(base64_fault(good), None, "{good:?}");
        }
        for (bad, at) in [
            ("not base64!", 3),
            ("YWRtaW4", 4),
            ("Y", 0),
            ("=YWJ", 0),
            ("YQ==YQ==", 4),
            ("YQ=a", 3),
        ] {
            assert_eq!(base64_fault(bad), Some(at), "{bad:?}");
        }
        let (secret, found) = decode::<k8s_openapi::api::core::v1::Secret>(&json!({
            "metadata": {"name": "db"}, "data": {"a": "YWRt\naW4=", "b": "no way"}
        }));
        assert!(secret.is_none());
        let fault = found.fault.expect("a fault");
        assert_eq!(fault.message, "illegal base64 data at input byte 2");
        assert_eq!(fault.path, "data.b");
    }

    #[test]
    fn unknown_fields_with_suggestions() {
        let found = findings::<StatefulSet>(json!({
            "apiVersion": "apps/v1", "kind": "StatefulSet",
            "metadata": {"name": "web", "lables": {"a": "b"}},
            "spec": {"replica": 3, "selector": {}, "template": {"spec": {"containers": [{"name": "a", "imag": "x", "Ports": []}]}}}
        }));
        let unknown: Vec<(&str, Option<&str>)> = found
            .unknown
            .iter()
            .map(|u| (u.path.as_str(), u.suggestion.as_deref()))
            .collect();
        assert_eq!(
            unknown,
            [
                ("metadata.lables", Some("metadata.labels")),
                ("spec.replica", Some("spec.replicas")),
                (
                    "spec.template.spec.containers[0].Ports",
                    Some("spec.template.spec.containers[0].ports")
                ),
                (
                    "spec.template.spec.containers[0].imag",
                    Some("spec.template.spec.containers[0].image")
                ),
            ]
        );
        assert_eq!(found.fault, None);
    }

    #[test]
    fn type_errors_in_go_words() {
        let cases = [
            (
                json!({"spec": {"replicas": "3"}}),
                "spec.replicas",
                "json: cannot unmarshal string into Go struct field StatefulSetSpec.spec.replicas of type int32",
            ),
            (
                json!({"spec": {"replicas": 2.5}}),
                "spec.replicas",
                "json: cannot unmarshal number 2.5 into Go struct field StatefulSetSpec.spec.replicas of type int32",
            ),
            (
                json!({"metadata": {"labels": {"version": 1}}}),
                "metadata.labels.version",
                "json: cannot unmarshal number into Go struct field ObjectMeta.metadata.labels of type string",
            ),
            (
                json!({"metadata": {"labels": ["a"]}}),
                "metadata.labels",
                "json: cannot unmarshal array into Go struct field ObjectMeta.metadata.labels of type map[string]string",
            ),
            (
                json!({"spec": {"template": {"spec": {"containers": {"name": "x"}}}}}),
                "spec.template.spec.containers",
                "json: cannot unmarshal object into Go struct field PodSpec.spec.template.spec.containers of type []v1.Container",
            ),
            (
                json!({"spec": {"template": {"spec": {"containers": [{"ports": [{"containerPort": "80"}]}]}}}}),
                "spec.template.spec.containers[0].ports[0].containerPort",
                "json: cannot unmarshal string into Go struct field ContainerPort.spec.template.spec.containers.ports.containerPort of type int32",
            ),
            (
                json!({"spec": {"podManagementPolicy": 1}}),
                "spec.podManagementPolicy",
                "json: cannot unmarshal number into Go struct field StatefulSetSpec.spec.podManagementPolicy of type v1.PodManagementPolicyType",
            ),
            (
                json!({"spec": []}),
                "spec",
                "json: cannot unmarshal array into Go struct field StatefulSet.spec of type v1.StatefulSetSpec",
            ),
        ];
        for (value, path, message) in cases {
            let fault = findings::<StatefulSet>(value).fault.unwrap();
            assert_eq!(
                (fault.path.as_str(), fault.message.as_str()),
                (path, message)
            );
        }
    }

    #[test]
    fn quantities_and_int_or_string_use_their_own_errors() {
        let fault = findings::<PersistentVolumeClaim>(
            json!({"spec": {"resources": {"requests": {"storage": "1Gb"}}}}),
        )
        .fault
        .unwrap();
        assert_eq!(fault.path, "spec.resources.requests.storage");
        assert_eq!(fault.message, quantity::FORMAT_WRONG);
        let fault =
            findings::<Service>(json!({"spec": {"ports": [{"port": 80, "targetPort": true}]}}))
                .fault
                .unwrap();
        assert_eq!(
            fault.message,
            "json: cannot unmarshal bool into Go value of type int32"
        );
        let (svc, found) =
            decode::<Service>(&json!({"spec": {"ports": [{"port": 80, "targetPort": "web"}]}}));
        assert_eq!(found, Findings::default());
        assert!(svc.is_some());
    }
}
