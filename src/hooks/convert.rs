//! JSON values in and out of Lua without losing what CoCart's responses depend on.
//!
//! A plain Lua table has no key order, no null and no difference between an empty array
//! and an empty object, yet cartd copies CoCart's JSON field order exactly and PHP's
//! empty-array habits. So the bridge keeps three facts beside the tables it builds:
//! - an object remembers its key order in a weak-keyed side table; keys a script adds come
//!   after the remembered ones (integer keys ascending, then strings sorted), keys it
//!   removes disappear, and `cocart.ordered_pairs` walks the same order;
//! - an array carries a shared metatable, so it stays an array even when empty;
//! - JSON `null` inside a value is the light userdata `cocart.null` (a Lua `nil` would
//!   delete the key), and a script may return `cocart.null` to mean null.
//!
//! A table built by a script with no marks becomes an array when it is a sequence
//! `1..n`, an empty array when empty (PHP's `array()`), and an object otherwise. Lua
//! integers stay JSON integers and floats stay floats.

use std::cmp::Ordering;

use mlua::{Lua, Table, Value as LuaValue};
use serde_json::{Map, Number, Value};

/// Deepest nesting converted in either direction; deeper values (or cyclic tables) are
/// refused rather than overflowing the stack.
const MAX_DEPTH: usize = 128;

/// The per-state tables that carry JSON facts Lua tables cannot hold themselves.
#[derive(Clone)]
pub(crate) struct JsonBridge {
    /// Weak-keyed: object table → sequence of its keys in JSON order.
    key_order: Table,
    /// Metatable shared by every table that is a JSON array.
    array_metatable: Table,
}

impl JsonBridge {
    /// Creates the side tables in `lua`.
    pub(crate) fn new(lua: &Lua) -> mlua::Result<JsonBridge> {
        let key_order = lua.create_table()?;
        let weak_keys = lua.create_table()?;
        weak_keys.raw_set("__mode", "k")?;
        key_order.set_metatable(Some(weak_keys))?;
        let array_metatable = lua.create_table()?;
        array_metatable.raw_set("__name", "cartd.json_array")?;
        Ok(JsonBridge {
            key_order,
            array_metatable,
        })
    }

    /// Converts a JSON value for a script; nested nulls become `cocart.null`, a top-level
    /// null becomes `nil` (an absent argument reads naturally in Lua).
    pub(crate) fn argument_to_lua(&self, lua: &Lua, value: &Value) -> mlua::Result<LuaValue> {
        match value {
            Value::Null => Ok(LuaValue::Nil),
            other => self.json_to_lua(lua, other, 0),
        }
    }

    /// Converts a JSON value for a script, keeping nulls as `cocart.null`.
    pub(crate) fn value_to_lua(&self, lua: &Lua, value: &Value) -> mlua::Result<LuaValue> {
        self.json_to_lua(lua, value, 0)
    }

    fn json_to_lua(&self, lua: &Lua, value: &Value, depth: usize) -> mlua::Result<LuaValue> {
        if depth > MAX_DEPTH {
            return Err(mlua::Error::runtime(
                "value is nested too deeply to pass to Lua",
            ));
        }
        Ok(match value {
            Value::Null => LuaValue::NULL,
            Value::Bool(flag) => LuaValue::Boolean(*flag),
            Value::Number(number) => match number.as_i64() {
                Some(integer) => LuaValue::Integer(integer),
                None => LuaValue::Number(number.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(text) => LuaValue::String(lua.create_string(text)?),
            Value::Array(items) => {
                let table = lua.create_table_with_capacity(items.len(), 0)?;
                for (index, item) in items.iter().enumerate() {
                    table.raw_set(index + 1, self.json_to_lua(lua, item, depth + 1)?)?;
                }
                table.set_metatable(Some(self.array_metatable.clone()))?;
                LuaValue::Table(table)
            }
            Value::Object(fields) => {
                let table = lua.create_table_with_capacity(0, fields.len())?;
                let order = lua.create_table_with_capacity(fields.len(), 0)?;
                for (position, (key, field)) in fields.iter().enumerate() {
                    let key = lua.create_string(key)?;
                    table.raw_set(key.clone(), self.json_to_lua(lua, field, depth + 1)?)?;
                    order.raw_set(position + 1, key)?;
                }
                self.key_order.raw_set(table.clone(), order)?;
                LuaValue::Table(table)
            }
        })
    }

    /// Converts a script's value back to JSON (`nil` and `cocart.null` become null).
    pub(crate) fn to_json(&self, value: &LuaValue) -> mlua::Result<Value> {
        self.lua_to_json(value, 0)
    }

    fn lua_to_json(&self, value: &LuaValue, depth: usize) -> mlua::Result<Value> {
        if depth > MAX_DEPTH {
            return Err(mlua::Error::runtime(
                "value is nested too deeply (or cyclic) to convert to JSON",
            ));
        }
        match value {
            LuaValue::Nil => Ok(Value::Null),
            LuaValue::LightUserData(data) if data.0.is_null() => Ok(Value::Null),
            LuaValue::Boolean(flag) => Ok(Value::Bool(*flag)),
            LuaValue::Integer(integer) => Ok(Value::from(*integer)),
            LuaValue::Number(number) => Number::from_f64(*number)
                .map(Value::Number)
                .ok_or_else(|| mlua::Error::runtime(format!("cannot convert {number} to JSON"))),
            LuaValue::String(text) => Ok(Value::String(text.to_str()?.to_string())),
            LuaValue::Table(table) => self.table_to_json(table, depth),
            other => Err(mlua::Error::runtime(format!(
                "cannot convert a Lua {} to JSON",
                other.type_name()
            ))),
        }
    }

    fn table_to_json(&self, table: &Table, depth: usize) -> mlua::Result<Value> {
        match self.shape_of(table)? {
            TableShape::Array(length) => {
                let mut items = Vec::with_capacity(length);
                for index in 1..=length {
                    items.push(self.lua_to_json(&table.raw_get::<LuaValue>(index)?, depth + 1)?);
                }
                Ok(Value::Array(items))
            }
            TableShape::Object(keys) => {
                let mut fields = Map::with_capacity(keys.len());
                for key in keys {
                    let field = table.raw_get::<LuaValue>(key.clone())?;
                    fields.insert(key_to_string(&key)?, self.lua_to_json(&field, depth + 1)?);
                }
                Ok(Value::Object(fields))
            }
        }
    }

    /// Decides whether `table` is a JSON array or object, and the object's key order.
    fn shape_of(&self, table: &Table) -> mlua::Result<TableShape> {
        if self.is_marked_array(table) {
            return Ok(TableShape::Array(table.raw_len()));
        }
        let remembered: Option<Table> = self.key_order.raw_get(table.clone())?;
        let mut present = Vec::new();
        table.for_each::<LuaValue, LuaValue>(|key, _| {
            present.push(key);
            Ok(())
        })?;
        let Some(remembered) = remembered else {
            let length = table.raw_len();
            if present.len() == length {
                return Ok(TableShape::Array(length));
            }
            present.sort_by(compare_keys);
            return Ok(TableShape::Object(present));
        };
        let mut keys = Vec::with_capacity(present.len());
        for key in remembered.sequence_values::<LuaValue>() {
            let key = key?;
            if !table.raw_get::<LuaValue>(key.clone())?.is_nil() {
                keys.push(key);
            }
        }
        let mut added: Vec<LuaValue> = present
            .into_iter()
            .filter(|key| !keys.contains(key))
            .collect();
        added.sort_by(compare_keys);
        keys.extend(added);
        Ok(TableShape::Object(keys))
    }

    fn is_marked_array(&self, table: &Table) -> bool {
        table
            .metatable()
            .is_some_and(|metatable| metatable == self.array_metatable)
    }

    /// The keys of `table` in the order its JSON form would list them (`1..n` for arrays).
    pub(crate) fn ordered_keys(&self, table: &Table) -> mlua::Result<Vec<LuaValue>> {
        Ok(match self.shape_of(table)? {
            TableShape::Array(length) => (1..=length)
                .filter_map(|index| i64::try_from(index).ok())
                .map(LuaValue::Integer)
                .collect(),
            TableShape::Object(keys) => keys,
        })
    }

    /// Marks `table` as a JSON array (so it stays `[]` when empty).
    pub(crate) fn mark_array(&self, table: &Table) -> mlua::Result<()> {
        table.set_metatable(Some(self.array_metatable.clone()))
    }

    /// Marks `table` as a JSON object (so it stays `{}` when empty), keeping the order of
    /// the keys it already has.
    pub(crate) fn mark_object(&self, lua: &Lua, table: &Table) -> mlua::Result<()> {
        if self.is_marked_array(table) {
            table.set_metatable(None)?;
        }
        let keys = match self.shape_of(table)? {
            TableShape::Object(keys) => keys,
            TableShape::Array(length) => (1..=length)
                .filter_map(|index| i64::try_from(index).ok())
                .map(LuaValue::Integer)
                .collect(),
        };
        self.key_order
            .raw_set(table.clone(), lua.create_sequence_from(keys)?)
    }
}

/// How a Lua table maps to JSON.
enum TableShape {
    /// An array of this many elements (`1..=n`).
    Array(usize),
    /// An object with these keys, in output order.
    Object(Vec<LuaValue>),
}

/// Order for keys a script added: integers ascending, then strings, then anything else.
fn compare_keys(left: &LuaValue, right: &LuaValue) -> Ordering {
    match (left, right) {
        (LuaValue::Integer(a), LuaValue::Integer(b)) => a.cmp(b),
        (LuaValue::Integer(_), _) => Ordering::Less,
        (_, LuaValue::Integer(_)) => Ordering::Greater,
        (LuaValue::String(a), LuaValue::String(b)) => a.as_bytes().cmp(&b.as_bytes()),
        (LuaValue::String(_), _) => Ordering::Less,
        (_, LuaValue::String(_)) => Ordering::Greater,
        _ => Ordering::Equal,
    }
}

fn key_to_string(key: &LuaValue) -> mlua::Result<String> {
    match key {
        LuaValue::String(text) => Ok(text.to_str()?.to_string()),
        LuaValue::Integer(integer) => Ok(integer.to_string()),
        other => Err(mlua::Error::runtime(format!(
            "a JSON object key cannot be a Lua {}",
            other.type_name()
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn round_trip_through(script: &str, input: Value) -> Value {
        let lua = Lua::new();
        let bridge = JsonBridge::new(&lua).unwrap();
        let function: mlua::Function = lua.load(script).eval().unwrap();
        let argument = bridge.value_to_lua(&lua, &input).unwrap();
        let result: LuaValue = function.call(argument).unwrap();
        bridge.to_json(&result).unwrap()
    }

    #[test]
    fn values_survive_a_round_trip_unchanged() {
        let input = json!({
            "zeta": 1, "alpha": [1, 2.5, null, "x"], "empty_list": [], "empty_map": {},
            "nested": { "b": null, "a": true }, "big": 9007199254740993i64
        });
        assert_eq!(
            round_trip_through("return function(v) return v end", input.clone()),
            input
        );
        let text = serde_json::to_string(&round_trip_through(
            "return function(v) return v end",
            input.clone(),
        ))
        .unwrap();
        assert_eq!(text, serde_json::to_string(&input).unwrap());
    }

    #[test]
    fn added_keys_follow_the_remembered_ones_and_removed_keys_vanish() {
        let output = round_trip_through(
            "return function(v) v.sku = 'S'; v.b = nil; v[3] = 'three'; return v end",
            json!({ "c": 1, "b": 2, "a": 3 }),
        );
        assert_eq!(
            serde_json::to_string(&output).unwrap(),
            r#"{"c":1,"a":3,"3":"three","sku":"S"}"#
        );
    }

    #[test]
    fn script_built_tables_become_arrays_or_objects_by_shape() {
        assert_eq!(
            round_trip_through("return function() return {} end", Value::Null),
            json!([])
        );
        assert_eq!(
            round_trip_through("return function() return {1, 2} end", Value::Null),
            json!([1, 2])
        );
        assert_eq!(
            round_trip_through("return function() return {b = 1, a = 2} end", Value::Null),
            json!({ "a": 2, "b": 1 })
        );
    }

    #[test]
    fn integers_stay_integers_and_floats_stay_floats() {
        let output = round_trip_through(
            "return function(v) return {v.n + 1, v.n / 2, v.f * 2} end",
            json!({ "n": 4, "f": 1.5 }),
        );
        assert_eq!(serde_json::to_string(&output).unwrap(), "[5,2.0,3.0]");
    }

    #[test]
    fn cyclic_tables_are_refused() {
        let lua = Lua::new();
        let bridge = JsonBridge::new(&lua).unwrap();
        let value: LuaValue = lua
            .load("local t = {}; t.self = t; return t")
            .eval()
            .unwrap();
        assert!(bridge.to_json(&value).is_err());
    }

    #[test]
    fn functions_cannot_be_converted() {
        let lua = Lua::new();
        let bridge = JsonBridge::new(&lua).unwrap();
        let value: LuaValue = lua.load("return { f = print }").eval().unwrap();
        assert!(
            bridge
                .to_json(&value)
                .unwrap_err()
                .to_string()
                .contains("function")
        );
    }
}
