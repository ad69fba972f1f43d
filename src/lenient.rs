//! Lenient number parsing: integer fields also accept integral floats such as `670.0`, which
//! contract fuzzers and some JSON encoders send.

use serde::de::{self, Deserializer, Visitor};

/// Non-negative integers as the schema documents them: `int64` with `minimum: 0`, so at
/// most 2^63-1 (what a client's int64 can hold), although the field is a `u64`.
struct U64Visitor;

impl Visitor<'_> for U64Visitor {
    type Value = u64;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a non-negative integer up to 2^63-1")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<u64, E> {
        if i64::try_from(v).is_ok() {
            Ok(v)
        } else {
            Err(E::invalid_value(de::Unexpected::Unsigned(v), &self))
        }
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<u64, E> {
        u64::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<u64, E> {
        // 2^63 is the first float past i64::MAX (which has no exact f64).
        if v.fract() == 0.0 && (0.0..9_223_372_036_854_775_808.0).contains(&v) {
            Ok(v as u64)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

struct I32Visitor;

impl Visitor<'_> for I32Visitor {
    type Value = i32;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an integer")
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<i32, E> {
        i32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Unsigned(v), &self))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<i32, E> {
        i32::try_from(v).map_err(|_| E::invalid_value(de::Unexpected::Signed(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<i32, E> {
        if v.fract() == 0.0 && v >= f64::from(i32::MIN) && v <= f64::from(i32::MAX) {
            Ok(v as i32)
        } else {
            Err(E::invalid_value(de::Unexpected::Float(v), &self))
        }
    }
}

/// For required `i32` fields.
pub fn i32_from_number<'de, D: Deserializer<'de>>(d: D) -> Result<i32, D::Error> {
    d.deserialize_any(I32Visitor)
}

/// For `Option<i32>` fields (use with `#[serde(default)]`).
pub fn opt_i32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i32>, D::Error> {
    d.deserialize_option(Optional(I32Visitor))
}

/// `null`/absent, or whatever the inner visitor accepts.
struct Optional<V>(V);

impl<'de, V: Visitor<'de>> Visitor<'de> for Optional<V> {
    type Value = Option<V::Value>;
    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        self.0.expecting(f)?;
        f.write_str(" or null")
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
        d.deserialize_any(self.0).map(Some)
    }
}

/// For `Option<T>` struct fields that must be JSON objects: serde's derived structs also
/// accept arrays (`[1, 2]` as positional fields), which the OpenAPI schema does not allow.
pub fn opt_object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<Object<T>> as serde::Deserialize>::deserialize(d).map(|o| o.map(|Object(t)| t))
}

/// A `T` that only deserializes from a JSON object (see [`opt_object`]).
///
/// The body is first read as a whole JSON value, then converted to `T`. Reading it whole is
/// what keeps "not JSON" apart from "JSON of the wrong shape": serde_json reports a number
/// where an enum belongs (`{"analyze": 5}`) as a *syntax* error ("expected value") when it
/// deserializes a struct straight from text, but as a type error from a value. So a syntax
/// error here is really one, and everything `T` refuses is a data error (`invalid_type`,
/// `unknown_field`). A key given twice is refused, as serde's derive refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Object<T>(pub T);

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Object<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = d.deserialize_any(StrictValue)?;
        if !value.is_object() {
            return Err(de::Error::invalid_type(
                unexpected(&value),
                &"a JSON object",
            ));
        }
        T::deserialize(value).map(Object).map_err(de::Error::custom)
    }
}

fn unexpected(v: &serde_json::Value) -> de::Unexpected<'_> {
    use serde_json::Value;
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

/// A JSON value whose objects have no key twice.
struct StrictValue;

impl<'de> Visitor<'de> for StrictValue {
    type Value = serde_json::Value;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, Into::into))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(v.into())
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(serde_json::Value::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element_seed(StrictValue)? {
            items.push(item);
        }
        Ok(items.into())
    }
    fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut object = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(StrictValue)?;
            if object.contains_key(&key) {
                return Err(de::Error::custom(format_args!("duplicate field `{key}`")));
            }
            object.insert(key, value);
        }
        Ok(object.into())
    }
}

impl<'de> de::DeserializeSeed<'de> for StrictValue {
    type Value = serde_json::Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

/// For `Option<u64>` fields (use with `#[serde(default)]`).
pub fn opt_u64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
    d.deserialize_option(Optional(U64Visitor))
}

/// For `Option<u32>` fields (use with `#[serde(default)]`).
pub fn opt_u32<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u32>, D::Error> {
    match opt_u64(d)? {
        None => Ok(None),
        Some(v) => u32::try_from(v).map(Some).map_err(|_| {
            de::Error::invalid_value(de::Unexpected::Unsigned(v), &"an integer below 2^32")
        }),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    #[derive(serde::Deserialize, Debug)]
    struct T {
        #[serde(default, deserialize_with = "super::opt_u64")]
        n: Option<u64>,
    }

    fn parse(s: &str) -> Result<Option<u64>, String> {
        serde_json::from_str::<T>(s)
            .map(|t| t.n)
            .map_err(|e| e.to_string())
    }

    #[test]
    fn integral_floats_are_integers_and_others_are_refused() {
        assert_eq!(parse(r#"{"n": 670}"#), Ok(Some(670)));
        assert_eq!(parse(r#"{"n": 670.0}"#), Ok(Some(670)));
        assert_eq!(parse(r#"{"n": 1e3}"#), Ok(Some(1000)));
        assert_eq!(parse(r#"{"n": null}"#), Ok(None));
        assert_eq!(parse(r#"{}"#), Ok(None));
        assert!(parse(r#"{"n": 1.5}"#)
            .unwrap_err()
            .contains("invalid value"));
        assert!(parse(r#"{"n": -1}"#).unwrap_err().contains("invalid value"));
        assert!(parse(r#"{"n": "5"}"#).unwrap_err().contains("invalid type"));
    }

    #[test]
    fn a_u64_field_takes_what_int64_holds_and_no_more() {
        assert_eq!(
            parse(r#"{"n": 9223372036854775807}"#),
            Ok(Some(i64::MAX as u64))
        );
        for over in ["9223372036854775808", "18446744073709551615", "9.3e18"] {
            let err = parse(&format!(r#"{{"n": {over}}}"#)).unwrap_err();
            assert!(err.contains("up to 2^63-1"), "{over}: {err}");
        }
    }

    #[derive(serde::Deserialize, Debug)]
    struct U32 {
        #[serde(default, deserialize_with = "super::opt_u32")]
        n: Option<u32>,
    }

    #[test]
    fn a_u32_takes_integral_floats_up_to_its_maximum() {
        let parse = |s: &str| {
            serde_json::from_str::<U32>(s)
                .map(|t| t.n)
                .map_err(|e| e.to_string())
        };
        assert_eq!(parse(r#"{"n": 4294967295.0}"#), Ok(Some(u32::MAX)));
        assert_eq!(parse(r#"{"n": null}"#), Ok(None));
        assert!(parse(r#"{"n": 4294967296}"#)
            .unwrap_err()
            .contains("below 2^32"));
    }
}
