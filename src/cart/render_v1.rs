//! The CoCart v1 cart contents (`GET cocart/v1/get-cart`, the v1 add-item line): the raw
//! WooCommerce lines plus `product_name`, `product_title`, `product_price` and, on
//! request, `product_image` (responses-and-errors.md §6, hooks-and-filters.md §3.3).
//!
//! v1 is where the seed-003 contract hooks `cocart_cart_contents`,
//! `cocart_return_cart_contents` and `cocart_get_cart` (with the contents) fire.

use serde_json::{Map, Value, json};

use crate::cart::catalog_view::CartProduct;
use crate::cart::error::CartError;
use crate::cart::hook_args::{action, filter, product_value};
use crate::cart::hooks::Hooks;
use crate::cart::model::{Cart, CartLine};
use crate::cart::money::{leading_decimal, price_text};
use crate::cart::ops::remove_unavailable_line;
use crate::cart::render::{StoreDisplay, featured_image, item_product};
use crate::catalog::Catalog;
use crate::catalog::model::UnixTime;

/// V1-GET steps 1–4: the contents keyed by item key, after the per-line
/// `cocart_cart_contents` filter and `cocart_return_cart_contents`, announced through
/// `cocart_get_cart`. Lines whose product can no longer be bought are removed with an error
/// notice and left out. An empty cart gives `cocart_return_empty_cart([])` (v1's response
/// wrapper turns an empty body into its "Request returned nothing" text).
pub fn render_v1_contents(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    store: &StoreDisplay<'_>,
    thumb: bool,
    now: UnixTime,
) -> Result<Value, CartError> {
    if cart.is_empty() {
        return filter(hooks, "cocart_return_empty_cart", json!([]), Vec::new);
    }
    let mut contents = Value::Object(Map::new());
    for line in cart.lines.clone() {
        let product = CartProduct::load(catalog, line.product_record_id(), now);
        let Some(product) = product.clone().filter(|product| product.purchasable) else {
            let suffix = " Please contact us if you need assistance.";
            remove_unavailable_line(cart, hooks, &line, product.as_ref(), suffix)?;
            continue;
        };
        let product = item_product(hooks, product, &line)?;
        let entry = v1_line(hooks, store, &line, &product, thumb)?;
        if let Value::Object(map) = &mut contents {
            map.insert(line.key.clone(), entry);
        }
        contents = filter(hooks, "cocart_cart_contents", contents, || {
            vec![
                Value::from(line.key.clone()),
                line.session_value(),
                product_value(&product),
            ]
        })?;
    }
    let contents = filter(hooks, "cocart_return_cart_contents", contents, Vec::new)?;
    action(hooks, "cocart_get_cart", || vec![contents.clone()])?;
    Ok(contents)
}

/// One v1 line: the stored line, `data: {}`, then the product's name, title, price text
/// and (with `thumb`) image.
pub fn v1_line(
    hooks: &dyn Hooks,
    store: &StoreDisplay<'_>,
    line: &CartLine,
    product: &CartProduct,
    thumb: bool,
) -> Result<Value, CartError> {
    let args = || {
        vec![
            product_value(product),
            line.session_value(),
            Value::from(line.key.clone()),
        ]
    };
    let mut entry = match line.session_value() {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    entry.insert("data".into(), json!({}));
    let name = filter(
        hooks,
        "cocart_product_name",
        Value::from(product.name.clone()),
        args,
    )?;
    entry.insert("product_name".into(), name);
    let title = filter(
        hooks,
        "cocart_product_title",
        Value::from(product.title.clone()),
        args,
    )?;
    entry.insert("product_title".into(), title);
    let price = line
        .price_override
        .unwrap_or_else(|| leading_decimal(&product.price));
    entry.insert(
        "product_price".into(),
        Value::from(price_text(price, store.settings)),
    );
    if thumb {
        let image = featured_image(hooks, store, product, line, false)?;
        entry.insert("product_image".into(), image);
    }
    Ok(Value::Object(entry))
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::cart::hooks::NoHooks;
    use crate::cart::ops::{AddItemRequest, add_item};
    use crate::cart::test_support::{
        NOW, RecordingHooks, peer_cart, peer_catalog, peer_catalog_with, peer_store, recording_text,
    };
    use crate::catalog::model::PostStatus;

    /// A peer cart holding `(id, quantity)` lines, added through the shared operation.
    pub(crate) fn cart_of(catalog: &Catalog, items: &[(&str, &str)]) -> Cart {
        let mut cart = peer_cart();
        for (id, quantity) in items {
            let request = AddItemRequest {
                id: (*id).into(),
                quantity: (*quantity).into(),
                ..AddItemRequest::default()
            };
            add_item(&mut cart, catalog, &NoHooks, &request, NOW).unwrap();
        }
        cart
    }

    #[test]
    fn contents_match_recording_47() {
        let catalog = peer_catalog();
        let mut cart = cart_of(&catalog, &[("10", "3"), ("12", "1")]);
        for line in &mut cart.lines {
            let per_unit = leading_decimal(if line.product_id == 10 { "20" } else { "15" });
            let tax = per_unit * line.quantity / rust_decimal::Decimal::TEN;
            line.totals.subtotal = per_unit * line.quantity;
            line.totals.total = line.totals.subtotal;
            line.totals.subtotal_tax = tax;
            line.totals.tax = tax;
            line.totals.subtotal_taxes = [("1".to_owned(), tax)].into_iter().collect();
            line.totals.total_taxes = line.totals.subtotal_taxes.clone();
        }
        let contents =
            render_v1_contents(&mut cart, &catalog, &NoHooks, &peer_store(), false, NOW).unwrap();
        assert_eq!(contents.to_string(), recording_text("47"));
    }

    #[test]
    fn contract_hooks_fire_in_order_and_can_reshape_the_body() {
        let catalog = peer_catalog();
        let mut cart = cart_of(&catalog, &[("10", "1")]);
        let hooks = RecordingHooks::listening(&["cocart_cart_contents", "cocart_get_cart"])
            .with_filter_result("cocart_return_cart_contents", json!(["listed"]));
        let contents =
            render_v1_contents(&mut cart, &catalog, &hooks, &peer_store(), true, NOW).unwrap();
        assert_eq!(contents, json!(["listed"]));
        assert_eq!(
            hooks.names(),
            [
                "cocart_cart_contents",
                "cocart_return_cart_contents",
                "cocart_get_cart"
            ]
        );
        assert_eq!(hooks.calls()[2].args, [json!(["listed"])]);
        let first = &hooks.calls()[0];
        assert_eq!(first.args[0], json!("d3d9446802a44259755d38e6d163e820"));
    }

    #[test]
    fn cocart_item_product_renames_the_v1_line() {
        let catalog = peer_catalog();
        let mut cart = cart_of(&catalog, &[("10", "1")]);
        let hooks = RecordingHooks::listening(&[])
            .with_filter_result("cocart_item_product", json!({"name": "Tee of the Week"}));
        let contents =
            render_v1_contents(&mut cart, &catalog, &hooks, &peer_store(), false, NOW).unwrap();
        let line = &contents["d3d9446802a44259755d38e6d163e820"];
        assert_eq!(line["product_name"], "Tee of the Week");
        let call = &hooks.calls()[0];
        assert_eq!(call.name, "cocart_item_product");
        assert_eq!(call.args[1], json!("d3d9446802a44259755d38e6d163e820"));
    }

    #[test]
    fn unpurchasable_lines_are_removed_with_the_v1_notice() {
        let catalog = peer_catalog();
        let mut cart = cart_of(&catalog, &[("10", "1"), ("12", "1")]);
        let changed = peer_catalog_with(12, |cap| cap.status = PostStatus::Draft);
        let contents =
            render_v1_contents(&mut cart, &changed, &NoHooks, &peer_store(), true, NOW).unwrap();
        assert_eq!(contents.as_object().unwrap().len(), 1);
        assert_eq!(
            contents["d3d9446802a44259755d38e6d163e820"]["product_image"],
            "http://127.0.0.1:8081/wp-content/uploads/woocommerce-placeholder.png"
        );
        assert_eq!(
            cart.notices.error,
            [
                "Baseball Cap has been removed from your cart because it can no longer be purchased. Please contact us if you need assistance."
            ]
        );
        let mut empty = peer_cart();
        let nothing = render_v1_contents(&mut empty, &catalog, &NoHooks, &peer_store(), false, NOW);
        assert_eq!(nothing.unwrap(), json!([]));
    }
}
