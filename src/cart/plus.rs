//! The CoCart Plus cart operations (routes.md "cocart/v2 Plus"): coupons, fees, removing
//! every item and choosing shipping rates, with the Plus error codes of
//! responses-and-errors.md §9 and WooCommerce's coupon rules via the totals engine.
//!
//! Each operation changes the stored cart only when it succeeds (or, where Plus answers
//! 200 with a notice, only queues the notice). The handler prices the cart afterwards with
//! [`crate::cart::pricing::price_cart`] and renders it; [`views`] renders the two Plus
//! bodies that are not the cart (`GET cart/coupons`, `GET cart/mini`).

mod fee_amount;
pub mod views;

use crate::cart::error::CartError;
use crate::cart::hooks::Hooks;
use crate::cart::model::{Cart, Fee};
use crate::cart::pricing::{applied_coupon, totals_error, totals_input, totals_rules};
use crate::cart::totals::{self, CouponError, Totals};
use crate::catalog::Catalog;
use crate::catalog::model::UnixTime;

pub use fee_amount::parse_fee_amount;

/// `404 cocart_coupons_not_enabled`.
fn coupons_not_enabled() -> CartError {
    CartError::new(
        "cocart_coupons_not_enabled",
        404,
        "Coupons are not enabled for this store!",
    )
}

/// Refuses when the store has coupons turned off.
pub fn require_coupons_enabled(catalog: &Catalog) -> Result<(), CartError> {
    if catalog.settings().enable_coupons {
        Ok(())
    } else {
        Err(coupons_not_enabled())
    }
}

/// WooCommerce's coupon code normalisation (`wc_format_coupon_code` + lower case).
fn normalize_code(code: &str) -> String {
    code.trim().to_lowercase()
}

/// Stores a valid `email` as the billing email (coupon email restrictions read it).
fn capture_email(cart: &mut Cart, email: Option<&str>) {
    if let Some(email) = email.map(str::trim)
        && crate::cart::ops::is_valid_email(email)
    {
        cart.customer.billing.email = email.to_owned();
    }
}

/// The refusal for a coupon WooCommerce would not apply: its validation message.
fn coupon_refused(error: &CouponError) -> CartError {
    CartError::new("cocart_coupon_failed_to_apply", 400, error.message.clone())
}

/// `POST cart/apply-coupon`. Checks, in order: coupons enabled, a code given
/// (`cocart_coupon_code_required`), a non-empty cart (`cocart_coupon_cannot_add`), the
/// coupon exists (`cocart_coupon_not_exist`). An already applied code answers 200 with
/// WooCommerce's "already applied" info notice. Otherwise WooCommerce's rules decide
/// (validity, individual use); a refusal is `400 cocart_coupon_failed_to_apply` with
/// WooCommerce's message. On success the code is applied (individual-use coupons replace
/// the others), a free-shipping coupon makes free shipping the choice of every package,
/// and "Coupon code applied successfully." is queued.
pub fn apply_coupon(
    cart: &mut Cart,
    catalog: &Catalog,
    code: &str,
    email: Option<&str>,
    now: UnixTime,
) -> Result<(), CartError> {
    require_coupons_enabled(catalog)?;
    let code = normalize_code(code);
    if code.is_empty() {
        return Err(CartError::new(
            "cocart_coupon_code_required",
            404,
            "No coupon code provided!",
        ));
    }
    if cart.is_empty() {
        return Err(CartError::new(
            "cocart_coupon_cannot_add",
            404,
            "Coupon cannot be applied to cart with no items.",
        ));
    }
    let candidate = applied_coupon(catalog, &code);
    if candidate.coupon.is_none() {
        return Err(CartError::new(
            "cocart_coupon_not_exist",
            404,
            format!("Coupon \"{code}\" does not exist!"),
        ));
    }
    if cart.applied_coupons.contains(&code) {
        cart.notices
            .info
            .push(CouponError::already_applied(&code).message);
        return Ok(());
    }
    let mut trial = cart.clone();
    capture_email(&mut trial, email);
    let application = totals::apply_coupon(
        &totals_input(&trial, catalog, now),
        &totals_rules(catalog),
        &candidate,
    )
    .map_err(|error| coupon_refused(&error))?;
    trial.applied_coupons = application.applied_codes;
    if application.grants_free_shipping {
        let packages = trial.chosen_shipping_methods.len().max(1);
        trial.chosen_shipping_methods = vec!["free_shipping".to_owned(); packages];
    }
    trial
        .notices
        .success
        .push("Coupon code applied successfully.".to_owned());
    *cart = trial;
    Ok(())
}

/// `DELETE cart/coupons/{code}`: removes one applied coupon and queues "Coupon code
/// removed successfully.".
pub fn remove_coupon(cart: &mut Cart, catalog: &Catalog, code: &str) -> Result<(), CartError> {
    require_coupons_enabled(catalog)?;
    let code = normalize_code(code);
    if code.is_empty() {
        return Err(CartError::new(
            "cocart_coupon_required",
            404,
            "No coupon code provided!",
        ));
    }
    if !cart.applied_coupons.contains(&code) {
        return Err(CartError::new(
            "cocart_cart_coupon_invalid_code",
            404,
            "Coupon does not exist in the cart.",
        ));
    }
    cart.applied_coupons.retain(|applied| applied != &code);
    cart.notices
        .success
        .push("Coupon code removed successfully.".to_owned());
    Ok(())
}

/// `DELETE cart/coupons`: removes every applied coupon.
pub fn remove_all_coupons(cart: &mut Cart, catalog: &Catalog) -> Result<(), CartError> {
    require_coupons_enabled(catalog)?;
    cart.applied_coupons.clear();
    Ok(())
}

/// `GET cart/coupons/validate`: stores a valid `email` as the billing email, then checks
/// every applied coupon against the cart as it is now and removes the invalid ones, each
/// with WooCommerce's "it has now been removed from your order" error notice.
pub fn validate_coupons(
    cart: &mut Cart,
    catalog: &Catalog,
    email: Option<&str>,
    now: UnixTime,
) -> Result<(), CartError> {
    require_coupons_enabled(catalog)?;
    capture_email(cart, email);
    let input = totals_input(cart, catalog, now);
    let rules = totals_rules(catalog);
    let invalid: Vec<String> = input
        .coupons
        .iter()
        .filter(|coupon| totals::validate_coupon_for_cart(&input, &rules, coupon).is_err())
        .map(|coupon| coupon.code.clone())
        .collect();
    for code in invalid {
        cart.applied_coupons.retain(|applied| applied != &code);
        cart.notices
            .error
            .push(CouponError::invalid_removed(&code).message);
    }
    Ok(())
}

/// What `POST cart/add-fee` was sent.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FeeRequest {
    /// `name` (required).
    pub name: String,
    /// `amount` as sent (required): a decimal string, negative for a discount.
    pub amount: String,
    /// `taxable` (default false).
    pub taxable: bool,
    /// `tax_class` (`""` = standard).
    pub tax_class: String,
}

/// `POST cart/add-fee`. Checks, in order: a name (`cocart_fee_missing_name`), an amount
/// (`cocart_fee_missing_amount`), a non-empty cart (`cocart_fee_cannot_add`), an amount
/// readable in the store's number format (`cocart_fee_invalid_amount`). A fee whose id (the
/// slug of its name) is already on the cart answers 200 with the "Fee has already been
/// added." info notice.
pub fn add_fee(cart: &mut Cart, catalog: &Catalog, request: &FeeRequest) -> Result<(), CartError> {
    let name = request.name.trim();
    if name.is_empty() {
        return Err(CartError::new(
            "cocart_fee_missing_name",
            404,
            "Name of fee is missing!",
        ));
    }
    if request.amount.trim().is_empty() {
        return Err(CartError::new(
            "cocart_fee_missing_amount",
            404,
            "Fee amount is missing!",
        ));
    }
    if cart.is_empty() {
        return Err(CartError::new(
            "cocart_fee_cannot_add",
            404,
            "Fee cannot be applied to cart with no items.",
        ));
    }
    let amount = parse_fee_amount(&request.amount, catalog.settings())?;
    let id = crate::catalog::slug::sanitize_title(name);
    if cart.fees.iter().any(|fee| fee.id == id) {
        cart.notices
            .info
            .push("Fee has already been added.".to_owned());
        return Ok(());
    }
    cart.fees.push(Fee {
        id,
        name: name.to_owned(),
        amount,
        taxable: request.taxable,
        tax_class: request.tax_class.trim().to_owned(),
        total: rust_decimal::Decimal::ZERO,
        tax: rust_decimal::Decimal::ZERO,
    });
    Ok(())
}

/// `POST cart/remove-fees`: removes every fee.
pub fn remove_all_fees(cart: &mut Cart) {
    cart.fees.clear();
}

/// `DELETE cart/items`: empties the cart as `POST cart/clear` does (lines, removed lines,
/// coupons, fees, chosen shipping; the clear hooks fire and "Cart is cleared." is queued).
pub fn remove_all_items(cart: &mut Cart, hooks: &dyn Hooks) -> Result<(), CartError> {
    crate::cart::ops::clear_cart(cart, hooks, false)
}

/// `404 cocart_missing_rate_id`: no rate id, or one no package offers.
fn invalid_rate_id() -> CartError {
    CartError::new("cocart_missing_rate_id", 404, "Invalid Rate ID.")
}

/// `POST cart/set-shipping-method`: makes `rate_id` the chosen rate of package
/// `package_id` (an index, as number text), or of every package offering it when no
/// package is given. Refusals: shipping disabled (`cocart_shipping_disabled`), no rate id or
/// a rate the package does not offer (`cocart_missing_rate_id`), all packages while shipping
/// is not calculated (`cocart_shipping_not_calculated`).
pub fn set_shipping_method(
    cart: &mut Cart,
    catalog: &Catalog,
    rate_id: &str,
    package_id: Option<&str>,
    now: UnixTime,
) -> Result<(), CartError> {
    let shipping_on = catalog.settings().ship_to_countries != "disabled"
        && catalog
            .shipping_zones()
            .iter()
            .any(|zone| !zone.methods.is_empty());
    if !shipping_on {
        return Err(CartError::new(
            "cocart_shipping_disabled",
            404,
            "Shipping is disabled.",
        ));
    }
    let rate_id = rate_id.trim();
    if rate_id.is_empty() {
        return Err(invalid_rate_id());
    }
    let totals = calculate(cart, catalog, now)?;
    let offers = |index: usize| {
        totals
            .packages
            .get(index)
            .is_some_and(|package| package.rates.iter().any(|rate| rate.id == rate_id))
    };
    let chosen_for: Vec<usize> = match package_id.map(str::trim).filter(|id| !id.is_empty()) {
        Some(id) => {
            let index: usize = id.parse().map_err(|_| invalid_rate_id())?;
            if !offers(index) {
                return Err(invalid_rate_id());
            }
            vec![index]
        }
        None => {
            if !totals.show_shipping {
                return Err(CartError::new(
                    "cocart_shipping_not_calculated",
                    404,
                    "Customer has not calculated shipping.",
                ));
            }
            let offering: Vec<usize> = (0..totals.packages.len()).filter(|i| offers(*i)).collect();
            if offering.is_empty() {
                return Err(invalid_rate_id());
            }
            offering
        }
    };
    let mut chosen: Vec<String> = totals
        .packages
        .iter()
        .map(|package| package.chosen.clone().unwrap_or_default())
        .collect();
    for index in chosen_for {
        chosen[index] = rate_id.to_owned();
    }
    cart.chosen_shipping_methods = chosen;
    Ok(())
}

/// The engine's totals for `cart` as it is now.
fn calculate(cart: &Cart, catalog: &Catalog, now: UnixTime) -> Result<Totals, CartError> {
    totals::calculate(&totals_input(cart, catalog, now), &totals_rules(catalog))
        .map_err(|error| totals_error(&error))
}

#[cfg(test)]
mod tests;
