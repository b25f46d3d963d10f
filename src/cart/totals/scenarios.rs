//! Whole-cart scenarios for the totals engine: every worked example of totals.md, the
//! peer store's rules with hand-derived figures, and the edge cases of its "easy to get
//! wrong" section. Each test states where its expected numbers come from.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::catalog::model::{
    ClassCalculationType, ClassCost, Coupon, DiscountType, FlatRateSettings, FreeShippingRequires,
    FreeShippingSettings, LocalPickupSettings, LocationType, ShippingClass, ShippingMethod,
    ShippingMethodSettings, ShippingTaxStatus, ShippingZone, StoreSettings, TaxBasedOn, TaxClass,
    TaxDisplay, TaxRate, TaxStatus, Term, UnixTime, ZoneLocation,
};

use super::coupons::tests::{cart_line, coupon};
use super::matching::tests::{default_classes, tax_rate};
use super::{
    Address, AppliedCoupon, CartLine, CouponUsage, Customer, Fee, Totals, TotalsError, TotalsInput,
    TotalsRules, apply_coupon, calculate, validate_coupon_for_cart,
};

/// A store's catalog rules, owned, for building [`TotalsRules`].
struct Store {
    settings: StoreSettings,
    tax_classes: Vec<TaxClass>,
    tax_rates: Vec<TaxRate>,
    zones: Vec<ShippingZone>,
    shipping_classes: Vec<ShippingClass>,
    terms: Vec<Term>,
}

impl Store {
    /// Taxes on, no rates, no shipping: the plain WooCommerce test store (base US:CA).
    fn new() -> Self {
        Self {
            settings: StoreSettings {
                calc_taxes: true,
                ..StoreSettings::default()
            },
            tax_classes: default_classes(),
            tax_rates: Vec::new(),
            zones: Vec::new(),
            shipping_classes: Vec::new(),
            terms: Vec::new(),
        }
    }

    /// The peer store: 10 % standard US tax (also on shipping), 5 % reduced rate, one US
    /// zone with flat rate 10 and free shipping from 100, prices excluding tax, per-line
    /// rounding, base US:CA.
    fn peer() -> Self {
        let mut store = Store::new();
        let mut us_tax = tax_rate(1, "US", dec!(10.0000), "standard");
        us_tax.name = "US Tax".into();
        let mut us_reduced = tax_rate(2, "US", dec!(5.0000), "reduced-rate");
        us_reduced.name = "US Reduced".into();
        us_reduced.shipping = false;
        store.tax_rates = vec![us_tax, us_reduced];
        store.zones = vec![
            zone(0, 0, vec![], vec![]),
            zone(
                1,
                0,
                vec![location("US", LocationType::Country)],
                vec![
                    method(1, 1, "Flat rate", flat_rate("10")),
                    method(
                        2,
                        2,
                        "Free shipping",
                        ShippingMethodSettings::FreeShipping(FreeShippingSettings {
                            requires: FreeShippingRequires::MinAmount,
                            min_amount: dec!(100),
                            ignore_discounts: false,
                        }),
                    ),
                ],
            ),
        ];
        store
    }

    fn rules(&self) -> TotalsRules<'_> {
        TotalsRules {
            settings: &self.settings,
            tax_classes: &self.tax_classes,
            tax_rates: &self.tax_rates,
            shipping_zones: &self.zones,
            shipping_classes: &self.shipping_classes,
            terms: &self.terms,
            adjust_non_base_location_prices: true,
        }
    }

    fn calculate(&self, input: &TotalsInput) -> Totals {
        calculate(input, &self.rules()).unwrap()
    }

    /// Puts every address (base included) in one country without state, for stores whose
    /// rates are keyed by country only.
    fn based_in(mut self, country: &str) -> Self {
        self.settings.base_country = country.into();
        self.settings.base_state = String::new();
        self
    }

    fn prices_include_tax(mut self) -> Self {
        self.settings.prices_include_tax = true;
        self
    }

    fn rate(mut self, rate: TaxRate) -> Self {
        self.tax_rates.push(rate);
        self
    }

    /// One zone covering every country with the given methods.
    fn ships_with(mut self, methods: Vec<ShippingMethod>) -> Self {
        self.zones = vec![zone(1, 0, vec![], methods)];
        self
    }
}

fn zone(
    id: u64,
    order: i64,
    locations: Vec<ZoneLocation>,
    methods: Vec<ShippingMethod>,
) -> ShippingZone {
    ShippingZone {
        id,
        name: format!("Zone {id}"),
        order,
        locations,
        methods,
    }
}

fn location(code: &str, location_type: LocationType) -> ZoneLocation {
    ZoneLocation {
        code: code.into(),
        location_type,
    }
}

fn method(
    instance_id: u64,
    order: i64,
    title: &str,
    settings: ShippingMethodSettings,
) -> ShippingMethod {
    ShippingMethod {
        instance_id,
        title: title.into(),
        enabled: true,
        order,
        settings,
    }
}

fn flat_rate_settings(cost: &str) -> FlatRateSettings {
    FlatRateSettings {
        tax_status: ShippingTaxStatus::Taxable,
        cost: cost.into(),
        class_costs: Vec::new(),
        no_class_cost: String::new(),
        calculation_type: ClassCalculationType::Class,
        costs_include_tax: Some(false),
    }
}

fn flat_rate(cost: &str) -> ShippingMethodSettings {
    ShippingMethodSettings::FlatRate(flat_rate_settings(cost))
}

fn untaxed_flat_rate(cost: &str) -> ShippingMethodSettings {
    ShippingMethodSettings::FlatRate(FlatRateSettings {
        tax_status: ShippingTaxStatus::None,
        ..flat_rate_settings(cost)
    })
}

fn address(country: &str, state: &str) -> Address {
    Address {
        country: country.into(),
        state: state.into(),
        postcode: String::new(),
        city: String::new(),
    }
}

/// A cart in California (the peer store's recordings use US:CA).
fn cart(lines: Vec<CartLine>) -> TotalsInput {
    cart_in(lines, address("US", "CA"))
}

fn cart_in(lines: Vec<CartLine>, at: Address) -> TotalsInput {
    TotalsInput {
        lines,
        customer: Customer {
            billing: at.clone(),
            shipping: at,
            ..Customer::default()
        },
        coupons: Vec::new(),
        fees: Vec::new(),
        chosen_shipping: Vec::new(),
        now: UnixTime(1_795_315_706),
    }
}

fn with_coupons(mut input: TotalsInput, coupons: &[Coupon]) -> TotalsInput {
    input.coupons = coupons
        .iter()
        .map(|coupon| AppliedCoupon {
            code: coupon.code.clone(),
            coupon: Some(coupon.clone()),
            usage: CouponUsage::default(),
        })
        .collect();
    input
}

fn line(product_id: u64, unit_price: Decimal, quantity: Decimal) -> CartLine {
    cart_line(product_id, unit_price, quantity)
}

fn peer20() -> Coupon {
    coupon(26, "peer20", DiscountType::Percent, dec!(20.00))
}

fn peer5off() -> Coupon {
    coupon(27, "peer5off", DiscountType::FixedCart, dec!(5.00))
}

fn tshirts(quantity: Decimal) -> CartLine {
    let mut tee = line(10, dec!(20.00), quantity);
    tee.name = "Basic T-Shirt".into();
    tee
}

fn cap() -> CartLine {
    let mut cap = line(12, dec!(15.00), dec!(1));
    cap.name = "Baseball Cap".into();
    cap
}

fn paperback() -> CartLine {
    let mut book = line(19, dec!(18.00), dec!(1));
    book.tax_class = "reduced-rate".into();
    book
}

// ----- Peer store -------------------------------------------------------------------------

#[test]
fn peer_store_recording_43_two_tshirts_and_a_cap() {
    // Recording 43-cart-calculate: subtotal 5500, subtotal_tax 550, shipping 1000 + 100 tax,
    // total 7150, total_tax 650, taxes {"US-US TAX-1": 650}.
    let store = Store::peer();
    let totals = store.calculate(&cart(vec![tshirts(dec!(2)), cap()]));
    assert_eq!(totals.subtotal, dec!(55));
    assert_eq!(totals.subtotal_tax, dec!(5.5));
    assert_eq!(totals.cart_contents_total, dec!(55));
    assert_eq!(totals.shipping_total, dec!(10));
    assert_eq!(totals.shipping_tax, dec!(1));
    assert_eq!(totals.discount_total, dec!(0));
    assert_eq!(totals.fee_total, dec!(0));
    assert_eq!(totals.total, dec!(71.50));
    assert_eq!(totals.total_tax, dec!(6.50));
    assert_eq!(totals.lines[0].subtotal_tax, dec!(4));
    assert_eq!(totals.lines[1].tax, dec!(1.5));
    assert_eq!(totals.tax_totals.len(), 1);
    assert_eq!(totals.tax_totals[0].code, "US-US TAX-1");
    assert_eq!(totals.tax_totals[0].label, "US Tax");
    assert_eq!(totals.tax_totals[0].amount, dec!(6.50));
    let package = &totals.packages[0];
    assert_eq!(package.chosen.as_deref(), Some("flat_rate:1"));
    assert_eq!(package.rates.len(), 1, "55 < 100: no free shipping");
    let rate = &package.rates[0];
    assert_eq!(
        (rate.method_id.as_str(), rate.instance_id),
        ("flat_rate", 1)
    );
    assert_eq!(rate.label, "Flat rate");
    assert_eq!(rate.cost, dec!(10));
    assert_eq!(rate.taxes.get(1), dec!(1));
    assert_eq!(
        totals.merged_taxes().iter().collect::<Vec<_>>(),
        vec![(1, dec!(6.5))]
    );
    assert_eq!(totals.tax_total(), dec!(5.5));
    assert_eq!(totals.total_ex_tax(), dec!(65));
}

#[test]
fn peer_store_peer20_takes_twenty_percent_per_line() {
    // 20 % of 4000 = 800 and of 1500 = 300; line totals 3200 + 1200 taxed 320 + 120;
    // shipping 1000 + 100 → 4400 + 440 + 1100 = 59.40; discount tax 110.
    let store = Store::peer();
    let totals = store.calculate(&with_coupons(
        cart(vec![tshirts(dec!(2)), cap()]),
        &[peer20()],
    ));
    assert_eq!(totals.discount_total, dec!(11));
    assert_eq!(totals.discount_tax, dec!(1.1));
    assert_eq!(totals.coupons[0].code, "peer20");
    assert_eq!(totals.coupons[0].discount_amount, dec!(11.00));
    assert_eq!(totals.coupons[0].discount_amount_with_tax, dec!(12.10));
    assert_eq!(totals.lines[0].total, dec!(32));
    assert_eq!(totals.lines[1].total, dec!(12));
    assert_eq!(totals.total, dec!(59.40));
    assert_eq!(totals.total_tax, dec!(5.40));
}

#[test]
fn peer_store_peer5off_spreads_five_over_three_units() {
    // floor(500 / 3) = 166 per unit: 332 + 166 = 498; 2 cents left go one per unit to the
    // T-shirt line (it sorts first): 334 + 166. Line totals 3666 + 1334, taxes 366.6 → 367
    // and 133.4 → 133. Total 5000 + 500 + 1000 + 100 = 66.00; discount tax 33.4 + 16.6 = 0.50.
    let store = Store::peer();
    let totals = store.calculate(&with_coupons(
        cart(vec![tshirts(dec!(2)), cap()]),
        &[peer5off()],
    ));
    assert_eq!(totals.lines[0].total, dec!(36.66));
    assert_eq!(totals.lines[1].total, dec!(13.34));
    assert_eq!(totals.lines[0].tax, dec!(3.67));
    assert_eq!(totals.lines[1].tax, dec!(1.33));
    assert_eq!(totals.discount_total, dec!(5));
    assert_eq!(totals.discount_tax, dec!(0.5));
    assert_eq!(totals.total, dec!(66.00));
    assert_eq!(totals.total_tax, dec!(6.00));
}

#[test]
fn peer_store_both_coupons_apply_percent_first() {
    // peer20 (percent, sort 2) before peer5off (fixed cart, sort 3) whatever the applied order.
    // After 800 + 300, five dollars on 3200 and 1200: 334 + 166. Lines 2866 + 1034, taxes
    // 286.6 → 287 and 103.4 → 103. Total 3900 + 390 + 1100 = 53.90.
    let store = Store::peer();
    let input = with_coupons(cart(vec![tshirts(dec!(2)), cap()]), &[peer5off(), peer20()]);
    let totals = store.calculate(&input);
    let codes: Vec<&str> = totals.coupons.iter().map(|c| c.code.as_str()).collect();
    assert_eq!(codes, vec!["peer20", "peer5off"]);
    assert_eq!(totals.coupons[1].discount, dec!(5));
    assert_eq!(totals.lines[0].total, dec!(28.66));
    assert_eq!(totals.lines[1].total, dec!(10.34));
    assert_eq!(totals.total, dec!(53.90));
    assert_eq!(totals.total_tax, dec!(4.90));
}

#[test]
fn peer_store_reduced_rate_alone_leaves_shipping_untaxed() {
    // Shipping tax class "inherit": the only class in the cart is reduced-rate, whose 5 %
    // rate does not apply to shipping, so shipping has no tax: 18 + 0.90 + 10 = 28.90.
    let store = Store::peer();
    let totals = store.calculate(&cart(vec![paperback()]));
    assert_eq!(totals.cart_contents_tax, dec!(0.9));
    assert_eq!(totals.shipping_tax, dec!(0));
    assert_eq!(totals.total, dec!(28.90));
    assert_eq!(totals.tax_totals.len(), 1);
    assert_eq!(totals.tax_totals[0].code, "US-US REDUCED-1");
    assert_eq!(totals.tax_totals[0].amount, dec!(0.90));
}

#[test]
fn peer_store_mixed_classes_tax_shipping_at_the_standard_rate() {
    // Standard class present → shipping taxed 10 %: 20 + 2 + 18 + 0.90 + 10 + 1 = 51.90.
    let store = Store::peer();
    let totals = store.calculate(&cart(vec![tshirts(dec!(1)), paperback()]));
    assert_eq!(totals.shipping_tax, dec!(1));
    assert_eq!(totals.total, dec!(51.90));
    assert_eq!(totals.total_tax, dec!(3.90));
    let codes: Vec<(&str, Decimal)> = totals
        .tax_totals
        .iter()
        .map(|t| (t.code.as_str(), t.amount))
        .collect();
    assert_eq!(
        codes,
        vec![("US-US TAX-1", dec!(3.00)), ("US-US REDUCED-1", dec!(0.90))]
    );
}

#[test]
fn peer_store_free_shipping_from_one_hundred() {
    // Five T-shirts: subtotal 100 ≥ 100 → free shipping is offered after the flat rate.
    let store = Store::peer();
    let mut input = cart(vec![tshirts(dec!(5))]);
    let totals = store.calculate(&input);
    let ids: Vec<&str> = totals.packages[0]
        .rates
        .iter()
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(ids, vec!["flat_rate:1", "free_shipping:2"]);
    assert_eq!(totals.total, dec!(121.00));
    input.chosen_shipping = vec!["free_shipping:2".into()];
    let totals = store.calculate(&input);
    assert_eq!(
        totals.packages[0].chosen.as_deref(),
        Some("free_shipping:2")
    );
    assert_eq!(totals.shipping_total, dec!(0));
    assert_eq!(totals.shipping_tax, dec!(0));
    assert_eq!(totals.total, dec!(110.00));
}

#[test]
fn peer_store_free_shipping_minimum_counts_discounts() {
    // 100 − peer20's 20 = 80 < 100: only the flat rate, and a stale free-shipping choice
    // falls back to it. 80 + 8 + 10 + 1 = 99.
    let store = Store::peer();
    let mut input = with_coupons(cart(vec![tshirts(dec!(5))]), &[peer20()]);
    input.chosen_shipping = vec!["free_shipping:2".into()];
    let totals = store.calculate(&input);
    assert_eq!(totals.packages[0].rates.len(), 1);
    assert_eq!(totals.packages[0].chosen.as_deref(), Some("flat_rate:1"));
    assert_eq!(totals.total, dec!(99.00));
}

#[test]
fn peer_store_virtual_untaxed_items_need_no_shipping() {
    // E-Book: virtual, tax status none: 12.00, no shipping, no tax.
    let store = Store::peer();
    let mut ebook = line(15, dec!(12.00), dec!(1));
    ebook.needs_shipping = false;
    ebook.tax_status = TaxStatus::None;
    let totals = store.calculate(&cart(vec![ebook]));
    assert!(!totals.needs_shipping);
    assert!(totals.packages.is_empty());
    assert_eq!(totals.total, dec!(12.00));
    assert_eq!(totals.total_tax, dec!(0));
    assert!(totals.tax_totals.is_empty());
}

#[test]
fn peer_store_outside_the_us_falls_to_the_rest_of_the_world() {
    // A French customer: no rates (US only) and zone 0 has no methods → no shipping rates.
    let store = Store::peer();
    let totals = store.calculate(&cart_in(vec![tshirts(dec!(1))], address("FR", "")));
    assert_eq!(totals.packages[0].zone_id, Some(0));
    assert!(totals.packages[0].rates.is_empty());
    assert_eq!(totals.total, dec!(20.00));
}

// ----- Worked examples of totals.md ------------------------------------------------------

#[test]
fn example_23340_gross_six_at_five_percent() {
    // §4.1: tax 600 − 600/1.05 = 28.5714; subtotal 571.4286 → 5.71; total 6.00.
    let store = Store::new()
        .prices_include_tax()
        .rate(tax_rate(1, "US", dec!(5), ""));
    let totals = store.calculate(&cart(vec![line(1, dec!(6.00), dec!(1))]));
    assert_eq!(totals.lines[0].subtotal, dec!(5.71428571));
    assert_eq!(totals.subtotal, dec!(5.71));
    assert_eq!(totals.subtotal_tax, dec!(0.29));
    assert_eq!(totals.total, dec!(6.00));
    assert_eq!(totals.total_tax, dec!(0.29));
}

#[test]
fn example_10573_percent_coupon_on_a_gross_price() {
    // §4.3: 29.95 gross, 10 %, 10 % coupon: discount floor(299.5) = 299; 2696 gross →
    // tax 245.0909 → line_total 24.509…; total 26.96.
    let store = Store::new()
        .prices_include_tax()
        .rate(tax_rate(1, "US", dec!(10), ""));
    let ten = coupon(1, "ten", DiscountType::Percent, dec!(10));
    let totals = store.calculate(&with_coupons(
        cart(vec![line(1, dec!(29.95), dec!(1))]),
        &[ten],
    ));
    assert_eq!(totals.lines[0].total, dec!(24.50909091));
    assert_eq!(totals.lines[0].tax, dec!(2.45));
    assert_eq!(totals.total, dec!(26.96));
}

#[test]
fn example_10963_fixed_cart_remainder_cent() {
    // §4.2: 1.00 off 3 × 10.00 → 99 + 1 cent → discount 1.00, total 29.00.
    let store = Store::new();
    let one = coupon(1, "one", DiscountType::FixedCart, dec!(1));
    let totals = store.calculate(&with_coupons(
        cart(vec![line(1, dec!(10), dec!(3))]),
        &[one],
    ));
    assert_eq!(totals.discount_total, dec!(1));
    assert_eq!(totals.total, dec!(29.00));
}

#[test]
fn example_sequential_percent_coupons() {
    // §4.2 provider case: 1.80 × 10 + 13.95 × 3, 10 % then 20 %, sequential: 598 + 1077 =
    // 16.75 discount; 59.85 − 16.75 = 43.10.
    let mut store = Store::new();
    store.settings.calc_discounts_sequentially = true;
    let input = with_coupons(
        cart(vec![
            line(1, dec!(1.80), dec!(10)),
            line(2, dec!(13.95), dec!(3)),
        ]),
        &[
            coupon(1, "ten", DiscountType::Percent, dec!(10)),
            coupon(2, "twenty", DiscountType::Percent, dec!(20)),
        ],
    );
    let totals = store.calculate(&input);
    assert_eq!(totals.discount_total, dec!(16.75));
    assert_eq!(totals.total, dec!(43.10));
}

#[test]
fn example_26654_shipping_tax_rounding() {
    // §4.4: 75.10 shipping at 25 % → 18.775; ras = yes keeps 18.775, ras = no rounds 18.78.
    let mut store = Store::new()
        .rate(tax_rate(1, "US", dec!(25), ""))
        .ships_with(vec![method(1, 1, "Flat rate", flat_rate("75.10"))]);
    let input = cart(vec![line(1, dec!(10), dec!(1))]);
    let totals = store.calculate(&input);
    assert_eq!(totals.packages[0].rates[0].taxes.get(1), dec!(18.775));
    assert_eq!(totals.shipping_tax, dec!(18.78));
    store.settings.tax_round_at_subtotal = true;
    let totals = store.calculate(&input);
    assert_eq!(totals.shipping_tax, dec!(18.775));
    // 10 + 2.5 + 75.10 + 18.775 = 106.375 → 106.38.
    assert_eq!(totals.total, dec!(106.38));
}

#[test]
fn example_negative_fee_with_tax() {
    // §4.5: item 15.00 at 10 %, fee −10 taxable: item tax 1.50, fee tax −1.00 → 5.50;
    // a tax-exempt customer pays 5.00.
    let store = Store::new().rate(tax_rate(1, "US", dec!(10), ""));
    let mut input = cart(vec![line(1, dec!(15), dec!(1))]);
    input.fees = vec![Fee {
        name: "Discount".into(),
        amount: dec!(-10),
        taxable: true,
        tax_class: String::new(),
    }];
    let totals = store.calculate(&input);
    assert_eq!(totals.fee_total, dec!(-10));
    assert_eq!(totals.fee_tax, dec!(-1));
    assert_eq!(totals.total, dec!(5.50));
    input.customer.is_vat_exempt = true;
    let totals = store.calculate(&input);
    assert_eq!(totals.fee_tax, dec!(0));
    assert_eq!(totals.total, dec!(5.00));
}

#[test]
fn example_total_with_discount_and_taxes() {
    // §4.6: pit, ras, 20 %, gross 8.99, fixed cart 5.00, untaxed shipping 9.59:
    // discount_total 4.1666…, discount_tax 0.8333…, total 13.58, total_tax 0.66.
    let mut store = Store::new()
        .based_in("GB")
        .prices_include_tax()
        .rate(tax_rate(1, "GB", dec!(20), ""))
        .ships_with(vec![method(1, 1, "Flat rate", untaxed_flat_rate("9.59"))]);
    store.settings.tax_round_at_subtotal = true;
    let five = coupon(1, "five", DiscountType::FixedCart, dec!(5));
    let input = with_coupons(
        cart_in(vec![line(1, dec!(8.99), dec!(1))], address("GB", "")),
        &[five],
    );
    let totals = store.calculate(&input);
    assert_eq!(totals.subtotal_tax, dec!(1.49833333));
    assert_eq!(totals.subtotal, dec!(7.49166667));
    assert_eq!(totals.discount_total, dec!(4.16666667));
    assert_eq!(totals.discount_tax, dec!(0.83333333));
    assert_eq!(totals.lines[0].total, dec!(3.325));
    assert_eq!(totals.lines[0].tax, dec!(0.665));
    assert_eq!(totals.shipping_total, dec!(9.59));
    assert_eq!(totals.total, dec!(13.58));
    assert_eq!(totals.total_tax, dec!(0.66));
}

#[test]
fn example_percent_coupon_with_shipping_and_fee() {
    // §8: 10.00 item, 5 % coupon, flat rate 10, untaxed fee 10 → 29.50.
    let store = Store::new().ships_with(vec![method(1, 1, "Flat rate", flat_rate("10"))]);
    let mut input = with_coupons(
        cart(vec![line(1, dec!(10), dec!(1))]),
        &[coupon(1, "five", DiscountType::Percent, dec!(5))],
    );
    input.fees = vec![Fee {
        name: "Handling".into(),
        amount: dec!(10),
        taxable: false,
        tax_class: String::new(),
    }];
    let totals = store.calculate(&input);
    assert_eq!(totals.fees[0].id, "handling");
    assert_eq!(totals.total, dec!(29.50));
}

#[test]
fn example_twenty_and_hundred_percent_leave_only_shipping() {
    // §8: 20 % and 100 % on 18 × 4 with flat rate 10 → total 10.00.
    let store = Store::new().ships_with(vec![method(1, 1, "Flat rate", flat_rate("10"))]);
    let input = with_coupons(
        cart(vec![line(1, dec!(18), dec!(4))]),
        &[
            coupon(1, "twenty", DiscountType::Percent, dec!(20)),
            coupon(2, "all", DiscountType::Percent, dec!(100)),
        ],
    );
    let totals = store.calculate(&input);
    assert_eq!(totals.cart_contents_total, dec!(0));
    assert_eq!(totals.total, dec!(10.00));
}

#[test]
fn example_round_at_subtotal_with_zero_decimals() {
    // §4.6: 301.90909 gross at 23 %, dp 0, ras: subtotal 245, tax 56, total 302.
    let mut store = Store::new()
        .prices_include_tax()
        .rate(tax_rate(1, "US", dec!(23), ""));
    store.settings.price_decimals = 0;
    store.settings.tax_round_at_subtotal = true;
    let totals = store.calculate(&cart(vec![line(1, dec!(301.90909), dec!(1))]));
    assert_eq!(store.settings.price_decimals, 0);
    assert_eq!(
        crate::cart::totals::money::round_half_up(totals.subtotal, 0),
        dec!(245)
    );
    assert_eq!(totals.total_tax, dec!(56));
    assert_eq!(totals.total, dec!(302));
}

#[test]
fn example_gross_price_rebased_for_other_locations() {
    // §4.1: gross 9.99 in a GB 20 % store. A US customer taxed 20 % (another rate) pays
    // 9.99; a customer without rates pays the net 8.325 (8.33); one taxed 25 % pays
    // 8.325 + 2.08125 = 10.40625 → 833 + 208 = 10.41.
    let store = Store::new()
        .based_in("GB")
        .prices_include_tax()
        .rate(tax_rate(1, "GB", dec!(20), ""))
        .rate(tax_rate(2, "US", dec!(20), ""))
        .rate(tax_rate(3, "SE", dec!(25), ""));
    let mug = || line(13, dec!(9.99), dec!(1));
    let us = store.calculate(&cart_in(vec![mug()], address("US", "")));
    assert_eq!(us.total, dec!(9.99));
    assert_eq!(us.total_tax, dec!(1.66));
    let untaxed = store.calculate(&cart_in(vec![mug()], address("CH", "")));
    assert_eq!(untaxed.lines[0].subtotal, dec!(8.325));
    assert_eq!(untaxed.total, dec!(8.33));
    let sweden = store.calculate(&cart_in(vec![mug()], address("SE", "")));
    assert_eq!(sweden.total, dec!(10.41));
}

#[test]
fn example_no_base_rates_keeps_the_gross_price() {
    // §4.1 (newer WC): DE customer, DE-only 10 % rate, US store, gross 120 → subtotal
    // 109.09, tax 10.91, total 120.00.
    let store = Store::new()
        .prices_include_tax()
        .rate(tax_rate(1, "DE", dec!(10), ""));
    let totals = store.calculate(&cart_in(
        vec![line(1, dec!(120), dec!(1))],
        address("DE", ""),
    ));
    assert_eq!(totals.subtotal, dec!(109.09));
    assert_eq!(totals.subtotal_tax, dec!(10.91));
    assert_eq!(totals.total, dec!(120.00));
}

#[test]
fn example_compound_rate() {
    // §6.3: 100 with GST 5 % and compound PST 8.5 %: 5.00 + 8.925 → 5.00 + 8.93 → 113.93.
    let mut pst = tax_rate(2, "CA", dec!(8.5), "");
    pst.priority = 2;
    pst.compound = true;
    let store = Store::new()
        .based_in("CA")
        .rate(tax_rate(1, "CA", dec!(5), ""))
        .rate(pst);
    let totals = store.calculate(&cart_in(
        vec![line(1, dec!(100), dec!(1))],
        address("CA", ""),
    ));
    assert_eq!(totals.lines[0].taxes.get(1), dec!(5));
    assert_eq!(totals.lines[0].taxes.get(2), dec!(8.925));
    assert_eq!(totals.total, dec!(113.93));
    assert!(totals.tax_totals[1].compound);
}

#[test]
fn example_four_priorities_all_apply() {
    // §6.3: 79.00 with 0.25 %, 6 %, 1.5 %, 1 % → 0.20 + 4.74 + 1.19 + 0.79 → 85.92.
    let mut store = Store::new();
    for (id, percent) in [(1, dec!(0.25)), (2, dec!(6)), (3, dec!(1.5)), (4, dec!(1))] {
        let mut rate = tax_rate(id, "US", percent, "");
        rate.priority = id as u32;
        store = store.rate(rate);
    }
    let totals = store.calculate(&cart(vec![line(1, dec!(79), dec!(1))]));
    let taxes: Vec<Decimal> = totals.cart_contents_taxes.iter().map(|(_, t)| t).collect();
    assert_eq!(taxes, vec![dec!(0.2), dec!(4.74), dec!(1.19), dec!(0.79)]);
    assert_eq!(totals.total, dec!(85.92));
}

#[test]
fn example_two_rates_on_a_gross_price() {
    // §6.3: two 24 % rates at priorities 1 and 2 on a gross 599: both apply and share the
    // tax, 0.24 / 1.48 × 59900 = 9713.513514 each; with rounding at subtotal the total stays
    // 599. Rounding per line instead gives 40473 net + 2 × 9714 tax = 599.01, by the same
    // rules (the spec does not say which setting its 599 comes from).
    let mut second = tax_rate(2, "US", dec!(24), "");
    second.priority = 2;
    let mut store = Store::new()
        .prices_include_tax()
        .rate(tax_rate(1, "US", dec!(24), ""))
        .rate(second);
    let input = cart(vec![line(1, dec!(599), dec!(1))]);
    let totals = store.calculate(&input);
    assert_eq!(totals.cart_contents_taxes.get(1), dec!(97.14));
    assert_eq!(totals.cart_contents_taxes.get(2), dec!(97.14));
    assert_eq!(totals.total, dec!(599.01));
    store.settings.tax_round_at_subtotal = true;
    assert_eq!(store.calculate(&input).total, dec!(599.00));
}

#[test]
fn example_shipping_cost_entered_with_tax() {
    // §9.4: 5.70 at 24 % entered with tax → cost 4.596774, tax 1.103226; shipping total +
    // tax = 5.70 (4.596774 → 459.6774 minor, tax 110.3226 → 110).
    let mut settings = flat_rate_settings("5.70");
    settings.costs_include_tax = Some(true);
    let store = Store::new()
        .rate(tax_rate(1, "US", dec!(24), ""))
        .ships_with(vec![method(
            1,
            1,
            "Flat rate",
            ShippingMethodSettings::FlatRate(settings),
        )]);
    let mut item = line(1, dec!(10), dec!(1));
    item.tax_status = TaxStatus::Shipping;
    let totals = store.calculate(&cart(vec![item]));
    let rate = &totals.packages[0].rates[0];
    assert_eq!(rate.cost, dec!(4.596774));
    assert_eq!(rate.taxes.get(1), dec!(1.103226));
    // Items untaxed (status "shipping"): 10 + 4.596774 + 1.10 = 15.696774 → 15.70.
    assert_eq!(totals.total, dec!(15.70));
}

#[test]
fn example_flat_rate_class_costs() {
    // §9.5: cost 1 + class 7 → 8; classes 4 and 8: per class 13, per order 9.
    let classes = vec![
        ShippingClass {
            id: 40,
            name: "Small".into(),
            slug: "small".into(),
            description: String::new(),
            count: 0,
        },
        ShippingClass {
            id: 80,
            name: "Big".into(),
            slug: "big".into(),
            description: String::new(),
            count: 0,
        },
    ];
    let with_costs = |calculation_type| {
        let mut settings = flat_rate_settings("1");
        settings.class_costs = vec![
            ClassCost {
                class_id: 40,
                cost: "4".into(),
            },
            ClassCost {
                class_id: 80,
                cost: "8".into(),
            },
        ];
        settings.calculation_type = calculation_type;
        let mut store = Store::new().ships_with(vec![method(
            1,
            1,
            "Flat rate",
            ShippingMethodSettings::FlatRate(settings),
        )]);
        store.shipping_classes = classes.clone();
        store
    };
    let mut small = line(1, dec!(5), dec!(1));
    small.shipping_class_id = 40;
    let mut big = line(2, dec!(5), dec!(1));
    big.shipping_class_id = 80;
    let per_class = with_costs(ClassCalculationType::Class);
    let totals = per_class.calculate(&cart(vec![small.clone(), big.clone()]));
    assert_eq!(totals.shipping_total, dec!(13));
    let per_order = with_costs(ClassCalculationType::Order);
    let totals = per_order.calculate(&cart(vec![small.clone(), big]));
    assert_eq!(totals.shipping_total, dec!(9));
    let mut seven = flat_rate_settings("1");
    seven.class_costs = vec![ClassCost {
        class_id: 40,
        cost: "7".into(),
    }];
    let mut store = Store::new().ships_with(vec![method(
        1,
        1,
        "Flat rate",
        ShippingMethodSettings::FlatRate(seven),
    )]);
    store.shipping_classes = classes;
    assert_eq!(store.calculate(&cart(vec![small])).shipping_total, dec!(8));
}

// ----- Edge cases --------------------------------------------------------------------------

#[test]
fn empty_cart_has_zero_totals() {
    let totals = Store::peer().calculate(&cart(Vec::new()));
    assert_eq!(totals, Totals::default());
}

#[test]
fn inclusive_tax_lines_round_half_down() {
    // pit: 18.775 of tax per line (75.10 at 25 % gross 93.875) rounds down to 18.77 …
    // here one line gross 10.25 at 5 %: tax 48.809524 → 49; no tie. A tie: gross 1.05 × 10
    // at 5 %: 1050 → tax 50, ties need 82.5: gross 17.325 at 5 % → tax 82.5 → 82 (half down).
    let store = Store::new()
        .prices_include_tax()
        .rate(tax_rate(1, "US", dec!(5), ""));
    let totals = store.calculate(&cart(vec![line(1, dec!(17.325), dec!(1))]));
    assert_eq!(totals.lines[0].taxes.get(1), dec!(0.825));
    assert_eq!(totals.cart_contents_tax, dec!(0.82));
    // Exclusive store: 16.50 at 5 % = 82.5 → 83 (half up).
    let store = Store::new().rate(tax_rate(1, "US", dec!(5), ""));
    let totals = store.calculate(&cart(vec![line(1, dec!(16.50), dec!(1))]));
    assert_eq!(totals.cart_contents_tax, dec!(0.83));
}

#[test]
fn vat_exempt_customer_gets_base_tax_removed_from_gross_prices() {
    // pit, base US 20 %: gross 12.00 → 1200 − 200 = 1000 → 10.00, no tax.
    let store = Store::new()
        .prices_include_tax()
        .rate(tax_rate(1, "US", dec!(20), ""));
    let mut input = cart(vec![line(1, dec!(12), dec!(1))]);
    input.customer.is_vat_exempt = true;
    let totals = store.calculate(&input);
    assert_eq!(totals.subtotal, dec!(10));
    assert_eq!(totals.total_tax, dec!(0));
    assert_eq!(totals.total, dec!(10.00));
}

#[test]
fn taxes_off_ignores_rates() {
    let mut store = Store::peer();
    store.settings.calc_taxes = false;
    let totals = store.calculate(&cart(vec![tshirts(dec!(2)), cap()]));
    assert_eq!(totals.total_tax, dec!(0));
    assert_eq!(totals.total, dec!(65.00));
}

#[test]
fn fractional_quantities() {
    // 2.5 × 3.33 = 8.325 → 832.5 minor → line round 833; tax 10 %: 83.25 → 83 → 9.16.
    let store = Store::new().rate(tax_rate(1, "US", dec!(10), ""));
    let totals = store.calculate(&cart(vec![line(1, dec!(3.33), dec!(2.5))]));
    assert_eq!(totals.subtotal, dec!(8.33));
    assert_eq!(totals.cart_contents_tax, dec!(0.83));
    assert_eq!(totals.total, dec!(9.16));
}

#[test]
fn invalid_coupons_are_skipped_and_reported() {
    let store = Store::peer();
    let mut expired = peer5off();
    expired.date_expires = Some(UnixTime(1));
    let mut input = with_coupons(cart(vec![tshirts(dec!(2)), cap()]), &[expired]);
    input.coupons.push(AppliedCoupon {
        code: "ghost".into(),
        coupon: None,
        usage: CouponUsage::default(),
    });
    let totals = store.calculate(&input);
    assert!(totals.coupons.is_empty());
    let codes: Vec<(&str, u16)> = totals
        .invalid_coupons
        .iter()
        .map(|(code, e)| (code.as_str(), e.code))
        .collect();
    assert_eq!(codes, vec![("peer5off", 107), ("ghost", 105)]);
    assert_eq!(totals.total, dec!(71.50));
}

#[test]
fn coupons_disabled_discount_nothing() {
    let mut store = Store::peer();
    store.settings.enable_coupons = false;
    let totals = store.calculate(&with_coupons(cart(vec![tshirts(dec!(2))]), &[peer20()]));
    assert_eq!(totals.discount_total, dec!(0));
}

#[test]
fn custom_coupon_types_discount_nothing() {
    let store = Store::peer();
    let custom = coupon(
        9,
        "custom",
        DiscountType::Other("sign_up_fee".into()),
        dec!(5),
    );
    let totals = store.calculate(&with_coupons(cart(vec![tshirts(dec!(1))]), &[custom]));
    assert_eq!(totals.coupons[0].discount, dec!(0));
    assert_eq!(totals.total, dec!(33.00));
}

#[test]
fn minimum_spend_uses_the_displayed_subtotal() {
    // 55 excl. tax but 60.50 displayed incl. tax: a 60 minimum passes only when the cart
    // displays prices with tax.
    let mut store = Store::peer();
    let mut big = peer5off();
    big.minimum_amount = dec!(60);
    let input = with_coupons(cart(vec![tshirts(dec!(2)), cap()]), &[big.clone()]);
    let error = validate_coupon_for_cart(&input, &store.rules(), &input.coupons[0]).unwrap_err();
    assert_eq!(error.code, 108);
    assert_eq!(
        error.message,
        "The minimum spend for coupon \"peer5off\" is $60.00."
    );
    store.settings.tax_display_cart = TaxDisplay::Incl;
    assert_eq!(
        validate_coupon_for_cart(&input, &store.rules(), &input.coupons[0]),
        Ok(())
    );
    assert_eq!(store.calculate(&input).discount_total, dec!(5));
}

#[test]
fn positive_fees_come_before_negative_ones_and_taxable_fees_use_their_class() {
    // Fees 5 (reduced 5 % → 0.25) and −3 (spread over classes): processing order 5, −3.
    // Costs: item 20 standard, fee 5 reduced → −3 × 20/25 = −2.40 at 10 % = −0.24 and
    // −3 × 5/25 = −0.60 at 5 % = −0.03. Fee tax 0.25 − 0.27 = −0.02.
    let store = Store::peer();
    let mut input = cart(vec![tshirts(dec!(1))]);
    input.fees = vec![
        Fee {
            name: "Coupon-ish".into(),
            amount: dec!(-3),
            taxable: false,
            tax_class: String::new(),
        },
        Fee {
            name: "Gift wrap".into(),
            amount: dec!(5),
            taxable: true,
            tax_class: "reduced-rate".into(),
        },
        Fee {
            name: "gift wrap".into(),
            amount: dec!(99),
            taxable: false,
            tax_class: String::new(),
        },
    ];
    let totals = store.calculate(&input);
    let names: Vec<&str> = totals.fees.iter().map(|f| f.id.as_str()).collect();
    assert_eq!(names, vec!["gift-wrap", "coupon-ish"]);
    assert_eq!(totals.fees[0].tax, dec!(0.25));
    // Shipping 10 (standard via inherit) joins the costs: 20 + 10 standard, 5 reduced → 35.
    // −300 × 30/35 = −257.142857 at 10 % = −25.714286 → −26; −300 × 5/35 at 5 % = −2.142857 → −2.
    assert_eq!(totals.fees[1].tax, dec!(-0.28));
    assert_eq!(totals.fee_total, dec!(2));
    // 20 + 2 + 10 + 1 + 5 + 0.25 − 3 − 0.28 = 34.97.
    assert_eq!(totals.total, dec!(34.97));
}

#[test]
fn negative_fees_cannot_push_the_total_below_zero() {
    let store = Store::new();
    let mut input = cart(vec![line(1, dec!(4), dec!(1))]);
    input.fees = vec![Fee {
        name: "Voucher".into(),
        amount: dec!(-10),
        taxable: false,
        tax_class: String::new(),
    }];
    let totals = store.calculate(&input);
    assert_eq!(totals.fee_total, dec!(-4));
    assert_eq!(totals.total, dec!(0.00));
}

#[test]
fn local_pickup_moves_taxes_to_the_store() {
    // A New York customer picking up in California pays California's 7.25 %.
    let mut ca = tax_rate(2, "US", dec!(7.25), "");
    ca.state = "CA".into();
    let mut ny = tax_rate(3, "US", dec!(8.875), "");
    ny.state = "NY".into();
    let store = Store::new().rate(ca).rate(ny).ships_with(vec![method(
        5,
        1,
        "Local pickup",
        ShippingMethodSettings::LocalPickup(LocalPickupSettings {
            tax_status: ShippingTaxStatus::Taxable,
            cost: None,
            costs_include_tax: None,
        }),
    )]);
    let mut input = cart_in(vec![line(1, dec!(100), dec!(1))], address("US", "NY"));
    assert_eq!(store.calculate(&input).total_tax, dec!(8.88));
    input.chosen_shipping = vec!["local_pickup:5".into()];
    let totals = store.calculate(&input);
    assert_eq!(totals.packages[0].chosen.as_deref(), Some("local_pickup:5"));
    assert_eq!(totals.shipping_total, dec!(0));
    assert_eq!(totals.total_tax, dec!(7.25));
}

#[test]
fn zones_match_by_postcode_state_continent_and_order() {
    let flat = |id: u64, cost: &str| vec![method(id, 1, "Flat rate", flat_rate(cost))];
    let mut store = Store::new();
    store.zones = vec![
        zone(0, 0, vec![], flat(9, "99")),
        zone(
            1,
            3,
            vec![location("EU", LocationType::Continent)],
            flat(1, "1"),
        ),
        zone(
            2,
            2,
            vec![location("US:CA", LocationType::State)],
            flat(2, "2"),
        ),
        zone(
            3,
            1,
            vec![
                location("US", LocationType::Country),
                location("900...961", LocationType::Postcode),
            ],
            flat(3, "3"),
        ),
        zone(
            4,
            4,
            vec![location("US", LocationType::Country)],
            flat(4, "4"),
        ),
    ];
    let shipping_for = |country: &str, state: &str, postcode: &str| {
        let mut at = address(country, state);
        at.postcode = postcode.into();
        store
            .calculate(&cart_in(vec![line(1, dec!(1), dec!(1))], at))
            .shipping_total
    };
    assert_eq!(shipping_for("US", "CA", "950"), dec!(3));
    assert_eq!(shipping_for("US", "CA", "10001"), dec!(2));
    assert_eq!(shipping_for("US", "NY", "10001"), dec!(4));
    assert_eq!(shipping_for("FR", "", "75001"), dec!(1));
    assert_eq!(shipping_for("JP", "", "100"), dec!(99));
}

#[test]
fn shipping_requires_an_address_when_configured() {
    // A country alone is not enough; a state or a postcode (or a calculated address) is.
    let mut store = Store::peer();
    store.settings.shipping_cost_requires_address = true;
    let mut input = cart_in(vec![tshirts(dec!(1))], address("US", ""));
    let totals = store.calculate(&input);
    assert!(totals.needs_shipping);
    assert!(!totals.show_shipping);
    assert_eq!(totals.total, dec!(22.00));
    input.customer.shipping.postcode = "94103".into();
    assert_eq!(store.calculate(&input).total, dec!(33.00));
    input.customer.shipping.postcode = String::new();
    input.customer.has_calculated_shipping = true;
    assert_eq!(store.calculate(&input).total, dec!(33.00));
    input.customer.has_calculated_shipping = false;
    input.customer.shipping.state = "CA".into();
    assert_eq!(store.calculate(&input).total, dec!(33.00));
}

#[test]
fn shipping_to_a_country_the_store_does_not_serve_gets_no_rates() {
    let mut store = Store::peer();
    store.settings.ship_to_countries = "specific".into();
    store.settings.specific_ship_to_countries = vec!["CA".into()];
    let totals = store.calculate(&cart(vec![tshirts(dec!(1))]));
    assert!(totals.packages[0].rates.is_empty());
    store.settings.ship_to_countries = "disabled".into();
    let totals = store.calculate(&cart(vec![tshirts(dec!(1))]));
    assert!(!totals.needs_shipping);
}

#[test]
fn free_shipping_coupon_requirement() {
    let mut store = Store::peer();
    store.zones[1].methods[1].settings =
        ShippingMethodSettings::FreeShipping(FreeShippingSettings {
            requires: FreeShippingRequires::Coupon,
            min_amount: Decimal::ZERO,
            ignore_discounts: false,
        });
    let input = cart(vec![tshirts(dec!(1))]);
    assert_eq!(store.calculate(&input).packages[0].rates.len(), 1);
    let mut shipping_coupon = peer5off();
    shipping_coupon.free_shipping = true;
    let totals = store.calculate(&with_coupons(input, &[shipping_coupon]));
    assert_eq!(totals.packages[0].rates.len(), 2);
    assert_eq!(totals.packages[0].rates[1].id, "free_shipping:2");
}

#[test]
fn free_shipping_can_ignore_discounts() {
    let mut store = Store::peer();
    store.zones[1].methods[1].settings =
        ShippingMethodSettings::FreeShipping(FreeShippingSettings {
            requires: FreeShippingRequires::Either,
            min_amount: dec!(100),
            ignore_discounts: true,
        });
    let totals = store.calculate(&with_coupons(cart(vec![tshirts(dec!(5))]), &[peer20()]));
    assert_eq!(totals.packages[0].rates.len(), 2);
}

#[test]
fn billing_or_base_address_can_select_the_rates() {
    let mut store = Store::peer();
    let mut input = cart_in(vec![tshirts(dec!(1))], address("FR", ""));
    input.customer.billing = address("US", "NY");
    assert_eq!(store.calculate(&input).cart_contents_tax, dec!(0));
    store.settings.tax_based_on = TaxBasedOn::Billing;
    assert_eq!(store.calculate(&input).cart_contents_tax, dec!(2));
    store.settings.tax_based_on = TaxBasedOn::Base;
    input.customer.billing = address("FR", "");
    assert_eq!(store.calculate(&input).cart_contents_tax, dec!(2));
}

#[test]
fn tax_summary_rounds_shipping_tax_on_its_own() {
    // pit store, round at subtotal: item tax 0.825 (gross 17.325 at 5 %) and shipping tax
    // 0.505 (10.10 at 5 %): round_tax_total(0.825) = 0.82 (half down) + round(0.505) = 0.51
    // → 1.33, while the grand total tax is round_tax_total(0.825 + round(0.505, 2)) = 1.33.
    let mut store = Store::new()
        .prices_include_tax()
        .rate(tax_rate(1, "US", dec!(5), ""))
        .ships_with(vec![method(1, 1, "Flat rate", flat_rate("10.10"))]);
    store.settings.tax_round_at_subtotal = true;
    let totals = store.calculate(&cart(vec![line(1, dec!(17.325), dec!(1))]));
    assert_eq!(totals.shipping_tax, dec!(0.505));
    assert_eq!(totals.tax_totals[0].amount, dec!(1.33));
    assert_eq!(totals.total_tax, dec!(1.33));
}

// ----- Applying coupons ---------------------------------------------------------------------

fn candidate(coupon: &Coupon) -> AppliedCoupon {
    AppliedCoupon {
        code: coupon.code.to_uppercase(),
        coupon: Some(coupon.clone()),
        usage: CouponUsage::default(),
    }
}

#[test]
fn applying_a_coupon_appends_its_normalised_code() {
    let store = Store::peer();
    let input = with_coupons(cart(vec![tshirts(dec!(2))]), &[peer20()]);
    let applied = apply_coupon(&input, &store.rules(), &candidate(&peer5off())).unwrap();
    assert_eq!(applied.applied_codes, vec!["peer20", "peer5off"]);
    assert!(applied.removed_codes.is_empty());
    assert!(!applied.grants_free_shipping);
}

#[test]
fn applying_rejects_duplicates_missing_codes_and_invalid_coupons() {
    let store = Store::peer();
    let input = with_coupons(cart(vec![tshirts(dec!(2))]), &[peer20()]);
    let error = apply_coupon(&input, &store.rules(), &candidate(&peer20())).unwrap_err();
    assert_eq!(
        (error.code, error.message.as_str()),
        (103, "Coupon code \"peer20\" already applied!")
    );
    let missing = AppliedCoupon {
        code: "Nope".into(),
        coupon: None,
        usage: CouponUsage::default(),
    };
    let error = apply_coupon(&input, &store.rules(), &missing).unwrap_err();
    assert_eq!(
        (error.code, error.message.as_str()),
        (105, "Coupon \"nope\" does not exist!")
    );
    let blank = AppliedCoupon {
        code: "  ".into(),
        ..missing
    };
    assert_eq!(
        apply_coupon(&input, &store.rules(), &blank)
            .unwrap_err()
            .code,
        111
    );
    let mut expired = peer5off();
    expired.date_expires = Some(UnixTime(1));
    assert_eq!(
        apply_coupon(&input, &store.rules(), &candidate(&expired))
            .unwrap_err()
            .code,
        107
    );
}

#[test]
fn individual_use_coupons_remove_others_or_block_new_ones() {
    let store = Store::peer();
    let mut solo = coupon(30, "solo", DiscountType::Percent, dec!(5));
    solo.individual_use = true;
    let input = with_coupons(cart(vec![tshirts(dec!(2))]), &[peer20(), peer5off()]);
    let applied = apply_coupon(&input, &store.rules(), &candidate(&solo)).unwrap();
    assert_eq!(applied.applied_codes, vec!["solo"]);
    assert_eq!(applied.removed_codes, vec!["peer20", "peer5off"]);
    let input = with_coupons(cart(vec![tshirts(dec!(2))]), &[solo]);
    let error = apply_coupon(&input, &store.rules(), &candidate(&peer20())).unwrap_err();
    assert_eq!(error.code, 104);
    assert_eq!(
        error.message,
        "Sorry, coupon \"solo\" has already been applied and cannot be used in conjunction with other coupons."
    );
}

#[test]
fn free_shipping_coupons_make_free_shipping_the_default_choice() {
    // Requires "either": the coupon makes free shipping available below 100, and with no
    // stored choice (or the stored method id `free_shipping`) the free rate is chosen.
    let mut store = Store::peer();
    store.zones[1].methods[1].settings =
        ShippingMethodSettings::FreeShipping(FreeShippingSettings {
            requires: FreeShippingRequires::Either,
            min_amount: dec!(100),
            ignore_discounts: false,
        });
    let mut shipping_coupon = peer5off();
    shipping_coupon.free_shipping = true;
    let input = cart(vec![tshirts(dec!(1))]);
    let applied = apply_coupon(&input, &store.rules(), &candidate(&shipping_coupon)).unwrap();
    assert!(applied.grants_free_shipping);
    let mut input = with_coupons(input, &[shipping_coupon]);
    input.chosen_shipping = vec!["free_shipping".into()];
    let totals = store.calculate(&input);
    assert_eq!(
        totals.packages[0].chosen.as_deref(),
        Some("free_shipping:2")
    );
    // 20 − 5 = 15, tax 1.50, no shipping.
    assert_eq!(totals.total, dec!(16.50));
}

#[test]
fn vat_exempt_without_base_rebasing_removes_the_customers_own_rates() {
    // Filter false: a VAT-exempt customer in FR (FR 10 %) has FR's 10 % taken out of the gross
    // 11.00 instead of the base 20 %: 11.00 → 10.00.
    let store = Store::new()
        .based_in("GB")
        .prices_include_tax()
        .rate(tax_rate(1, "GB", dec!(20), ""))
        .rate(tax_rate(2, "FR", dec!(10), ""));
    let mut input = cart_in(vec![line(1, dec!(11), dec!(1))], address("FR", ""));
    input.customer.is_vat_exempt = true;
    // Default (re-basing on): the base 20 % is removed: 1100 / 1.2 = 916.67 → 917.
    assert_eq!(store.calculate(&input).total, dec!(9.17));
    let rules = TotalsRules {
        adjust_non_base_location_prices: false,
        ..store.rules()
    };
    assert_eq!(calculate(&input, &rules).unwrap().total, dec!(10.00));
    // And a taxed FR customer then pays the gross price whatever the rate.
    input.customer.is_vat_exempt = false;
    assert_eq!(calculate(&input, &rules).unwrap().total, dec!(11.00));
}

#[test]
fn fee_tax_class_may_be_given_by_name() {
    let store = Store::peer();
    let mut input = cart(vec![tshirts(dec!(1))]);
    input.fees = vec![Fee {
        name: "Wrap".into(),
        amount: dec!(10),
        taxable: true,
        tax_class: "Reduced rate".into(),
    }];
    let totals = store.calculate(&input);
    assert_eq!(totals.fees[0].tax_class, "reduced-rate");
    assert_eq!(totals.fees[0].tax, dec!(0.5));
}

#[test]
fn flat_rate_class_formulas_see_only_their_group() {
    // Method cost blank; class 40 costs "[cost] * 0.1" on its 2 × 5.00 (after a 10 % coupon:
    // 9.00 → 0.90); unclassed lines cost "2 * [qty]" on their 3 units → 6; total 6.90.
    let mut settings = flat_rate_settings("");
    settings.class_costs = vec![ClassCost {
        class_id: 40,
        cost: "[cost] * 0.1".into(),
    }];
    settings.no_class_cost = "2 * [qty]".into();
    let mut store = Store::new().ships_with(vec![method(
        1,
        1,
        "Flat rate",
        ShippingMethodSettings::FlatRate(settings),
    )]);
    store.shipping_classes = vec![ShippingClass {
        id: 40,
        name: "Small".into(),
        slug: "small".into(),
        description: String::new(),
        count: 0,
    }];
    let mut small = line(1, dec!(5), dec!(2));
    small.shipping_class_id = 40;
    let plain = line(2, dec!(1), dec!(3));
    let input = with_coupons(
        cart(vec![small, plain]),
        &[coupon(1, "ten", DiscountType::Percent, dec!(10))],
    );
    assert_eq!(store.calculate(&input).shipping_total, dec!(6.90));
}

#[test]
fn numbers_beyond_the_supported_ranges_are_refused_not_panicked_on() {
    let mut store = Store::peer();
    let huge = cart(vec![line(1, dec!(1_000_000_000_000), dec!(1_000_000_000))]);
    let error = calculate(&huge, &store.rules()).unwrap_err();
    assert!(matches!(
        error,
        TotalsError::OutOfRange {
            what: "line price",
            ..
        }
    ));
    let error = validate_coupon_for_cart(&huge, &store.rules(), &candidate(&peer20())).unwrap_err();
    assert_eq!(error.code, 100);
    store.settings.price_decimals = 30;
    let error = calculate(&cart(vec![tshirts(dec!(1))]), &store.rules()).unwrap_err();
    assert_eq!(error, TotalsError::TooManyDecimals(30));
    let mut store = Store::peer();
    store.tax_rates[0].rate = dec!(-100);
    assert!(calculate(&cart(vec![tshirts(dec!(1))]), &store.rules()).is_err());
}

// ----- Peer-store recordings (ground truth from live CoCart 4.4 / WooCommerce 9.3.3) -------

fn polo(variation_id: u64, price: Decimal, on_sale: bool) -> CartLine {
    let mut polo = line(21, price, dec!(1));
    polo.variation_id = variation_id;
    polo.on_sale = on_sale;
    polo
}

fn recording_08_lines(tshirt_quantity: Decimal) -> Vec<CartLine> {
    vec![
        tshirts(tshirt_quantity),
        polo(24, dec!(22.00), true),
        polo(22, dec!(25.00), false),
        paperback(),
    ]
}

#[test]
fn peer_recording_08_reduced_rate_item_among_standard_ones() {
    // 08-add-reduced-rate-item: subtotal 10500, subtotal_tax 960, shipping 1000 + 100,
    // total 12560, total_tax 1060; taxes US-US TAX-1 970 then US-US REDUCED-1 90; both the
    // flat rate (chosen) and free shipping (105 ≥ 100) are offered.
    let store = Store::peer();
    let totals = store.calculate(&cart(recording_08_lines(dec!(2))));
    assert_eq!(totals.subtotal, dec!(105));
    assert_eq!(totals.subtotal_tax, dec!(9.6));
    assert_eq!(totals.shipping_total, dec!(10));
    assert_eq!(totals.shipping_tax, dec!(1));
    assert_eq!(totals.total, dec!(125.60));
    assert_eq!(totals.total_tax, dec!(10.60));
    let rows: Vec<(&str, &str, Decimal)> = totals
        .tax_totals
        .iter()
        .map(|row| (row.code.as_str(), row.label.as_str(), row.amount))
        .collect();
    assert_eq!(
        rows,
        vec![
            ("US-US TAX-1", "US Tax", dec!(9.70)),
            ("US-US REDUCED-1", "US Reduced", dec!(0.90))
        ]
    );
    let package = &totals.packages[0];
    let ids: Vec<&str> = package.rates.iter().map(|rate| rate.id.as_str()).collect();
    assert_eq!(ids, vec!["flat_rate:1", "free_shipping:2"]);
    assert_eq!(package.chosen.as_deref(), Some("flat_rate:1"));
    assert!(package.rates[1].taxes.is_empty());
}

#[test]
fn peer_recording_17_three_tshirts() {
    // 17-update-item-qty: subtotal 12500, subtotal_tax 1160, total 14760, total_tax 1260,
    // US Tax 1170.
    let store = Store::peer();
    let totals = store.calculate(&cart(recording_08_lines(dec!(3))));
    assert_eq!(totals.subtotal, dec!(125));
    assert_eq!(totals.subtotal_tax, dec!(11.6));
    assert_eq!(totals.total, dec!(147.60));
    assert_eq!(totals.total_tax, dec!(12.60));
    assert_eq!(totals.tax_totals[0].amount, dec!(11.70));
}

#[test]
fn peer_recording_20_empty_shipping_country_means_no_tax_and_no_rates() {
    // 20-update-customer: billing moved to US:NY, the shipping address is empty. Taxes are
    // based on the shipping address, so none apply; no zone method offers a rate.
    // Subtotal 12500, all taxes 0, shipping 0, total 12500.
    let store = Store::peer();
    let mut input = cart_in(recording_08_lines(dec!(3)), address("", ""));
    input.customer.billing = address("US", "NY");
    input.customer.billing.postcode = "10001".into();
    input.customer.billing_email = "ann@example.test".into();
    let totals = store.calculate(&input);
    assert_eq!(totals.subtotal_tax, dec!(0));
    assert_eq!(totals.shipping_total, dec!(0));
    assert!(
        totals
            .packages
            .iter()
            .all(|package| package.rates.is_empty())
    );
    assert_eq!(totals.total, dec!(125.00));
    assert_eq!(totals.total_tax, dec!(0));
    assert!(totals.tax_totals.is_empty());
}
