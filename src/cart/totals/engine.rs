//! The `WC_Cart_Totals` pipeline: item subtotals, coupon discounts, item totals, shipping,
//! fees and grand totals, in that fixed order, in minor units with extra precision.

use rust_decimal::Decimal;

use crate::catalog::model::{DiscountType, TaxBasedOn, TaxDisplay, TaxStatus};

use super::coupons::{
    CouponContext, CouponError, applies_to_line, compare_for_application, validate_coupon,
};
use super::discounts::{DiscountCoupon, DiscountKind, DiscountLine, apply_coupons};
use super::input::{AppliedCoupon, CartLine, Customer, TotalsInput, TotalsRules};
use super::limits::{TotalsError, check_ranges};
use super::matching::{TaxLocation, describe_rate, find_rates, sanitize_tax_class, shipping_only};
use super::money::{MoneyRules, round_half_down, round_half_up};
use super::output::{CouponTotals, FeeTotals, LineTotals, PackageTotals, TaxTotal, Totals};
use super::rates::{MatchedRate, PerRate, calc_tax};
use super::shipping::{
    FreeShippingFacts, PackageContents, RatingContext, ShippingRate, ShippingTaxing,
    is_pickup_rate, match_zone, rate_package, ships_to,
};

/// A cart line during the calculation (minor units).
struct Item<'a> {
    line: &'a CartLine,
    class: String,
    taxable: bool,
    price_includes_tax: bool,
    rates: Vec<MatchedRate>,
    price: Decimal,
    subtotal: Decimal,
    subtotal_tax: Decimal,
    subtotal_taxes: PerRate,
    total: Decimal,
    total_tax: Decimal,
    taxes: PerRate,
}

/// A line that takes part in negative-fee tax spreading: its class, taxability and total.
struct CostLine {
    class: String,
    taxable: bool,
    total: Decimal,
}

/// Shared state of one calculation.
struct Calculation<'a> {
    input: &'a TotalsInput,
    rules: &'a TotalsRules<'a>,
    money: MoneyRules,
    /// Taxes are calculated: taxes on and the customer not VAT exempt.
    tax_on: bool,
    location: TaxLocation,
}

impl<'a> Calculation<'a> {
    fn new(input: &'a TotalsInput, rules: &'a TotalsRules<'a>) -> Self {
        let settings = rules.settings;
        let money = MoneyRules {
            decimals: settings.price_decimals,
            prices_include_tax: settings.calc_taxes && settings.prices_include_tax,
            round_at_subtotal: settings.tax_round_at_subtotal,
        };
        Self {
            input,
            rules,
            money,
            tax_on: settings.calc_taxes && !input.customer.is_vat_exempt,
            location: tax_location(input, rules),
        }
    }

    fn rates_for(&self, class: &str) -> Vec<MatchedRate> {
        if !self.rules.settings.calc_taxes {
            return Vec::new();
        }
        find_rates(
            self.rules.tax_rates,
            self.rules.tax_classes,
            &self.location,
            class,
        )
    }

    fn base_rates_for(&self, class: &str) -> Vec<MatchedRate> {
        find_rates(
            self.rules.tax_rates,
            self.rules.tax_classes,
            &base_location(self.rules),
            class,
        )
    }

    fn displays_prices_with_tax(&self) -> bool {
        self.rules.settings.tax_display_cart == TaxDisplay::Incl
            && !self.input.customer.is_vat_exempt
    }

    /// Steps 4.1: prices, base-location adjustments and subtotals.
    fn items(&self) -> Vec<Item<'a>> {
        self.input
            .lines
            .iter()
            .map(|line| {
                let class = sanitize_tax_class(&line.tax_class, self.rules.tax_classes);
                let taxable = line.tax_status == TaxStatus::Taxable;
                let rates = self.rates_for(&class);
                let mut item = Item {
                    line,
                    taxable,
                    price_includes_tax: self.money.prices_include_tax,
                    price: self.money.to_minor(line.unit_price * line.quantity),
                    rates,
                    class,
                    subtotal: Decimal::ZERO,
                    subtotal_tax: Decimal::ZERO,
                    subtotal_taxes: PerRate::new(),
                    total: Decimal::ZERO,
                    total_tax: Decimal::ZERO,
                    taxes: PerRate::new(),
                };
                if item.price_includes_tax && item.taxable {
                    self.adjust_gross_price(&mut item);
                }
                item.subtotal = item.price;
                if self.tax_on && item.taxable {
                    item.subtotal_taxes = calc_tax(
                        &self.money,
                        item.subtotal,
                        &item.rates,
                        item.price_includes_tax,
                    );
                    item.subtotal_tax = item
                        .subtotal_taxes
                        .iter()
                        .map(|(_, tax)| self.money.line_tax_round(tax))
                        .sum();
                    if item.price_includes_tax {
                        item.subtotal -= item.subtotal_taxes.sum();
                    }
                }
                item
            })
            .collect()
    }

    /// The cart subtotal (Σ line-rounded subtotals) and the line-rounded subtotal taxes per
    /// rate, in minor units.
    fn subtotals(&self, items: &[Item<'_>]) -> (Decimal, PerRate) {
        let mut taxes = PerRate::new();
        for item in items {
            taxes.merge(
                &item
                    .subtotal_taxes
                    .map(|tax| self.money.line_tax_round(tax)),
            );
        }
        let subtotal = items
            .iter()
            .map(|item| self.money.line_round(item.subtotal))
            .sum();
        (subtotal, taxes)
    }

    /// Gross prices outside the base location (totals §4.1): a VAT-exempt customer gets the
    /// base taxes removed; anyone else gets them swapped for their own rates, unless the
    /// base location has no rates for the class (newer WooCommerce).
    fn adjust_gross_price(&self, item: &mut Item<'_>) {
        let adjust = self.rules.adjust_non_base_location_prices;
        let base_rates = self.base_rates_for(&item.class);
        if base_rates.is_empty() {
            return;
        }
        if self.input.customer.is_vat_exempt {
            let removed_rates = if adjust { &base_rates } else { &item.rates };
            let base_tax = calc_tax(&self.money, item.price, removed_rates, true).sum();
            item.price = round_half_up(item.price - base_tax, 0);
            item.price_includes_tax = false;
        } else if adjust && item.rates != base_rates {
            let base_tax = calc_tax(&self.money, item.price, &base_rates, true).sum();
            let net = item.price - base_tax;
            let new_tax = calc_tax(&self.money, net, &item.rates, false).sum();
            item.price = net + new_tax;
        }
    }

    fn coupon_context(&self, displayed_subtotal: Decimal) -> CouponContext<'a> {
        CouponContext {
            lines: &self.input.lines,
            displayed_subtotal,
            customer: &self.input.customer,
            now: self.input.now,
            settings: self.rules.settings,
            terms: self.rules.terms,
        }
    }
}

/// The address taxes are computed for (totals §6.1).
fn tax_location(input: &TotalsInput, rules: &TotalsRules<'_>) -> TaxLocation {
    let pickup_chosen = input.lines.iter().any(|line| line.needs_shipping)
        && input
            .chosen_shipping
            .iter()
            .any(|rate| is_pickup_rate(rate));
    let address = match rules.settings.tax_based_on {
        _ if pickup_chosen => return base_location(rules),
        TaxBasedOn::Base => return base_location(rules),
        TaxBasedOn::Billing => &input.customer.billing,
        TaxBasedOn::Shipping => &input.customer.shipping,
    };
    TaxLocation {
        country: address.country.clone(),
        state: address.state.clone(),
        postcode: address.postcode.clone(),
        city: address.city.clone(),
    }
}

fn base_location(rules: &TotalsRules<'_>) -> TaxLocation {
    let settings = rules.settings;
    TaxLocation {
        country: settings.base_country.clone(),
        state: settings.base_state.clone(),
        postcode: settings.base_postcode.clone(),
        city: settings.base_city.clone(),
    }
}

/// Computes the cart totals as WooCommerce's `WC_Cart::calculate_totals` does. Fails only
/// when a number is outside the ranges of [`super::limits`].
pub fn calculate(input: &TotalsInput, rules: &TotalsRules<'_>) -> Result<Totals, TotalsError> {
    check_ranges(input, rules)?;
    if input.lines.is_empty() {
        return Ok(Totals::default());
    }
    let calc = Calculation::new(input, rules);
    let money = calc.money;
    let mut totals = Totals {
        displays_prices_with_tax: calc.displays_prices_with_tax(),
        ..Totals::default()
    };

    // 4.1 Item subtotals.
    let mut items = calc.items();
    let (items_subtotal, subtotal_taxes) = calc.subtotals(&items);
    totals.subtotal = money.from_minor(items_subtotal);
    totals.subtotal_tax = money.from_minor(subtotal_taxes.sum());

    // 4.2 Coupons.
    let valid_coupons = valid_coupons(&calc, totals.displayed_subtotal(), &mut totals);
    let discounts = discount_items(&calc, &items, &valid_coupons);
    let mut discount_sum = Decimal::ZERO;
    let mut discount_tax_sum = Decimal::ZERO;
    for (coupon, per_line) in valid_coupons.iter().zip(&discounts) {
        let mut amount: Decimal = per_line.iter().copied().sum();
        let mut tax = Decimal::ZERO;
        if calc.tax_on {
            for (item, discount) in items.iter().zip(per_line) {
                if item.taxable {
                    let item_tax =
                        calc_tax(&money, *discount, &item.rates, item.price_includes_tax).sum();
                    tax += item_tax;
                    if item.price_includes_tax {
                        amount -= item_tax;
                    }
                }
            }
        }
        discount_sum += per_line.iter().copied().sum::<Decimal>();
        discount_tax_sum += tax;
        let amount = money.from_minor(amount);
        let tax = money.from_minor(tax);
        let decimals = money.decimals;
        totals.coupons.push(CouponTotals {
            code: coupon.code.clone(),
            discount: amount,
            discount_tax: tax,
            discount_amount: round_half_down(amount, decimals),
            discount_tax_amount: round_half_down(tax, decimals),
            discount_amount_with_tax: round_half_down(
                amount + round_half_down(tax, decimals),
                decimals,
            ),
        });
    }
    totals.discount_total = money.from_minor(if money.prices_include_tax {
        discount_sum - discount_tax_sum
    } else {
        discount_sum
    });
    totals.discount_tax = money.from_minor(discount_tax_sum);

    // 4.3 Item totals.
    let mut item_taxes = PerRate::new();
    for (index, item) in items.iter_mut().enumerate() {
        let discount: Decimal = discounts.iter().map(|per_line| per_line[index]).sum();
        item.total = item.price - discount;
        if calc.tax_on && item.taxable {
            item.taxes = calc_tax(&money, item.total, &item.rates, item.price_includes_tax);
            item.total_tax = item
                .taxes
                .iter()
                .map(|(_, t)| money.line_tax_round(t))
                .sum();
            if item.price_includes_tax {
                item.total -= item.taxes.sum();
            }
        }
        item_taxes.merge(&item.taxes.map(|tax| money.line_tax_round(tax)));
    }
    let items_total: Decimal = items.iter().map(|item| money.line_round(item.total)).sum();
    totals.cart_contents_total = money.from_minor(items_total);
    totals.cart_contents_taxes = item_taxes.map(|tax| money.from_minor(tax));
    totals.cart_contents_tax = money.from_minor(item_taxes.sum());
    totals.lines = items
        .iter()
        .map(|item| LineTotals {
            key: item.line.key.clone(),
            subtotal: money.from_minor(item.subtotal),
            subtotal_tax: money.from_minor(item.subtotal_tax),
            total: money.from_minor(item.total),
            tax: money.from_minor(item.total_tax),
            subtotal_taxes: item.subtotal_taxes.map(|tax| money.from_minor(tax)),
            taxes: item.taxes.map(|tax| money.from_minor(tax)),
        })
        .collect();

    // 4.4 Shipping.
    let free_shipping_coupon = valid_coupons.iter().any(|coupon| coupon.free_shipping);
    let shipping_lines = shipping(&calc, &items, free_shipping_coupon, &mut totals);
    let shipping_total: Decimal = shipping_lines.iter().map(|(total, _)| *total).sum();
    let mut shipping_taxes = PerRate::new();
    for (_, taxes) in &shipping_lines {
        shipping_taxes.merge(taxes);
    }
    totals.shipping_total = money.from_minor(shipping_total);
    totals.shipping_tax = money.from_minor(shipping_taxes.sum());
    totals.shipping_taxes = shipping_taxes.map(|tax| money.from_minor(tax));

    // 4.5 Fees.
    let mut cost_lines: Vec<CostLine> = items
        .iter()
        .map(|item| CostLine {
            class: item.class.clone(),
            taxable: item.taxable,
            total: item.total,
        })
        .collect();
    let first_item_class = cost_lines
        .first()
        .map(|line| line.class.clone())
        .unwrap_or_default();
    let shipping_class = match rules.settings.shipping_tax_class.as_str() {
        "inherit" => first_item_class,
        class => sanitize_tax_class(class, rules.tax_classes),
    };
    let shipping_cost_lines = shipping_lines.iter().map(|(total, _)| CostLine {
        class: shipping_class.clone(),
        taxable: true,
        total: *total,
    });
    let fees = fees(
        &calc,
        items_total,
        shipping_total,
        shipping_cost_lines.collect(),
        &mut cost_lines,
    );
    let fee_total: Decimal = fees.iter().map(|fee| fee.total).sum();
    let fee_tax: Decimal = fees.iter().map(|fee| fee.tax).sum();
    let mut fee_taxes = PerRate::new();
    let mut fee_rounded_taxes = PerRate::new();
    for fee in &fees {
        fee_taxes.merge(&fee.taxes);
        fee_rounded_taxes.merge(&fee.taxes.map(|tax| money.line_tax_round(tax)));
    }
    totals.fee_total = money.from_minor(fee_total);
    totals.fee_tax = money.from_minor(fee_tax);
    totals.fee_taxes = fee_taxes.map(|tax| money.from_minor(tax));
    totals.fees = fees
        .into_iter()
        .map(|fee| FeeTotals {
            total: money.from_minor(fee.total),
            tax: money.from_minor(fee.tax),
            taxes: fee.taxes.map(|tax| money.from_minor(tax)),
            ..fee
        })
        .collect();

    // 4.6 Grand totals.
    let all_taxes = item_taxes.sum() + shipping_taxes.sum() + fee_rounded_taxes.sum();
    let total = round_half_up(items_total + fee_total + shipping_total + all_taxes, 0);
    totals.total = money.round_price(money.from_minor(total).max(Decimal::ZERO));
    let fee_and_shipping_tax = money.from_minor(shipping_taxes.sum() + fee_rounded_taxes.sum());
    totals.total_tax = money.round_tax_total(
        money.from_minor(item_taxes.sum()) + money.round_price(fee_and_shipping_tax),
    );
    totals.tax_totals = tax_totals(&calc, &totals);
    Ok(totals)
}

/// The applied coupons that are still valid, in application order; invalid ones are
/// reported and skipped.
fn valid_coupons(
    calc: &Calculation<'_>,
    displayed_subtotal: Decimal,
    totals: &mut Totals,
) -> Vec<crate::catalog::model::Coupon> {
    let settings = calc.rules.settings;
    if !settings.enable_coupons {
        return Vec::new();
    }
    let context = calc.coupon_context(displayed_subtotal);
    let mut coupons = Vec::new();
    for AppliedCoupon {
        code,
        coupon,
        usage,
    } in &calc.input.coupons
    {
        let checked = match coupon {
            Some(coupon) => validate_coupon(coupon, usage, &context).map(|()| coupon),
            None => Err(CouponError::not_exist(code)),
        };
        match checked {
            Ok(coupon) => coupons.push(coupon.clone()),
            Err(error) => totals.invalid_coupons.push((code.clone(), error)),
        }
    }
    let sequential = settings.calc_discounts_sequentially;
    coupons.sort_by(|a, b| compare_for_application(a, b, sequential));
    coupons
}

/// Runs the discount engine over the items for the valid coupons.
fn discount_items(
    calc: &Calculation<'_>,
    items: &[Item<'_>],
    coupons: &[crate::catalog::model::Coupon],
) -> Vec<Vec<Decimal>> {
    let lines: Vec<DiscountLine> = items
        .iter()
        .map(|item| DiscountLine {
            price: item.price,
            quantity: item.line.quantity,
        })
        .collect();
    let discount_coupons: Vec<DiscountCoupon> = coupons
        .iter()
        .map(|coupon| {
            let kind = match coupon.discount_type {
                DiscountType::Percent => DiscountKind::Percent,
                DiscountType::FixedProduct => DiscountKind::FixedProduct,
                DiscountType::FixedCart => DiscountKind::FixedCart,
                DiscountType::Other(_) => DiscountKind::Custom,
            };
            // WooCommerce never stores a negative amount nor a percentage above 100.
            let amount = coupon.amount.max(Decimal::ZERO);
            let amount = match kind {
                DiscountKind::Percent => amount.min(Decimal::ONE_HUNDRED),
                _ => calc.money.to_minor(amount),
            };
            DiscountCoupon {
                kind,
                amount,
                limit_items: coupon.limit_usage_to_x_items.map(Decimal::from),
                maximum_discount: coupon
                    .maximum_discount
                    .filter(|cap| *cap > Decimal::ZERO)
                    .map(|cap| calc.money.to_minor(cap)),
                eligible: items
                    .iter()
                    .map(|item| applies_to_line(coupon, item.line))
                    .collect(),
            }
        })
        .collect();
    apply_coupons(
        &lines,
        &discount_coupons,
        calc.rules.settings.calc_discounts_sequentially,
    )
}

/// Whether the store could ship this cart at all (totals §9.1).
fn needs_shipping(calc: &Calculation<'_>) -> bool {
    let settings = calc.rules.settings;
    settings.ship_to_countries != "disabled"
        && calc
            .rules
            .shipping_zones
            .iter()
            .any(|zone| !zone.methods.is_empty())
        && calc
            .input
            .lines
            .iter()
            .any(|line| line.needs_shipping && line.quantity > Decimal::ZERO)
}

/// Whether shipping may be shown when shipping costs require an address: the customer has
/// calculated shipping, or the address has a country and a state or postcode (classic
/// `WC_Cart::show_shipping`).
fn has_shipping_address(customer: &Customer) -> bool {
    let address = &customer.shipping;
    customer.has_calculated_shipping
        || (!address.country.trim().is_empty()
            && (!address.state.trim().is_empty() || !address.postcode.trim().is_empty()))
}

/// The shipping tax rates (totals §6.4).
fn shipping_tax_rates(calc: &Calculation<'_>, items: &[Item<'_>]) -> Vec<MatchedRate> {
    let rules = calc.rules;
    let class = match rules.settings.shipping_tax_class.as_str() {
        "inherit" => {
            let mut classes: Vec<&str> = Vec::new();
            for item in items {
                let ships_taxed = item.line.needs_shipping
                    && matches!(
                        item.line.tax_status,
                        TaxStatus::Taxable | TaxStatus::Shipping
                    );
                if ships_taxed && !classes.contains(&item.class.as_str()) {
                    classes.push(item.class.as_str());
                }
            }
            if classes.is_empty() {
                return Vec::new();
            }
            if classes.contains(&"") {
                String::new()
            } else if classes.len() == 1 {
                classes[0].to_string()
            } else {
                let mut store_classes: Vec<_> = rules
                    .tax_classes
                    .iter()
                    .filter(|class| !class.slug.is_empty())
                    .collect();
                store_classes.sort_by(|a, b| a.name.cmp(&b.name));
                store_classes
                    .iter()
                    .find(|class| classes.contains(&class.slug.as_str()))
                    .map_or_else(|| classes[0].to_string(), |class| class.slug.clone())
            }
        }
        class => sanitize_tax_class(class, rules.tax_classes),
    };
    shipping_only(calc.rates_for(&class))
}

/// Rates the (single, default) package and returns the chosen rate of each package as
/// (total, line-rounded taxes per rate), both in minor units.
fn shipping(
    calc: &Calculation<'_>,
    items: &[Item<'_>],
    free_shipping_coupon: bool,
    totals: &mut Totals,
) -> Vec<(Decimal, PerRate)> {
    let money = calc.money;
    let settings = calc.rules.settings;
    totals.needs_shipping = needs_shipping(calc);
    let destination = &calc.input.customer.shipping;
    totals.show_shipping = totals.needs_shipping
        && (!settings.shipping_cost_requires_address || has_shipping_address(&calc.input.customer));
    if !totals.show_shipping {
        return Vec::new();
    }
    let shipped: Vec<&Item<'_>> = items
        .iter()
        .filter(|item| item.line.needs_shipping)
        .collect();
    let lines: Vec<&CartLine> = shipped.iter().map(|item| item.line).collect();
    let line_totals: Vec<Decimal> = shipped
        .iter()
        .map(|item| money.from_minor(item.total))
        .collect();
    let contents = PackageContents {
        lines: &lines,
        line_totals: &line_totals,
    };
    let shipping_rates = shipping_tax_rates(calc, items);
    let context = RatingContext {
        money: &money,
        settings,
        shipping_classes: calc.rules.shipping_classes,
        taxing: ShippingTaxing {
            enabled: calc.tax_on,
            rates: &shipping_rates,
        },
        free_shipping: FreeShippingFacts {
            displayed_subtotal: totals.displayed_subtotal(),
            discount_total: totals.discount_total,
            discount_tax: totals.discount_tax,
            displays_prices_with_tax: totals.displays_prices_with_tax,
            has_free_shipping_coupon: free_shipping_coupon,
        },
    };
    let allowed = destination.country.trim().is_empty() || ships_to(settings, &destination.country);
    let zone = match_zone(calc.rules.shipping_zones, destination);
    let rates = match zone {
        Some(zone) if allowed => rate_package(zone, &contents, &context),
        _ => Vec::new(),
    };
    let stored_choice = calc.input.chosen_shipping.first();
    let chosen = rates
        .iter()
        .find(|rate| Some(&rate.id) == stored_choice)
        .or_else(|| default_rate(&rates, &calc.input.coupons));
    let chosen_line = chosen.map(|rate| {
        (
            money.to_minor(rate.cost),
            rate.taxes
                .map(|tax| money.line_round(money.to_minor_unrounded(tax))),
        )
    });
    totals.packages.push(PackageTotals {
        index: 0,
        line_keys: lines.iter().map(|line| line.key.clone()).collect(),
        zone_id: zone.map(|zone| zone.id),
        chosen: chosen.map(|rate| rate.id.clone()),
        rates,
    });
    chosen_line.into_iter().collect()
}

/// `wc_get_default_shipping_method_for_package`: the first rate, or the first free-shipping
/// rate when an applied coupon grants free shipping.
fn default_rate<'r>(
    rates: &'r [ShippingRate],
    coupons: &[AppliedCoupon],
) -> Option<&'r ShippingRate> {
    let free_shipping_coupon = coupons.iter().any(|applied| {
        applied
            .coupon
            .as_ref()
            .is_some_and(|coupon| coupon.free_shipping)
    });
    free_shipping_coupon
        .then(|| {
            rates
                .iter()
                .find(|rate| rate.id.starts_with("free_shipping"))
        })
        .flatten()
        .or_else(|| rates.first())
}

/// WordPress's `sanitize_title` for fee IDs: lowercase letters, digits and single hyphens.
fn fee_id(name: &str) -> String {
    let mut id = String::new();
    for character in name.trim().to_lowercase().chars() {
        if character.is_alphanumeric() || character == '_' {
            id.push(character);
        } else if !id.ends_with('-') && !id.is_empty() {
            id.push('-');
        }
    }
    id.trim_end_matches('-').to_string()
}

/// A fee's tax class may be given by slug or by name; anything else is standard.
fn fee_tax_class(class: &str, classes: &[crate::catalog::model::TaxClass]) -> String {
    classes
        .iter()
        .find(|known| known.name.eq_ignore_ascii_case(class.trim()))
        .map_or_else(
            || sanitize_tax_class(class, classes),
            |known| known.slug.clone(),
        )
}

/// Fees (totals §4.5): amount descending, negative fees capped and their tax spread over
/// the classes of everything before them.
fn fees(
    calc: &Calculation<'_>,
    items_total: Decimal,
    shipping_total: Decimal,
    shipping_cost_lines: Vec<CostLine>,
    cost_lines: &mut Vec<CostLine>,
) -> Vec<FeeTotals> {
    let money = calc.money;
    let mut fees: Vec<&super::input::Fee> = Vec::new();
    let mut seen_ids: Vec<String> = Vec::new();
    for fee in &calc.input.fees {
        let name = if fee.name.trim().is_empty() {
            "Fee"
        } else {
            fee.name.as_str()
        };
        let id = fee_id(name);
        if !seen_ids.contains(&id) {
            seen_ids.push(id);
            fees.push(fee);
        }
    }
    fees.sort_by_key(|fee| std::cmp::Reverse(fee.amount));
    let mut fee_lines: Vec<CostLine> = Vec::new();
    let mut running = Decimal::ZERO;
    let mut result = Vec::new();
    for fee in fees {
        let name = if fee.name.trim().is_empty() {
            "Fee".to_string()
        } else {
            fee.name.clone()
        };
        let class = fee_tax_class(&fee.tax_class, calc.rules.tax_classes);
        let mut total = money.to_minor(fee.amount);
        if total < Decimal::ZERO {
            let floor = -round_half_up(items_total + running + shipping_total, 0);
            total = total.max(floor);
        }
        running += total;
        let mut taxes = PerRate::new();
        if calc.tax_on {
            if total < Decimal::ZERO {
                let all_lines = cost_lines
                    .iter()
                    .chain(&fee_lines)
                    .chain(&shipping_cost_lines);
                let mut class_costs: Vec<(Option<String>, Decimal)> = Vec::new();
                for line in all_lines.filter(|line| line.total >= Decimal::ZERO) {
                    let key = line.taxable.then(|| line.class.clone());
                    match class_costs.iter_mut().find(|(k, _)| *k == key) {
                        Some((_, cost)) => *cost += line.total,
                        None => class_costs.push((key, line.total)),
                    }
                }
                let total_cost: Decimal = class_costs.iter().map(|(_, cost)| *cost).sum();
                if !total_cost.is_zero() {
                    for (class, cost) in &class_costs {
                        let Some(class) = class else { continue };
                        let share = total * (cost / total_cost);
                        taxes.merge(&calc_tax(&money, share, &calc.rates_for(class), false));
                    }
                }
            } else if fee.taxable {
                taxes = calc_tax(&money, total, &calc.rates_for(&class), false);
            }
        }
        let tax = taxes.iter().map(|(_, t)| money.line_tax_round(t)).sum();
        fee_lines.push(CostLine {
            class: class.clone(),
            taxable: fee.taxable,
            total,
        });
        result.push(FeeTotals {
            id: fee_id(&name),
            name,
            taxable: fee.taxable,
            tax_class: class,
            total,
            tax,
            taxes,
        });
    }
    cost_lines.append(&mut fee_lines);
    result
}

/// `WC_Cart::get_tax_totals`: one row per rate code, shipping tax rounded on its own.
fn tax_totals(calc: &Calculation<'_>, totals: &Totals) -> Vec<TaxTotal> {
    let money = calc.money;
    let mut all = PerRate::new();
    all.merge(&totals.shipping_taxes);
    all.merge(&totals.cart_contents_taxes);
    all.merge(&totals.fee_taxes);
    let mut rows: Vec<TaxTotal> = Vec::new();
    for (rate_id, amount) in all.iter() {
        let Some(rate) = calc.rules.tax_rates.iter().find(|rate| rate.id == rate_id) else {
            continue;
        };
        let rate = describe_rate(rate);
        let shipping_part = totals.shipping_taxes.get(rate_id);
        let amount = if totals.shipping_taxes.iter().any(|(id, _)| id == rate_id) {
            money.round_tax_total(amount - shipping_part) + money.round_price(shipping_part)
        } else {
            amount
        };
        let amount = money.round_tax_total(amount);
        match rows.iter_mut().find(|row| row.code == rate.code) {
            Some(row) => {
                row.amount += amount;
                row.rate_id = rate_id;
            }
            None => rows.push(TaxTotal {
                code: rate.code.clone(),
                rate_id,
                label: rate.label.clone(),
                compound: rate.compound,
                amount,
            }),
        }
    }
    rows.retain(|row| !row.amount.is_zero());
    rows
}

/// Validates a coupon against the cart as it is now (for applying it): the displayed
/// subtotal comes from the cart's item subtotals. A cart whose numbers are out of range
/// takes no coupon (100).
pub fn validate_coupon_for_cart(
    input: &TotalsInput,
    rules: &TotalsRules<'_>,
    coupon: &AppliedCoupon,
) -> Result<(), CouponError> {
    check_ranges(input, rules).map_err(|_| CouponError::invalid(&coupon.code))?;
    let calc = Calculation::new(input, rules);
    let (subtotal, subtotal_taxes) = calc.subtotals(&calc.items());
    let displayed = if calc.displays_prices_with_tax() {
        subtotal + subtotal_taxes.sum()
    } else {
        subtotal
    };
    let context = calc.coupon_context(calc.money.from_minor(displayed));
    match &coupon.coupon {
        Some(found) => validate_coupon(found, &coupon.usage, &context),
        None => Err(CouponError::not_exist(&coupon.code)),
    }
}

/// The applied coupons after a successful [`apply_coupon`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CouponApplication {
    /// The applied codes, the new one last.
    pub applied_codes: Vec<String>,
    /// Codes removed because the new coupon is for individual use.
    pub removed_codes: Vec<String>,
    /// The new coupon grants free shipping: every package's chosen method becomes free
    /// shipping (the session then stores `free_shipping` as the choice).
    pub grants_free_shipping: bool,
}

/// `WC_Cart::apply_coupon` (totals §7.4) for a coupon loaded by its code: validity, already
/// applied (103), individual use (others removed, or 104 when an applied coupon is for
/// individual use). Coupons being disabled is the caller's check.
pub fn apply_coupon(
    input: &TotalsInput,
    rules: &TotalsRules<'_>,
    candidate: &AppliedCoupon,
) -> Result<CouponApplication, CouponError> {
    let code = candidate.code.trim().to_lowercase();
    if code.is_empty() {
        return Err(CouponError::please_enter());
    }
    let coupon = candidate
        .coupon
        .as_ref()
        .ok_or_else(|| CouponError::not_exist(&code))?;
    validate_coupon_for_cart(input, rules, candidate)?;
    let applied_codes: Vec<String> = input.coupons.iter().map(|c| c.code.clone()).collect();
    if applied_codes
        .iter()
        .any(|applied| applied.eq_ignore_ascii_case(&code))
    {
        return Err(CouponError::already_applied(&code));
    }
    let (mut kept, removed_codes) = if coupon.individual_use {
        (Vec::new(), applied_codes)
    } else {
        let blocking = input.coupons.iter().find(|applied| {
            applied
                .coupon
                .as_ref()
                .is_some_and(|coupon| coupon.individual_use)
        });
        if let Some(blocking) = blocking {
            return Err(CouponError::individual_use_only(&blocking.code));
        }
        (applied_codes, Vec::new())
    };
    kept.push(code);
    Ok(CouponApplication {
        applied_codes: kept,
        removed_codes,
        grants_free_shipping: coupon.free_shipping,
    })
}
