//! The CoCart hook names cartd's scripts are expected to use first: every TIER 1 hook of
//! the hooks specification and the TIER 2 hooks of its §6.1, with the arguments a Lua
//! callback receives.
//!
//! `cartd check` compares the names scripts register with the names cartd fires; this
//! table documents the contract for script authors and the callers that fire them. The
//! argument lists use the type vocabulary of the specification (§1.3): `CartItem`,
//! `Product`, `Request`, `Cart`, `ItemData`, `VariationSel`, `Money`, `Handle`, `num`
//! (quantities may be fractional). Families with a `{…}` placeholder stand for every
//! concrete name.

/// Whether a hook transforms a value or only notifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HookKind {
    /// Fired with `Hooks::do_action`; return values are ignored.
    Action,
    /// Fired with `Hooks::apply_filters`; the first argument is the filtered value.
    Filter,
}

/// One documented hook.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnownHook {
    /// The hook name (families keep their `{placeholder}`).
    pub name: &'static str,
    /// Action or filter.
    pub kind: HookKind,
    /// 1 for the seed 003 contract, 2 for the §6.1 priorities.
    pub tier: u8,
    /// The arguments in order, as the Lua callback receives them.
    pub arguments: &'static str,
}

const fn hook(name: &'static str, kind: HookKind, tier: u8, arguments: &'static str) -> KnownHook {
    KnownHook {
        name,
        kind,
        tier,
        arguments,
    }
}

use HookKind::{Action, Filter};

/// TIER 1 hooks, then the TIER 2 hooks of §6.1 in its order of priority.
pub const KNOWN_HOOKS: &[KnownHook] = &[
    hook(
        "cocart_get_cart",
        Action,
        1,
        "v1: contents: tbl (result of cocart_return_cart_contents); v2: none",
    ),
    hook("cocart_cart_cleared", Action, 1, "none"),
    hook(
        "cocart_item_added_to_cart",
        Action,
        1,
        "item_key: str, line: CartItem, request: Request (v2 only)",
    ),
    hook(
        "cocart_item_removed",
        Action,
        1,
        "line: CartItem (as it was before removal)",
    ),
    hook(
        "cocart_item_restored",
        Action,
        1,
        "line: CartItem (after restoration)",
    ),
    hook(
        "cocart_item_quantity_changed",
        Action,
        1,
        "item_key: str, line: CartItem (after the change)",
    ),
    hook(
        "cocart_item_thumbnail_size",
        Filter,
        1,
        "size: str (\"woocommerce_thumbnail\"), removed: bool",
    ),
    hook(
        "cocart_cart_contents",
        Filter,
        1,
        "contents: tbl (key → v1 line), item_key: str, line: CartItem, product: Product",
    ),
    hook(
        "cocart_ok_to_add",
        Filter,
        1,
        "ok: bool, product: Product, product_id: int, quantity: num",
    ),
    hook(
        "cocart_ok_to_add_response",
        Filter,
        1,
        "message: str (\"\"), product: Product, product_id: int, quantity: num; alias cocart_ok_to_add_message",
    ),
    hook(
        "cocart_return_cart_contents",
        Filter,
        1,
        "contents: tbl (key → v1 line); may return any shape",
    ),
    hook(
        "cocart_does_product_allow_price_change",
        Filter,
        2,
        "allow: bool, line: CartItem, request: Request",
    ),
    hook(
        "cocart_add_to_cart_validation",
        Filter,
        2,
        "passed: bool, product_id: int, quantity: num, variation_id: int, variation: VariationSel, item_data: ItemData, product_type: str, request: Request (v2); may return an Error table",
    ),
    hook(
        "cocart_update_cart_validation",
        Filter,
        2,
        "passed: bool, item_key: str, line: CartItem, quantity: num; may return an Error table",
    ),
    hook(
        "cocart_add_cart_item_data",
        Filter,
        2,
        "item_data: ItemData, product_id: int, variation_id: int, quantity: num, product_type: str, request: Request",
    ),
    hook(
        "cocart_add_to_cart_quantity",
        Filter,
        2,
        "quantity: num, product_id: int, variation_id: int, variation: VariationSel, item_data: ItemData, request: Request",
    ),
    hook(
        "cocart_quantity_minimum_requirement",
        Filter,
        2,
        "min: num (1), product: Product",
    ),
    hook(
        "cocart_quantity_maximum_allowed",
        Filter,
        2,
        "max: num or \"\", product: Product",
    ),
    hook(
        "cocart_add_to_cart_sold_individually_found_in_cart",
        Filter,
        2,
        "found: bool, product_id: int, variation_id: int, item_data: ItemData, item_key: str",
    ),
    hook(
        "cocart_add_to_cart_sold_individually_quantity",
        Filter,
        2,
        "qty: num (1), requested: num, product_id: int, variation_id: int, item_data: ItemData, request: Request",
    ),
    hook(
        "cocart_before_get_cart",
        Filter,
        2,
        "contents: tbl (key → CartItem), cart: Cart, request: Request",
    ),
    hook(
        "cocart_after_get_cart",
        Filter,
        2,
        "contents: tbl (key → CartItem), cart: Cart, request: Request",
    ),
    hook(
        "cocart_cart",
        Filter,
        2,
        "body: tbl (the v2 cart response), request: Request, cart: Cart",
    ),
    hook(
        "cocart_empty_cart",
        Filter,
        2,
        "template: tbl (the v2 body of an empty cart)",
    ),
    hook(
        "cocart_cart_item_price",
        Filter,
        2,
        "price: Money, line: CartItem, item_key: str, product: Product",
    ),
    hook(
        "cocart_cart_item_name",
        Filter,
        2,
        "name: str, product: Product, line: CartItem, item_key: str",
    ),
    hook(
        "cocart_cart_item_title",
        Filter,
        2,
        "title: str, product: Product, line: CartItem, item_key: str",
    ),
    hook(
        "cocart_cart_item_quantity",
        Filter,
        2,
        "quantity: num, item_key: str, line: CartItem, product: Product",
    ),
    hook(
        "cocart_cart_item_data",
        Filter,
        2,
        "data: tbl (custom line data), item_key: str, product: Product",
    ),
    hook(
        "cocart_cart_item_extensions",
        Filter,
        2,
        "extensions: tbl ({}), line: CartItem, item_key: str, product: Product",
    ),
    hook(
        "cocart_cart_items",
        Filter,
        2,
        "items: tbl (key → item), item_key: str, line: CartItem, product: Product",
    ),
    hook(
        "cocart_item_product",
        Filter,
        2,
        "product: Product, line: CartItem, item_key: str",
    ),
    hook("cocart_requested_cart_key", Filter, 2, "key: str"),
    hook(
        "cocart_generate_key",
        Filter,
        2,
        "key: str (30 hex characters)",
    ),
    hook("cocart_cart_expiring", Filter, 2, "seconds: int (518400)"),
    hook("cocart_cart_expiration", Filter, 2, "seconds: int (604800)"),
    hook(
        "cocart_authenticate",
        Filter,
        2,
        "user_id: int or false, is_secure: bool, auth: Handle",
    ),
    hook("cocart_set_customer_id", Filter, 2, "user_id: int"),
    hook(
        "cocart_secure_registered_users",
        Filter,
        2,
        "secure: bool (true)",
    ),
    hook(
        "cocart_add_to_cart_handler",
        Filter,
        2,
        "handler: str (product type), product: Product",
    ),
    hook(
        "cocart_add_to_cart_handler_{handler}",
        Filter,
        2,
        "product: Product, request: Request (v2); fired only when registered; returns a line or an Error table",
    ),
    hook(
        "cocart_add_items_to_cart_handler",
        Filter,
        2,
        "handler: str, product: Product",
    ),
    hook(
        "cocart_add_items_to_cart_handler_{handler}",
        Filter,
        2,
        "product: Product (the container), request: Request; fired only when registered; an Error table refuses the add, anything else lets cartd's grouped flow run",
    ),
    hook(
        "cocart_after_item_added_to_cart",
        Action,
        2,
        "line: CartItem, request: Request, handler: str, controller: Handle",
    ),
    hook(
        "cocart_after_items_added_to_cart",
        Action,
        2,
        "items: tbl, request: Request, handler: str, controller: Handle",
    ),
    hook(
        "cocart_register_extension_callback",
        Action,
        2,
        "registry: tbl whose register(cb) (or registry:register(cb)) adds a cart/update namespace; cb = { name = str, callback = function(request: Request, controller: nil) }; returns true, or false for a name already registered (update-cart and update-customer always are)",
    ),
    hook(
        "cocart_update_customer_fields",
        Filter,
        2,
        "details: tbl, request: Request, fields: list<str>, customer: Customer, callback: Handle",
    ),
    hook(
        "cocart_update_cart_before_totals",
        Action,
        2,
        "request: Request, controller: Handle",
    ),
    hook(
        "cocart_update_cart_after_totals",
        Action,
        2,
        "request: Request, controller: Handle",
    ),
    hook(
        "cocart_return_default_response",
        Filter,
        2,
        "default: bool (true)",
    ),
    hook(
        "cocart_{endpoint}_response",
        Filter,
        2,
        "data: any (the body about to be sent)",
    ),
    hook(
        "cocart_disable_all_cors",
        Filter,
        2,
        "disabled: bool (true)",
    ),
    hook(
        "cocart_allow_origin",
        Filter,
        2,
        "origin: str (the request's Origin, \"*\" when absent)",
    ),
    hook(
        "cocart_http_allowed_safe_ports",
        Filter,
        2,
        "ports: list<int> ({80, 443, 8080}), host: str, url: str",
    ),
    hook(
        "cocart_allowed_http_origins",
        Filter,
        2,
        "origins: list<str>",
    ),
    hook(
        "cocart_send_cache_control_patterns",
        Filter,
        2,
        "patterns: list<str>",
    ),
    hook("cocart_send_nocache_headers", Filter, 2, "send: bool"),
    hook(
        "cocart_api_permission_check_{method}",
        Filter,
        2,
        "routes: list<str> ({})",
    ),
    hook(
        "cocart_prepare_money_disable_decimals",
        Filter,
        2,
        "disable: bool (false)",
    ),
];

/// Every hook name cartd fires, the single source of truth for `cartd check` and the
/// README's hook table (tests keep both, and the domain's call sites, in sync). Names
/// ending in `_{handler}` stand for a family: `cocart_add_to_cart_handler_{handler}` is
/// fired for whatever handler name `cocart_add_to_cart_handler` returns.
pub const FIRED_HOOKS: &[&str] = &[
    // TIER 1 (seed 003)
    "cocart_get_cart",
    "cocart_cart_cleared",
    "cocart_item_added_to_cart",
    "cocart_item_removed",
    "cocart_item_restored",
    "cocart_item_quantity_changed",
    "cocart_item_thumbnail_size",
    "cocart_cart_contents",
    "cocart_ok_to_add",
    "cocart_ok_to_add_response",
    "cocart_return_cart_contents",
    // TIER 2, §6.1 order
    "cocart_does_product_allow_price_change",
    "cocart_add_to_cart_validation",
    "cocart_update_cart_validation",
    "cocart_add_cart_item_data",
    "cocart_add_to_cart_quantity",
    "cocart_quantity_minimum_requirement",
    "cocart_quantity_maximum_allowed",
    "cocart_add_to_cart_sold_individually_quantity",
    "cocart_add_to_cart_sold_individually_found_in_cart",
    "cocart_before_get_cart",
    "cocart_after_get_cart",
    "cocart_cart",
    "cocart_empty_cart",
    "cocart_cart_item_price",
    "cocart_cart_item_name",
    "cocart_cart_item_title",
    "cocart_cart_item_quantity",
    "cocart_cart_item_data",
    "cocart_cart_item_extensions",
    "cocart_cart_items",
    "cocart_item_product",
    "cocart_requested_cart_key",
    "cocart_generate_key",
    "cocart_cart_expiring",
    "cocart_cart_expiration",
    "cocart_authenticate",
    "cocart_set_customer_id",
    "cocart_secure_registered_users",
    "cocart_add_to_cart_handler",
    "cocart_add_to_cart_handler_{handler}",
    "cocart_add_items_to_cart_handler",
    "cocart_add_items_to_cart_handler_{handler}",
    "cocart_after_item_added_to_cart",
    "cocart_after_items_added_to_cart",
    "cocart_register_extension_callback",
    "cocart_update_customer_fields",
    "cocart_update_cart_before_totals",
    "cocart_update_cart_after_totals",
    "cocart_return_default_response",
    "cocart_{endpoint}_response",
    "cocart_disable_all_cors",
    "cocart_allow_origin",
    "cocart_http_allowed_safe_ports",
    "cocart_allowed_http_origins",
    "cocart_send_cache_control_patterns",
    "cocart_send_nocache_headers",
    "cocart_api_permission_check_{method}",
    "cocart_prepare_money_disable_decimals",
    // Other TIER 2 hooks of the item pipeline, notices and the v1 cart
    "cocart_cart_item_subtotal",
    "cocart_cart_item_subtotal_tax",
    "cocart_cart_item_total",
    "cocart_cart_item_tax",
    "cocart_cart_item_backorder_notification",
    "cocart_item_thumbnail_src",
    "cocart_cart_item_required_stock_is_not_enough",
    "cocart_cart_item_removed_message",
    "cocart_add_to_cart_message_html",
    "cocart_before_cart_emptied",
    "cocart_cart_emptied",
    "cocart_cart_cleared_message",
    "cocart_return_empty_cart",
    "cocart_product_name",
    "cocart_product_title",
];

/// Whether cartd fires `name`: a name of [`FIRED_HOOKS`], a concrete member of one of its
/// `{…}` families, or an alias of a fired name (`cocart_ok_to_add_message`).
pub fn is_fired(name: &str) -> bool {
    let name = super::HOOK_ALIASES
        .iter()
        .find(|(_, alias)| *alias == name)
        .map_or(name, |(fired, _)| fired);
    FIRED_HOOKS.iter().any(|fired| {
        match fired
            .split_once('{')
            .and_then(|(prefix, rest)| Some((prefix, rest.split_once('}')?.1)))
        {
            Some((prefix, suffix)) => {
                name.len() > prefix.len() + suffix.len()
                    && name.starts_with(prefix)
                    && name.ends_with(suffix)
            }
            None => *fired == name,
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The last entry of the §6.1 part of [`FIRED_HOOKS`].
    const LAST_PRIORITY_HOOK: &str = "cocart_prepare_money_disable_decimals";

    #[test]
    fn every_fired_hook_is_documented_in_known_hooks_or_fired_outside_the_priorities() {
        let tier_one_and_priorities: Vec<&str> = KNOWN_HOOKS.iter().map(|hook| hook.name).collect();
        let position = |name: &str| FIRED_HOOKS.iter().position(|fired| *fired == name);
        let end_of_priorities = position(LAST_PRIORITY_HOOK).unwrap();
        for fired in &FIRED_HOOKS[..=end_of_priorities] {
            assert!(
                tier_one_and_priorities.contains(fired),
                "{fired} is not in KNOWN_HOOKS"
            );
        }
        for known in KNOWN_HOOKS.iter().filter(|hook| hook.tier == 1) {
            assert!(
                FIRED_HOOKS.contains(&known.name),
                "TIER 1 {} is not fired",
                known.name
            );
        }
    }

    #[test]
    fn families_and_aliases_count_as_fired() {
        assert!(is_fired("cocart_cart"));
        assert!(is_fired("cocart_ok_to_add_message"));
        assert!(is_fired("cocart_add_to_cart_handler_bundle"));
        assert!(!is_fired("cocart_add_to_cart_handler_"));
        assert!(!is_fired("cocart_cart_loaded"));
        assert!(is_fired("cocart_cart/add_item_response"));
        assert!(!is_fired("cocart__response"));
        assert!(!is_fired("cocart_cookie"));
    }

    /// The folders whose call sites fire hooks: the cart domain and the API's session and
    /// response plumbing.
    const FIRING_DIRS: [&str; 2] = ["src/cart", "src/api"];

    /// The files that name every fired hook between them.
    const FIRING_FILES: [&str; 7] = [
        "src/cart/ops.rs",
        "src/cart/render.rs",
        "src/cart/render_v1.rs",
        "src/cart/hook_args.rs",
        "src/api/cart/session.rs",
        "src/api/identity.rs",
        "src/api/headers.rs",
    ];

    /// The hook names the call sites pass to `filter`, `validation_filter`, `action`,
    /// `session_filter`… (directly after `hooks,` or the opening parenthesis) or list for
    /// a loop.
    fn fired_in_source() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files: Vec<_> = FIRING_DIRS.iter().map(|dir| root.join(dir)).collect();
        let mut names = Vec::new();
        while let Some(path) = files.pop() {
            if path.is_dir() {
                files.extend(
                    std::fs::read_dir(&path)
                        .unwrap()
                        .map(|entry| entry.unwrap().path()),
                );
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for (start, _) in text.match_indices("\"cocart_") {
                let before = text[..start].trim_end();
                let is_call = ["hooks,", "filter(", "action(", "for name in ["]
                    .iter()
                    .any(|token| before.ends_with(token));
                let name: String = text[start + 1..]
                    .chars()
                    .take_while(|c| c.is_ascii_lowercase() || *c == '_' || c.is_ascii_digit())
                    .collect();
                if is_call {
                    names.push(name);
                }
            }
        }
        names
    }

    #[test]
    fn fired_hooks_match_the_call_sites() {
        let in_source = fired_in_source();
        assert!(in_source.len() > 40, "{in_source:?}");
        for name in &in_source {
            assert!(
                is_fired(name),
                "{name} is fired but missing from FIRED_HOOKS"
            );
        }
        let all_source: String = FIRING_FILES
            .iter()
            .map(|file| {
                let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
                std::fs::read_to_string(path).unwrap()
            })
            .collect();
        assert_each_fired_appears(&all_source, |fired| format!("\"{fired}\""));
    }

    /// Asserts that `text` contains `shown(name)` for every fired hook.
    fn assert_each_fired_appears(text: &str, shown: impl Fn(&str) -> String) {
        let missing: Vec<&str> = FIRED_HOOKS
            .iter()
            .copied()
            .filter(|fired| !text.contains(&shown(fired)))
            .collect();
        assert!(missing.is_empty(), "missing: {missing:?}");
    }

    #[test]
    fn the_readme_lists_every_fired_hook() {
        let readme =
            std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
        let section = readme
            .split("\n## Hooks\n")
            .nth(1)
            .expect("README has a Hooks section");
        let section = section.split("\n## ").next().unwrap_or(section);
        assert_each_fired_appears(section, |fired| format!("| `{fired}` |"));
    }

    #[test]
    fn tier_one_has_the_eleven_hooks_of_the_seed_contract() {
        let tier_one: Vec<_> = KNOWN_HOOKS.iter().filter(|hook| hook.tier == 1).collect();
        assert_eq!(tier_one.len(), 11);
        assert_eq!(
            tier_one
                .iter()
                .filter(|hook| hook.kind == HookKind::Action)
                .count(),
            6
        );
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = KNOWN_HOOKS.iter().map(|hook| hook.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KNOWN_HOOKS.len());
    }
}
