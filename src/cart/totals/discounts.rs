//! Coupon discounts spread over cart lines exactly as WooCommerce's `WC_Discounts` does:
//! lines walked from the most expensive, whole minor units floored per line, left-over
//! cents handed out one unit at a time, fixed cart amounts split per unit recursively.
//!
//! Everything here is in minor units (see [`super::money`]); the caller decides which lines
//! a coupon may touch and in which order coupons run.

use rust_decimal::Decimal;

use super::money::{round_half_down, round_half_up};

/// How a coupon computes its discount.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiscountKind {
    /// A percentage off each eligible line.
    Percent,
    /// A fixed amount off each eligible unit.
    FixedProduct,
    /// A fixed amount off the whole cart, spread over the lines.
    FixedCart,
    /// An extension's type: no built-in rule exists for it, so it discounts nothing.
    Custom,
}

/// A cart line as the discount engine sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountLine {
    /// The line price in minor units (gross for tax-inclusive lines).
    pub price: Decimal,
    /// The quantity (may be fractional).
    pub quantity: Decimal,
}

/// One coupon, ready to be applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscountCoupon {
    /// How the discount is computed.
    pub kind: DiscountKind,
    /// The coupon amount: percent for [`DiscountKind::Percent`], else minor units.
    pub amount: Decimal,
    /// `limit_usage_to_x_items` (`None` or zero: no limit).
    pub limit_items: Option<Decimal>,
    /// The cap of a percent coupon in minor units (`None`: no cap).
    pub maximum_discount: Option<Decimal>,
    /// Per cart line (cart order): whether the coupon may discount it.
    pub eligible: Vec<bool>,
}

/// Runs coupons one after the other and returns, per coupon, the discount of every cart
/// line (cart order, minor units).
pub fn apply_coupons(
    lines: &[DiscountLine],
    coupons: &[DiscountCoupon],
    sequential: bool,
) -> Vec<Vec<Decimal>> {
    let mut engine = Engine {
        lines,
        order: item_order(lines),
        given: vec![Decimal::ZERO; lines.len()],
        sequential,
    };
    coupons.iter().map(|coupon| engine.apply(coupon)).collect()
}

/// Line indexes by line price × quantity, highest first, ties in cart order.
fn item_order(lines: &[DiscountLine]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..lines.len()).collect();
    order.sort_by(|&a, &b| {
        let key_a = lines[a].price * lines[a].quantity;
        let key_b = lines[b].price * lines[b].quantity;
        key_b.cmp(&key_a)
    });
    order
}

struct Engine<'a> {
    lines: &'a [DiscountLine],
    order: Vec<usize>,
    /// Discount given to each line by all coupons so far.
    given: Vec<Decimal>,
    sequential: bool,
}

/// Discounts of the coupon being applied, per cart line.
struct CouponRun {
    discounts: Vec<Decimal>,
}

impl Engine<'_> {
    /// `get_discounted_price_in_cents`: what is left of a line, whole minor units.
    fn remaining(&self, line: usize, run: &CouponRun) -> Decimal {
        round_half_up(
            self.lines[line].price - self.given[line] - run.discounts[line],
            0,
        )
        .abs()
    }

    fn apply(&mut self, coupon: &DiscountCoupon) -> Vec<Decimal> {
        let mut run = CouponRun {
            discounts: vec![Decimal::ZERO; self.lines.len()],
        };
        let items: Vec<usize> = self
            .order
            .iter()
            .copied()
            .filter(|&line| {
                coupon.eligible.get(line).copied().unwrap_or(false)
                    && self.lines[line].quantity > Decimal::ZERO
                    && !self.remaining(line, &run).is_zero()
            })
            .collect();
        match coupon.kind {
            DiscountKind::Percent => {
                self.percent(coupon, &items, &mut run);
                if let Some(cap) = coupon.maximum_discount {
                    cap_discount(cap, &items, &mut run);
                }
            }
            DiscountKind::FixedProduct => {
                self.fixed_product(coupon, coupon.amount, &items, &mut run);
            }
            DiscountKind::FixedCart => {
                self.fixed_cart(coupon, coupon.amount, &items, &mut run);
            }
            DiscountKind::Custom => {}
        }
        for (line, discount) in run.discounts.iter().enumerate() {
            self.given[line] += discount;
        }
        run.discounts
    }

    /// How many units of a line a limited coupon still covers.
    fn apply_quantity(limit: Option<Decimal>, applied: Decimal, quantity: Decimal) -> Decimal {
        match limit.filter(|limit| !limit.is_zero()) {
            Some(limit) if limit - applied < quantity => (limit - applied).max(Decimal::ZERO),
            _ => quantity,
        }
    }

    fn percent(&self, coupon: &DiscountCoupon, items: &[usize], run: &mut CouponRun) {
        let mut applied = Decimal::ZERO;
        let mut given = Decimal::ZERO;
        let mut base_sum = Decimal::ZERO;
        let share = coupon.amount / Decimal::ONE_HUNDRED;
        for &line in items {
            let remaining = self.remaining(line, run);
            let quantity = self.lines[line].quantity;
            let base = if self.sequential {
                remaining
            } else {
                round_half_up(self.lines[line].price, 0)
            };
            let units = Self::apply_quantity(coupon.limit_items, applied, quantity);
            let base = base / quantity * units;
            let discount = round_half_down(remaining.min((base * share).floor()), 0);
            base_sum += base;
            given += discount;
            applied += units;
            run.discounts[line] += discount;
        }
        let target = round_half_down(base_sum * share, 0);
        if given < target {
            self.distribute_remainder(target - given, items, run);
        }
    }

    fn fixed_product(
        &self,
        coupon: &DiscountCoupon,
        amount_per_unit: Decimal,
        items: &[usize],
        run: &mut CouponRun,
    ) -> Decimal {
        let mut applied = Decimal::ZERO;
        let mut total = Decimal::ZERO;
        for &line in items {
            let remaining = self.remaining(line, run);
            let DiscountLine { price, quantity } = self.lines[line];
            let (units, discount) = match coupon.limit_items.filter(|limit| !limit.is_zero()) {
                Some(_) => {
                    let units = Self::apply_quantity(coupon.limit_items, applied, quantity);
                    (units, amount_per_unit.min(price / quantity) * units)
                }
                None => (quantity, amount_per_unit * quantity),
            };
            let discount = remaining.min(discount);
            total += discount;
            applied += units;
            run.discounts[line] += discount;
        }
        total
    }

    fn fixed_cart(
        &self,
        coupon: &DiscountCoupon,
        amount: Decimal,
        items: &[usize],
        run: &mut CouponRun,
    ) -> Decimal {
        let items: Vec<usize> = items
            .iter()
            .copied()
            .filter(|&line| !self.remaining(line, run).is_zero())
            .collect();
        let units: Decimal = items.iter().map(|&line| self.lines[line].quantity).sum();
        if units.is_zero() || amount <= Decimal::ZERO {
            return Decimal::ZERO;
        }
        let per_unit = (amount / units).trunc();
        if per_unit > Decimal::ZERO {
            let mut total = self.fixed_product(coupon, per_unit, &items, run);
            if total > Decimal::ZERO && total < amount {
                total += self.fixed_cart(coupon, amount - total, &items, run);
            }
            total
        } else {
            self.distribute_remainder(amount, &items, run)
        }
    }

    /// Hands out one minor unit per unit of each line, in item order, until `amount` is
    /// given; a single pass.
    fn distribute_remainder(
        &self,
        amount: Decimal,
        items: &[usize],
        run: &mut CouponRun,
    ) -> Decimal {
        let mut total = Decimal::ZERO;
        for &line in items {
            let mut unit = Decimal::ZERO;
            while unit < self.lines[line].quantity {
                let discount = self.remaining(line, run).min(Decimal::ONE);
                total += discount;
                run.discounts[line] += discount;
                if total >= amount {
                    return total;
                }
                unit += Decimal::ONE;
            }
        }
        total
    }
}

/// Newer WooCommerce's `maximum_discount`: when a percent coupon gives more than the cap,
/// the cap is shared in proportion to each line's discount, floored to whole minor units,
/// and the units left over go one at a time to the lines in item order.
fn cap_discount(cap: Decimal, items: &[usize], run: &mut CouponRun) {
    let total: Decimal = items.iter().map(|&line| run.discounts[line]).sum();
    if cap <= Decimal::ZERO || total <= cap {
        return;
    }
    let mut shared = Decimal::ZERO;
    for &line in items {
        let discount = run.discounts[line];
        let share = cap
            .checked_mul(discount)
            .map_or_else(|| cap * (discount / total), |product| product / total)
            .floor();
        run.discounts[line] = share;
        shared += share;
    }
    // Each line lost less than one unit to the floor, so one pass hands out the rest.
    let mut leftover = cap - shared;
    for &line in items {
        if leftover <= Decimal::ZERO {
            break;
        }
        let unit = leftover.min(Decimal::ONE);
        run.discounts[line] += unit;
        leftover -= unit;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn line(price: Decimal, quantity: Decimal) -> DiscountLine {
        DiscountLine { price, quantity }
    }

    fn coupon(kind: DiscountKind, amount: Decimal, lines: usize) -> DiscountCoupon {
        DiscountCoupon {
            kind,
            amount,
            limit_items: None,
            maximum_discount: None,
            eligible: vec![true; lines],
        }
    }

    #[test]
    fn fixed_cart_leftover_cent_goes_to_the_first_unit() {
        // WC test 10963: 1.00 off 3 × 10.00 → 33 per unit (99), 1 cent left → first unit.
        let lines = [line(dec!(3000), dec!(3))];
        let result = apply_coupons(
            &lines,
            &[coupon(DiscountKind::FixedCart, dec!(100), 1)],
            false,
        );
        assert_eq!(result[0], vec![dec!(100)]);
    }

    #[test]
    fn fixed_cart_spreads_per_unit_over_lines() {
        // 5.00 over 2 × 20.00 and 1 × 15.00: 166 per unit → 332 + 166 = 498, then 2 left:
        // per unit 0 → one cent to each unit of the most expensive line.
        let lines = [line(dec!(4000), dec!(2)), line(dec!(1500), dec!(1))];
        let result = apply_coupons(
            &lines,
            &[coupon(DiscountKind::FixedCart, dec!(500), 2)],
            false,
        );
        assert_eq!(result[0], vec![dec!(334), dec!(166)]);
    }

    #[test]
    fn fixed_cart_never_exceeds_the_line_prices() {
        let lines = [line(dec!(300), dec!(1))];
        let result = apply_coupons(
            &lines,
            &[coupon(DiscountKind::FixedCart, dec!(1000), 1)],
            false,
        );
        assert_eq!(result[0], vec![dec!(300)]);
    }

    #[test]
    fn sequential_percent_coupons_on_the_provider_case() {
        // 1.80 × 10 and 13.95 × 3; 10 % then 20 %, sequential. Item order: the 1.80 line first
        // (1800 × 10 > 4185 × 3). 10 %: 180 + 418 = 598 = round_half_down(598.5).
        // 20 % on 1620 and 3767: 324 + 753 = 1077 = its target. Discount in all: 16.75.
        let lines = [line(dec!(1800), dec!(10)), line(dec!(4185), dec!(3))];
        let coupons = [
            coupon(DiscountKind::Percent, dec!(10), 2),
            coupon(DiscountKind::Percent, dec!(20), 2),
        ];
        let result = apply_coupons(&lines, &coupons, true);
        assert_eq!(result[0], vec![dec!(180), dec!(418)]);
        assert_eq!(result[1], vec![dec!(324), dec!(753)]);
        let total: Decimal = result.iter().flatten().sum();
        assert_eq!(total, dec!(1675));
    }

    #[test]
    fn non_sequential_percent_discounts_the_original_price() {
        let lines = [line(dec!(1800), dec!(10)), line(dec!(4185), dec!(3))];
        let coupons = [
            coupon(DiscountKind::Percent, dec!(10), 2),
            coupon(DiscountKind::Percent, dec!(20), 2),
        ];
        let result = apply_coupons(&lines, &coupons, false);
        assert_eq!(result[0], vec![dec!(180), dec!(418)]);
        // 20 % of 1800 = 360, of 4185 = 837 floored; target round_half_down(1197) = 1197.
        assert_eq!(result[1], vec![dec!(360), dec!(837)]);
    }

    #[test]
    fn percent_remainder_cent_goes_to_the_most_expensive_line_first() {
        // 3 lines of 3.33 at 10 %: 33 each = 99, target round_half_down(99.9) = 100 → +1 first.
        let lines = [
            line(dec!(333), dec!(1)),
            line(dec!(333), dec!(1)),
            line(dec!(333), dec!(1)),
        ];
        let result = apply_coupons(&lines, &[coupon(DiscountKind::Percent, dec!(10), 3)], false);
        assert_eq!(result[0], vec![dec!(34), dec!(33), dec!(33)]);
    }

    #[test]
    fn hundred_percent_after_twenty_percent_is_capped_at_the_remaining_price() {
        let lines = [line(dec!(7200), dec!(4))];
        let coupons = [
            coupon(DiscountKind::Percent, dec!(20), 1),
            coupon(DiscountKind::Percent, dec!(100), 1),
        ];
        let result = apply_coupons(&lines, &coupons, false);
        assert_eq!(result[0], vec![dec!(1440)]);
        assert_eq!(result[1], vec![dec!(5760)]);
    }

    #[test]
    fn percent_respects_limit_usage_to_x_items() {
        // 10 % on only 2 of 5 units of 10.00: 200 of 1000 per the two units.
        let lines = [line(dec!(5000), dec!(5))];
        let mut limited = coupon(DiscountKind::Percent, dec!(10), 1);
        limited.limit_items = Some(dec!(2));
        let result = apply_coupons(&lines, &[limited], false);
        assert_eq!(result[0], vec![dec!(200)]);
    }

    #[test]
    fn fixed_product_is_per_unit_and_limited() {
        let lines = [line(dec!(3000), dec!(3)), line(dec!(500), dec!(1))];
        let result = apply_coupons(
            &lines,
            &[coupon(DiscountKind::FixedProduct, dec!(200), 2)],
            false,
        );
        assert_eq!(result[0], vec![dec!(600), dec!(200)]);
        let mut limited = coupon(DiscountKind::FixedProduct, dec!(800), 2);
        limited.limit_items = Some(dec!(2));
        let result = apply_coupons(&lines, &[limited], false);
        // Two units of the 10.00 line only (it sorts first), 8.00 each.
        assert_eq!(result[0], vec![dec!(1600), dec!(0)]);
    }

    #[test]
    fn ineligible_lines_are_skipped() {
        let lines = [line(dec!(3000), dec!(1)), line(dec!(1000), dec!(1))];
        let mut only_second = coupon(DiscountKind::Percent, dec!(50), 2);
        only_second.eligible = vec![false, true];
        let result = apply_coupons(&lines, &[only_second], false);
        assert_eq!(result[0], vec![dec!(0), dec!(500)]);
    }

    #[test]
    fn maximum_discount_is_shared_in_proportion() {
        // 400 + 100 at 10 % capped at 30 → 24 + 6.
        let lines = [line(dec!(40000), dec!(1)), line(dec!(10000), dec!(1))];
        let mut capped = coupon(DiscountKind::Percent, dec!(10), 2);
        capped.maximum_discount = Some(dec!(3000));
        let result = apply_coupons(&lines, &[capped], false);
        assert_eq!(result[0], vec![dec!(2400), dec!(600)]);
    }

    #[test]
    fn maximum_discount_leftover_units_go_in_item_order() {
        // Three lines of 10 at 50 % capped at 10: 3.34 / 3.33 / 3.33 (dp 2), 4 / 3 / 3 (dp 0).
        let lines = [
            line(dec!(1000), dec!(1)),
            line(dec!(1000), dec!(1)),
            line(dec!(1000), dec!(1)),
        ];
        let mut capped = coupon(DiscountKind::Percent, dec!(50), 3);
        capped.maximum_discount = Some(dec!(1000));
        let result = apply_coupons(&lines, &[capped.clone()], false);
        assert_eq!(result[0], vec![dec!(334), dec!(333), dec!(333)]);
        let lines = [
            line(dec!(10), dec!(1)),
            line(dec!(10), dec!(1)),
            line(dec!(10), dec!(1)),
        ];
        capped.maximum_discount = Some(dec!(10));
        let result = apply_coupons(&lines, &[capped], false);
        assert_eq!(result[0], vec![dec!(4), dec!(3), dec!(3)]);
    }
}
