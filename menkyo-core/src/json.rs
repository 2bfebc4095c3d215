//! JSON documents read strictly: an object that names a key twice is refused.
//!
//! `serde_json::Value` keeps the last of two equal keys, and parsers differ (some keep the
//! first): `{"kenhojo": {…}, "kenhojo": null}` would be read one way by a relying party's
//! filter and another way here. A document whose meaning depends on the parser is refused.

use core::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Why a document was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrictJsonError {
    /// Not JSON, at this line and column.
    Syntax { line: usize, column: usize },
    /// An object names a key twice, at this line and column.
    DuplicateKey { line: usize, column: usize },
}

const DUPLICATE: &str = "duplicate key";

/// Parses `bytes` as JSON, refusing duplicate keys at any depth.
pub fn parse_strict(bytes: &[u8]) -> Result<Value, StrictJsonError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = Strict.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    value.map_err(|e| {
        let (line, column) = (e.line(), e.column());
        if e.is_data() && e.to_string().starts_with(DUPLICATE) {
            StrictJsonError::DuplicateKey { line, column }
        } else {
            StrictJsonError::Syntax { line, column }
        }
    })
}

/// A `Value` seed that refuses an object naming a key twice.
#[derive(Clone, Copy)]
struct Strict;

impl<'de> DeserializeSeed<'de> for Strict {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v).map(Value::Number).ok_or_else(|| E::custom("a number JSON cannot hold"))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(Strict)? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.contains_key(&key) {
                // The key is never named: it may be anything the sender put there.
                return Err(de::Error::custom(DUPLICATE));
            }
            let value = map.next_value_seed(Strict)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_what_serde_json_reads() {
        let doc = br#"{"a": [1, -2, 3.5, "x", null, true, {"b": {}}], "c": "\u00e9", "d": 18446744073709551615}"#;
        assert_eq!(parse_strict(doc).unwrap(), serde_json::from_slice::<Value>(doc).unwrap());
    }

    #[test]
    fn refuses_a_key_named_twice_at_any_depth() {
        assert_eq!(parse_strict(br#"{"a":1,"a":2}"#), Err(StrictJsonError::DuplicateKey { line: 1, column: 10 }));
        assert!(matches!(
            parse_strict(br#"{"s":{"kenhojo":{},"x":[{"k":1,"k":1}]}}"#),
            Err(StrictJsonError::DuplicateKey { .. })
        ));
        // Keys compare after unescaping, as every parser reads them.
        assert!(matches!(parse_strict(br#"{"a":1,"\u0061":2}"#), Err(StrictJsonError::DuplicateKey { .. })));
        assert!(matches!(
            parse_strict(br#"{"kenhojo":1,"ken\u0068ojo":2}"#),
            Err(StrictJsonError::DuplicateKey { .. })
        ));
        // The same key in two objects is fine.
        assert!(parse_strict(br#"[{"a":1},{"a":2}]"#).is_ok());
    }

    #[test]
    fn syntax_errors_and_trailing_data() {
        assert!(matches!(parse_strict(b"{\"a\":"), Err(StrictJsonError::Syntax { .. })));
        assert!(matches!(parse_strict(b"{} {}"), Err(StrictJsonError::Syntax { .. })));
        assert!(matches!(parse_strict(b""), Err(StrictJsonError::Syntax { .. })));
        // serde_json's depth limit holds: no stack overflow on deep nesting.
        let deep = "[".repeat(100_000);
        assert!(matches!(parse_strict(deep.as_bytes()), Err(StrictJsonError::Syntax { .. })));
    }
}
