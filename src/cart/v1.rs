//! The legacy `cocart/v1` API's own wording and views (responses-and-errors.md §6, §8.6,
//! §9): v1 runs the same cart operations as v2 but words some refusals differently, and
//! CoCart Pro's v1 routes show fees, shipping rates, quantities, weight and single totals
//! as WooCommerce's raw values rather than the v2 cart object.
//!
//! Everything here is pure: the HTTP layer runs the `crate::cart::ops` / `plus` operation,
//! translates a refusal with [`v1_error`] and renders with the views below.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::cart::catalog_view::CartProduct;
use crate::cart::error::CartError;
use crate::cart::model::{Address, Cart, CartLine, empty_map_as_list};
use crate::cart::money::{decimal_number, decimal_text, leading_decimal, price_text};
use crate::cart::pricing::{totals_error, totals_input, totals_rules};
use crate::cart::render::StoreDisplay;
use crate::cart::totals::{self, Totals};
use crate::catalog::model::{StoreSettings, UnixTime};
use crate::catalog::{Catalog, LineRef};

/// The v1 item routes: which one refused (their wording differs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum V1Operation {
    /// `POST add-item`.
    Add,
    /// `POST item` (quantity update).
    Update,
    /// `DELETE item`.
    Remove,
    /// `GET item` (restore).
    Restore,
}

/// Rewords a refusal of the shared cart operations the way v1 answers it (§8.6).
/// `product` and `quantity` are what the request named, for the messages that quote them.
pub fn v1_error(
    error: CartError,
    operation: V1Operation,
    product: Option<&CartProduct>,
    quantity: Decimal,
) -> CartError {
    let name = product.map_or("", |product| product.name.as_str());
    let stock = product
        .filter(|product| product.managing_stock)
        .and_then(|product| product.stock_quantity);
    match (error.code.as_str(), operation) {
        ("cocart_cart_item_key_required", _) => {
            CartError::new(&error.code, 404, "Cart item key is required!")
        }
        ("cocart_unknown_product_id", V1Operation::Add) => CartError::new(
            "cocart_product_id_required",
            404,
            "Product ID number is required!",
        ),
        ("cocart_invalid_product", V1Operation::Add) => CartError::new(
            "cocart_product_does_not_exist",
            404,
            "This product does not exist!",
        ),
        ("cocart_product_failed_validation", _) => CartError::new(&error.code, 404, error.message),
        ("cocart_product_sold_individually" | "cocart_add_to_cart_error", V1Operation::Add) => {
            CartError::new(
                "cocart_cannot_add_to_cart",
                403,
                format!("You cannot add \"{name}\" to your cart."),
            )
        }
        // v1 has no quantity limits of its own: asking for more than is in stock is its
        // stock refusal, worded per route.
        ("cocart_not_enough_in_stock" | "cocart_quantity_invalid_amount", V1Operation::Add)
            if stock.is_some_and(|stock| quantity > stock) =>
        {
            CartError::new(
                "cocart_not_enough_in_stock",
                403,
                format!(
                    "You cannot add a quantity of {} for \"{name}\" to the cart because there is not enough stock. - only {} remaining!",
                    decimal_text(quantity),
                    decimal_text(stock.unwrap_or_default())
                ),
            )
        }
        ("cocart_not_enough_in_stock" | "cocart_quantity_invalid_amount", V1Operation::Update)
            if stock.is_some_and(|stock| quantity > stock) =>
        {
            CartError::new(
                "cocart_not_enough_in_stock",
                403,
                format!(
                    "You cannot add that amount of ({}) for \"{name}\" to the cart because there is not enough stock, only ({} remaining).",
                    decimal_text(quantity),
                    decimal_text(stock.unwrap_or_default())
                ),
            )
        }
        ("cocart_can_not_update_item", V1Operation::Update) => {
            CartError::new(&error.code, 403, error.message)
        }
        ("cocart_can_not_increase_quantity", V1Operation::Update) => CartError::new(
            &error.code,
            403,
            format!("You can only have 1 {name} in your cart."),
        ),
        ("cocart_item_not_in_cart", V1Operation::Remove) => {
            CartError::new(&error.code, 404, "Item specified does not exist in cart.")
        }
        ("cocart_item_restored_to_cart", V1Operation::Restore) => CartError::new(
            "cocart_can_not_restore_item",
            403,
            "Unable to restore item to the cart.",
        ),
        _ => error,
    }
}

/// `GET count-items`: the number of units, or with `return` other than `numeric` and an
/// empty cart, the "There are no items in the cart!" text.
pub fn count_items(cart: &Cart, numeric: bool) -> Value {
    let count = cart.item_count();
    if count.is_zero() && !numeric {
        return Value::from("There are no items in the cart!");
    }
    decimal_number(count)
}

/// The engine's totals for `cart` as it is now (the Pro views read rates and per-coupon
/// discounts from them).
pub fn calculate_totals(
    cart: &Cart,
    catalog: &Catalog,
    now: UnixTime,
) -> Result<Totals, CartError> {
    totals::calculate(&totals_input(cart, catalog, now), &totals_rules(catalog))
        .map_err(|error| totals_error(&error))
}

/// An amount as WooCommerce's single-total getters return it: the store's decimals, no
/// currency (`"108.00"`, the Plus v1 OpenAPI form).
pub fn amount_text(amount: Decimal, settings: &StoreSettings) -> Value {
    Value::from(format!("{:.*}", settings.price_decimals as usize, amount))
}

/// `GET totals/discount/coupon-totals` (`tax = false`) and `coupon-tax` (`tax = true`):
/// each applied coupon's discount, `[]` when none.
pub fn coupon_amounts(totals: &Totals, settings: &StoreSettings, tax: bool) -> Value {
    let map: Map<String, Value> = totals
        .coupons
        .iter()
        .map(|coupon| {
            let amount = if tax {
                coupon.discount_tax
            } else {
                coupon.discount
            };
            (coupon.code.clone(), amount_text(amount, settings))
        })
        .collect();
    empty_map_as_list(&map)
}

/// `GET fees`: the cart's fees keyed by fee id, as of the last calculation.
pub fn fees_value(cart: &Cart) -> Value {
    let map: Map<String, Value> = cart
        .fees
        .iter()
        .map(|fee| {
            let value = json!({
                "id": fee.id,
                "name": fee.name,
                "amount": decimal_number(fee.amount),
                "taxable": fee.taxable,
                "tax_class": fee.tax_class,
                "total": decimal_number(fee.total),
                "tax": decimal_number(fee.tax),
            });
            (fee.id.clone(), value)
        })
        .collect();
    empty_map_as_list(&map)
}

/// `POST fees` success text: `Fee "Gift Wrapping" for $5.00 has been added.`
pub fn fee_added(name: &str, amount: Decimal, settings: &StoreSettings) -> String {
    format!(
        "Fee \"{}\" for {} has been added.",
        name.trim(),
        price_text(amount, settings)
    )
}

/// `GET shipping-methods`: every rate offered to the cart's packages keyed by rate id,
/// marking the chosen ones; `None` when no rate is offered.
pub fn shipping_methods_value(totals: &Totals, settings: &StoreSettings) -> Option<Value> {
    let mut map = Map::new();
    for package in &totals.packages {
        for rate in &package.rates {
            let taxes: Map<String, Value> = rate
                .taxes
                .iter()
                .map(|(rate_id, amount)| (rate_id.to_string(), decimal_number(amount)))
                .collect();
            let html = if rate.cost.is_zero() {
                rate.label.clone()
            } else {
                format!("{}: {}", rate.label, price_text(rate.cost, settings))
            };
            map.insert(
                rate.id.clone(),
                json!({
                    "key": rate.id,
                    "method_id": rate.method_id,
                    "instance_id": rate.instance_id,
                    "label": rate.label,
                    "cost": amount_text(rate.cost, settings),
                    "html": html,
                    "taxes": empty_map_as_list(&taxes),
                    "chosen_method": package.chosen.as_deref() == Some(rate.id.as_str()),
                }),
            );
        }
    }
    (!map.is_empty()).then_some(Value::Object(map))
}

/// `GET quantities`: units in the cart per stock-holding product (the variation for
/// variation lines), WooCommerce's `get_cart_item_quantities`.
pub fn quantities_value(cart: &Cart) -> Value {
    let mut sums: Vec<(u64, Decimal)> = Vec::new();
    for line in &cart.lines {
        let id = line.product_record_id();
        match sums.iter_mut().find(|(known, _)| *known == id) {
            Some((_, sum)) => *sum += line.quantity,
            None => sums.push((id, line.quantity)),
        }
    }
    let map: Map<String, Value> = sums
        .into_iter()
        .map(|(id, sum)| (id.to_string(), decimal_number(sum)))
        .collect();
    empty_map_as_list(&map)
}

/// `GET removed-items`: the removed lines keyed by item key, raw line fields.
pub fn removed_items_value(cart: &Cart) -> Value {
    let map: Map<String, Value> = cart
        .removed_lines
        .iter()
        .map(|line| (line.key.clone(), line.session_value()))
        .collect();
    empty_map_as_list(&map)
}

/// `GET weight`: the cart's weight with the store's unit (`"4 kg"`).
pub fn weight_text(cart: &Cart, catalog: &Catalog, now: UnixTime) -> Value {
    let weight: Decimal = cart
        .lines
        .iter()
        .filter_map(|line| {
            CartProduct::load(catalog, line.product_record_id(), now)
                .map(|product| leading_decimal(&product.weight) * line.quantity)
        })
        .sum();
    Value::from(format!(
        "{} {}",
        decimal_text(weight.normalize()),
        catalog.settings().weight_unit
    ))
}

/// `GET customer`: who owns the cart and their addresses.
pub fn customer_value(cart: &Cart, user_id: u64) -> Value {
    let address = |address: &Address, with_contact: bool| {
        let mut value = json!({
            "first_name": address.first_name,
            "last_name": address.last_name,
            "company": address.company,
            "address_1": address.address_1,
            "address_2": address.address_2,
            "city": address.city,
            "state": address.state,
            "postcode": address.postcode,
            "country": address.country,
        });
        if with_contact && let Value::Object(map) = &mut value {
            map.insert("email".into(), Value::from(address.email.clone()));
            map.insert("phone".into(), Value::from(address.phone.clone()));
        }
        value
    };
    json!({
        "user": {"ID": user_id},
        "billing": address(&cart.customer.billing, true),
        "shipping": address(&cart.customer.shipping, false),
        "has_calculated_shipping": cart.customer.calculated_shipping,
        "is_vat_exempt": false,
    })
}

impl From<&CartLine> for LineRef {
    /// What the catalog's cross-sell lookup needs from a cart line.
    fn from(line: &CartLine) -> Self {
        LineRef {
            product_id: line.product_id,
            variation_id: line.variation_id,
            quantity: line.quantity,
        }
    }
}

/// `GET cross-sells`: the cart's cross-sell products keyed by product id, with raw prices
/// and, on request, the thumbnail.
pub fn cross_sells_value(
    cart: &Cart,
    catalog: &Catalog,
    store: &StoreDisplay<'_>,
    thumb: bool,
    now: UnixTime,
) -> Value {
    let lines: Vec<LineRef> = cart.lines.iter().map(LineRef::from).collect();
    let mut map = Map::new();
    for product in catalog
        .cross_sells(&lines)
        .into_iter()
        .filter_map(|id| CartProduct::load(catalog, id, now))
    {
        let mut entry = json!({
            "id": product.id,
            "product_name": product.name,
            "product_title": product.title,
            "price": product.price,
            "regular_price": product.regular_price,
            "sale_price": product.sale_price,
        });
        if thumb && let Value::Object(fields) = &mut entry {
            let image = product
                .thumbnails
                .get("woocommerce_thumbnail")
                .map_or_else(String::new, |reference| store.url(reference));
            fields.insert("product_image".into(), Value::from(image));
        }
        map.insert(product.id.to_string(), entry);
    }
    empty_map_as_list(&map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cart::pricing::price_cart;
    use crate::cart::render_v1::tests::cart_of;
    use crate::cart::test_support::{NOW, peer_cart, peer_catalog, peer_catalog_with, peer_store};

    fn priced_cart(catalog: &Catalog, items: &[(&str, &str)]) -> Cart {
        let mut cart = cart_of(catalog, items);
        price_cart(&mut cart, catalog, NOW).unwrap();
        cart
    }

    #[test]
    fn add_refusals_take_the_v1_codes() {
        let catalog = peer_catalog();
        let product = CartProduct::load(&catalog, 10, NOW);
        let unknown = CartError::new("cocart_invalid_product", 400, "x");
        let reworded = v1_error(unknown, V1Operation::Add, None, Decimal::ONE);
        assert_eq!(
            (
                reworded.code.as_str(),
                reworded.status,
                reworded.message.as_str()
            ),
            (
                "cocart_product_does_not_exist",
                404,
                "This product does not exist!"
            )
        );
        let twice = CartError::new("cocart_product_sold_individually", 403, "x");
        let reworded = v1_error(twice, V1Operation::Add, product.as_ref(), Decimal::TWO);
        assert_eq!(
            reworded.message,
            "You cannot add \"Basic T-Shirt\" to your cart."
        );
        let restore = CartError::new("cocart_item_restored_to_cart", 404, "x");
        assert_eq!(
            v1_error(restore, V1Operation::Restore, None, Decimal::ONE).code,
            "cocart_can_not_restore_item"
        );
        let other = CartError::new(
            "cocart_item_not_in_cart",
            404,
            "Item does not exist in cart.",
        );
        assert_eq!(
            v1_error(other.clone(), V1Operation::Update, None, Decimal::ONE),
            other
        );
    }

    #[test]
    fn count_items_answers_a_number_or_the_empty_text() {
        let catalog = peer_catalog();
        let cart = priced_cart(&catalog, &[("10", "3"), ("12", "1")]);
        assert_eq!(count_items(&cart, true), json!(4));
        assert_eq!(count_items(&peer_cart(), true), json!(0));
        assert_eq!(
            count_items(&peer_cart(), false),
            json!("There are no items in the cart!")
        );
    }

    #[test]
    fn quantities_weight_and_removed_items() {
        let catalog = peer_catalog();
        let mut cart = priced_cart(&catalog, &[("10", "3"), ("12", "1")]);
        assert_eq!(quantities_value(&cart), json!({"10": 3, "12": 1}));
        let expected_weight: Decimal = [(10, 3), (12, 1)]
            .iter()
            .map(|(id, quantity)| {
                let product = CartProduct::load(&catalog, *id, NOW).unwrap();
                leading_decimal(&product.weight) * Decimal::from(*quantity)
            })
            .sum();
        assert_eq!(
            weight_text(&cart, &catalog, NOW),
            json!(format!(
                "{} {}",
                decimal_text(expected_weight.normalize()),
                catalog.settings().weight_unit
            ))
        );
        assert_eq!(removed_items_value(&cart), json!([]));
        let line = cart.lines.remove(1);
        cart.removed_lines.push(line);
        assert_eq!(
            removed_items_value(&cart)["c20ad4d76fe97759aa27a0c99bff6710"]["product_id"],
            12
        );
    }

    #[test]
    fn fees_and_single_totals_use_raw_amounts() {
        let catalog = peer_catalog();
        let settings = catalog.settings();
        let cart = priced_cart(&catalog, &[("10", "1")]);
        assert_eq!(fees_value(&cart), json!([]));
        assert_eq!(
            amount_text(Decimal::new(1085, 1), settings),
            json!("108.50")
        );
        assert_eq!(
            fee_added(" Gift Wrapping ", Decimal::new(5, 0), settings),
            "Fee \"Gift Wrapping\" for $5.00 has been added."
        );
        let totals = calculate_totals(&cart, &catalog, NOW).unwrap();
        assert_eq!(coupon_amounts(&totals, settings, false), json!([]));
    }

    #[test]
    fn cross_sells_are_keyed_by_product_id_with_raw_prices() {
        let catalog = peer_catalog_with(10, |shirt| shirt.cross_sell_ids = vec![11, 12]);
        let cart = cart_of(&catalog, &[("10", "1"), ("12", "1")]);
        let plain = cross_sells_value(&cart, &catalog, &peer_store(), false, NOW);
        let ids: Vec<&String> = plain.as_object().unwrap().keys().collect();
        assert_eq!(ids, ["11"], "products already in the cart are left out");
        assert_eq!(plain["11"]["product_name"], "Hoodie");
        assert_eq!(plain["11"]["price"], "40.00");
        assert!(plain["11"].get("product_image").is_none());
        let thumbs = cross_sells_value(&cart, &catalog, &peer_store(), true, NOW);
        assert!(thumbs["11"]["product_image"].is_string());
        assert_eq!(
            cross_sells_value(&peer_cart(), &catalog, &peer_store(), false, NOW),
            json!([])
        );
    }
}
