//! The cart operations of CoCart v2: add, add grouped, update quantity, remove, restore,
//! clear, and the `update-cart` / `update-customer` callbacks with the extension registry
//! that lets scripts add their own `cart/update` namespaces.
//!
//! Each one is a pure function over the stored cart, the catalog and the hook runtime,
//! validating in CoCart's evaluation order (hooks-and-filters.md §3.2, responses-and-errors.md
//! §8.3–§8.4) and queueing the notices CoCart queues. A refused operation leaves the cart as
//! it was. Totals are not recalculated here: handlers run the totals engine afterwards.

use rust_decimal::Decimal;
use rust_decimal::prelude::FromStr;
use serde_json::{Map, Value, json};

use crate::cart::catalog_view::{CartProduct, selection_map, selection_pairs};
use crate::cart::error::CartError;
use crate::cart::hook_args::{
    action, cart_value, contents_value, filter, log_skipped, product_value, truthy,
    validation_filter,
};
use crate::cart::hooks::{ExtensionOutcome, Hooks};
use crate::cart::item_key::item_key;
use crate::cart::model::{Cart, CartLine, LineTotals};
use crate::cart::money::{decimal_number, decimal_text};
use crate::catalog::model::{ProductType, UnixTime};
use crate::catalog::variation::format_list;
use crate::catalog::{Catalog, VariationError};

/// The parameters of `POST cart/add-item` the domain needs, already type-checked by the
/// HTTP layer (WordPress argument validation answers `rest_invalid_param` before this).
#[derive(Debug, Clone, Default)]
pub struct AddItemRequest {
    /// `id`: a product/variation id, or a SKU.
    pub id: String,
    /// `quantity` as posted (default `"1"`).
    pub quantity: String,
    /// `variation`: `attribute_*` → value.
    pub variation: Map<String, Value>,
    /// `item_data`: custom line data.
    pub item_data: Map<String, Value>,
    /// `email`: stored as the billing email when valid.
    pub email: Option<String>,
    /// `phone`: stored as the billing phone when valid.
    pub phone: Option<String>,
    /// `price`, when the caller has decided this client may set a per-line price.
    pub price_override: Option<Decimal>,
    /// The `Request` snapshot hooks receive as their request argument.
    pub hook_request: Value,
}

/// The parameters of `POST cart/add-items` (grouped products).
#[derive(Debug, Clone, Default)]
pub struct AddItemsRequest {
    /// `id`: the container product, id or SKU.
    pub id: String,
    /// `quantity`: child product id → quantity.
    pub quantities: Map<String, Value>,
    /// `email`, as for add-item.
    pub email: Option<String>,
    /// `phone`, as for add-item.
    pub phone: Option<String>,
    /// The `Request` snapshot hooks receive.
    pub hook_request: Value,
}

/// A line an add created or merged into.
#[derive(Debug, Clone, PartialEq)]
pub struct AddedItem {
    /// The line's item key.
    pub key: String,
    /// The units this add contributed.
    pub quantity: Decimal,
}

/// The outcome of a single-item quantity update.
#[derive(Debug, Clone, PartialEq)]
pub struct QuantityUpdate {
    /// The product name as the messages show it.
    pub name: String,
    /// The quantity before the update.
    pub previous: Decimal,
    /// The quantity asked for (and now set).
    pub quantity: Decimal,
}

impl QuantityUpdate {
    /// The `return_status=true` body of `POST cart/item/{key}` (reporting the new quantity,
    /// a documented fix of CoCart's previous-quantity defect).
    pub fn status_value(&self) -> Value {
        let message = if self.quantity > self.previous {
            format!(
                "The quantity for \"{}\" has increased to \"{}\".",
                self.name,
                decimal_text(self.quantity)
            )
        } else if self.quantity < self.previous {
            format!(
                "The quantity for \"{}\" has decreased to \"{}\".",
                self.name,
                decimal_text(self.quantity)
            )
        } else {
            format!("The quantity for \"{}\" has not changed.", self.name)
        };
        json!({"message": message, "quantity": decimal_number(self.quantity)})
    }
}

/// Runs `operation` on `cart` and puts the cart back as it was if the operation fails.
fn all_or_nothing<T>(
    cart: &mut Cart,
    operation: impl FnOnce(&mut Cart) -> Result<T, CartError>,
) -> Result<T, CartError> {
    let before = cart.clone();
    let result = operation(cart);
    if result.is_err() {
        *cart = before;
    }
    result
}

/// `POST cart/add-item` (V2-ADD): resolves the product, validates, adds or merges the line,
/// fires `cocart_item_added_to_cart`, queues the success notice, applies the price override
/// and captures email/phone.
pub fn add_item(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    request: &AddItemRequest,
    now: UnixTime,
) -> Result<AddedItem, CartError> {
    all_or_nothing(cart, |cart| {
        let product = resolve_product(catalog, &request.id, now)?;
        let quantity = parse_quantity(&request.quantity)?;
        check_quantity_limits(hooks, &product, quantity)?;
        let handler = add_handler(
            hooks,
            HandlerFamily::AddItem,
            &product,
            &request.hook_request,
        )?;
        match handler.as_str() {
            "external" => {
                return Err(CartError::new(
                    "cocart_cannot_add_product_type_to_cart",
                    403,
                    format!(
                        "You cannot add \"{}\" to your cart as it is an \"external\" product.",
                        product.name
                    ),
                ));
            }
            "grouped" => {
                return Err(CartError::new(
                    "cocart_cannot_add_product_type_to_cart",
                    403,
                    "You cannot use this route to add \"grouped\" products to the cart. Please use /cocart/v2/cart/add-items instead.",
                ));
            }
            _ => {}
        }
        let candidate = LineCandidate {
            product,
            quantity,
            variation: request.variation.clone(),
            item_data: request.item_data.clone(),
            product_type: None,
        };
        let added = validate_and_add(cart, catalog, hooks, candidate, &request.hook_request, now)?;
        queue_added_notice(cart, hooks, std::slice::from_ref(&added))?;
        let key = added.item.key.as_str();
        if let Some(price) = request.price_override.filter(|price| !price.is_zero())
            && allows_price_change(hooks, line_value(cart, key), &request.hook_request)?
            && let Some(line) = cart.line_mut(key)
        {
            line.price_override = Some(price);
        }
        capture_contact(cart, request.email.as_deref(), request.phone.as_deref());
        action(hooks, "cocart_after_item_added_to_cart", || {
            vec![
                line_value(cart, key),
                request.hook_request.clone(),
                Value::from(handler.as_str()),
                Value::Null,
            ]
        })?;
        Ok(added.item)
    })
}

/// `POST cart/add-items` (V2-ADDS): names the handler (`cocart_add_items_to_cart_handler`,
/// which a custom `…_{handler}` filter may use to refuse), adds each child with a positive
/// quantity through the full validation chain, then queues one notice naming them all.
///
/// As in CoCart, a child that fails validation ends the request with its error while the
/// children added before it stay in the cart.
pub fn add_items(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    request: &AddItemsRequest,
    now: UnixTime,
) -> Result<Vec<AddedItem>, CartError> {
    let container = resolve_product(catalog, &request.id, now)?;
    let handler = add_handler(
        hooks,
        HandlerFamily::AddItems,
        &container,
        &request.hook_request,
    )?;
    if request.quantities.is_empty() {
        return Err(CartError::new(
            "cocart_grouped_product_empty",
            404,
            "Please choose a product to add to your cart.",
        ));
    }
    let wanted: Vec<(&String, Decimal)> = request
        .quantities
        .iter()
        .map(|(child, quantity)| (child, quantity_of(quantity)))
        .filter(|(_, quantity)| *quantity > Decimal::ZERO)
        .collect();
    if wanted.is_empty() {
        return Err(CartError::new(
            "cocart_grouped_product_failed",
            404,
            "Please choose the quantity of items you wish to add to your cart.",
        ));
    }
    let mut added_lines = Vec::new();
    for (child, quantity) in wanted {
        let product = child
            .parse::<u64>()
            .ok()
            .and_then(|id| CartProduct::load(catalog, id, now))
            .ok_or_else(invalid_product)?;
        let candidate = LineCandidate {
            product,
            quantity,
            variation: Map::new(),
            item_data: Map::new(),
            product_type: Some("grouped"),
        };
        let added = all_or_nothing(cart, |cart| {
            validate_and_add(cart, catalog, hooks, candidate, &request.hook_request, now)
        })?;
        added_lines.push(added);
    }
    queue_added_notice(cart, hooks, &added_lines)?;
    capture_contact(cart, request.email.as_deref(), request.phone.as_deref());
    action(hooks, "cocart_after_items_added_to_cart", || {
        let items: Map<String, Value> = added_lines
            .iter()
            .filter_map(|added| {
                let line = cart.line(&added.item.key)?;
                Some((added.product_id.to_string(), line.session_value()))
            })
            .collect();
        vec![
            Value::Object(items),
            request.hook_request.clone(),
            Value::from(handler.as_str()),
            Value::Null,
        ]
    })?;
    Ok(added_lines.into_iter().map(|added| added.item).collect())
}

/// `POST cart/item/{key}` (V2-UPD): validates the new quantity (quantity 0 answers 405 as
/// CoCart 4.4 does), sets it and fires `cocart_item_quantity_changed` with the line after
/// the change.
pub fn update_item_quantity(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    key: &str,
    quantity: &str,
    now: UnixTime,
) -> Result<QuantityUpdate, CartError> {
    all_or_nothing(cart, |cart| {
        require_key(key)?;
        let quantity = parse_quantity(quantity)?;
        let line = cart.line(key).cloned().ok_or_else(|| {
            CartError::new(
                "cocart_item_not_in_cart",
                404,
                "Item specified does not exist in cart.",
            )
        })?;
        let product = CartProduct::load(catalog, line.product_record_id(), now)
            .ok_or_else(invalid_product)?;
        check_quantity_limits(hooks, &product, quantity)?;
        if !product.has_enough_stock(quantity) {
            return Err(not_enough_stock(&product, quantity));
        }
        let verdict = validation_filter(
            hooks,
            "cocart_update_cart_validation",
            Value::Bool(true),
            || {
                vec![
                    Value::from(key),
                    line.session_value(),
                    decimal_number(quantity),
                ]
            },
        )?;
        if let Some(error) = CartError::from_filter_value(&verdict) {
            return Err(error);
        }
        if !truthy(&verdict) {
            return Err(CartError::new(
                "cocart_can_not_update_item",
                400,
                "Unable to update item quantity in cart.",
            ));
        }
        if product.sold_individually && quantity > Decimal::ONE {
            return Err(CartError::new(
                "cocart_can_not_increase_quantity",
                405,
                format!("You can only have 1 \"{}\" in your cart.", product.name),
            ));
        }
        if quantity != line.quantity {
            let changed = cart.line_mut(key).map(|stored| {
                stored.quantity = quantity;
                stored.session_value()
            });
            if let Some(changed) = changed {
                action(hooks, "cocart_item_quantity_changed", || {
                    vec![Value::from(key), changed]
                })?;
            }
        }
        Ok(QuantityUpdate {
            name: product.name,
            previous: line.quantity,
            quantity,
        })
    })
}

/// `DELETE cart/item/{key}` (V2-DEL): moves the line to the removed list, fires
/// `cocart_item_removed` with the line as it was, and queues the success notice. Returns
/// that notice (the `return_status=true` body).
pub fn remove_item(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    key: &str,
    now: UnixTime,
) -> Result<String, CartError> {
    all_or_nothing(cart, |cart| {
        require_key(key)?;
        if cart.lines.is_empty() && cart.removed_lines.is_empty() {
            return Err(CartError::new("cocart_no_items", 404, "No items in cart."));
        }
        let Some(position) = cart.lines.iter().position(|line| line.key == key) else {
            let message = match cart.removed_line(key) {
                Some(removed) => format!(
                    "{} has already been removed from cart.",
                    quoted_name(catalog, removed, now)
                ),
                None => "Item does not exist in cart.".to_owned(),
            };
            return Err(CartError::new("cocart_item_not_in_cart", 404, message));
        };
        let mut line = cart.lines.remove(position);
        let title = quoted_name(catalog, &line, now);
        action(hooks, "cocart_item_removed", || vec![line.session_value()])?;
        line.price_override = None;
        cart.removed_lines.retain(|removed| removed.key != key);
        cart.removed_lines.push(line);
        let message = format!("{title} has been removed from cart.");
        cart.notices.success.push(message.clone());
        Ok(message)
    })
}

/// `PUT/PATCH cart/item/{key}` (V2-RES): brings a removed line back to the end of the
/// cart, fires `cocart_item_restored` with the restored line, and queues the notice.
/// Returns the restored key.
pub fn restore_item(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    key: &str,
    now: UnixTime,
) -> Result<String, CartError> {
    all_or_nothing(cart, |cart| {
        require_key(key)?;
        if cart.removed_lines.is_empty() {
            return Err(match cart.line(key) {
                Some(line) => CartError::new(
                    "cocart_item_restored_to_cart",
                    405,
                    format!(
                        "{} has already been restored to the cart.",
                        quoted_name(catalog, line, now)
                    ),
                ),
                None => CartError::new(
                    "cocart_item_restored_to_cart",
                    404,
                    "Item does not exist in cart.",
                ),
            });
        }
        let Some(position) = cart.removed_lines.iter().position(|line| line.key == key) else {
            return Err(CartError::new(
                "cocart_can_not_restore_item",
                403,
                "Unable to restore item to the cart.",
            ));
        };
        let line = cart.removed_lines.remove(position);
        let title = quoted_name(catalog, &line, now);
        cart.lines.retain(|live| live.key != key);
        cart.lines.push(line.clone());
        action(hooks, "cocart_item_restored", || vec![line.session_value()])?;
        cart.notices
            .success
            .push(format!("{title} has been added back to your cart."));
        Ok(key.to_owned())
    })
}

/// `POST cart/clear` (V2-CLR): empties lines, coupons, fees, chosen shipping and totals
/// (and the removed list unless `keep_removed_items`), fires `cocart_cart_cleared` and
/// queues the "Cart is cleared." notice.
pub fn clear_cart(
    cart: &mut Cart,
    hooks: &dyn Hooks,
    keep_removed_items: bool,
) -> Result<(), CartError> {
    all_or_nothing(cart, |cart| {
        action(hooks, "cocart_before_cart_emptied", Vec::new)?;
        for line in &mut cart.removed_lines {
            line.price_override = None;
        }
        cart.fees.clear();
        cart.lines.clear();
        cart.applied_coupons.clear();
        cart.chosen_shipping_methods.clear();
        cart.totals = Default::default();
        if !keep_removed_items {
            cart.removed_lines.clear();
        }
        action(hooks, "cocart_cart_emptied", Vec::new)?;
        action(hooks, "cocart_cart_cleared", Vec::new)?;
        let message = filter(
            hooks,
            "cocart_cart_cleared_message",
            Value::from("Cart is cleared."),
            Vec::new,
        )?;
        cart.notices
            .notice
            .push(message.as_str().unwrap_or("Cart is cleared.").to_owned());
        Ok(())
    })
}

/// The callback `POST cart/update` runs for its `namespace` (hooks-and-filters.md
/// V2-UPDCART).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UpdateCallback {
    /// The built-in `update-cart`: [`update_cart_quantities`].
    UpdateCart,
    /// The built-in `update-customer`: [`update_customer`].
    UpdateCustomer,
    /// A namespace a script registered. Its callback has run and accepted the request;
    /// scripts cannot change the cart, so the route answers with the cart as it is.
    Extension,
}

/// CoCart's own namespaces. Its built-in callbacks claim them on
/// `cocart_register_extension_callback`; cartd reserves them before any script runs, so a
/// script registering one again is refused and never replaces the built-in.
const BUILT_IN_NAMESPACES: [&str; 2] = ["update-cart", "update-customer"];

/// Resolves `cart/update`'s `namespace` as CoCart's extension registry does. When scripts
/// listen, `cocart_register_extension_callback` fires with a fresh registry (also for the
/// built-in namespaces, whose callbacks then run as usual whatever the scripts did); a
/// namespace a script registered has its callback called with `request` (the merged
/// parameters). Refusals: 404 `cocart_update_cart_no_namespace_error` for a namespace
/// nobody registered, 400 `cocart_update_cart_invalid_callback_error` for one registered
/// without a callable `callback`, and the error table the callback returned. A failing
/// script callback is skipped like any other (the namespace then answers as if its
/// callback returned nothing), or, under `fail_closed`, answers 500 as the validation
/// hooks do.
pub fn update_callback(
    hooks: &dyn Hooks,
    namespace: &str,
    request: &Map<String, Value>,
) -> Result<UpdateCallback, CartError> {
    let built_in = match namespace {
        "update-cart" => Some(UpdateCallback::UpdateCart),
        "update-customer" => Some(UpdateCallback::UpdateCustomer),
        _ => None,
    };
    let outcome = if hooks.has("cocart_register_extension_callback") {
        hooks.run_extension(
            "cocart_register_extension_callback",
            &BUILT_IN_NAMESPACES,
            namespace,
            &Value::Object(request.clone()),
        )
    } else {
        Ok(None)
    };
    if let Some(built_in) = built_in {
        if let Err(error) = outcome {
            log_skipped(&error);
        }
        return Ok(built_in);
    }
    match outcome? {
        None => Err(CartError::new(
            "cocart_update_cart_no_namespace_error",
            404,
            format!("There is no such namespace registered: {namespace}."),
        )),
        Some(ExtensionOutcome::NotCallable) => Err(CartError::new(
            "cocart_update_cart_invalid_callback_error",
            400,
            format!("There is no valid callback registered for: {namespace}."),
        )),
        Some(ExtensionOutcome::Returned(returned)) => match CartError::from_filter_value(&returned)
        {
            Some(error) => Err(error),
            None => Ok(UpdateCallback::Extension),
        },
    }
}

/// The `update-cart` callback of `POST cart/update`: sets each listed line's quantity
/// (every character but digits and `.` stripped, as CoCart does), skipping unknown keys and
/// unchanged values, refusing quantities above 1 on sold-individually lines with an error
/// notice, and moving lines set to 0 to the removed list (a documented fix). Queues
/// "Cart updated." when something changed and no error notice is pending. Returns whether
/// anything changed (the caller then runs the before/after-totals actions around totals).
pub fn update_cart_quantities(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    quantities: &Map<String, Value>,
    now: UnixTime,
) -> Result<bool, CartError> {
    all_or_nothing(cart, |cart| {
        require_some_lines(cart)?;
        let mut changed = false;
        for (key, requested) in quantities {
            let Some(line) = cart.line(key).cloned() else {
                continue;
            };
            let quantity = stripped_quantity(requested);
            if quantity == line.quantity {
                continue;
            }
            let verdict = validation_filter(
                hooks,
                "cocart_update_cart_validation",
                Value::Bool(true),
                || {
                    vec![
                        Value::from(key.as_str()),
                        line.session_value(),
                        decimal_number(quantity),
                    ]
                },
            )?;
            if let Some(error) = CartError::from_filter_value(&verdict) {
                cart.notices.error.push(error.message);
                continue;
            }
            if !truthy(&verdict) {
                continue;
            }
            let product = CartProduct::load(catalog, line.product_record_id(), now);
            if product
                .as_ref()
                .is_some_and(|product| product.sold_individually)
                && quantity > Decimal::ONE
            {
                let name = product.map(|product| product.name).unwrap_or_default();
                cart.notices
                    .error
                    .push(format!("You can only have 1 \"{name}\" in your cart."));
                continue;
            }
            if quantity.is_zero() {
                remove_item(cart, catalog, hooks, key, now)?;
                cart.notices.success.pop();
            } else if let Some(stored) = cart.line_mut(key) {
                stored.quantity = quantity;
            }
            changed = true;
        }
        if changed && cart.notices.error.is_empty() {
            cart.notices.success.push("Cart updated.".to_owned());
        }
        Ok(changed)
    })
}

/// Runs `recalculate` between `cocart_update_cart_before_totals` and
/// `cocart_update_cart_after_totals` (both get the request parameters and a `nil`
/// controller), as `cart/update` does after a callback changed the cart.
pub fn with_update_totals_actions<T>(
    hooks: &dyn Hooks,
    request: &Map<String, Value>,
    recalculate: impl FnOnce() -> Result<T, CartError>,
) -> Result<T, CartError> {
    let args = || vec![Value::Object(request.clone()), Value::Null];
    action(hooks, "cocart_update_cart_before_totals", args)?;
    let totals = recalculate()?;
    action(hooks, "cocart_update_cart_after_totals", args)?;
    Ok(totals)
}

/// The checks CoCart runs before building a cart body on `GET cart`, add-item(s) and
/// `cart/update` (its built-in `cocart_before_get_cart` callbacks): lines whose product is
/// gone or can no longer be purchased are removed with an error notice; out-of-stock lines
/// and lines needing more than the managed stock get an error notice and stay.
pub fn validate_cart(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    now: UnixTime,
) -> Result<(), CartError> {
    all_or_nothing(cart, |cart| {
        for line in cart.lines.clone() {
            let product = CartProduct::load(catalog, line.product_record_id(), now);
            if product.as_ref().is_none_or(|product| !product.purchasable) {
                remove_unavailable_line(cart, hooks, &line, product.as_ref(), "")?;
            }
        }
        let mut checked_owners = Vec::new();
        for line in cart.lines.clone() {
            let Some(product) = CartProduct::load(catalog, line.product_record_id(), now) else {
                continue;
            };
            if !product.in_stock {
                cart.notices.error.push(format!(
                    "Sorry, \"{}\" is not in stock. Please edit your cart and try again. We apologize for any inconvenience caused.",
                    product.name
                ));
                continue;
            }
            if !product.managing_stock
                || product.backorders_allowed
                || checked_owners.contains(&product.stock_owner_id)
            {
                continue;
            }
            checked_owners.push(product.stock_owner_id);
            let required = cart.quantity_for_stock_owner(product.stock_owner_id, |other| {
                CartProduct::load(catalog, other.product_record_id(), now)
                    .map_or(other.product_record_id(), |other| other.stock_owner_id)
            });
            let stock = product.stock_quantity.unwrap_or(Decimal::ZERO);
            let not_enough = filter(
                hooks,
                "cocart_cart_item_required_stock_is_not_enough",
                Value::Bool(stock < required),
                || vec![product_value(&product), line.session_value()],
            )?;
            if truthy(&not_enough) {
                cart.notices.error.push(format!(
                    "Sorry, we do not have enough \"{}\" in stock to fulfill your order ({} available). We apologize for any inconvenience caused.",
                    product.name,
                    decimal_text(stock)
                ));
            }
        }
        apply_get_cart_filter(cart, hooks, "cocart_before_get_cart")?;
        apply_get_cart_filter(cart, hooks, "cocart_after_get_cart")
    })
}

/// `cocart_before_get_cart` / `cocart_after_get_cart` `(contents, cart, request)`, after
/// the built-in sweeps. The returned contents become the cart's lines: a line left out is
/// dropped, and a line whose `quantity` changed takes the new quantity (0 or less drops
/// it). Both fire here, before the handler recalculates totals, and scripts get no request
/// table (`nil`): the domain does not see the raw request.
fn apply_get_cart_filter(cart: &mut Cart, hooks: &dyn Hooks, name: &str) -> Result<(), CartError> {
    if !hooks.has(name) {
        return Ok(());
    }
    let contents = contents_value(&cart.lines);
    let filtered = filter(hooks, name, contents.clone(), || {
        vec![cart_value(cart), Value::Null]
    })?;
    if filtered == contents {
        return Ok(());
    }
    let Value::Object(kept) = filtered else {
        return Ok(());
    };
    cart.lines.retain_mut(|line| {
        let Some(entry) = kept.get(&line.key) else {
            return false;
        };
        if let Some(quantity) = entry.get("quantity").map(quantity_of) {
            line.quantity = quantity;
        }
        line.quantity > Decimal::ZERO
    });
    Ok(())
}

/// Moves a line whose product is gone or can no longer be bought to the removed list and
/// queues CoCart's error notice (through `cocart_cart_item_removed_message`); `suffix` is
/// the sentence v1 appends.
pub(crate) fn remove_unavailable_line(
    cart: &mut Cart,
    hooks: &dyn Hooks,
    line: &CartLine,
    product: Option<&CartProduct>,
    suffix: &str,
) -> Result<(), CartError> {
    let message = match product {
        None => "An item which is no longer available was removed from your cart.".to_owned(),
        Some(product) => {
            let message = format!(
                "{} has been removed from your cart because it can no longer be purchased.{suffix}",
                product.name
            );
            let filtered = filter(
                hooks,
                "cocart_cart_item_removed_message",
                Value::from(message.clone()),
                || vec![product_value(product)],
            )?;
            filtered.as_str().map_or(message, str::to_owned)
        }
    };
    cart.lines.retain(|live| live.key != line.key);
    cart.removed_lines.retain(|removed| removed.key != line.key);
    cart.removed_lines.push(line.clone());
    cart.notices.error.push(message);
    Ok(())
}

/// The billing fields `update-customer` reads, in CoCart's order.
const CUSTOMER_FIELDS: [&str; 11] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "company",
    "address_1",
    "address_2",
    "city",
    "state",
    "country",
    "postcode",
];

/// The `update-customer` callback of `POST cart/update`. `params` are the request
/// parameters other than the route's declared ones (`namespace`, `cart_key`…). Invalid
/// email or phone keep the stored value; an invalid country or postcode keeps it and
/// queues an error notice. `s_*` parameters go to the shipping address (storing the values
/// sent, a documented fix), other `billing_*`/`shipping_*` names without a field become
/// customer meta. `cocart_update_customer_fields` gets the validated billing details
/// (`billing_<field>`, every field, stored values where none or an invalid one was sent)
/// and returns the details to apply; an empty result saves nothing. Queues "Cart
/// updated." and returns true when the customer was updated.
pub fn update_customer(
    cart: &mut Cart,
    params: &Map<String, Value>,
    hooks: &dyn Hooks,
) -> Result<bool, CartError> {
    all_or_nothing(cart, |cart| {
        require_some_lines(cart)?;
        let text = |name: &str| {
            params
                .get(name)
                .map(crate::cart::item_key::php_string)
                .unwrap_or_default()
        };
        if CUSTOMER_FIELDS.iter().all(|field| text(field).is_empty()) {
            return Ok(false);
        }
        let mut billing = cart.customer.billing.clone();
        for field in CUSTOMER_FIELDS {
            let value = text(field);
            if value.is_empty() {
                continue;
            }
            match field {
                "email" if !is_valid_email(&value) => continue,
                "phone" if !is_valid_phone(&value) => continue,
                "country" if !is_country_code(&value) => {
                    cart.notices
                        .error
                        .push(format!("'{value}' is not a valid country code."));
                    continue;
                }
                "postcode" if !is_valid_postcode(&value, &billing.country) => {
                    cart.notices
                        .error
                        .push("Billing postcode is not a valid postcode / ZIP.".to_owned());
                    continue;
                }
                _ => {}
            }
            if let Some(slot) = billing.field_mut(field) {
                *slot = value;
            }
        }
        let mut details = Map::new();
        for field in CUSTOMER_FIELDS {
            let value = billing.field_mut(field).map(|slot| slot.clone());
            details.insert(
                format!("billing_{field}"),
                Value::from(value.unwrap_or_default()),
            );
        }
        let details = filter(
            hooks,
            "cocart_update_customer_fields",
            Value::Object(details),
            || {
                vec![
                    Value::Object(params.clone()),
                    Value::from(CUSTOMER_FIELDS.to_vec()),
                    serde_json::to_value(&cart.customer).unwrap_or(Value::Null),
                    Value::Null,
                ]
            },
        )?;
        let Value::Object(details) = details else {
            return Ok(false);
        };
        if details.is_empty() {
            return Ok(false);
        }
        for (name, value) in &details {
            if let Some(slot) = name
                .strip_prefix("billing_")
                .and_then(|field| billing.field_mut(field))
            {
                *slot = crate::cart::item_key::php_string(value);
            }
        }
        cart.customer.billing = billing;
        for (name, value) in params {
            if CUSTOMER_FIELDS.contains(&name.as_str()) {
                continue;
            }
            let value = crate::cart::item_key::php_string(value);
            let full_name = if let Some(field) = name.strip_prefix("s_") {
                format!("shipping_{field}")
            } else if name.starts_with("shipping_") || name.starts_with("billing_") {
                name.clone()
            } else {
                format!("billing_{name}")
            };
            let slot = match full_name.split_once('_') {
                Some(("shipping", field)) => cart.customer.shipping.field_mut(field),
                Some(("billing", field)) => cart.customer.billing.field_mut(field),
                _ => None,
            };
            match slot {
                Some(slot) => *slot = value,
                None => {
                    cart.customer.meta.insert(full_name, value);
                }
            }
        }
        cart.notices.success.push("Cart updated.".to_owned());
        Ok(true)
    })
}

/// What the validation chain needs to know about one line being added.
struct LineCandidate {
    product: CartProduct,
    quantity: Decimal,
    variation: Map<String, Value>,
    item_data: Map<String, Value>,
    product_type: Option<&'static str>,
}

/// A successful add: the line, and the product and title the success notice names.
struct Added {
    item: AddedItem,
    product_id: u64,
    title: String,
}

/// Queues `“A”, “B” and “C” have been added to your cart.` (through
/// `cocart_add_to_cart_message_html`).
fn queue_added_notice(
    cart: &mut Cart,
    hooks: &dyn Hooks,
    added: &[Added],
) -> Result<(), CartError> {
    let titles: Vec<String> = added
        .iter()
        .map(|added| format!("\u{201c}{}\u{201d}", added.title))
        .collect();
    let verb = if titles.len() == 1 { "has" } else { "have" };
    let message = format!("{} {verb} been added to your cart.", format_list(&titles));
    let filtered = filter(
        hooks,
        "cocart_add_to_cart_message_html",
        Value::from(message.clone()),
        || {
            let products: Map<String, Value> = added
                .iter()
                .map(|added| (added.product_id.to_string(), Value::from(1)))
                .collect();
            vec![Value::Object(products), Value::Bool(false)]
        },
    )?;
    cart.notices
        .success
        .push(filtered.as_str().map_or(message, str::to_owned));
    Ok(())
}

/// V2-ADD steps 5 and 6: the validation chain, then WooCommerce's add (merge or new line)
/// and `cocart_item_added_to_cart`.
fn validate_and_add(
    cart: &mut Cart,
    catalog: &Catalog,
    hooks: &dyn Hooks,
    candidate: LineCandidate,
    hook_request: &Value,
    now: UnixTime,
) -> Result<Added, CartError> {
    let LineCandidate {
        product,
        quantity,
        variation,
        item_data,
        product_type,
    } = candidate;
    let product_type = product_type
        .unwrap_or(product.product_type.as_str())
        .to_owned();

    // 5.2: the variation the line is for.
    let (product_id, line_product) = match product.product_type {
        ProductType::Variation => {
            CartProduct::load(catalog, product.parent_id, now)
                .ok_or_else(|| variation_error(&VariationError::InvalidParent))?;
            (product.parent_id, product.clone())
        }
        ProductType::Variable => {
            let variation_product = catalog
                .find_matching_variation(product.id, &selection_pairs(&variation))
                .map_err(|error| variation_error(&error))
                .and_then(|variation_id| {
                    CartProduct::load(catalog, variation_id, now)
                        .ok_or_else(|| variation_error(&VariationError::NoMatch))
                })?;
            (product.id, variation_product)
        }
        _ => (product.id, product.clone()),
    };
    let is_variation = line_product.product_type == ProductType::Variation;
    let variation_id = if is_variation { line_product.id } else { 0 };

    // 5.3: the selection, completed with the variation's fixed values.
    let selection = if is_variation {
        catalog
            .validate_variation_selection(variation_id, &selection_pairs(&variation))
            .map(|selection| selection_map(&selection))
            .map_err(|error| variation_error(&error))?
    } else {
        Map::new()
    };

    // 5.4: validation filter, with the built-in password and variation checks first.
    let built_in =
        !product.password_protected && (variation.is_empty() || line_product.purchasable);
    let verdict = validation_filter(
        hooks,
        "cocart_add_to_cart_validation",
        Value::Bool(built_in),
        || {
            vec![
                Value::from(product_id),
                decimal_number(quantity),
                Value::from(variation_id),
                Value::Object(selection.clone()),
                Value::Object(item_data.clone()),
                Value::from(product_type.as_str()),
                hook_request.clone(),
            ]
        },
    )?;
    if let Some(error) = CartError::from_filter_value(&verdict) {
        return Err(error);
    }
    if !truthy(&verdict) {
        return Err(CartError::new(
            "cocart_product_failed_validation",
            400,
            "Product did not pass validation!",
        ));
    }

    // 5.5–5.7: item data, key, quantity filters.
    let item_data = filter(
        hooks,
        "cocart_add_cart_item_data",
        Value::Object(item_data),
        || {
            vec![
                Value::from(product_id),
                Value::from(variation_id),
                decimal_number(quantity),
                Value::from(product_type.as_str()),
                hook_request.clone(),
            ]
        },
    )?;
    let item_data = match item_data {
        Value::Object(map) => map,
        _ => Map::new(),
    };
    let key = item_key(product_id, variation_id, &selection, &item_data);
    let quantity_args = || {
        vec![
            Value::from(product_id),
            Value::from(variation_id),
            Value::Object(selection.clone()),
            Value::Object(item_data.clone()),
            hook_request.clone(),
        ]
    };
    let mut quantity = filtered_decimal(
        filter(
            hooks,
            "cocart_add_to_cart_quantity",
            decimal_number(quantity),
            quantity_args,
        )?,
        quantity,
    );

    // 5.8: sold individually.
    if product.sold_individually {
        let forced = filter(
            hooks,
            "cocart_add_to_cart_sold_individually_quantity",
            Value::from(1),
            || {
                vec![
                    decimal_number(quantity),
                    Value::from(product_id),
                    Value::from(variation_id),
                    Value::Object(item_data.clone()),
                    hook_request.clone(),
                ]
            },
        )?;
        quantity = filtered_decimal(forced, Decimal::ONE);
        let already = cart
            .line(&key)
            .is_some_and(|line| line.quantity > Decimal::ZERO);
        // CoCart hands over the computed key whenever the cart has lines, "" otherwise.
        let found_key = if cart.is_empty() { "" } else { key.as_str() };
        let found = filter(
            hooks,
            "cocart_add_to_cart_sold_individually_found_in_cart",
            Value::Bool(already),
            || {
                vec![
                    Value::from(product_id),
                    Value::from(variation_id),
                    Value::Object(item_data.clone()),
                    Value::from(found_key),
                ]
            },
        )?;
        if truthy(&found) {
            return Err(CartError::new(
                "cocart_product_sold_individually",
                403,
                format!("You cannot add another '{}' to your cart.", product.name),
            ));
        }
    }

    // 5.9: purchasable and stock, against the product that was posted.
    let owner_of = |line: &CartLine| {
        CartProduct::load(catalog, line.product_record_id(), now)
            .map_or(line.product_record_id(), |product| product.stock_owner_id)
    };
    if !product.purchasable {
        return Err(CartError::new(
            "cocart_cannot_be_purchased",
            400,
            format!(
                "&#039;{}&#039; is not available for purchase.",
                product.name
            ),
        ));
    }
    if !product.in_stock {
        return Err(CartError::new(
            "cocart_product_out_of_stock",
            404,
            format!(
                "You cannot add \"{}\" to the cart because the product is out of stock.",
                product.name
            ),
        ));
    }
    if !product.has_enough_stock(quantity) {
        return Err(not_enough_stock_to_add(&product, quantity));
    }
    if product.managing_stock && !product.backorders_allowed {
        let in_cart = cart.quantity_for_stock_owner(product.stock_owner_id, owner_of);
        let stock = product.stock_quantity.unwrap_or(Decimal::ZERO);
        if stock < in_cart.saturating_add(quantity) {
            return Err(CartError::new(
                "cocart_not_enough_stock_remaining",
                404,
                format!(
                    "You cannot add that amount of \"{}\" to the cart &mdash; we have ({}) in stock remaining. You already have ({}) in your cart.",
                    product.name,
                    decimal_text(stock),
                    decimal_text(in_cart)
                ),
            ));
        }
    }
    check_ok_to_add(hooks, &product, quantity)?;

    // 6: WooCommerce's own add re-checks the variation chosen from a posted parent.
    if line_product.id != product.id {
        woocommerce_checks(cart, &line_product, quantity, owner_of)?;
    }
    let line_value = match cart.line_mut(&key) {
        Some(existing) => {
            existing.quantity = existing.quantity.saturating_add(quantity);
            existing.session_value()
        }
        None => {
            let line = CartLine {
                key: key.clone(),
                product_id,
                variation_id,
                variation: selection,
                quantity,
                data_hash: line_product.data_hash(),
                item_data,
                price_override: None,
                totals: LineTotals::default(),
            };
            let value = line.session_value();
            cart.lines.push(line);
            value
        }
    };
    action(hooks, "cocart_item_added_to_cart", || {
        vec![Value::from(key.as_str()), line_value, hook_request.clone()]
    })?;
    Ok(Added {
        item: AddedItem { key, quantity },
        product_id,
        title: product.title,
    })
}

/// The two add-to-cart handler filter families.
#[derive(Debug, Clone, Copy)]
enum HandlerFamily {
    /// `POST cart/add-item`: `cocart_add_to_cart_handler`.
    AddItem,
    /// `POST cart/add-items`: `cocart_add_items_to_cart_handler`.
    AddItems,
}

impl HandlerFamily {
    fn naming_filter(self) -> &'static str {
        match self {
            HandlerFamily::AddItem => "cocart_add_to_cart_handler",
            HandlerFamily::AddItems => "cocart_add_items_to_cart_handler",
        }
    }

    fn custom_filter(self, handler: &str) -> String {
        match self {
            HandlerFamily::AddItem => format!("cocart_add_to_cart_handler_{handler}"),
            HandlerFamily::AddItems => format!("cocart_add_items_to_cart_handler_{handler}"),
        }
    }
}

/// V2-ADD step 4 and V2-ADDS step 2: the family's naming filter gets `(type, product)` and
/// names the handler. When a script registered the family's `…_{handler}` filter, it
/// receives `(product, request)` and may refuse the add by returning an `Error` table;
/// whatever else it returns, cartd's own add flow then runs (a script cannot build the
/// line itself). Returns the handler name.
fn add_handler(
    hooks: &dyn Hooks,
    family: HandlerFamily,
    product: &CartProduct,
    hook_request: &Value,
) -> Result<String, CartError> {
    let product_type = product.product_type.as_str();
    let handler = filter(
        hooks,
        family.naming_filter(),
        Value::from(product_type),
        || vec![product_value(product)],
    )?;
    let handler = handler.as_str().unwrap_or(product_type).to_owned();
    let custom = family.custom_filter(&handler);
    let outcome = validation_filter(hooks, &custom, product_value(product), || {
        vec![hook_request.clone()]
    })?;
    match CartError::from_filter_value(&outcome) {
        Some(error) => Err(error),
        None => Ok(handler),
    }
}

/// The live line `key` as a `CartItem` table (null when it is not in the cart).
fn line_value(cart: &Cart, key: &str) -> Value {
    cart.line(key).map_or(Value::Null, CartLine::session_value)
}

/// The built-in price override asks `cocart_does_product_allow_price_change(true, line,
/// request)` first; a falsy answer ignores the posted `price`.
fn allows_price_change(
    hooks: &dyn Hooks,
    line: Value,
    hook_request: &Value,
) -> Result<bool, CartError> {
    let allowed = validation_filter(
        hooks,
        "cocart_does_product_allow_price_change",
        Value::Bool(true),
        || vec![line, hook_request.clone()],
    )?;
    Ok(truthy(&allowed))
}

/// The seed-003 veto, also honoured on v2 (a documented extension): the message filter
/// runs first, then `cocart_ok_to_add`; false answers 403 `cocart_not_ok_to_add_item`.
fn check_ok_to_add(
    hooks: &dyn Hooks,
    product: &CartProduct,
    quantity: Decimal,
) -> Result<(), CartError> {
    if !hooks.has("cocart_ok_to_add") {
        return Ok(());
    }
    let args = || {
        vec![
            product_value(product),
            Value::from(product.id),
            decimal_number(quantity),
        ]
    };
    let message = validation_filter(hooks, "cocart_ok_to_add_response", json!(""), args)?;
    let verdict = validation_filter(hooks, "cocart_ok_to_add", Value::Bool(true), args)?;
    if truthy(&verdict) {
        return Ok(());
    }
    Err(CartError::new(
        "cocart_not_ok_to_add_item",
        403,
        message
            .as_str()
            .filter(|message| !message.is_empty())
            .unwrap_or("This item can not be added to the cart."),
    ))
}

/// WooCommerce's add-to-cart checks on the variation itself; its notices come back as
/// 400 `cocart_add_to_cart_error`.
fn woocommerce_checks(
    cart: &Cart,
    variation: &CartProduct,
    quantity: Decimal,
    owner_of: impl Fn(&CartLine) -> u64,
) -> Result<(), CartError> {
    let refuse = |message: String| Err(CartError::new("cocart_add_to_cart_error", 400, message));
    let stock = variation.stock_quantity.unwrap_or(Decimal::ZERO);
    if !variation.purchasable {
        return refuse("Sorry, this product cannot be purchased.".to_owned());
    }
    if !variation.in_stock {
        return refuse(format!(
            "You cannot add &quot;{}&quot; to the cart because the product is out of stock.",
            variation.name
        ));
    }
    if !variation.has_enough_stock(quantity) {
        return refuse(format!(
            "You cannot add that amount of &quot;{}&quot; to the cart because there is not enough stock ({} remaining).",
            variation.name,
            decimal_text(stock)
        ));
    }
    if variation.managing_stock && !variation.backorders_allowed {
        let in_cart = cart.quantity_for_stock_owner(variation.stock_owner_id, owner_of);
        if stock < in_cart.saturating_add(quantity) {
            return refuse(format!(
                "You cannot add that amount to the cart &mdash; we have {} in stock and you already have {} in your cart.",
                decimal_text(stock),
                decimal_text(in_cart)
            ));
        }
    }
    Ok(())
}

/// V2-ADD steps 1–2: an id or SKU to an existing product.
fn resolve_product(catalog: &Catalog, id: &str, now: UnixTime) -> Result<CartProduct, CartError> {
    let product_id = catalog
        .resolve_identifier(id)
        .map_err(|error| CartError::new(error.code(), 404, error.to_string()))?;
    CartProduct::load(catalog, product_id, now).ok_or_else(invalid_product)
}

fn invalid_product() -> CartError {
    CartError::new(
        "cocart_invalid_product",
        400,
        "This product cannot be added to the cart.",
    )
}

fn require_key(key: &str) -> Result<(), CartError> {
    if key == "0" || key.is_empty() {
        return Err(CartError::new(
            "cocart_cart_item_key_required",
            404,
            "Missing cart item key is required!",
        ));
    }
    Ok(())
}

fn require_some_lines(cart: &Cart) -> Result<(), CartError> {
    if cart.lines.is_empty() && cart.removed_lines.is_empty() {
        return Err(CartError::new(
            "cocart_cart_empty",
            404,
            "Cart is empty. Please add items to cart first.",
        ));
    }
    Ok(())
}

/// PHP `is_numeric` followed by a float cast.
fn parse_quantity(text: &str) -> Result<Decimal, CartError> {
    let trimmed = text.trim_matches([' ', '\t', '\n', '\r', '\x0B', '\x0C']);
    let plain_number = trimmed
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | '-' | '.' | 'e' | 'E'));
    plain_number
        .then(|| {
            Decimal::from_str(trimmed)
                .or_else(|_| Decimal::from_scientific(trimmed))
                .ok()
        })
        .flatten()
        .ok_or_else(|| {
            CartError::new(
                "cocart_quantity_not_numeric",
                405,
                "Quantity must be integer or a float value!",
            )
        })
}

/// A child quantity of add-items: numbers and numeric strings; anything else counts as 0.
fn quantity_of(value: &Value) -> Decimal {
    match value {
        Value::Number(number) => Decimal::from_str(&number.to_string()).unwrap_or(Decimal::ZERO),
        Value::String(text) => parse_quantity(text).unwrap_or(Decimal::ZERO),
        _ => Decimal::ZERO,
    }
}

/// update-cart's quantity cleaning: drop every character but digits and `.`.
fn stripped_quantity(value: &Value) -> Decimal {
    let text: String = crate::cart::item_key::php_string(value)
        .chars()
        .filter(|character| character.is_ascii_digit() || *character == '.')
        .collect();
    crate::cart::money::leading_decimal(&text)
}

/// A filter's numeric result, or `fallback` when it returned something else.
fn filtered_decimal(value: Value, fallback: Decimal) -> Decimal {
    match value {
        Value::Number(number) => Decimal::from_str(&number.to_string()).unwrap_or(fallback),
        Value::String(text) => Decimal::from_str(text.trim()).unwrap_or(fallback),
        _ => fallback,
    }
}

/// V2-ADD step 3 and V2-UPD step 4: minimum (quantity 0 always fails) and maximum.
fn check_quantity_limits(
    hooks: &dyn Hooks,
    product: &CartProduct,
    quantity: Decimal,
) -> Result<(), CartError> {
    let minimum = filtered_decimal(
        filter(
            hooks,
            "cocart_quantity_minimum_requirement",
            Value::from(1),
            || vec![product_value(product)],
        )?,
        Decimal::ONE,
    );
    if quantity.is_zero() || quantity < minimum {
        return Err(CartError::new(
            "cocart_quantity_invalid_amount",
            405,
            format!("Quantity must be a minimum of {}.", decimal_text(minimum)),
        ));
    }
    let maximum = product.max_purchase.map_or(Value::from(""), decimal_number);
    let maximum = filter(hooks, "cocart_quantity_maximum_allowed", maximum, || {
        vec![product_value(product)]
    })?;
    let maximum = filtered_decimal(maximum, Decimal::ZERO);
    if maximum > Decimal::ZERO && quantity > maximum {
        return Err(CartError::new(
            "cocart_quantity_invalid_amount",
            405,
            format!("Quantity must be {} or lower.", decimal_text(maximum)),
        ));
    }
    Ok(())
}

/// 404 `cocart_not_enough_in_stock` as the item update words it.
fn not_enough_stock(product: &CartProduct, quantity: Decimal) -> CartError {
    CartError::new(
        "cocart_not_enough_in_stock",
        404,
        format!(
            "You cannot add that amount of ({}) for \"{}\" to the cart because there is not enough stock, only ({} remaining).",
            decimal_text(quantity),
            product.name,
            decimal_text(product.stock_quantity.unwrap_or(Decimal::ZERO))
        ),
    )
}

/// 404 `cocart_not_enough_in_stock` as add-item words it: the update wording while some
/// stock is left, "no longer in stock" otherwise.
fn not_enough_stock_to_add(product: &CartProduct, quantity: Decimal) -> CartError {
    if product.stock_quantity.unwrap_or(Decimal::ZERO) > Decimal::ZERO {
        return not_enough_stock(product, quantity);
    }
    CartError::new(
        "cocart_not_enough_in_stock",
        404,
        format!(
            "You cannot add {} to the cart as it is no longer in stock.",
            product.name
        ),
    )
}

/// A catalog variation refusal as CoCart's error.
fn variation_error(error: &VariationError) -> CartError {
    CartError::new(error.code(), error.status(), error.to_string())
}

/// `"Name"` of a line's product (the parent for variations, as CoCart looks up
/// `product_id`), or `Item` when it is gone: CoCart's removed and restored titles.
fn quoted_name(catalog: &Catalog, line: &CartLine, now: UnixTime) -> String {
    CartProduct::load(catalog, line.product_id, now).map_or_else(
        || "Item".to_owned(),
        |product| format!("\"{}\"", product.name),
    )
}

/// Built-in customer capture after an add: valid email and phone become billing details.
fn capture_contact(cart: &mut Cart, email: Option<&str>, phone: Option<&str>) {
    if let Some(email) = email.filter(|email| is_valid_email(email)) {
        cart.customer.billing.email = email.to_owned();
    }
    if let Some(phone) = phone.filter(|phone| is_valid_phone(phone)) {
        cart.customer.billing.phone = phone.to_owned();
    }
}

/// WordPress `is_email`, reduced to its structural rules: local part, one `@`, a dotted
/// domain of letters, digits and hyphens.
pub(crate) fn is_valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c));
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    email.len() >= 6 && local_ok && domain_ok
}

/// WooCommerce `WC_Validation::is_phone`: only digits, spaces and `+ - ( ) . #`… after
/// removing those, nothing may remain.
fn is_valid_phone(phone: &str) -> bool {
    phone
        .trim()
        .chars()
        .all(|c| c.is_ascii_digit() || " +-().#/x".contains(c) || c.is_whitespace())
}

/// A two-letter upper-case ISO code.
fn is_country_code(country: &str) -> bool {
    country.len() == 2 && country.bytes().all(|byte| byte.is_ascii_uppercase())
}

/// WooCommerce's postcode rules for the countries it checks; elsewhere anything made of
/// letters, digits, spaces and hyphens.
pub(crate) fn is_valid_postcode(postcode: &str, country: &str) -> bool {
    let compact: String = postcode
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect();
    match country {
        "US" if postcode.is_ascii() => {
            let digits = |text: &str| text.bytes().all(|byte| byte.is_ascii_digit());
            (postcode.len() == 5 && digits(postcode))
                || (postcode.len() == 10
                    && digits(&postcode[..5])
                    && postcode.as_bytes()[5] == b'-'
                    && digits(&postcode[6..]))
        }
        "US" => false,
        _ => !compact.is_empty() && compact.chars().all(|c| c.is_ascii_alphanumeric()),
    }
}
