//! The CoCart v2 cart object and its item views, in CoCart 4.4's exact field order and
//! types (responses-and-errors.md §4).
//!
//! The renderer reads the stored cart, the catalog and the store's display settings. The
//! numbers that come out of a totals calculation (line and cart totals stored on the cart,
//! plus the per-rate taxes, coupon savings, fees and shipping packages in
//! [`TotalsPresentation`]) are supplied by the totals engine; the renderer only formats.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use crate::cart::catalog_view::{CartProduct, selection_pairs};
use crate::cart::error::CartError;
use crate::cart::hook_args::{action, cart_value, filter, product_value, truthy};
use crate::cart::hooks::Hooks;
use crate::cart::model::{Address, Cart, CartLine, empty_map_as_list};
use crate::cart::money::{
    decimal_number, decimal_text, minor_units, money_from_text, money_value, price_text,
};
use crate::catalog::model::{CurrencyPosition, StoreSettings, UnixTime};
use crate::catalog::{Catalog, LineRef};

/// The store as the cart body shows it: its settings plus where images live.
#[derive(Debug, Clone, Copy)]
pub struct StoreDisplay<'a> {
    /// Currency, units and tax display settings.
    pub settings: &'a StoreSettings,
    /// Public site root that image paths hang from (`http://shop.example`).
    pub site_url: &'a str,
    /// The placeholder image: an absolute URL or a path below the site root.
    pub placeholder_image: &'a str,
    /// Shipping enabled with at least one method (for `needs_shipping`).
    pub shipping_enabled: bool,
    /// The decimals money values are printed with: the store's, or 0 once
    /// `cocart_prepare_money_disable_decimals` asked for whole currency units.
    pub money_decimals: u32,
}

impl<'a> StoreDisplay<'a> {
    /// This display with `cocart_prepare_money_disable_decimals` applied: true prints
    /// money in whole currency units (`"18"` for 18.00), as CoCart then formats with 0
    /// decimals. The filter takes no per-value argument, so it fires once per body.
    pub fn with_money_hooks(&self, hooks: &dyn Hooks) -> Result<StoreDisplay<'a>, CartError> {
        let disable = filter(
            hooks,
            "cocart_prepare_money_disable_decimals",
            Value::Bool(false),
            Vec::new,
        )?;
        Ok(StoreDisplay {
            money_decimals: if truthy(&disable) {
                0
            } else {
                self.money_decimals
            },
            ..*self
        })
    }

    /// An absolute URL for an image reference (absolute URLs pass through).
    pub fn url(&self, reference: &str) -> String {
        if reference.starts_with("http://") || reference.starts_with("https://") {
            return reference.to_owned();
        }
        format!(
            "{}/{}",
            self.site_url.trim_end_matches('/'),
            reference.trim_start_matches('/')
        )
    }
}

/// What a totals calculation hands the renderer beyond the stored line and cart totals.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TotalsPresentation {
    /// Display unit price per item key (including or excluding tax per the cart display
    /// setting, price overrides included). Lines missing here show their override or the
    /// catalog's active price.
    pub item_prices: BTreeMap<String, Decimal>,
    /// Applied coupons with their savings.
    pub coupons: Vec<CouponLine>,
    /// Fees as displayed.
    pub fees: Vec<FeeLine>,
    /// The `taxes` block; `None` renders `[]`.
    pub taxes: Option<TaxesBlock>,
    /// The `shipping` block; `None` renders `[]`.
    pub shipping: Option<ShippingBlock>,
}

/// One applied coupon.
#[derive(Debug, Clone, PartialEq)]
pub struct CouponLine {
    /// Lower-cased code.
    pub code: String,
    /// `percent`, `fixed_cart` or `fixed_product`.
    pub discount_type: String,
    /// The discount, positive.
    pub saving: Decimal,
    /// A free-shipping coupon: a zero saving shows as "Free shipping coupon".
    pub free_shipping: bool,
}

/// One fee as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct FeeLine {
    /// Fee id (map key).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Amount shown (including tax when the cart displays prices including tax).
    pub amount: Decimal,
}

/// The `taxes` block.
#[derive(Debug, Clone, PartialEq)]
pub enum TaxesBlock {
    /// Itemised: `(rate code, label, amount)` per rate.
    Itemized(Vec<(String, String, Decimal)>),
    /// One total with its label (`Tax`, `VAT`, possibly "(estimated for …)").
    Single {
        /// The label.
        label: String,
        /// The tax total.
        total: Decimal,
    },
}

/// The `shipping` block (§4.6).
#[derive(Debug, Clone, PartialEq)]
pub struct ShippingBlock {
    /// Number of lines in the first package (CoCart's misnamed `total_packages`).
    pub total_packages: usize,
    /// WooCommerce's "show shipping" state.
    pub has_calculated_shipping: bool,
    /// Packages in order.
    pub packages: Vec<ShippingPackage>,
}

/// One shipping package.
#[derive(Debug, Clone, PartialEq)]
pub struct ShippingPackage {
    /// `Shipping`, `Shipping #2`…
    pub name: String,
    /// Available rates.
    pub rates: Vec<ShippingRate>,
    /// `""` or `Name ×qty, …`.
    pub package_details: String,
    /// Chosen rate id or `""`.
    pub chosen_method: String,
    /// One-line destination.
    pub formatted_destination: String,
}

/// One shipping rate.
#[derive(Debug, Clone, PartialEq)]
pub struct ShippingRate {
    /// Rate id (`flat_rate:1`).
    pub id: String,
    /// Method id (`flat_rate`).
    pub method_id: String,
    /// Method instance id.
    pub instance_id: u64,
    /// Label.
    pub label: String,
    /// Cost excluding tax.
    pub cost: Decimal,
    /// Human text (`Flat rate: $10.00`).
    pub html: String,
    /// The last tax line's amount, `None` without tax.
    pub tax: Option<Decimal>,
    /// Whether this rate is the chosen one.
    pub chosen: bool,
    /// Rate meta (`items` → `Beanie × 1`, …).
    pub meta_data: Vec<(String, String)>,
}

/// Per-request rendering options.
#[derive(Debug, Clone, Copy)]
pub struct RenderOptions<'a> {
    /// The active cart key.
    pub cart_key: &'a str,
    /// The `fields` parameter, if given.
    pub fields: Option<&'a str>,
    /// The `thumb` parameter (v2 default true).
    pub thumb: bool,
}

/// Everything item rendering reads.
struct Context<'a> {
    catalog: &'a Catalog,
    hooks: &'a dyn Hooks,
    store: &'a StoreDisplay<'a>,
    presentation: &'a TotalsPresentation,
    now: UnixTime,
    /// The admin session view: every item total in minor units, no `extensions`.
    session: bool,
}

impl<'a> Context<'a> {
    /// The context of a live cart view (not the admin session view).
    fn live(
        catalog: &'a Catalog,
        hooks: &'a dyn Hooks,
        store: &'a StoreDisplay<'a>,
        presentation: &'a TotalsPresentation,
        now: UnixTime,
    ) -> Self {
        Context {
            catalog,
            hooks,
            store,
            presentation,
            now,
            session: false,
        }
    }
}

/// The top-level fields of the v2 cart object, in order.
const CART_FIELDS: [&str; 17] = [
    "cart_hash",
    "cart_key",
    "currency",
    "customer",
    "items",
    "item_count",
    "items_weight",
    "coupons",
    "needs_payment",
    "needs_shipping",
    "shipping",
    "fees",
    "taxes",
    "totals",
    "removed_items",
    "cross_sells",
    "notices",
];

/// The v2 cart object (`GET cart` and every route that returns the cart). Drains the
/// queued notices when they are part of the body. Fails with
/// `cocart_response_returned_empty` when a `fields` filter selects nothing.
pub fn render_cart(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    store: &StoreDisplay<'_>,
    presentation: &TotalsPresentation,
    options: RenderOptions<'_>,
    now: UnixTime,
) -> Result<Value, CartError> {
    action(hooks, "cocart_get_cart", Vec::new)?;
    let store = &store.with_money_hooks(hooks)?;
    let context = Context::live(catalog, hooks, store, presentation, now);
    let requested = match options.fields {
        Some(fields) => parse_fields(fields),
        None => CART_FIELDS
            .iter()
            .map(|name| ((*name).to_owned(), None))
            .collect(),
    };
    let mut body = Map::new();
    for (name, selector) in requested {
        if body.contains_key(&name) {
            continue;
        }
        let value = match name.as_str() {
            "cart_hash" => Value::from(match (cart.is_empty(), options.fields) {
                (false, _) => cart.hash(store.settings.price_decimals),
                (true, None) => "No items in cart so no hash".to_owned(),
                (true, Some(_)) => String::new(),
            }),
            "cart_key" => Value::from(options.cart_key),
            "currency" => render_currency(store.settings),
            "customer" => customer_value(&cart.customer, selector.as_deref()),
            "items" => Value::Array(
                items_map(&context, &cart.lines, false, options.thumb)?
                    .into_values()
                    .collect(),
            ),
            "item_count" => decimal_number(cart.item_count()),
            "items_weight" => Value::from(items_weight(cart, catalog, now)),
            "coupons" => coupons_value(&presentation.coupons, store),
            "needs_payment" => Value::Bool(cart.totals.total > Decimal::ZERO),
            "needs_shipping" => Value::Bool(needs_shipping(cart, catalog, store, now)),
            "shipping" => presentation.shipping.as_ref().map_or_else(
                || json!([]),
                |shipping| shipping_value(shipping, store.money_decimals),
            ),
            "fees" => fees_value(&presentation.fees, store.money_decimals),
            "taxes" => taxes_value(presentation.taxes.as_ref(), cart, store.money_decimals),
            "totals" => totals_value(cart, store.money_decimals, selector.as_deref()),
            "removed_items" => Value::Array(
                items_map(&context, &cart.removed_lines, true, options.thumb)?
                    .into_values()
                    .collect(),
            ),
            "cross_sells" => cross_sells_value(&context, cart),
            "notices" => cart.notices.drain().to_value(),
            _ => continue,
        };
        body.insert(name, value);
    }
    if body.is_empty() {
        return Err(CartError::response_returned_empty(store.site_url, "cart"));
    }
    let body = Value::Object(body);
    if cart.is_empty() {
        filter(hooks, "cocart_empty_cart", body, Vec::new)
    } else {
        filter(hooks, "cocart_cart", body, || {
            vec![Value::Null, cart_value(cart)]
        })
    }
}

/// One live line as `GET cart/item/{key}` shows it (always with its image); `None` when
/// the key is not a live line.
pub fn render_item(
    cart: &Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    store: &StoreDisplay<'_>,
    presentation: &TotalsPresentation,
    key: &str,
    now: UnixTime,
) -> Result<Option<Value>, CartError> {
    let store = &store.with_money_hooks(hooks)?;
    let context = Context::live(catalog, hooks, store, presentation, now);
    match cart.line(key) {
        Some(line) => item_value(&context, line, false, true),
        None => Ok(None),
    }
}

/// `GET cart/items`: an object keyed by item key (images always included); 404
/// `cocart_no_items_in_cart` when the cart is empty.
pub fn render_items_object(
    cart: &Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    store: &StoreDisplay<'_>,
    presentation: &TotalsPresentation,
    now: UnixTime,
) -> Result<Value, CartError> {
    if cart.is_empty() {
        return Err(CartError::no_items_in_cart());
    }
    let store = &store.with_money_hooks(hooks)?;
    let context = Context::live(catalog, hooks, store, presentation, now);
    Ok(Value::Object(items_map(
        &context,
        &cart.lines,
        false,
        true,
    )?))
}

/// `GET cart/items/count`: the summed quantity of the live (or removed) lines. A zero
/// count answers `cocart_response_returned_empty` for `return=numeric` (the default) and
/// `cocart_no_items_in_cart` otherwise.
pub fn render_item_count(
    cart: &Cart,
    removed_items: bool,
    numeric: bool,
    site_url: &str,
) -> Result<Value, CartError> {
    let count = if removed_items {
        cart.removed_item_count()
    } else {
        cart.item_count()
    };
    if count > Decimal::ZERO {
        Ok(decimal_number(count))
    } else if numeric {
        Err(CartError::response_returned_empty(
            site_url,
            "cart/items/count",
        ))
    } else {
        Err(CartError::no_items_in_cart())
    }
}

/// `default=true`: WooCommerce's raw cart map keyed by item key; an empty cart answers
/// `cocart_response_returned_empty`.
pub fn render_raw_lines(cart: &Cart, site_url: &str) -> Result<Value, CartError> {
    if cart.is_empty() {
        return Err(CartError::response_returned_empty(site_url, "cart"));
    }
    let lines = cart
        .lines
        .iter()
        .map(|line| {
            let mut raw = Map::new();
            if let Value::Object(stored) = line.session_value() {
                for (name, value) in stored {
                    raw.insert(name.clone(), value);
                    if name == "line_tax" {
                        raw.insert("data".into(), json!({}));
                    }
                }
            }
            (line.key.clone(), Value::Object(raw))
        })
        .collect();
    Ok(Value::Object(lines))
}

/// `GET cocart/v2/session/{key}` (responses-and-errors.md §5.18): the stored cart as the
/// admin sessions route shows it. Items and removed items are objects keyed by item key,
/// every item total is in minor units, quantity limits are unfiltered (no hooks run),
/// and the totals keep WooCommerce's stored types (see [`session_totals`]).
pub fn render_session(
    cart: &Cart,
    catalog: &Catalog,
    store: &StoreDisplay<'_>,
    presentation: &TotalsPresentation,
    cart_key: &str,
    now: UnixTime,
) -> Result<Value, CartError> {
    let coupons = match coupons_value(&presentation.coupons, store) {
        Value::Array(coupons) => coupons
            .into_iter()
            .map(|mut coupon| {
                if let Value::Object(fields) = &mut coupon {
                    fields.shift_remove("discount_type");
                }
                coupon
            })
            .collect(),
        other => other,
    };
    let decimals = store.money_decimals;
    Ok(json!({
        "cart_key": cart_key,
        "customer": customer_value(&cart.customer, None),
        "items": render_session_items(cart, catalog, store, now)?,
        "item_count": decimal_number(cart.item_count()),
        "items_weight": items_weight(cart, catalog, now),
        "coupons": coupons,
        "fees": fees_value(&presentation.fees, decimals),
        "totals": session_totals(cart, decimals),
        "needs_payment": cart.totals.total > Decimal::ZERO,
        "removed_items": session_lines(&cart.removed_lines, catalog, store, true, now)?,
    }))
}

/// `GET cocart/v2/session/{key}/items`: the session view's items, keyed by item key.
pub fn render_session_items(
    cart: &Cart,
    catalog: &Catalog,
    store: &StoreDisplay<'_>,
    now: UnixTime,
) -> Result<Value, CartError> {
    session_lines(&cart.lines, catalog, store, false, now)
}

fn session_lines(
    lines: &[CartLine],
    catalog: &Catalog,
    store: &StoreDisplay<'_>,
    removed: bool,
    now: UnixTime,
) -> Result<Value, CartError> {
    let presentation = TotalsPresentation::default();
    let context = Context {
        catalog,
        hooks: &crate::cart::hooks::NoHooks,
        store,
        presentation: &presentation,
        now,
        session: true,
    };
    Ok(empty_map_as_list(&items_map(
        &context, lines, removed, true,
    )?))
}

/// The items of `lines` keyed by item key, in cart order. After each live line (V2-GET
/// step 9, `GET cart/items`) the map passes through `cocart_cart_items(items, item_key,
/// line, product)` and then `cocart_cart_contents(items, item_key, line, product)` (CoCart
/// fires the latter on v1 only; cartd fires it on v2 too, with v2 items). A filter result
/// that is not an object leaves the map unchanged.
fn items_map(
    context: &Context<'_>,
    lines: &[CartLine],
    removed: bool,
    thumb: bool,
) -> Result<Map<String, Value>, CartError> {
    let mut items = Map::new();
    for line in lines {
        let Some(item) = item_value(context, line, removed, thumb)? else {
            continue;
        };
        items.insert(line.key.clone(), item);
        if removed {
            continue;
        }
        for name in ["cocart_cart_items", "cocart_cart_contents"] {
            // Only a listener needs the (growing) items map copied for it.
            if !context.hooks.has(name) {
                continue;
            }
            let filtered = filter(context.hooks, name, Value::Object(items.clone()), || {
                let product =
                    CartProduct::load(context.catalog, line.product_record_id(), context.now);
                vec![
                    Value::from(line.key.clone()),
                    line.session_value(),
                    product.as_ref().map_or(Value::Null, product_value),
                ]
            })?;
            if let Value::Object(map) = filtered {
                items = map;
            }
        }
    }
    Ok(items)
}

/// The session view's totals: CoCart formats WooCommerce's stored values, whose types
/// differ — `subtotal`, `fee_total`, `shipping_total` and `total` are stored as text (a
/// zero shows as `"0"`), the others as numbers (a zero passes through as `0`).
fn session_totals(cart: &Cart, decimals: u32) -> Value {
    let totals = &cart.totals;
    let text = |amount: Decimal| Value::from(minor_units(amount, decimals));
    let number = |amount: Decimal| money_value(amount, decimals);
    json!({
        "subtotal": text(totals.subtotal),
        "subtotal_tax": number(totals.subtotal_tax),
        "fee_total": text(totals.fee_total),
        "fee_tax": number(totals.fee_tax),
        "discount_total": number(totals.discount_total),
        "discount_tax": number(totals.discount_tax),
        "shipping_total": text(totals.shipping_total),
        "shipping_tax": number(totals.shipping_tax),
        "total": text(totals.total),
        "total_tax": number(totals.total_tax),
    })
}

/// The §4.8 `totals` object (also the `return_totals=true` body of `cart/calculate`).
pub fn render_totals(cart: &Cart, decimals: u32) -> Value {
    totals_value(cart, decimals, None)
}

/// `GET cart/totals` (and v1 `totals`): WooCommerce's stored totals as raw values —
/// `subtotal`, `shipping_total`, `cart_contents_total` and `fee_total` as number text,
/// `total` with the store's decimals, the rest as numbers, per-rate maps as objects or
/// `[]`. With `html`, every scalar becomes currency text. A zero total answers 404
/// `cocart_cart_totals_empty`.
pub fn render_stored_totals(
    cart: &Cart,
    settings: &StoreSettings,
    html: bool,
) -> Result<Value, CartError> {
    let totals = &cart.totals;
    if totals.total.is_zero() {
        return Err(CartError::new(
            "cocart_cart_totals_empty",
            404,
            "This cart either has no items or was not calculated.",
        ));
    }
    let text = |amount: Decimal| Value::from(decimal_text(amount));
    let rates = |taxes: &BTreeMap<String, Decimal>| {
        let map: Map<String, Value> = taxes
            .iter()
            .map(|(rate, amount)| (rate.clone(), decimal_number(*amount)))
            .collect();
        empty_map_as_list(&map)
    };
    let fixed = format!("{:.*}", settings.price_decimals as usize, totals.total);
    let entries = [
        ("subtotal", text(totals.subtotal), totals.subtotal),
        (
            "subtotal_tax",
            decimal_number(totals.subtotal_tax),
            totals.subtotal_tax,
        ),
        (
            "shipping_total",
            text(totals.shipping_total),
            totals.shipping_total,
        ),
        (
            "shipping_tax",
            decimal_number(totals.shipping_tax),
            totals.shipping_tax,
        ),
        (
            "shipping_taxes",
            rates(&totals.shipping_taxes),
            Decimal::ZERO,
        ),
        (
            "discount_total",
            decimal_number(totals.discount_total),
            totals.discount_total,
        ),
        (
            "discount_tax",
            decimal_number(totals.discount_tax),
            totals.discount_tax,
        ),
        (
            "cart_contents_total",
            text(totals.cart_contents_total),
            totals.cart_contents_total,
        ),
        (
            "cart_contents_tax",
            decimal_number(totals.cart_contents_tax),
            totals.cart_contents_tax,
        ),
        (
            "cart_contents_taxes",
            rates(&totals.cart_contents_taxes),
            Decimal::ZERO,
        ),
        ("fee_total", text(totals.fee_total), totals.fee_total),
        ("fee_tax", decimal_number(totals.fee_tax), totals.fee_tax),
        ("fee_taxes", rates(&totals.fee_taxes), Decimal::ZERO),
        ("total", Value::from(fixed), totals.total),
        (
            "total_tax",
            decimal_number(totals.total_tax),
            totals.total_tax,
        ),
    ];
    let object: Map<String, Value> = entries
        .into_iter()
        .map(|(name, value, amount)| {
            let shown = if html && !value.is_object() && !value.is_array() {
                Value::from(price_text(amount, settings))
            } else {
                value
            };
            (name.to_owned(), shown)
        })
        .collect();
    Ok(Value::Object(object))
}

/// Splits `fields` into `(name, sub-selector)` entries, in the order given, without
/// trimming (CoCart does not trim).
fn parse_fields(fields: &str) -> Vec<(String, Option<String>)> {
    fields
        .split(',')
        .map(|entry| match entry.split_once(':') {
            Some((name, selector)) => (name.to_owned(), Some(selector.to_owned())),
            None => (entry.to_owned(), None),
        })
        .filter(|(name, _)| CART_FIELDS.contains(&name.as_str()))
        .collect()
}

/// The `currency` object of the v2 cart (§4.2), also used by the Plus mini cart.
pub fn render_currency(settings: &StoreSettings) -> Value {
    let symbol = settings.currency_symbol.clone();
    let (position, prefix, suffix) = match settings.currency_position {
        CurrencyPosition::Left => ("currency_prefix", symbol.clone(), String::new()),
        CurrencyPosition::LeftSpace => ("currency_prefix", format!("{symbol} "), String::new()),
        CurrencyPosition::Right => ("currency_suffix", String::new(), symbol.clone()),
        CurrencyPosition::RightSpace => ("currency_suffix", String::new(), format!(" {symbol}")),
    };
    json!({
        "currency_code": settings.currency,
        "currency_symbol": symbol,
        "currency_symbol_pos": position,
        "currency_minor_unit": settings.price_decimals,
        "currency_decimal_separator": settings.decimal_separator,
        "currency_thousand_separator": settings.thousand_separator,
        "currency_prefix": prefix,
        "currency_suffix": suffix,
    })
}

/// `{prefix}_{field}` for the first `count` fields of `address` (the shipping block has no
/// phone or email).
fn address_value(prefix: &str, address: &Address, count: usize) -> Value {
    let object: Map<String, Value> = address
        .fields()
        .into_iter()
        .take(count)
        .map(|(field, value)| (format!("{prefix}_{field}"), Value::from(value)))
        .collect();
    Value::Object(object)
}

fn customer_value(customer: &crate::cart::model::Customer, selector: Option<&str>) -> Value {
    let mut object = Map::new();
    if selector.is_none_or(|part| part == "billing_address") {
        object.insert(
            "billing_address".into(),
            address_value("billing", &customer.billing, 11),
        );
    }
    if selector.is_none_or(|part| part == "shipping_address") {
        object.insert(
            "shipping_address".into(),
            address_value("shipping", &customer.shipping, 9),
        );
    }
    Value::Object(object)
}

/// The item object (§4.4); removed lines get a bare quantity and no `extensions`.
/// `None` when the line's product no longer exists (such lines are not shown).
fn item_value(
    context: &Context<'_>,
    line: &CartLine,
    removed: bool,
    thumb: bool,
) -> Result<Option<Value>, CartError> {
    let Some(product) = CartProduct::load(context.catalog, line.product_record_id(), context.now)
    else {
        return Ok(None);
    };
    let hooks = context.hooks;
    let product = if removed {
        product
    } else {
        item_product(hooks, product, line)?
    };
    let key = || Value::from(line.key.clone());
    let product_arg = || product_value(&product);
    let decimals = context.store.money_decimals;

    let name = filter(
        hooks,
        "cocart_cart_item_name",
        Value::from(product.name.clone()),
        || vec![product_arg(), line.session_value(), key()],
    )?;
    let title = filter(
        hooks,
        "cocart_cart_item_title",
        Value::from(product.title.clone()),
        || vec![product_arg(), line.session_value(), key()],
    )?;
    let price = match context
        .presentation
        .item_prices
        .get(&line.key)
        .copied()
        .or(line.price_override)
    {
        Some(price) => money_value(price, decimals),
        None => money_from_text(&product.price, decimals),
    };
    let price = filter(hooks, "cocart_cart_item_price", price, || {
        vec![line.session_value(), key(), product_arg()]
    })?;
    let quantity = filter(
        hooks,
        "cocart_cart_item_quantity",
        decimal_number(line.quantity),
        || vec![key(), line.session_value(), product_arg()],
    )?;
    let quantity = if removed {
        quantity
    } else {
        let (minimum, maximum) = purchase_limits(hooks, &product)?;
        json!({"value": quantity, "min_purchase": minimum, "max_purchase": maximum})
    };
    let line_filter =
        |name: &str, value: Value| filter(hooks, name, value, || vec![line.session_value(), key()]);
    let raw = |amount: Decimal| {
        if context.session {
            money_value(amount, decimals)
        } else {
            decimal_number(amount)
        }
    };
    let totals = json!({
        "subtotal": line_filter("cocart_cart_item_subtotal", money_value(line.totals.subtotal, decimals))?,
        "subtotal_tax": line_filter("cocart_cart_item_subtotal_tax", raw(line.totals.subtotal_tax))?,
        "total": line_filter("cocart_cart_item_total", raw(line.totals.total))?,
        "tax": line_filter("cocart_cart_item_tax", raw(line.totals.tax))?,
    });
    let [length, width, height] = product.dimensions.clone();
    let variation: Map<String, Value> = context
        .catalog
        .describe_selection(line.product_id, &selection_pairs(&line.variation))
        .into_iter()
        .map(|(label, value)| (label, Value::from(value)))
        .collect();
    let backorders =
        if product.backorders_require_notification && product.is_on_backorder(line.quantity) {
            filter(
                hooks,
                "cocart_cart_item_backorder_notification",
                Value::from("Available on backorder"),
                || vec![Value::from(product.id)],
            )?
        } else {
            Value::from("")
        };
    let image = if thumb {
        featured_image(hooks, context.store, &product, line, removed)?
    } else {
        Value::from("")
    };

    let mut item = Map::new();
    item.insert("item_key".into(), key());
    item.insert("id".into(), Value::from(line.product_record_id()));
    item.insert("name".into(), name);
    item.insert("title".into(), title);
    item.insert("price".into(), price);
    item.insert("quantity".into(), quantity);
    item.insert("totals".into(), totals);
    item.insert("slug".into(), Value::from(product.slug.clone()));
    item.insert(
        "meta".into(),
        json!({
            "product_type": product.product_type.as_str(),
            "sku": product.sku,
            "dimensions": {"length": length, "width": width, "height": height, "unit": context.store.settings.dimension_unit},
            "weight": line_weight(&product, line.quantity),
            "variation": empty_map_as_list(&variation),
        }),
    );
    item.insert("backorders".into(), backorders);
    item.insert("cart_item_data".into(), json!([]));
    item.insert("featured_image".into(), image);
    if !removed && !context.session {
        let extensions = filter(hooks, "cocart_cart_item_extensions", json!([]), || {
            vec![line.session_value(), key(), product_arg()]
        })?;
        item.insert("extensions".into(), extensions);
    }
    if !line.item_data.is_empty() {
        // The built-in callback at priority 0 drops empty values before scripts see the data.
        let cleaned: Map<String, Value> = line
            .item_data
            .iter()
            .filter(|(_, value)| truthy(value))
            .map(|(name, value)| (name.clone(), value.clone()))
            .collect();
        let data = filter(
            hooks,
            "cocart_cart_item_data",
            Value::Object(cleaned),
            || vec![key(), product_arg()],
        )?;
        let data = match data {
            Value::Object(map) => empty_map_as_list(&map),
            other => other,
        };
        item.insert("cart_item_data".into(), data);
    }
    Ok(Some(Value::Object(item)))
}

/// `cocart_item_product(product, line, item_key)`: the product a live item is built from.
/// A returned table may change the `name`, `title`, `price`, `sku` and `slug` the item
/// shows (totals are unaffected); other fields are read-only.
pub(crate) fn item_product(
    hooks: &dyn Hooks,
    mut product: CartProduct,
    line: &CartLine,
) -> Result<CartProduct, CartError> {
    if !hooks.has("cocart_item_product") {
        return Ok(product);
    }
    let filtered = filter(
        hooks,
        "cocart_item_product",
        product_value(&product),
        || vec![line.session_value(), Value::from(line.key.clone())],
    )?;
    for (field, slot) in [
        ("name", &mut product.name),
        ("title", &mut product.title),
        ("price", &mut product.price),
        ("sku", &mut product.sku),
        ("slug", &mut product.slug),
    ] {
        if let Some(text) = filtered.get(field).and_then(Value::as_str) {
            text.clone_into(slot);
        }
    }
    Ok(product)
}

/// The item image: the size chosen by `cocart_item_thumbnail_size` (default
/// `woocommerce_thumbnail`), falling back to the full image and then the placeholder, then
/// passed through `cocart_item_thumbnail_src`.
pub(crate) fn featured_image(
    hooks: &dyn Hooks,
    store: &StoreDisplay<'_>,
    product: &CartProduct,
    line: &CartLine,
    removed: bool,
) -> Result<Value, CartError> {
    const DEFAULT_SIZE: &str = "woocommerce_thumbnail";
    let size = filter(
        hooks,
        "cocart_item_thumbnail_size",
        Value::from(DEFAULT_SIZE),
        || vec![Value::Bool(removed)],
    )?;
    let size = size.as_str().unwrap_or(DEFAULT_SIZE);
    let reference = product
        .thumbnails
        .get(size)
        .or_else(|| product.thumbnails.get("full"))
        .map_or(store.placeholder_image, String::as_str);
    filter(
        hooks,
        "cocart_item_thumbnail_src",
        Value::from(store.url(reference)),
        || {
            vec![
                line.session_value(),
                Value::from(line.key.clone()),
                Value::Bool(removed),
            ]
        },
    )
}

/// `min_purchase` and `max_purchase` (−1 = unlimited) after the quantity filters.
fn purchase_limits(hooks: &dyn Hooks, product: &CartProduct) -> Result<(Value, Value), CartError> {
    let minimum = filter(
        hooks,
        "cocart_quantity_minimum_requirement",
        Value::from(1),
        || vec![product_value(product)],
    )?;
    let maximum = product.max_purchase.map_or(Value::from(-1), decimal_number);
    let maximum = filter(hooks, "cocart_quantity_maximum_allowed", maximum, || {
        vec![product_value(product)]
    })?;
    Ok((minimum, maximum))
}

/// `meta.weight`: weight × whole quantity, `"0.0"` when the product has no weight or is
/// virtual.
fn line_weight(product: &CartProduct, quantity: Decimal) -> String {
    if !product.has_weight {
        return "0.0".to_owned();
    }
    decimal_text(
        crate::cart::money::leading_decimal(&product.weight).saturating_mul(quantity.trunc()),
    )
}

fn items_weight(cart: &Cart, catalog: &Catalog, now: UnixTime) -> String {
    let weights = cart.lines.iter().filter_map(|line| {
        let product = CartProduct::load(catalog, line.product_record_id(), now)
            .filter(|product| product.has_weight)?;
        Some(crate::cart::money::leading_decimal(&product.weight).saturating_mul(line.quantity))
    });
    decimal_text(crate::cart::model::total(weights))
}

fn needs_shipping(cart: &Cart, catalog: &Catalog, store: &StoreDisplay<'_>, now: UnixTime) -> bool {
    store.shipping_enabled
        && cart.lines.iter().any(|line| {
            CartProduct::load(catalog, line.product_record_id(), now)
                .is_some_and(|product| product.needs_shipping)
        })
}

fn coupons_value(coupons: &[CouponLine], store: &StoreDisplay<'_>) -> Value {
    coupons
        .iter()
        .map(|coupon| {
            let (saving, saving_html) = if coupon.free_shipping && coupon.saving.is_zero() {
                (
                    "Free shipping coupon".to_owned(),
                    "Free shipping coupon".to_owned(),
                )
            } else {
                (
                    format!("-{}", minor_units(coupon.saving, store.money_decimals)),
                    format!("-{}", price_text(coupon.saving, store.settings)),
                )
            };
            json!({
                "coupon": coupon.code,
                "label": format!("Coupon: {}", coupon.code),
                "discount_type": coupon.discount_type,
                "saving": saving,
                "saving_html": saving_html,
            })
        })
        .collect()
}

fn fees_value(fees: &[FeeLine], decimals: u32) -> Value {
    let object: Map<String, Value> = fees
        .iter()
        .map(|fee| {
            (
                fee.id.clone(),
                json!({"name": fee.name, "fee": minor_units(fee.amount, decimals)}),
            )
        })
        .collect();
    empty_map_as_list(&object)
}

fn taxes_value(taxes: Option<&TaxesBlock>, cart: &Cart, decimals: u32) -> Value {
    match taxes {
        _ if cart.is_empty() => json!([]),
        None => json!([]),
        Some(TaxesBlock::Single { label, total }) => {
            json!({"label": label, "total": minor_units(*total, decimals)})
        }
        Some(TaxesBlock::Itemized(rates)) => {
            let object: Map<String, Value> = rates
                .iter()
                .map(|(code, name, amount)| {
                    (
                        code.clone(),
                        json!({"name": name, "price": minor_units(*amount, decimals)}),
                    )
                })
                .collect();
            empty_map_as_list(&object)
        }
    }
}

/// The 10 cart totals: `subtotal`, `fee_total`, `shipping_total` and `total` are the number
/// `0` when zero in an empty cart; everything else is a minor-units string.
fn totals_value(cart: &Cart, decimals: u32, selector: Option<&str>) -> Value {
    let totals = &cart.totals;
    let empty = cart.is_empty();
    let flexible = |amount: Decimal| {
        if empty && amount.is_zero() {
            Value::from(0)
        } else {
            Value::from(minor_units(amount, decimals))
        }
    };
    let text = |amount: Decimal| Value::from(minor_units(amount, decimals));
    let all = [
        ("subtotal", flexible(totals.subtotal)),
        ("subtotal_tax", text(totals.subtotal_tax)),
        ("fee_total", flexible(totals.fee_total)),
        ("fee_tax", text(totals.fee_tax)),
        ("discount_total", text(totals.discount_total)),
        ("discount_tax", text(totals.discount_tax)),
        ("shipping_total", flexible(totals.shipping_total)),
        ("shipping_tax", text(totals.shipping_tax)),
        ("total", flexible(totals.total)),
        ("total_tax", text(totals.total_tax)),
    ];
    let object: Map<String, Value> = match selector {
        None => all
            .into_iter()
            .map(|(name, value)| (name.to_owned(), value))
            .collect(),
        Some(names) => names
            .split('-')
            .filter_map(|wanted| all.iter().find(|(name, _)| *name == wanted))
            .map(|(name, value)| ((*name).to_owned(), value.clone()))
            .collect(),
    };
    Value::Object(object)
}

/// PHP's string increment (`"default"` → `"defaulu"`), which CoCart uses to key packages
/// after the first.
fn php_increment(text: &str) -> String {
    let mut characters: Vec<char> = text.chars().collect();
    let mut index = characters.len();
    while index > 0 {
        index -= 1;
        match characters[index] {
            'z' => characters[index] = 'a',
            'Z' => characters[index] = 'A',
            '9' => characters[index] = '0',
            c if c.is_ascii_alphanumeric() => {
                characters[index] = char::from(c as u8 + 1);
                return characters.into_iter().collect();
            }
            _ => return characters.into_iter().collect(),
        }
    }
    let first = match characters.first() {
        Some('a') => 'a',
        Some('A') => 'A',
        _ => '1',
    };
    std::iter::once(first).chain(characters).collect()
}

fn shipping_value(shipping: &ShippingBlock, decimals: u32) -> Value {
    let packages = if shipping.has_calculated_shipping {
        let mut packages = Map::new();
        let mut package_key = "default".to_owned();
        for (index, package) in shipping.packages.iter().enumerate() {
            if package.rates.is_empty() {
                continue;
            }
            let rates: Map<String, Value> = package
                .rates
                .iter()
                .map(|rate| {
                    let meta: Map<String, Value> = rate
                        .meta_data
                        .iter()
                        .map(|(name, value)| (name.clone(), Value::from(value.clone())))
                        .collect();
                    let value = json!({
                        "key": rate.id,
                        "method_id": rate.method_id,
                        "instance_id": rate.instance_id,
                        "label": rate.label,
                        "cost": minor_units(rate.cost, decimals),
                        "html": rate.html,
                        "taxes": rate.tax.map_or_else(String::new, |tax| minor_units(tax, decimals)),
                        "chosen_method": rate.chosen,
                        "meta_data": empty_map_as_list(&meta),
                    });
                    (rate.id.clone(), value)
                })
                .collect();
            let value = json!({
                "package_name": package.name,
                "rates": rates,
                "package_details": package.package_details,
                "index": index,
                "chosen_method": package.chosen_method,
                "formatted_destination": package.formatted_destination,
            });
            let next_key = php_increment(&package_key);
            packages.insert(std::mem::replace(&mut package_key, next_key), value);
        }
        empty_map_as_list(&packages)
    } else {
        json!([])
    };
    json!({
        "total_packages": shipping.total_packages,
        "show_package_details": shipping.total_packages > 1,
        "has_calculated_shipping": shipping.has_calculated_shipping,
        "packages": packages,
    })
}

/// Up to 3 visible cross-sells of the cart's lines, excluding products already in it, in
/// the catalog's merge order (CoCart shuffles them; a stable order is an allowed reading of
/// "random").
fn cross_sells_value(context: &Context<'_>, cart: &Cart) -> Value {
    const LIMIT: usize = 3;
    let lines: Vec<LineRef> = cart
        .lines
        .iter()
        .map(|line| LineRef {
            product_id: line.product_id,
            variation_id: line.variation_id,
            quantity: line.quantity,
        })
        .collect();
    let ids = context.catalog.cross_sells(&lines);
    let decimals = context.store.money_decimals;
    ids.into_iter()
        .filter_map(|id| CartProduct::load(context.catalog, id, context.now))
        .take(LIMIT)
        .map(|product| {
            let rating = crate::cart::money::leading_decimal(&product.average_rating);
            json!({
                "id": product.id,
                "name": product.name,
                "title": product.title,
                "slug": product.slug,
                "price": money_from_text(&product.price, decimals),
                "regular_price": money_from_text(&product.regular_price, decimals),
                "sale_price": if product.on_sale { money_from_text(&product.sale_price, decimals) } else { Value::from("") },
                "image": product
                    .thumbnails
                    .get("woocommerce_thumbnail")
                    .map_or_else(String::new, |reference| context.store.url(reference)),
                "average_rating": if rating.is_zero() { String::new() } else { format!("Rated {rating:.2} out of 5") },
                "on_sale": product.on_sale,
                "type": product.product_type.as_str(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::php_increment;

    #[test]
    fn package_keys_follow_php_string_increment() {
        assert_eq!(php_increment("default"), "defaulu");
        assert_eq!(php_increment("defaulu"), "defaulv");
        assert_eq!(php_increment("az"), "ba");
        assert_eq!(php_increment("zz"), "aaa");
    }
}
