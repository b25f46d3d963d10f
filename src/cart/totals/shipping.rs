//! Shipping: which zone a package falls in, and the rates its methods offer (flat rate with
//! class costs, free shipping requirements, local pickup), priced the way WooCommerce's
//! shipping methods price them.

use rust_decimal::Decimal;

use crate::catalog::model::{
    ClassCalculationType, FlatRateSettings, FreeShippingRequires, FreeShippingSettings,
    LocalPickupSettings, LocationType, ShippingClass, ShippingMethod, ShippingMethodSettings,
    ShippingTaxStatus, ShippingZone, StoreSettings,
};

use super::continents::continent_of;
use super::formula::{FormulaArgs, evaluate_cost};
use super::input::{Address, CartLine};
use super::money::MoneyRules;
use super::postcode::postcode_matches;
use super::rates::{MatchedRate, PerRate, calc_tax};

/// Rate IDs of the methods that move the tax location to the store (local pickup).
pub const PICKUP_METHOD_IDS: [&str; 3] = ["local_pickup", "legacy_local_pickup", "pickup_location"];

/// Whether a chosen rate ID (`local_pickup:3`) is a pickup method.
pub fn is_pickup_rate(rate_id: &str) -> bool {
    let method_id = rate_id.split(':').next().unwrap_or_default();
    PICKUP_METHOD_IDS.contains(&method_id)
}

/// One rate a shipping method offers for a package.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShippingRate {
    /// Rate ID (`flat_rate:1`).
    pub id: String,
    /// Method ID (`flat_rate`).
    pub method_id: String,
    /// Method instance ID.
    pub instance_id: u64,
    /// Label shown to the customer.
    pub label: String,
    /// Cost excluding tax, currency units (rounded to the price decimals unless the cost
    /// was entered with tax).
    pub cost: Decimal,
    /// Taxes per rate, currency units.
    pub taxes: PerRate,
}

/// The lines in one package and what its methods price them by.
#[derive(Debug, Clone, Copy)]
pub struct PackageContents<'a> {
    /// The cart lines in the package.
    pub lines: &'a [&'a CartLine],
    /// Each of those lines' total after discounts, excluding tax (currency units).
    pub line_totals: &'a [Decimal],
}

impl PackageContents<'_> {
    fn contents_cost(&self) -> Decimal {
        self.line_totals.iter().copied().sum()
    }

    fn quantity(&self) -> Decimal {
        self.lines
            .iter()
            .filter(|line| line.quantity > Decimal::ZERO && line.needs_shipping)
            .map(|line| line.quantity)
            .sum()
    }

    fn weight(&self) -> Decimal {
        self.lines
            .iter()
            .map(|line| line.weight * line.quantity)
            .sum()
    }
}

/// Cart-wide facts free shipping is decided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreeShippingFacts {
    /// The displayed subtotal.
    pub displayed_subtotal: Decimal,
    /// Coupon discounts excluding tax.
    pub discount_total: Decimal,
    /// Tax of the coupon discounts.
    pub discount_tax: Decimal,
    /// Whether the cart displays prices including tax.
    pub displays_prices_with_tax: bool,
    /// Whether a valid applied coupon grants free shipping.
    pub has_free_shipping_coupon: bool,
}

/// How shipping rates are taxed for this cart.
#[derive(Debug, Clone, Copy)]
pub struct ShippingTaxing<'a> {
    /// Taxes are calculated (taxes on, customer not exempt).
    pub enabled: bool,
    /// The rates for shipping (already limited to rates with the shipping flag).
    pub rates: &'a [MatchedRate],
}

/// Whether a destination country may be shipped to (`woocommerce_ship_to_countries`,
/// falling back to the selling locations).
pub fn ships_to(settings: &StoreSettings, country: &str) -> bool {
    let listed = |countries: &[String]| countries.iter().any(|c| c.eq_ignore_ascii_case(country));
    match settings.ship_to_countries.as_str() {
        "disabled" => false,
        "specific" => listed(&settings.specific_ship_to_countries),
        "all" => true,
        _ => match settings.allowed_countries.as_str() {
            "specific" => listed(&settings.specific_allowed_countries),
            "all_except" => !listed(&settings.all_except_countries),
            _ => true,
        },
    }
}

/// The zone a destination falls in: the lowest `order` (then ID) among zones matching the
/// country, `country:state` or continent, or having no region at all, whose postcode list
/// (if any) matches; otherwise zone 0, the rest of the world.
pub fn match_zone<'a>(
    zones: &'a [ShippingZone],
    destination: &Address,
) -> Option<&'a ShippingZone> {
    let country = destination.country.trim().to_uppercase();
    let state = format!("{country}:{}", destination.state.trim().to_uppercase());
    let continent = continent_of(&country).unwrap_or_default();
    let region_matches = |zone: &ShippingZone| {
        let mut regions = zone
            .locations
            .iter()
            .filter(|location| location.location_type != LocationType::Postcode)
            .peekable();
        regions.peek().is_none()
            || regions.any(|location| match location.location_type {
                LocationType::Country => location.code.eq_ignore_ascii_case(&country),
                LocationType::State => location.code.eq_ignore_ascii_case(&state),
                LocationType::Continent => location.code.eq_ignore_ascii_case(continent),
                LocationType::Postcode => false,
            })
    };
    let postcode_matches_zone = |zone: &ShippingZone| {
        let mut postcodes = zone
            .locations
            .iter()
            .filter(|location| location.location_type == LocationType::Postcode)
            .peekable();
        postcodes.peek().is_none()
            || postcodes.any(|location| postcode_matches(&location.code, &destination.postcode))
    };
    zones
        .iter()
        .filter(|zone| zone.id != 0 && region_matches(zone) && postcode_matches_zone(zone))
        .min_by(|a, b| a.order.cmp(&b.order).then_with(|| a.id.cmp(&b.id)))
        .or_else(|| zones.iter().find(|zone| zone.id == 0))
}

/// Everything rating a package needs.
#[derive(Debug, Clone, Copy)]
pub struct RatingContext<'a> {
    /// Money rules.
    pub money: &'a MoneyRules,
    /// Store settings.
    pub settings: &'a StoreSettings,
    /// The store's shipping classes.
    pub shipping_classes: &'a [ShippingClass],
    /// Shipping taxation.
    pub taxing: ShippingTaxing<'a>,
    /// Free-shipping facts.
    pub free_shipping: FreeShippingFacts,
}

/// The rates every enabled method of the zone offers for the package, in method order.
pub fn rate_package(
    zone: &ShippingZone,
    contents: &PackageContents<'_>,
    context: &RatingContext<'_>,
) -> Vec<ShippingRate> {
    let mut methods: Vec<&ShippingMethod> = zone.methods.iter().filter(|m| m.enabled).collect();
    methods.sort_by_key(|method| method.order);
    methods
        .into_iter()
        .filter_map(|method| {
            let base_cost = match &method.settings {
                ShippingMethodSettings::FlatRate(flat) => flat_rate_cost(flat, contents, context)?,
                ShippingMethodSettings::FreeShipping(free) => {
                    free_shipping_available(free, &context.free_shipping, context.money)
                        .then_some(Decimal::ZERO)?
                }
                ShippingMethodSettings::LocalPickup(pickup) => pickup.cost.unwrap_or_default(),
                ShippingMethodSettings::Other { .. } => return None,
            };
            Some(priced_rate(method, base_cost, context))
        })
        .collect()
}

/// The tax status and "costs entered with tax" switch of a method.
fn method_taxing(method: &ShippingMethod, settings: &StoreSettings) -> (bool, bool) {
    let include = |setting: Option<bool>| setting.unwrap_or(settings.prices_include_tax);
    match &method.settings {
        ShippingMethodSettings::FlatRate(FlatRateSettings {
            tax_status,
            costs_include_tax,
            ..
        })
        | ShippingMethodSettings::LocalPickup(LocalPickupSettings {
            tax_status,
            costs_include_tax,
            ..
        }) => (
            *tax_status == ShippingTaxStatus::Taxable,
            include(*costs_include_tax),
        ),
        _ => (false, false),
    }
}

/// `WC_Shipping_Method::add_rate`: taxes on the unrounded cost, then the cost rounded; a cost
/// entered with tax has its tax extracted instead.
fn priced_rate(
    method: &ShippingMethod,
    cost: Decimal,
    context: &RatingContext<'_>,
) -> ShippingRate {
    let method_id = method.settings.method_id().to_string();
    let (taxable, includes_tax) = method_taxing(method, context.settings);
    let taxed = taxable && context.taxing.enabled && cost > Decimal::ZERO;
    let (cost, taxes) = match (taxed, includes_tax) {
        (true, true) => {
            let taxes = calc_tax(context.money, cost, context.taxing.rates, true);
            (cost - taxes.sum(), taxes)
        }
        (true, false) => (
            context.money.round_price(cost),
            calc_tax(context.money, cost, context.taxing.rates, false),
        ),
        (false, _) => (context.money.round_price(cost), PerRate::new()),
    };
    ShippingRate {
        id: format!("{method_id}:{}", method.instance_id),
        method_id,
        instance_id: method.instance_id,
        label: method.title.clone(),
        cost,
        taxes,
    }
}

/// `WC_Shipping_Flat_Rate::calculate_shipping`: the method cost plus class costs, or `None`
/// when every cost is blank.
fn flat_rate_cost(
    flat: &FlatRateSettings,
    contents: &PackageContents<'_>,
    context: &RatingContext<'_>,
) -> Option<Decimal> {
    let formula_args = |quantity, cost, weight| FormulaArgs {
        quantity,
        cost,
        weight,
        price_decimals: context.money.decimals,
        decimal_separator: context
            .settings
            .decimal_separator
            .chars()
            .next()
            .unwrap_or('.'),
    };
    let mut has_costs = false;
    let mut cost = Decimal::ZERO;
    if !flat.cost.trim().is_empty() {
        has_costs = true;
        let args = formula_args(
            contents.quantity(),
            contents.contents_cost(),
            contents.weight(),
        );
        cost += evaluate_cost(&flat.cost, &args).unwrap_or_default();
    }
    if context.shipping_classes.is_empty() {
        return has_costs.then_some(cost);
    }
    let mut highest_class_cost = Decimal::ZERO;
    for (class_id, members) in lines_by_shipping_class(contents) {
        let known_class = context
            .shipping_classes
            .iter()
            .any(|class| class.id == class_id);
        let formula = if known_class {
            flat.class_costs
                .iter()
                .find(|class_cost| class_cost.class_id == class_id)
                .map_or("", |class_cost| class_cost.cost.as_str())
        } else {
            flat.no_class_cost.as_str()
        };
        if formula.trim().is_empty() {
            continue;
        }
        has_costs = true;
        let quantity = members.iter().map(|&i| contents.lines[i].quantity).sum();
        let line_cost = members.iter().map(|&i| contents.line_totals[i]).sum();
        let weight = members
            .iter()
            .map(|&i| contents.lines[i].weight * contents.lines[i].quantity)
            .sum();
        let class_cost =
            evaluate_cost(formula, &formula_args(quantity, line_cost, weight)).unwrap_or_default();
        match flat.calculation_type {
            ClassCalculationType::Class => cost += class_cost,
            ClassCalculationType::Order => highest_class_cost = highest_class_cost.max(class_cost),
        }
    }
    cost += highest_class_cost;
    has_costs.then_some(cost)
}

/// The package's shipping lines grouped by shipping class, in order of first appearance.
fn lines_by_shipping_class(contents: &PackageContents<'_>) -> Vec<(u64, Vec<usize>)> {
    let mut groups: Vec<(u64, Vec<usize>)> = Vec::new();
    for (index, line) in contents.lines.iter().enumerate() {
        if !line.needs_shipping {
            continue;
        }
        match groups
            .iter_mut()
            .find(|(id, _)| *id == line.shipping_class_id)
        {
            Some((_, members)) => members.push(index),
            None => groups.push((line.shipping_class_id, vec![index])),
        }
    }
    groups
}

/// `WC_Shipping_Free_Shipping::is_available`.
fn free_shipping_available(
    free: &FreeShippingSettings,
    facts: &FreeShippingFacts,
    money: &MoneyRules,
) -> bool {
    let meets_minimum = || {
        let mut total = facts.displayed_subtotal;
        if !free.ignore_discounts {
            total -= facts.discount_total;
            if facts.displays_prices_with_tax {
                total -= facts.discount_tax;
            }
        }
        money.round_price(total) >= free.min_amount
    };
    let has_coupon = facts.has_free_shipping_coupon;
    match free.requires {
        FreeShippingRequires::Nothing => true,
        FreeShippingRequires::Coupon => has_coupon,
        FreeShippingRequires::MinAmount => meets_minimum(),
        FreeShippingRequires::Either => has_coupon || meets_minimum(),
        FreeShippingRequires::Both => has_coupon && meets_minimum(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::model::ZoneLocation;
    use rust_decimal_macros::dec;

    fn zone(id: u64, order: i64, locations: &[(&str, LocationType)]) -> ShippingZone {
        ShippingZone {
            id,
            name: format!("Zone {id}"),
            order,
            locations: locations
                .iter()
                .map(|(code, location_type)| ZoneLocation {
                    code: code.to_string(),
                    location_type: *location_type,
                })
                .collect(),
            methods: Vec::new(),
        }
    }

    fn destination(country: &str, state: &str, postcode: &str) -> Address {
        Address {
            country: country.into(),
            state: state.into(),
            postcode: postcode.into(),
            city: String::new(),
        }
    }

    fn matched(zones: &[ShippingZone], at: Address) -> Option<u64> {
        match_zone(zones, &at).map(|zone| zone.id)
    }

    #[test]
    fn postcode_only_zones_match_any_country() {
        let zones = [
            zone(0, 0, &[]),
            zone(1, 0, &[("CB*", LocationType::Postcode)]),
            zone(2, 1, &[("GB", LocationType::Country)]),
        ];
        assert_eq!(matched(&zones, destination("GB", "", "CB1 2AB")), Some(1));
        assert_eq!(matched(&zones, destination("FR", "", "CB9")), Some(1));
        assert_eq!(matched(&zones, destination("GB", "", "SW1")), Some(2));
        assert_eq!(matched(&zones, destination("DE", "", "10115")), Some(0));
    }

    #[test]
    fn equal_order_prefers_the_lower_zone_id_and_no_zone_zero_means_none() {
        let zones = [
            zone(7, 0, &[("EU", LocationType::Continent)]),
            zone(3, 0, &[("DE", LocationType::Country)]),
        ];
        assert_eq!(matched(&zones, destination("DE", "", "")), Some(3));
        assert_eq!(matched(&zones, destination("FR", "", "")), Some(7));
        assert_eq!(matched(&zones, destination("US", "", "")), None);
    }

    #[test]
    fn state_locations_need_the_state() {
        let zones = [
            zone(0, 0, &[]),
            zone(1, 0, &[("US:CA", LocationType::State)]),
        ];
        assert_eq!(matched(&zones, destination("us", "ca", "")), Some(1));
        assert_eq!(matched(&zones, destination("US", "NY", "")), Some(0));
    }

    #[test]
    fn ship_to_countries_fall_back_to_selling_locations() {
        let mut settings = StoreSettings::default();
        assert!(ships_to(&settings, "FR"));
        settings.allowed_countries = "all_except".into();
        settings.all_except_countries = vec!["FR".into()];
        assert!(!ships_to(&settings, "fr"));
        settings.ship_to_countries = "all".into();
        assert!(ships_to(&settings, "FR"));
        settings.ship_to_countries = "specific".into();
        settings.specific_ship_to_countries = vec!["US".into()];
        assert!(ships_to(&settings, "US"));
        assert!(!ships_to(&settings, "CA"));
        settings.ship_to_countries = "disabled".into();
        assert!(!ships_to(&settings, "US"));
    }

    #[test]
    fn pickup_rates_are_recognised_by_method_id() {
        assert!(is_pickup_rate("local_pickup:3"));
        assert!(is_pickup_rate("pickup_location:0"));
        assert!(!is_pickup_rate("flat_rate:1"));
    }

    fn money() -> MoneyRules {
        MoneyRules {
            decimals: 2,
            prices_include_tax: false,
            round_at_subtotal: false,
        }
    }

    fn facts(displayed_subtotal: Decimal, discount_total: Decimal) -> FreeShippingFacts {
        FreeShippingFacts {
            displayed_subtotal,
            discount_total,
            discount_tax: dec!(2),
            displays_prices_with_tax: true,
            has_free_shipping_coupon: false,
        }
    }

    #[test]
    fn free_shipping_minimum_subtracts_discounts_and_their_tax_when_displayed_with_tax() {
        let free = FreeShippingSettings {
            requires: FreeShippingRequires::MinAmount,
            min_amount: dec!(100),
            ignore_discounts: false,
        };
        assert!(free_shipping_available(
            &free,
            &facts(dec!(110), dec!(8)),
            &money()
        ));
        assert!(!free_shipping_available(
            &free,
            &facts(dec!(110), dec!(8.01)),
            &money()
        ));
        let ignoring = FreeShippingSettings {
            ignore_discounts: true,
            ..free.clone()
        };
        assert!(free_shipping_available(
            &ignoring,
            &facts(dec!(100), dec!(50)),
            &money()
        ));
        let both = FreeShippingSettings {
            requires: FreeShippingRequires::Both,
            ..ignoring
        };
        assert!(!free_shipping_available(
            &both,
            &facts(dec!(100), dec!(0)),
            &money()
        ));
        let mut with_coupon = facts(dec!(100), dec!(0));
        with_coupon.has_free_shipping_coupon = true;
        assert!(free_shipping_available(&both, &with_coupon, &money()));
    }

    #[test]
    fn blank_flat_rate_costs_offer_no_rate_but_zero_is_free() {
        let settings = StoreSettings::default();
        let money = money();
        let context = RatingContext {
            money: &money,
            settings: &settings,
            shipping_classes: &[],
            taxing: ShippingTaxing {
                enabled: false,
                rates: &[],
            },
            free_shipping: facts(dec!(0), dec!(0)),
        };
        let lines: [&CartLine; 0] = [];
        let contents = PackageContents {
            lines: &lines,
            line_totals: &[],
        };
        let flat = |cost: &str| FlatRateSettings {
            tax_status: ShippingTaxStatus::Taxable,
            cost: cost.into(),
            class_costs: Vec::new(),
            no_class_cost: String::new(),
            calculation_type: ClassCalculationType::Class,
            costs_include_tax: None,
        };
        assert_eq!(flat_rate_cost(&flat(""), &contents, &context), None);
        assert_eq!(
            flat_rate_cost(&flat("0"), &contents, &context),
            Some(dec!(0))
        );
        assert_eq!(
            flat_rate_cost(&flat("2 * [qty] + 1"), &contents, &context),
            Some(dec!(1))
        );
    }
}
