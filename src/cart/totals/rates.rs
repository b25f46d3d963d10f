//! Tax amounts per tax rate, and WooCommerce's exclusive/inclusive tax formulas
//! (`WC_Tax::calc_exclusive_tax`, `calc_inclusive_tax`) including compound rates.

use rust_decimal::Decimal;

use super::money::MoneyRules;

/// A tax rate that applies to a cart line after location matching.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatchedRate {
    /// The tax rate id.
    pub id: u64,
    /// The rate in percent (10 = 10 %).
    pub percent: Decimal,
    /// The rate's display name (WooCommerce's `label`), "Tax" when blank.
    pub label: String,
    /// Whether the rate is applied on top of the taxes before it.
    pub compound: bool,
    /// Whether the rate also applies to shipping.
    pub shipping: bool,
    /// The summary key WooCommerce uses for the rate (`US-US TAX-1`).
    pub code: String,
}

/// Amounts keyed by tax rate id, in the order the rates were first seen (PHP array order).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerRate(Vec<(u64, Decimal)>);

impl PerRate {
    /// No amounts.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an amount to a rate, appending the rate when it is new.
    pub fn add(&mut self, rate_id: u64, amount: Decimal) {
        match self.0.iter_mut().find(|(id, _)| *id == rate_id) {
            Some((_, total)) => *total += amount,
            None => self.0.push((rate_id, amount)),
        }
    }

    /// Adds every amount of another set.
    pub fn merge(&mut self, other: &PerRate) {
        for (rate_id, amount) in other.iter() {
            self.add(rate_id, amount);
        }
    }

    /// The sum over all rates.
    pub fn sum(&self) -> Decimal {
        self.0.iter().map(|(_, amount)| *amount).sum()
    }

    /// The amount for one rate (zero when absent).
    pub fn get(&self, rate_id: u64) -> Decimal {
        self.0
            .iter()
            .find(|(id, _)| *id == rate_id)
            .map_or(Decimal::ZERO, |(_, amount)| *amount)
    }

    /// The amounts in order.
    pub fn iter(&self) -> impl Iterator<Item = (u64, Decimal)> + '_ {
        self.0.iter().copied()
    }

    /// The same rates with every amount transformed.
    pub fn map(&self, transform: impl Fn(Decimal) -> Decimal) -> PerRate {
        PerRate(
            self.0
                .iter()
                .map(|(id, amount)| (*id, transform(*amount)))
                .collect(),
        )
    }

    /// Whether there are no rates.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `WC_Tax::calc_tax`: the tax of `price` per rate, each `tax_round`ed.
pub fn calc_tax(
    money: &MoneyRules,
    price: Decimal,
    rates: &[MatchedRate],
    price_includes_tax: bool,
) -> PerRate {
    let taxes = if price_includes_tax {
        inclusive_taxes(price, rates)
    } else {
        exclusive_taxes(price, rates)
    };
    taxes.map(|amount| money.tax_round(amount))
}

fn hundredth(percent: Decimal) -> Decimal {
    percent / Decimal::ONE_HUNDRED
}

fn exclusive_taxes(price: Decimal, rates: &[MatchedRate]) -> PerRate {
    let mut taxes = PerRate::new();
    for rate in rates {
        taxes.add(
            rate.id,
            if rate.compound {
                Decimal::ZERO
            } else {
                price * hundredth(rate.percent)
            },
        );
    }
    for rate in rates.iter().filter(|rate| rate.compound) {
        let taxed_price = price + taxes.sum();
        taxes.add(rate.id, taxed_price * hundredth(rate.percent));
    }
    taxes
}

fn inclusive_taxes(price: Decimal, rates: &[MatchedRate]) -> PerRate {
    let mut taxes = PerRate::new();
    for rate in rates {
        taxes.add(rate.id, Decimal::ZERO);
    }
    let mut non_compound_price = price;
    for rate in rates.iter().rev().filter(|rate| rate.compound) {
        let tax =
            non_compound_price - non_compound_price / (Decimal::ONE + hundredth(rate.percent));
        non_compound_price -= tax;
        taxes.add(rate.id, tax);
    }
    let regular_total: Decimal = rates
        .iter()
        .filter(|rate| !rate.compound)
        .map(|rate| hundredth(rate.percent))
        .sum();
    let regular_divisor = Decimal::ONE + regular_total;
    for rate in rates.iter().filter(|rate| !rate.compound) {
        taxes.add(
            rate.id,
            hundredth(rate.percent) / regular_divisor * non_compound_price,
        );
    }
    taxes
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    pub(crate) fn rate(id: u64, percent: Decimal, compound: bool) -> MatchedRate {
        MatchedRate {
            id,
            percent,
            label: format!("Rate {id}"),
            compound,
            shipping: true,
            code: format!("TAX-{id}"),
        }
    }

    fn money() -> MoneyRules {
        MoneyRules {
            decimals: 2,
            prices_include_tax: false,
            round_at_subtotal: false,
        }
    }

    #[test]
    fn twenty_percent_on_nine_ninety_nine() {
        let rates = [rate(1, dec!(20), false)];
        assert_eq!(
            calc_tax(&money(), dec!(9.99), &rates, true).sum(),
            dec!(1.665)
        );
        assert_eq!(
            calc_tax(&money(), dec!(9.99), &rates, false).sum(),
            dec!(1.998)
        );
    }

    #[test]
    fn compound_rate_applies_on_price_plus_earlier_taxes() {
        let rates = [rate(1, dec!(5), false), rate(2, dec!(8.5), true)];
        let exclusive = calc_tax(&money(), dec!(100), &rates, false);
        assert_eq!(exclusive.get(1), dec!(5.00));
        assert_eq!(exclusive.get(2), dec!(8.925));
        let inclusive = calc_tax(&money(), dec!(100), &rates, true);
        assert_eq!(inclusive.get(2), dec!(7.834101));
        assert_eq!(inclusive.get(1), dec!(4.388852));
    }

    #[test]
    fn inclusive_tax_of_six_at_five_percent_in_minor_units() {
        let rates = [rate(1, dec!(5), false)];
        let taxes = calc_tax(&money(), dec!(600), &rates, true);
        assert_eq!(taxes.get(1), dec!(28.571429));
    }

    #[test]
    fn several_regular_rates_share_the_inclusive_tax() {
        let rates = [rate(1, dec!(10), false), rate(2, dec!(10), false)];
        let taxes = calc_tax(&money(), dec!(120), &rates, true);
        assert_eq!(taxes.get(1), dec!(10));
        assert_eq!(taxes.get(2), dec!(10));
    }

    #[test]
    fn per_rate_keeps_first_seen_order() {
        let mut taxes = PerRate::new();
        taxes.add(7, dec!(1));
        taxes.add(3, dec!(2));
        taxes.add(7, dec!(0.5));
        assert_eq!(
            taxes.iter().collect::<Vec<_>>(),
            vec![(7, dec!(1.5)), (3, dec!(2))]
        );
        assert_eq!(taxes.sum(), dec!(3.5));
    }
}
