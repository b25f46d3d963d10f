//! Behaviour of the hook runtime as the cart domain sees it: ordering, failures, the
//! sandbox, budgets, reload.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tempfile::TempDir;

use super::*;
use crate::cart::hooks::{ExtensionOutcome, Hooks};

/// A hooks folder holding `scripts` (file name, source), and a config listing them.
fn hooks_dir(scripts: &[(&str, &str)]) -> (TempDir, HooksConfig) {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("hooks")).unwrap();
    for (file, source) in scripts {
        let path = dir.path().join("hooks").join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, source).unwrap();
    }
    let config = HooksConfig {
        scripts: scripts
            .iter()
            .map(|(file, _)| file.to_string())
            .filter(|file| !file.contains('/'))
            .collect(),
        pool_size: 1,
        ..HooksConfig::default()
    };
    (dir, config)
}

fn load(scripts: &[(&str, &str)]) -> (TempDir, HookRuntime) {
    let (dir, config) = hooks_dir(scripts);
    let runtime = HookRuntime::load(&config, dir.path()).unwrap();
    (dir, runtime)
}

fn load_with(
    scripts: &[(&str, &str)],
    adjust: impl FnOnce(&mut HooksConfig),
) -> (TempDir, HookRuntime) {
    let (dir, mut config) = hooks_dir(scripts);
    adjust(&mut config);
    let runtime = HookRuntime::load(&config, dir.path()).unwrap();
    (dir, runtime)
}

fn error_count(runtime: &HookRuntime, hook: &str) -> u64 {
    runtime
        .error_counts()
        .into_iter()
        .find(|(name, _)| name == hook)
        .map_or(0, |(_, count)| count)
}

#[test]
fn a_filter_return_value_takes_effect_and_nil_keeps_the_value() {
    let (_dir, runtime) = load(&[(
        "double.lua",
        r#"
        cocart.add_filter("double", function(n, extra) return n * 2 + extra end)
        cocart.add_filter("keep", function(value) value.changed = true end)
        "#,
    )]);
    assert_eq!(
        runtime
            .apply_filters("double", json!(5), &[json!(1)])
            .unwrap(),
        json!(11)
    );
    assert_eq!(
        runtime
            .apply_filters("keep", json!({ "a": 1 }), &[])
            .unwrap(),
        json!({ "a": 1 })
    );
}

#[test]
fn callbacks_run_by_priority_then_registration_order_across_scripts() {
    let (_dir, runtime) = load(&[
        (
            "first.lua",
            r#"
            local function append(tag) return function(list) list[#list + 1] = tag; return list end end
            cocart.add_filter("order", append("first@10"))
            cocart.add_filter("order", append("first@20"), 20)
            cocart.add_filter("order", append("first@5"), 5)
            "#,
        ),
        (
            "second.lua",
            r#"
            cocart.add_filter("order", function(list) list[#list + 1] = "second@10"; return list end, 10)
            cocart.add_filter("order", function(list) list[#list + 1] = "second@-1"; return list end, -1)
            "#,
        ),
    ]);
    assert_eq!(
        runtime.apply_filters("order", json!([]), &[]).unwrap(),
        json!(["second@-1", "first@5", "first@10", "second@10", "first@20"])
    );
}

#[test]
fn an_action_receives_its_arguments() {
    let (_dir, runtime) = load(&[(
        "record.lua",
        r#"
        local calls = cocart.json.array()
        cocart.add_action("cocart_item_added_to_cart", function(item_key, line, request)
          calls[#calls + 1] = { key = item_key, product = line.product_id, quantity = line.quantity,
                                has_request = request ~= nil }
        end)
        cocart.add_filter("recorded_calls", function() return calls end)
        "#,
    )]);
    runtime
        .do_action(
            "cocart_item_added_to_cart",
            &[json!("abc"), json!({ "product_id": 12, "quantity": 1.5 })],
        )
        .unwrap();
    assert_eq!(
        runtime
            .apply_filters("recorded_calls", Value::Null, &[])
            .unwrap(),
        json!([{ "key": "abc", "product": 12, "quantity": 1.5, "has_request": false }])
    );
}

#[test]
fn has_is_false_for_names_without_callbacks() {
    let (_dir, runtime) = load(&[(
        "one.lua",
        r#"cocart.add_action("cocart_cart_cleared", function() end)"#,
    )]);
    assert!(runtime.has("cocart_cart_cleared"));
    assert!(!runtime.has("cocart_cart"));
    assert!(!HookRuntime::empty().has("cocart_cart_cleared"));
    assert_eq!(
        runtime
            .apply_filters("cocart_cart", json!({ "a": 1 }), &[])
            .unwrap(),
        json!({ "a": 1 })
    );
}

#[test]
fn the_seed_message_name_joins_the_response_chain_after_its_own_callbacks() {
    let (_dir, runtime) = load(&[(
        "alias.lua",
        r#"
        cocart.add_filter("cocart_ok_to_add_message", function(m) return m .. "+message" end, 1)
        cocart.add_filter("cocart_ok_to_add_response", function(m) return m .. "+response" end, 50)
        "#,
    )]);
    assert_eq!(
        runtime
            .apply_filters("cocart_ok_to_add_response", json!(""), &[])
            .unwrap(),
        json!("+response+message")
    );
    assert_eq!(
        runtime.registered_hook_names(),
        vec!["cocart_ok_to_add_message", "cocart_ok_to_add_response"]
    );
}

#[test]
fn each_script_reads_its_own_settings() {
    let (dir, mut config) = hooks_dir(&[
        (
            "alpha.lua",
            r#"cocart.add_filter("settings", function(all) all[#all + 1] = cocart.settings; return all end)"#,
        ),
        (
            "beta.lua",
            r#"cocart.add_filter("settings", function(all) all[#all + 1] = cocart.settings; return all end)"#,
        ),
    ]);
    config
        .settings
        .insert("alpha".into(), json!({ "limit": 3, "name": "a" }));
    let runtime = HookRuntime::load(&config, dir.path()).unwrap();
    assert_eq!(
        runtime.apply_filters("settings", json!([]), &[]).unwrap(),
        json!([{ "limit": 3, "name": "a" }, {}])
    );
}

#[test]
fn settings_that_are_not_a_table_are_refused() {
    let (dir, mut config) = hooks_dir(&[("alpha.lua", "")]);
    config.settings.insert("alpha".into(), json!(3));
    assert!(matches!(
        HookRuntime::load(&config, dir.path()),
        Err(HookLoadError::InvalidSettings { .. })
    ));
}

#[test]
fn key_order_survives_a_filter_and_new_keys_come_last() {
    let (_dir, runtime) = load(&[(
        "sku.lua",
        r#"cocart.add_filter("item", function(item) item.sku = "S1"; return item end)"#,
    )]);
    let output = runtime
        .apply_filters(
            "item",
            json!({ "item_key": "k", "id": 1, "name": "Hat" }),
            &[],
        )
        .unwrap();
    assert_eq!(
        serde_json::to_string(&output).unwrap(),
        r#"{"item_key":"k","id":1,"name":"Hat","sku":"S1"}"#
    );
}

#[test]
fn ordered_pairs_walks_objects_in_json_order() {
    let (_dir, runtime) = load(&[(
        "keys.lua",
        r#"cocart.add_filter("keys", function(map)
             local keys = {}
             for key in cocart.ordered_pairs(map) do keys[#keys + 1] = key end
             return keys
           end)"#,
    )]);
    assert_eq!(
        runtime
            .apply_filters("keys", json!({ "z": 1, "b": null, "m": 3, "a": 4 }), &[])
            .unwrap(),
        json!(["z", "b", "m", "a"])
    );
}

#[test]
fn json_helpers_round_trip_and_keep_null() {
    let (_dir, runtime) = load(&[(
        "json.lua",
        r#"cocart.add_filter("json", function(value)
             local text = cocart.json.encode(value)
             local back = cocart.json.decode(text)
             return { text = text, back = back, is_null = back.gone == cocart.null }
           end)"#,
    )]);
    let output = runtime
        .apply_filters("json", json!({ "gone": null, "n": 1 }), &[])
        .unwrap();
    assert_eq!(
        output,
        json!({ "text": r#"{"gone":null,"n":1}"#, "back": { "gone": null, "n": 1 }, "is_null": true })
    );
}

#[test]
fn a_failing_callback_is_skipped_logged_and_counted() {
    let (_dir, runtime) = load(&[(
        "broken.lua",
        r#"
        cocart.add_filter("price", function(p) return p + 1 end, 1)
        cocart.add_filter("price", function(p) p.missing.field = 1 end, 2)
        cocart.add_filter("price", function(p) return p * 10 end, 3)
        "#,
    )]);
    assert_eq!(
        runtime.apply_filters("price", json!(1), &[]).unwrap(),
        json!(20)
    );
    assert_eq!(error_count(&runtime, "price"), 1);
}

#[test]
fn fail_closed_returns_the_failure_with_script_and_line() {
    let (_dir, runtime) = load_with(
        &[(
            "strict.lua",
            "cocart.add_filter('valid', function() error('no') end)",
        )],
        |config| {
            config.fail_closed = true;
        },
    );
    assert!(runtime.fail_closed());
    let error = runtime
        .apply_filters("valid", json!(true), &[])
        .unwrap_err();
    assert_eq!(error.hook, "valid");
    assert!(
        error.message.contains("strict.lua:1: no"),
        "{}",
        error.message
    );
}

#[test]
fn a_return_value_that_cannot_become_json_is_a_failure() {
    let (_dir, runtime) = load(&[(
        "fn.lua",
        "cocart.add_filter('f', function() return { f = print } end)",
    )]);
    assert_eq!(runtime.apply_filters("f", json!(1), &[]).unwrap(), json!(1));
    assert_eq!(error_count(&runtime, "f"), 1);
}

#[test]
fn hooks_cannot_be_registered_after_loading() {
    let (_dir, runtime) = load_with(
        &[(
            "late.lua",
            "cocart.add_action('late', function() cocart.add_action('later', print) end)",
        )],
        |config| {
            config.fail_closed = true;
        },
    );
    let error = runtime.do_action("late", &[]).unwrap_err();
    assert!(
        error
            .message
            .contains("only be registered while the script loads"),
        "{}",
        error.message
    );
    assert!(!runtime.has("later"));
}

/// A filter that runs `code` (a Lua chunk) and reports whether it succeeded.
const PROBE: &str = r#"
cocart.add_filter("probe", function(code)
  local chunk, compile_error = load(code)
  if not chunk then return { ok = false, error = tostring(compile_error) } end
  local ok, result = pcall(chunk)
  return { ok = ok and result ~= nil, error = tostring(result) }
end)
"#;

fn probe(runtime: &HookRuntime, code: &str) -> Value {
    runtime.apply_filters("probe", json!(code), &[]).unwrap()
}

#[test]
fn sandbox_escapes_are_refused() {
    let (dir, runtime) = load(&[
        ("probe.lua", PROBE),
        ("lib/helper.lua", "return { answer = 42 }"),
    ]);
    std::fs::write(dir.path().join("secret.lua"), "return 'secret'").unwrap();
    for code in [
        "return io.open('/etc/passwd')",
        "return os.execute('true')",
        "return os.getenv('HOME')",
        "return debug.getinfo(1)",
        "return dofile('/etc/passwd')",
        "return loadfile('/etc/passwd')",
        "return package.loadlib",
        "return require('../secret')",
        "return require('/etc/passwd')",
        "return require('secret')",
        "return string.dump(print)",
        "return collectgarbage('count')",
        "return load('\\27Lua\\84\\0')",
    ] {
        let outcome = probe(&runtime, code);
        assert_eq!(outcome["ok"], json!(false), "{code} was allowed: {outcome}");
    }
    assert_eq!(
        probe(&runtime, "return require('lib.helper').answer == 42")["ok"],
        json!(true)
    );
    assert_eq!(
        probe(&runtime, "return os.time() > 0 and math.floor(2.5) == 2")["ok"],
        json!(true)
    );
    let binary = probe(
        &runtime,
        "local _, refusal = load('\\27Lua\\84\\0'); return refusal",
    );
    assert!(
        binary["error"].as_str().unwrap().contains("binary"),
        "{binary}"
    );
}

#[test]
fn an_infinite_loop_is_stopped_and_the_value_passes_through() {
    let (_dir, runtime) = load(&[(
        "loop.lua",
        r#"
        cocart.add_filter("spin", function(v) while true do end end)
        cocart.add_filter("spin_in_pcall", function(v) while true do pcall(function() while true do end end) end end)
        cocart.add_filter("after", function(v) return v + 1 end)
        "#,
    )]);
    let started = Instant::now();
    assert_eq!(
        runtime.apply_filters("spin", json!(7), &[]).unwrap(),
        json!(7)
    );
    assert_eq!(
        runtime
            .apply_filters("spin_in_pcall", json!(8), &[])
            .unwrap(),
        json!(8)
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(error_count(&runtime, "spin"), 1);
    assert_eq!(error_count(&runtime, "spin_in_pcall"), 1);
    assert_eq!(
        runtime.apply_filters("after", json!(1), &[]).unwrap(),
        json!(2)
    );
}

#[test]
fn pcall_cannot_swallow_a_spent_budget() {
    let (_dir, runtime) = load_with(
        &[(
            "swallow.lua",
            "cocart.add_filter('swallow', function() while true do pcall(function() while true do end end) end end)",
        )],
        |config| config.fail_closed = true,
    );
    let error = runtime.apply_filters("swallow", json!(1), &[]).unwrap_err();
    assert!(
        error
            .message
            .contains("instruction budget of 1000000 exceeded"),
        "{}",
        error.message
    );
}

#[test]
fn the_time_budget_stops_a_callback_that_has_instructions_left() {
    let (_dir, runtime) = load_with(
        &[(
            "slow.lua",
            "cocart.add_filter('slow', function() while true do end end)",
        )],
        |config| {
            config.instruction_budget = u64::MAX;
            config.time_budget_ms = 30;
            config.fail_closed = true;
        },
    );
    let started = Instant::now();
    let error = runtime.apply_filters("slow", json!(1), &[]).unwrap_err();
    assert!(
        error.message.contains("time budget of 30 ms exceeded"),
        "{}",
        error.message
    );
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn the_instruction_budget_is_reported_by_name() {
    let (_dir, runtime) = load_with(
        &[(
            "spin.lua",
            "cocart.add_filter('spin', function() while true do end end)",
        )],
        |config| {
            config.instruction_budget = 5000;
            config.time_budget_ms = 60_000;
            config.fail_closed = true;
        },
    );
    let error = runtime.apply_filters("spin", json!(1), &[]).unwrap_err();
    assert!(
        error
            .message
            .contains("instruction budget of 5000 exceeded"),
        "{}",
        error.message
    );
}

const MEMORY_BOMBS: &str = r#"
cocart.add_filter("bomb", function(v)
  local hoard = {}
  for i = 1, 1e9 do hoard[i] = string.rep("x", 1000) .. i end
end)
cocart.add_filter("big_string", function(v) return string.rep("x", 1e9) end)
cocart.add_filter("fine", function(v) return v .. "!" end)
"#;

fn memory_bomb_runtime(fail_closed: bool) -> (TempDir, HookRuntime) {
    load_with(&[("bomb.lua", MEMORY_BOMBS)], |config| {
        config.memory_limit_bytes = 4 * 1024 * 1024;
        config.instruction_budget = u64::MAX;
        config.time_budget_ms = 60_000;
        config.fail_closed = fail_closed;
    })
}

#[test]
fn a_memory_bomb_is_stopped_and_the_state_recovers() {
    let (_dir, runtime) = memory_bomb_runtime(false);
    assert_eq!(
        runtime.apply_filters("bomb", json!("v"), &[]).unwrap(),
        json!("v")
    );
    assert_eq!(
        runtime
            .apply_filters("big_string", json!("w"), &[])
            .unwrap(),
        json!("w")
    );
    assert_eq!(error_count(&runtime, "bomb"), 1);
    assert_eq!(error_count(&runtime, "big_string"), 1);
    assert_eq!(
        runtime.apply_filters("fine", json!("ok"), &[]).unwrap(),
        json!("ok!")
    );
}

#[test]
fn a_memory_bomb_is_reported_as_the_memory_limit() {
    let (_dir, runtime) = memory_bomb_runtime(true);
    for hook in ["bomb", "big_string"] {
        let error = runtime.apply_filters(hook, json!("v"), &[]).unwrap_err();
        assert!(
            error
                .message
                .contains("memory limit of 4194304 bytes exceeded"),
            "{hook}: {}",
            error.message
        );
    }
}

#[test]
fn a_compile_error_names_file_and_line() {
    let (dir, config) = hooks_dir(&[
        ("good.lua", "local x = 1"),
        ("bad.lua", "local x = 1\nlocal y = = 2\n"),
    ]);
    let error = HookRuntime::load(&config, dir.path()).err().unwrap();
    assert!(matches!(error, HookLoadError::Compile { ref script, .. } if script == "bad.lua"));
    assert!(error.to_string().contains("bad.lua:2:"), "{error}");
}

#[test]
fn a_top_level_error_names_file_and_line() {
    let (dir, config) = hooks_dir(&[("boom.lua", "\n\nlocal t = nil\nprint(t.field)\n")]);
    let error = HookRuntime::load(&config, dir.path()).err().unwrap();
    assert!(matches!(error, HookLoadError::Run { .. }));
    assert!(error.to_string().contains("boom.lua:4:"), "{error}");
}

#[test]
fn a_missing_script_is_a_read_error() {
    let (dir, mut config) = hooks_dir(&[]);
    config.scripts = vec!["absent.lua".into()];
    assert!(matches!(
        HookRuntime::load(&config, dir.path()),
        Err(HookLoadError::Read { .. })
    ));
}

#[test]
fn a_runaway_top_level_fails_the_load() {
    let (dir, config) = hooks_dir(&[("forever.lua", "while true do end")]);
    let error = HookRuntime::load(&config, dir.path()).err().unwrap();
    assert!(error.to_string().contains("instruction budget"), "{error}");
}

fn write_script(dir: &Path, file: &str, source: &str) {
    std::fs::write(dir.join("hooks").join(file), source).unwrap();
}

#[test]
fn reload_swaps_the_script_set_and_a_failed_reload_keeps_the_old_one() {
    let (dir, config) = hooks_dir(&[(
        "v.lua",
        "cocart.add_filter('version', function() return 1 end)",
    )]);
    let host = HookHost::load(&config, dir.path()).unwrap();
    let before = host.current();
    assert_eq!(
        host.apply_filters("version", json!(0), &[]).unwrap(),
        json!(1)
    );

    write_script(
        dir.path(),
        "v.lua",
        "cocart.add_filter('version', function() return 2 end)",
    );
    host.reload(&config, dir.path()).unwrap();
    assert_eq!(
        host.apply_filters("version", json!(0), &[]).unwrap(),
        json!(2)
    );
    assert_eq!(
        before.apply_filters("version", json!(0), &[]).unwrap(),
        json!(1),
        "a request holding the old set keeps it"
    );

    write_script(
        dir.path(),
        "v.lua",
        "cocart.add_filter('version', function() return 3 end",
    );
    assert!(matches!(
        host.reload(&config, dir.path()),
        Err(HookLoadError::Compile { .. })
    ));
    assert_eq!(
        host.apply_filters("version", json!(0), &[]).unwrap(),
        json!(2)
    );
    assert!(host.has("version"));
}

#[test]
fn scoped_calls_expose_the_request_cart_and_context() {
    let (_dir, runtime) = load(&[(
        "scope.lua",
        r#"cocart.add_filter("scope", function()
             local cart = cocart.cart()
             if cart == nil then return "no scope" end
             return { lines = #cocart.json.array(cart.items), key = cocart.context().cart_key }
           end)"#,
    )]);
    let runtime = Arc::new(runtime);
    assert_eq!(
        runtime.apply_filters("scope", Value::Null, &[]).unwrap(),
        json!("no scope")
    );
    let scoped = runtime.scoped(RequestScope {
        cart: json!({ "items": [1, 2] }),
        context: json!({ "cart_key": "k1" }),
    });
    assert_eq!(
        scoped.apply_filters("scope", Value::Null, &[]).unwrap(),
        json!({ "lines": 2, "key": "k1" })
    );
    scoped.set_cart(json!({ "items": [1, 2, 3] }));
    assert_eq!(
        scoped.apply_filters("scope", Value::Null, &[]).unwrap(),
        json!({ "lines": 3, "key": "k1" })
    );
    assert_eq!(
        runtime.apply_filters("scope", Value::Null, &[]).unwrap(),
        json!("no scope"),
        "the scope ends with the scoped call"
    );
}

#[test]
fn concurrent_calls_use_the_whole_pool() {
    let (_dir, runtime) = load_with(
        &[(
            "add.lua",
            "cocart.add_filter('add', function(n, m) return n + m end)",
        )],
        |config| {
            config.pool_size = 3;
        },
    );
    let runtime = Arc::new(runtime);
    let workers: Vec<_> = (0..6)
        .map(|worker| {
            let runtime = runtime.clone();
            std::thread::spawn(move || {
                (0..50).all(|n| {
                    runtime
                        .apply_filters("add", json!(n), &[json!(worker)])
                        .unwrap()
                        == json!(n + worker)
                })
            })
        })
        .collect();
    assert!(workers.into_iter().all(|worker| worker.join().unwrap()));
}

#[test]
fn log_and_print_accept_any_value() {
    let (_dir, runtime) = load_with(
        &[(
            "log.lua",
            r#"cocart.add_action("log", function()
                 cocart.log.info("info"); cocart.log.warn(3); cocart.log.error("e")
                 cocart.log("warn", "called"); print("a", 1, nil)
               end)"#,
        )],
        |config| config.fail_closed = true,
    );
    runtime.do_action("log", &[]).unwrap();
}

// ------------------------------------------------------------ cart/update extensions

const REGISTER: &str = "cocart_register_extension_callback";
const BUILT_INS: [&str; 2] = ["update-cart", "update-customer"];

fn extension(runtime: &dyn Hooks, namespace: &str, request: Value) -> Option<ExtensionOutcome> {
    runtime
        .run_extension(REGISTER, &BUILT_INS, namespace, &request)
        .unwrap()
}

#[test]
fn a_registered_extension_is_called_with_the_request_and_a_nil_controller() {
    let (_dir, runtime) = load(&[(
        "ext.lua",
        r#"
        cocart.add_action("cocart_register_extension_callback", function(registry)
          registry:register({ name = "my-ns", callback = function(request, controller)
            local cart = cocart.cart()
            return { note = request.note, controller_is_nil = controller == nil,
                     key = cart and cocart.context().cart_key or cocart.null }
          end })
          registry.register({ name = "dot-ns", callback = function() return "dot" end })
        end)
        "#,
    )]);
    let runtime = Arc::new(runtime);
    let returned = |value| Some(ExtensionOutcome::Returned(value));
    assert_eq!(
        extension(runtime.as_ref(), "my-ns", json!({ "note": "hi" })),
        returned(json!({ "note": "hi", "controller_is_nil": true, "key": null }))
    );
    assert_eq!(
        extension(runtime.as_ref(), "my-ns", json!({ "note": "again" })),
        returned(json!({ "note": "again", "controller_is_nil": true, "key": null })),
        "each call builds a fresh registry, so registering again is not refused"
    );
    assert_eq!(
        extension(runtime.as_ref(), "dot-ns", json!({})),
        returned(json!("dot"))
    );
    assert_eq!(extension(runtime.as_ref(), "other", json!({})), None);
    let scoped = runtime.scoped(RequestScope {
        cart: json!({ "contents": {} }),
        context: json!({ "cart_key": "k9" }),
    });
    assert_eq!(
        extension(&scoped, "my-ns", json!({ "note": "scoped" })),
        returned(json!({ "note": "scoped", "controller_is_nil": true, "key": "k9" }))
    );
    let (_dir, unhooked) = load(&[("none.lua", "")]);
    assert_eq!(extension(&unhooked, "my-ns", json!({})), None);
}

#[test]
fn a_taken_or_reserved_name_is_refused_and_the_first_registration_stays() {
    let (_dir, runtime) = load(&[(
        "first.lua",
        r#"
        local results = cocart.json.array()
        cocart.add_action("cocart_register_extension_callback", function(registry)
          results[1] = registry:register({ name = "my-ns", callback = function() return results end })
          results[2] = registry:register({ name = "my-ns", callback = function() return "second" end })
          results[3] = registry:register({ name = "update-cart", callback = function() return "hijack" end })
        end)
        "#,
    )]);
    assert_eq!(
        extension(&runtime, "my-ns", json!({})),
        Some(ExtensionOutcome::Returned(json!([true, false, false])))
    );
    assert_eq!(extension(&runtime, "update-cart", json!({})), None);
    assert_eq!(error_count(&runtime, REGISTER), 0);
}

#[test]
fn registration_callbacks_run_in_priority_order_so_the_earliest_claims_a_name() {
    let (_dir, runtime) = load(&[
        (
            "first.lua",
            r#"
            cocart.add_action("cocart_register_extension_callback", function(registry)
              registry:register({ name = "my-ns", callback = function() return "first script" end })
            end)
            "#,
        ),
        (
            "second.lua",
            r#"
            cocart.add_action("cocart_register_extension_callback", function(registry)
              registry.register({ name = "my-ns", callback = function() return "second script" end })
            end, 5)
            "#,
        ),
    ]);
    assert_eq!(
        extension(&runtime, "my-ns", json!({})),
        Some(ExtensionOutcome::Returned(json!("second script")))
    );
}

#[test]
fn an_extension_may_return_an_error_table_or_register_no_callback() {
    let (_dir, runtime) = load(&[(
        "ext.lua",
        r#"
        cocart.add_action("cocart_register_extension_callback", function(registry)
          registry:register({ name = "refuse", callback = function()
            return { code = "my_refusal", message = "Not today.", status = 409 }
          end })
          registry:register({ name = "no-callback" })
          registry:register({ name = "not-a-function", callback = "update" })
        end)
        "#,
    )]);
    assert_eq!(
        extension(&runtime, "refuse", json!({})),
        Some(ExtensionOutcome::Returned(
            json!({ "code": "my_refusal", "message": "Not today.", "status": 409 })
        ))
    );
    for namespace in ["no-callback", "not-a-function"] {
        assert_eq!(
            extension(&runtime, namespace, json!({})),
            Some(ExtensionOutcome::NotCallable)
        );
    }
}

const FAILING_EXTENSIONS: &str = r#"
cocart.add_action("cocart_register_extension_callback", function(registry)
  registry:register({ name = "broken", callback = function() error("backend down") end })
  registry:register({ name = "runaway", callback = function() while true do end end })
  registry:register("not a table")
end)
"#;

#[test]
fn a_failing_extension_callback_counts_and_answers_as_if_it_returned_nothing() {
    let (_dir, runtime) = load(&[("fail.lua", FAILING_EXTENSIONS)]);
    for namespace in ["broken", "runaway"] {
        assert_eq!(
            extension(&runtime, namespace, json!({})),
            Some(ExtensionOutcome::Returned(Value::Null)),
            "{namespace}"
        );
    }
    assert_eq!(
        error_count(&runtime, REGISTER),
        4,
        "two failed callbacks, and the registration that raised on each call"
    );
}

#[test]
fn under_fail_closed_a_failing_extension_callback_is_an_error() {
    let (_dir, runtime) = load_with(
        &[(
            "fail.lua",
            r#"
            cocart.add_action("cocart_register_extension_callback", function(registry)
              registry:register({ name = "broken", callback = function() error("backend down") end })
            end)
            "#,
        )],
        |config| config.fail_closed = true,
    );
    let error = runtime
        .run_extension(REGISTER, &BUILT_INS, "broken", &json!({}))
        .unwrap_err();
    assert_eq!(error.hook, REGISTER);
    assert!(
        error.message.contains("fail.lua:3: backend down"),
        "{}",
        error.message
    );
    let (_dir, runtime) = load_with(&[("fail.lua", FAILING_EXTENSIONS)], |config| {
        config.fail_closed = true
    });
    let error = runtime
        .run_extension(REGISTER, &BUILT_INS, "broken", &json!({}))
        .unwrap_err();
    assert!(
        error.message.contains("register expects a table"),
        "a registration that raises fails the call: {}",
        error.message
    );
}
