//! Flat-rate cost formulas (`10 + 2 * [qty]`, `[fee percent="10" min_fee="5"]`), evaluated
//! the way WooCommerce's flat-rate method does, with exact decimals instead of PHP floats.
//!
//! A merchant types these strings into the shipping settings, so they are untrusted input:
//! every malformed formula evaluates to `None` instead of panicking.

use rust_decimal::Decimal;

use super::limits::MAX_AMOUNT;
use super::money::round_half_up;
use crate::cart::money::leading_decimal;

/// The values a cost formula may refer to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FormulaArgs {
    /// `[qty]`: the number of items the cost is for.
    pub quantity: Decimal,
    /// `[cost]` and the base of `[fee]`: the cost of those items (after discounts, ex tax).
    pub cost: Decimal,
    /// `[weight]`: the weight of those items.
    pub weight: Decimal,
    /// Store price decimals; a percentage fee is rounded to them.
    pub price_decimals: u32,
    /// The store's decimal separator, turned into `.` before evaluation.
    pub decimal_separator: char,
}

/// Evaluates a cost formula. An empty formula costs 0; a formula that does not parse, or
/// whose result is beyond the amounts the engine accepts, gives `None` (WooCommerce's
/// evaluator returns false).
pub fn evaluate_cost(formula: &str, args: &FormulaArgs) -> Option<Decimal> {
    let substituted = formula
        .replace("[qty]", &render(args.quantity))
        .replace("[cost]", &render(args.cost))
        .replace("[weight]", &render(args.weight));
    let expanded = expand_fee_shortcodes(&substituted, args)?;
    let compact: String = expanded
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| {
            if c == args.decimal_separator || c == ',' {
                '.'
            } else {
                c
            }
        })
        .collect();
    let trimmed = compact
        .trim_start_matches(['+', '*', '/', '\0'])
        .trim_end_matches(['+', '-', '*', '/', '\0']);
    if trimmed.is_empty() {
        return Some(Decimal::ZERO);
    }
    Evaluator::new(trimmed)
        .evaluate()
        .filter(|cost| cost.abs() <= MAX_AMOUNT)
}

/// Renders a number the way PHP casts a float to a string (no trailing zeros).
fn render(value: Decimal) -> String {
    value.normalize().to_string()
}

/// Replaces every `[fee ...]` shortcode with its computed amount (`None` on overflow).
fn expand_fee_shortcodes(formula: &str, args: &FormulaArgs) -> Option<String> {
    let mut output = String::with_capacity(formula.len());
    let mut rest = formula;
    while let Some(start) = rest.find("[fee") {
        let after_name = &rest[start + 4..];
        let is_shortcode = after_name.starts_with([']', ' ', '\t', '\n']);
        let Some(end) = after_name.find(']').filter(|_| is_shortcode) else {
            output.push_str(&rest[..start + 4]);
            rest = after_name;
            continue;
        };
        output.push_str(&rest[..start]);
        output.push_str(&render(fee_amount(&after_name[..end], args)?));
        rest = &after_name[end + 1..];
    }
    output.push_str(rest);
    Some(output)
}

/// The `[fee]` shortcode: a percentage of the cost, rounded to the price decimals, raised
/// to `min_fee` and cut to `max_fee` (`None` on overflow).
fn fee_amount(attributes: &str, args: &FormulaArgs) -> Option<Decimal> {
    let percent = shortcode_attribute(attributes, "percent");
    let min_fee = shortcode_attribute(attributes, "min_fee");
    let max_fee = shortcode_attribute(attributes, "max_fee");
    let mut fee = Decimal::ZERO;
    if php_truthy(&percent) {
        let share = args.cost.checked_mul(leading_decimal(&percent))?;
        fee = round_half_up(share / Decimal::ONE_HUNDRED, args.price_decimals);
    }
    if php_truthy(&min_fee) && fee < leading_decimal(&min_fee) {
        fee = leading_decimal(&min_fee);
    }
    if php_truthy(&max_fee) && fee > leading_decimal(&max_fee) {
        fee = leading_decimal(&max_fee);
    }
    Some(fee)
}

/// Reads `name="value"`, `name='value'` or `name=value` from shortcode attributes.
fn shortcode_attribute(attributes: &str, name: &str) -> String {
    let mut rest = attributes;
    while let Some(position) = rest.find(name) {
        let preceded_by_space = rest[..position]
            .chars()
            .next_back()
            .is_none_or(char::is_whitespace);
        let after = rest[position + name.len()..].trim_start();
        if preceded_by_space && let Some(value) = after.strip_prefix('=') {
            let value = value.trim_start();
            return match value.chars().next() {
                Some(quote @ ('"' | '\'')) => value[1..]
                    .split(quote)
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                _ => value
                    .split(char::is_whitespace)
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            };
        }
        rest = &rest[position + name.len()..];
    }
    String::new()
}

/// PHP truthiness of a string: empty and `"0"` are false.
fn php_truthy(value: &str) -> bool {
    !value.is_empty() && value != "0"
}

/// A recursive-descent evaluator for `+ - * /`, unary minus and parentheses.
struct Evaluator<'a> {
    input: &'a [u8],
    position: usize,
}

impl<'a> Evaluator<'a> {
    fn new(input: &'a str) -> Self {
        Self {
            input: input.as_bytes(),
            position: 0,
        }
    }

    fn evaluate(mut self) -> Option<Decimal> {
        let value = self.expression()?;
        (self.position == self.input.len()).then_some(value)
    }

    fn peek(&self) -> Option<u8> {
        self.input.get(self.position).copied()
    }

    fn expression(&mut self) -> Option<Decimal> {
        let mut value = self.term()?;
        while let Some(operator @ (b'+' | b'-')) = self.peek() {
            self.position += 1;
            let right = self.term()?;
            value = if operator == b'+' {
                value.checked_add(right)?
            } else {
                value.checked_sub(right)?
            };
        }
        Some(value)
    }

    fn term(&mut self) -> Option<Decimal> {
        let mut value = self.factor()?;
        while let Some(operator @ (b'*' | b'/')) = self.peek() {
            self.position += 1;
            let right = self.factor()?;
            value = if operator == b'*' {
                value.checked_mul(right)?
            } else {
                value.checked_div(right)?
            };
        }
        Some(value)
    }

    fn factor(&mut self) -> Option<Decimal> {
        match self.peek()? {
            b'-' => {
                self.position += 1;
                Some(-self.factor()?)
            }
            b'+' => {
                self.position += 1;
                self.factor()
            }
            b'(' => {
                self.position += 1;
                let value = self.expression()?;
                (self.peek() == Some(b')')).then(|| {
                    self.position += 1;
                    value
                })
            }
            _ => self.number(),
        }
    }

    fn number(&mut self) -> Option<Decimal> {
        let start = self.position;
        while matches!(self.peek(), Some(b'0'..=b'9' | b'.')) {
            self.position += 1;
        }
        let text = std::str::from_utf8(&self.input[start..self.position]).ok()?;
        if text.is_empty() || text == "." {
            return None;
        }
        let text = text.strip_suffix('.').unwrap_or(text);
        if let Some(fraction) = text.strip_prefix('.') {
            return format!("0.{fraction}").parse().ok();
        }
        text.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn args(quantity: Decimal, cost: Decimal) -> FormulaArgs {
        FormulaArgs {
            quantity,
            cost,
            weight: dec!(1.5),
            price_decimals: 2,
            decimal_separator: '.',
        }
    }

    #[test]
    fn plain_numbers_and_arithmetic() {
        let a = args(dec!(3), dec!(50));
        assert_eq!(evaluate_cost("10", &a), Some(dec!(10)));
        assert_eq!(evaluate_cost("", &a), Some(dec!(0)));
        assert_eq!(evaluate_cost("  ", &a), Some(dec!(0)));
        assert_eq!(evaluate_cost("2 + 3 * 4", &a), Some(dec!(14)));
        assert_eq!(evaluate_cost("(2 + 3) * 4", &a), Some(dec!(20)));
        assert_eq!(evaluate_cost("10 / 4", &a), Some(dec!(2.5)));
        assert_eq!(evaluate_cost("-2 + 5", &a), Some(dec!(3)));
    }

    #[test]
    fn placeholders_are_substituted() {
        let a = args(dec!(3), dec!(50));
        assert_eq!(evaluate_cost("10 + 2 * [qty]", &a), Some(dec!(16)));
        assert_eq!(evaluate_cost("[cost] * 0.1", &a), Some(dec!(5.0)));
        assert_eq!(evaluate_cost("[weight] * 2", &a), Some(dec!(3.0)));
    }

    #[test]
    fn fee_percentage_is_rounded_to_price_decimals() {
        let a = args(dec!(1), dec!(100));
        assert_eq!(
            evaluate_cost("[fee percent=\"10.1\"]", &a),
            Some(dec!(10.1))
        );
        let a = args(dec!(1), dec!(110.50));
        assert_eq!(evaluate_cost("[fee percent=\"15\"]", &a), Some(dec!(16.58)));
    }

    #[test]
    fn fee_percent_with_a_comma_reads_only_the_integer_part() {
        let a = args(dec!(1), dec!(100));
        assert_eq!(evaluate_cost("[fee percent=\"10,1\"]", &a), Some(dec!(10)));
    }

    #[test]
    fn fee_min_and_max_bound_the_fee() {
        let a = args(dec!(1), dec!(100));
        assert_eq!(
            evaluate_cost("[fee percent=\"10\" min_fee=\"20\"]", &a),
            Some(dec!(20))
        );
        assert_eq!(
            evaluate_cost("[fee percent='10' max_fee=5]", &a),
            Some(dec!(5))
        );
        assert_eq!(
            evaluate_cost("5 + [fee percent=\"10\" min_fee=\"2\" max_fee=\"\"]", &a),
            Some(dec!(15))
        );
    }

    #[test]
    fn stray_operators_at_the_ends_are_trimmed() {
        let a = args(dec!(1), dec!(1));
        assert_eq!(evaluate_cost("+10*", &a), Some(dec!(10)));
        assert_eq!(evaluate_cost("*/5-", &a), Some(dec!(5)));
    }

    #[test]
    fn decimal_separators_become_points() {
        let mut a = args(dec!(1), dec!(1));
        assert_eq!(evaluate_cost("2,5 * 2", &a), Some(dec!(5.0)));
        a.decimal_separator = '|';
        assert_eq!(evaluate_cost("2|5 + 1", &a), Some(dec!(3.5)));
    }

    #[test]
    fn malformed_formulas_give_none() {
        let a = args(dec!(1), dec!(1));
        assert_eq!(evaluate_cost("10 / 0", &a), None);
        assert_eq!(evaluate_cost("(2 + 3", &a), None);
        assert_eq!(evaluate_cost("abc", &a), None);
        assert_eq!(evaluate_cost("2..3", &a), None);
        assert_eq!(evaluate_cost("99999999999 * 99999999999", &a), None);
        let huge = format!("[fee percent=\"{}\"]", "9".repeat(28));
        assert_eq!(evaluate_cost(&huge, &args(dec!(1), dec!(1000))), None);
    }
}
