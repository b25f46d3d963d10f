//! Coupon rules: whether a coupon may be used on a cart (`WC_Discounts::is_coupon_valid`,
//! checked in WooCommerce's order with its error codes and messages), which lines a
//! product coupon may discount, and the order coupons are applied in.

use std::cmp::Ordering;

use rust_decimal::Decimal;

use crate::catalog::model::{Coupon, DiscountType, PostStatus, StoreSettings, Term, UnixTime};

use super::input::{CartLine, CouponUsage, Customer};
use crate::cart::money::price_text;

/// Why a coupon cannot be used, with WooCommerce's numeric code and message. CoCart returns
/// it as `invalid_coupon` with HTTP status 400.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct CouponError {
    /// WooCommerce's coupon error code (100–116).
    pub code: u16,
    /// The message shown to the customer.
    pub message: String,
}

impl CouponError {
    fn new(code: u16, message: String) -> Self {
        Self { code, message }
    }

    /// 100: a filter declared the coupon invalid.
    pub fn invalid(code: &str) -> Self {
        Self::new(100, format!("Coupon \"{code}\" is not valid."))
    }

    /// 101: an applied coupon became invalid and was removed.
    pub fn invalid_removed(code: &str) -> Self {
        Self::new(
            101,
            format!(
                "Sorry, it seems the coupon \"{code}\" is invalid - it has now been removed from your order."
            ),
        )
    }

    /// 102: the customer's email is not allowed to use the coupon.
    pub fn not_yours(code: &str) -> Self {
        Self::new(
            102,
            format!("Please enter a valid email at checkout to use coupon code \"{code}\"."),
        )
    }

    /// 103: the coupon is already applied.
    pub fn already_applied(code: &str) -> Self {
        Self::new(103, format!("Coupon code \"{code}\" already applied!"))
    }

    /// 104: an applied individual-use coupon blocks other coupons.
    pub fn individual_use_only(applied_code: &str) -> Self {
        Self::new(
            104,
            format!(
                "Sorry, coupon \"{applied_code}\" has already been applied and cannot be used in conjunction with other coupons."
            ),
        )
    }

    /// 105: no such coupon.
    pub fn not_exist(code: &str) -> Self {
        Self::new(105, format!("Coupon \"{code}\" does not exist!"))
    }

    /// 106: the usage limit is reached.
    pub fn usage_limit_reached(code: &str) -> Self {
        Self::new(
            106,
            format!("Usage limit for coupon \"{code}\" has been reached."),
        )
    }

    /// 107: the coupon has expired.
    pub fn expired(code: &str) -> Self {
        Self::new(107, format!("Coupon \"{code}\" has expired."))
    }

    /// 109: the coupon does not apply to the cart or to the selected products.
    fn not_applicable_to_products() -> Self {
        Self::new(
            109,
            "Sorry, this coupon is not applicable to selected products.".to_string(),
        )
    }

    /// 111: no code was given.
    pub fn please_enter() -> Self {
        Self::new(111, "Please enter a coupon code.".to_string())
    }

    /// 115: the usage limit is reached while a logged-in customer's order holds a use.
    pub fn usage_limit_stuck(code: &str) -> Self {
        Self::new(
            115,
            format!("Usage limit for coupon \"{code}\" has been reached."),
        )
    }

    /// 116: the usage limit is reached while a guest's order may hold a use.
    pub fn usage_limit_stuck_guest(code: &str) -> Self {
        Self::new(
            116,
            format!(
                "Usage limit for coupon \"{code}\" has been reached. Please try again after some time, or contact us for help."
            ),
        )
    }
}

/// What coupon validation looks at besides the coupon.
#[derive(Debug, Clone, Copy)]
pub struct CouponContext<'a> {
    /// Cart lines.
    pub lines: &'a [CartLine],
    /// The displayed subtotal (with tax when the cart displays prices with tax).
    pub displayed_subtotal: Decimal,
    /// The customer.
    pub customer: &'a Customer,
    /// Now.
    pub now: UnixTime,
    /// Store settings (price formatting in messages).
    pub settings: &'a StoreSettings,
    /// Terms, for category names in messages.
    pub terms: &'a [Term],
}

/// `WC_Discounts::is_coupon_valid`: every check in WooCommerce's order; the first failure
/// is returned.
pub fn validate_coupon(
    coupon: &Coupon,
    usage: &CouponUsage,
    context: &CouponContext<'_>,
) -> Result<(), CouponError> {
    let code = coupon.code.as_str();
    if coupon.id == 0 || coupon.status == PostStatus::Trash {
        return Err(CouponError::not_exist(code));
    }
    check_usage_limit(coupon, usage, context.customer)?;
    check_user_usage_limit(coupon, usage, context.customer)?;
    if coupon
        .date_expires
        .is_some_and(|expires| context.now > expires)
    {
        return Err(CouponError::expired(code));
    }
    let subtotal = context.displayed_subtotal;
    if coupon.minimum_amount > Decimal::ZERO && coupon.minimum_amount > subtotal {
        return Err(CouponError::new(
            108,
            format!(
                "The minimum spend for coupon \"{code}\" is {}.",
                price_text(coupon.minimum_amount, context.settings)
            ),
        ));
    }
    if coupon.maximum_amount > Decimal::ZERO && coupon.maximum_amount < subtotal {
        return Err(CouponError::new(
            112,
            format!(
                "The maximum spend for coupon \"{code}\" is {}.",
                price_text(coupon.maximum_amount, context.settings)
            ),
        ));
    }
    check_product_rules(coupon, context)?;
    check_email_restrictions(coupon, context.customer)
}

fn check_usage_limit(
    coupon: &Coupon,
    usage: &CouponUsage,
    customer: &Customer,
) -> Result<(), CouponError> {
    let Some(limit) = coupon.usage_limit.filter(|limit| *limit > 0) else {
        return Ok(());
    };
    if coupon.usage_count + usage.held < limit {
        return Ok(());
    }
    Err(if usage.held == 0 {
        CouponError::usage_limit_reached(&coupon.code)
    } else if customer.account.is_some() {
        if usage.customer_has_pending_order {
            CouponError::usage_limit_stuck(&coupon.code)
        } else {
            CouponError::usage_limit_reached(&coupon.code)
        }
    } else {
        CouponError::usage_limit_stuck_guest(&coupon.code)
    })
}

fn check_user_usage_limit(
    coupon: &Coupon,
    usage: &CouponUsage,
    customer: &Customer,
) -> Result<(), CouponError> {
    let Some(limit) = coupon.usage_limit_per_user.filter(|limit| *limit > 0) else {
        return Ok(());
    };
    if customer.account.is_none() || usage.by_customer < limit {
        return Ok(());
    }
    Err(if usage.held_by_customer > 0 {
        CouponError::usage_limit_stuck(&coupon.code)
    } else {
        CouponError::usage_limit_reached(&coupon.code)
    })
}

/// Whether the line's product or its parent is in a list of product IDs.
fn line_in(line: &CartLine, product_ids: &[u64]) -> bool {
    product_ids.contains(&line.product_id)
        || (line.variation_id != 0 && product_ids.contains(&line.variation_id))
}

fn categories_intersect(line: &CartLine, categories: &[u64]) -> bool {
    line.category_ids.iter().any(|id| categories.contains(id))
}

/// `WC_Coupon::is_valid_for_product`: whether a product coupon may discount a line.
pub fn is_valid_for_line(coupon: &Coupon, line: &CartLine) -> bool {
    let no_restrictions = coupon.product_ids.is_empty() && coupon.product_categories.is_empty();
    let included = no_restrictions
        || line_in(line, &coupon.product_ids)
        || categories_intersect(line, &coupon.product_categories);
    let excluded = line_in(line, &coupon.excluded_product_ids)
        || categories_intersect(line, &coupon.excluded_product_categories)
        || (coupon.exclude_sale_items && line.on_sale);
    included && !excluded
}

/// Whether the coupon discounts the line at all: product coupons by the product rules,
/// cart coupons every line.
pub fn applies_to_line(coupon: &Coupon, line: &CartLine) -> bool {
    match coupon.discount_type {
        DiscountType::FixedCart => true,
        _ => is_valid_for_line(coupon, line),
    }
}

fn check_product_rules(coupon: &Coupon, context: &CouponContext<'_>) -> Result<(), CouponError> {
    let lines = context.lines;
    if !coupon.product_ids.is_empty() && !lines.iter().any(|l| line_in(l, &coupon.product_ids)) {
        return Err(CouponError::not_applicable_to_products());
    }
    if !coupon.product_categories.is_empty()
        && !lines.iter().any(|line| {
            !(coupon.exclude_sale_items && line.on_sale)
                && categories_intersect(line, &coupon.product_categories)
        })
    {
        return Err(CouponError::not_applicable_to_products());
    }
    if lines.is_empty() {
        return Ok(());
    }
    if coupon.discount_type.is_product_type() {
        if !lines.iter().any(|line| is_valid_for_line(coupon, line)) {
            return Err(CouponError::not_applicable_to_products());
        }
        return Ok(());
    }
    if coupon.discount_type != DiscountType::FixedCart {
        return Ok(());
    }
    let code = coupon.code.as_str();
    if coupon.exclude_sale_items && lines.iter().any(|line| line.on_sale) {
        return Err(CouponError::new(
            110,
            format!("Sorry, coupon \"{code}\" is not valid for sale items."),
        ));
    }
    let excluded_products: Vec<&str> = lines
        .iter()
        .filter(|line| line_in(line, &coupon.excluded_product_ids))
        .map(|line| line.name.as_str())
        .collect();
    if !excluded_products.is_empty() {
        return Err(CouponError::new(
            113,
            format!(
                "Sorry, coupon \"{code}\" is not applicable to the products: {}.",
                excluded_products.join(", ")
            ),
        ));
    }
    let mut excluded_categories: Vec<&str> = Vec::new();
    for line in lines {
        for id in &line.category_ids {
            if !coupon.excluded_product_categories.contains(id) {
                continue;
            }
            let name = context
                .terms
                .iter()
                .find(|term| term.id == *id && term.taxonomy == "product_cat")
                .map_or("", |term| term.name.as_str());
            if !excluded_categories.contains(&name) {
                excluded_categories.push(name);
            }
        }
    }
    if !excluded_categories.is_empty() {
        return Err(CouponError::new(
            114,
            format!(
                "Sorry, coupon \"{code}\" is not applicable to the categories: {}.",
                excluded_categories.join(", ")
            ),
        ));
    }
    Ok(())
}

fn check_email_restrictions(coupon: &Coupon, customer: &Customer) -> Result<(), CouponError> {
    if coupon.email_restrictions.is_empty() {
        return Ok(());
    }
    let allowed = customer
        .account
        .iter()
        .map(|account| account.email.as_str())
        .chain([customer.billing_email.as_str()])
        .map(|email| email.trim().to_lowercase())
        .filter(|email| !email.is_empty())
        .any(|email| {
            coupon
                .email_restrictions
                .iter()
                .any(|restriction| email_matches(&restriction.to_lowercase(), &email))
        });
    if allowed {
        Ok(())
    } else {
        Err(CouponError::not_yours(&coupon.code))
    }
}

/// Matches an email against a restriction where `*` stands for any text.
fn email_matches(pattern: &str, email: &str) -> bool {
    let mut parts = pattern.split('*');
    let first = parts.next().unwrap_or_default();
    let Some(mut rest) = email.strip_prefix(first) else {
        return false;
    };
    let middle: Vec<&str> = parts.collect();
    let Some((last, inner)) = middle.split_last() else {
        return rest.is_empty();
    };
    for part in inner {
        match rest.find(part) {
            Some(position) => rest = &rest[position + part.len()..],
            None => return false,
        }
    }
    rest.ends_with(last)
}

/// The order coupons are applied in (`WC_Cart_Totals::get_coupons_from_cart`): type
/// (fixed product, percent, fixed cart; other types first), then `limit_usage_to_x_items`
/// (unset first), then, when discounts are not sequential, amount ascending and the higher
/// ID first; sequential discounts keep the order the coupons were applied in.
pub fn compare_for_application(a: &Coupon, b: &Coupon, sequential: bool) -> Ordering {
    let type_rank = |coupon: &Coupon| match coupon.discount_type {
        DiscountType::FixedProduct => 1,
        DiscountType::Percent => 2,
        DiscountType::FixedCart => 3,
        DiscountType::Other(_) => 0,
    };
    let ordering = type_rank(a)
        .cmp(&type_rank(b))
        .then_with(|| a.limit_usage_to_x_items.cmp(&b.limit_usage_to_x_items));
    if sequential {
        ordering
    } else {
        ordering
            .then_with(|| a.amount.cmp(&b.amount))
            .then_with(|| b.id.cmp(&a.id))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::catalog::model::TaxStatus;
    use rust_decimal_macros::dec;

    pub(crate) fn coupon(
        id: u64,
        code: &str,
        discount_type: DiscountType,
        amount: Decimal,
    ) -> Coupon {
        Coupon {
            id,
            code: code.to_string(),
            status: PostStatus::Publish,
            amount,
            discount_type,
            description: String::new(),
            date_created: None,
            date_expires: None,
            individual_use: false,
            product_ids: Vec::new(),
            excluded_product_ids: Vec::new(),
            usage_limit: None,
            usage_limit_per_user: None,
            limit_usage_to_x_items: None,
            free_shipping: false,
            product_categories: Vec::new(),
            excluded_product_categories: Vec::new(),
            exclude_sale_items: false,
            minimum_amount: Decimal::ZERO,
            maximum_amount: Decimal::ZERO,
            email_restrictions: Vec::new(),
            usage_count: 0,
            used_by: Vec::new(),
            maximum_discount: None,
            meta: Vec::new(),
        }
    }

    pub(crate) fn cart_line(product_id: u64, unit_price: Decimal, quantity: Decimal) -> CartLine {
        CartLine {
            key: format!("key-{product_id}"),
            product_id,
            variation_id: 0,
            name: format!("Product {product_id}"),
            quantity,
            unit_price,
            tax_status: TaxStatus::Taxable,
            tax_class: String::new(),
            on_sale: false,
            category_ids: Vec::new(),
            needs_shipping: true,
            weight: Decimal::ZERO,
            shipping_class_id: 0,
        }
    }

    struct Fixture {
        lines: Vec<CartLine>,
        customer: Customer,
        settings: StoreSettings,
        terms: Vec<Term>,
        subtotal: Decimal,
    }

    impl Fixture {
        fn new() -> Self {
            let mut on_sale = cart_line(11, dec!(40), dec!(1));
            on_sale.on_sale = true;
            on_sale.name = "Hoodie".into();
            on_sale.category_ids = vec![16];
            let mut tee = cart_line(10, dec!(20), dec!(1));
            tee.name = "Basic T-Shirt".into();
            tee.category_ids = vec![16];
            let mut cap = cart_line(12, dec!(15), dec!(1));
            cap.category_ids = vec![17];
            Self {
                lines: vec![tee, on_sale, cap],
                customer: Customer::default(),
                settings: StoreSettings::default(),
                terms: vec![Term {
                    id: 16,
                    taxonomy: "product_cat".into(),
                    name: "Clothing".into(),
                    slug: "clothing".into(),
                    parent: 0,
                    description: String::new(),
                    count: 0,
                    menu_order: 0,
                    display: String::new(),
                    thumbnail_id: 0,
                    meta: Vec::new(),
                }],
                subtotal: dec!(75),
            }
        }

        fn validate(&self, coupon: &Coupon, usage: CouponUsage) -> Result<(), CouponError> {
            let context = CouponContext {
                lines: &self.lines,
                displayed_subtotal: self.subtotal,
                customer: &self.customer,
                now: UnixTime(1_000),
                settings: &self.settings,
                terms: &self.terms,
            };
            validate_coupon(coupon, &usage, &context)
        }

        fn code_of(&self, coupon: &Coupon) -> Option<u16> {
            self.validate(coupon, CouponUsage::default())
                .err()
                .map(|e| e.code)
        }
    }

    #[test]
    fn a_plain_coupon_is_valid() {
        let fixture = Fixture::new();
        let peer20 = coupon(26, "peer20", DiscountType::Percent, dec!(20));
        assert_eq!(fixture.validate(&peer20, CouponUsage::default()), Ok(()));
    }

    #[test]
    fn missing_or_trashed_coupons_do_not_exist() {
        let fixture = Fixture::new();
        let mut trashed = coupon(5, "gone", DiscountType::FixedCart, dec!(5));
        trashed.status = PostStatus::Trash;
        let error = fixture
            .validate(&trashed, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 105);
        assert_eq!(error.message, "Coupon \"gone\" does not exist!");
    }

    #[test]
    fn usage_limits_pick_the_right_code() {
        let mut fixture = Fixture::new();
        let mut limited = coupon(5, "once", DiscountType::FixedCart, dec!(5));
        limited.usage_limit = Some(1);
        limited.usage_count = 1;
        let error = fixture
            .validate(&limited, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 106);
        assert_eq!(
            error.message,
            "Usage limit for coupon \"once\" has been reached."
        );
        limited.usage_count = 0;
        let held = CouponUsage {
            held: 1,
            ..CouponUsage::default()
        };
        assert_eq!(fixture.validate(&limited, held).unwrap_err().code, 116);
        fixture.customer.account = Some(crate::cart::totals::input::Account {
            id: 3,
            email: "a@b.c".into(),
        });
        assert_eq!(fixture.validate(&limited, held).unwrap_err().code, 106);
        let stuck = CouponUsage {
            customer_has_pending_order: true,
            ..held
        };
        assert_eq!(fixture.validate(&limited, stuck).unwrap_err().code, 115);
    }

    #[test]
    fn per_user_limit_applies_to_logged_in_customers_only() {
        let mut fixture = Fixture::new();
        let mut per_user = coupon(5, "mine", DiscountType::FixedCart, dec!(5));
        per_user.usage_limit_per_user = Some(1);
        let used = CouponUsage {
            by_customer: 1,
            ..CouponUsage::default()
        };
        assert_eq!(fixture.validate(&per_user, used), Ok(()));
        fixture.customer.account = Some(Default::default());
        assert_eq!(fixture.validate(&per_user, used).unwrap_err().code, 106);
        let held = CouponUsage {
            held_by_customer: 1,
            ..used
        };
        assert_eq!(fixture.validate(&per_user, held).unwrap_err().code, 115);
    }

    #[test]
    fn expiry_is_strictly_after() {
        let fixture = Fixture::new();
        let mut expiring = coupon(5, "old", DiscountType::FixedCart, dec!(5));
        expiring.date_expires = Some(UnixTime(1_000));
        assert_eq!(fixture.code_of(&expiring), None);
        expiring.date_expires = Some(UnixTime(999));
        let error = fixture
            .validate(&expiring, CouponUsage::default())
            .unwrap_err();
        assert_eq!(
            (error.code, error.message.as_str()),
            (107, "Coupon \"old\" has expired.")
        );
    }

    #[test]
    fn minimum_and_maximum_spend() {
        let fixture = Fixture::new();
        let mut minimum = coupon(5, "big", DiscountType::FixedCart, dec!(5));
        minimum.minimum_amount = dec!(100);
        let error = fixture
            .validate(&minimum, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 108);
        assert_eq!(
            error.message,
            "The minimum spend for coupon \"big\" is $100.00."
        );
        minimum.minimum_amount = dec!(75);
        assert_eq!(fixture.code_of(&minimum), None);
        let mut maximum = coupon(6, "small", DiscountType::FixedCart, dec!(5));
        maximum.maximum_amount = dec!(50);
        let error = fixture
            .validate(&maximum, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 112);
        assert_eq!(
            error.message,
            "The maximum spend for coupon \"small\" is $50.00."
        );
    }

    #[test]
    fn product_and_category_lists_must_meet_the_cart() {
        let fixture = Fixture::new();
        let mut products = coupon(5, "p", DiscountType::Percent, dec!(10));
        products.product_ids = vec![99];
        let error = fixture
            .validate(&products, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 109);
        assert_eq!(
            error.message,
            "Sorry, this coupon is not applicable to selected products."
        );
        products.product_ids = vec![12];
        assert_eq!(fixture.code_of(&products), None);
        let mut categories = coupon(6, "c", DiscountType::FixedCart, dec!(5));
        categories.product_categories = vec![18];
        assert_eq!(fixture.code_of(&categories), Some(109));
        categories.product_categories = vec![17];
        assert_eq!(fixture.code_of(&categories), None);
    }

    #[test]
    fn product_coupon_needs_one_eligible_line() {
        let fixture = Fixture::new();
        let mut excluded_everything = coupon(5, "x", DiscountType::FixedProduct, dec!(1));
        excluded_everything.excluded_product_categories = vec![16, 17];
        assert_eq!(fixture.code_of(&excluded_everything), Some(109));
        excluded_everything.excluded_product_categories = vec![16];
        assert_eq!(fixture.code_of(&excluded_everything), None);
    }

    #[test]
    fn cart_coupon_exclusions_name_the_products_and_categories() {
        let fixture = Fixture::new();
        let mut no_sale = coupon(5, "nosale", DiscountType::FixedCart, dec!(5));
        no_sale.exclude_sale_items = true;
        let error = fixture
            .validate(&no_sale, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 110);
        assert_eq!(
            error.message,
            "Sorry, coupon \"nosale\" is not valid for sale items."
        );
        let mut not_tees = coupon(6, "notee", DiscountType::FixedCart, dec!(5));
        not_tees.excluded_product_ids = vec![10, 11];
        let error = fixture
            .validate(&not_tees, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 113);
        assert_eq!(
            error.message,
            "Sorry, coupon \"notee\" is not applicable to the products: Basic T-Shirt, Hoodie."
        );
        let mut not_clothes = coupon(7, "noclothes", DiscountType::FixedCart, dec!(5));
        not_clothes.excluded_product_categories = vec![16];
        let error = fixture
            .validate(&not_clothes, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 114);
        assert_eq!(
            error.message,
            "Sorry, coupon \"noclothes\" is not applicable to the categories: Clothing."
        );
    }

    #[test]
    fn email_restrictions_with_wildcards() {
        let mut fixture = Fixture::new();
        let mut restricted = coupon(5, "staff", DiscountType::FixedCart, dec!(5));
        restricted.email_restrictions = vec!["*.local".into()];
        let error = fixture
            .validate(&restricted, CouponUsage::default())
            .unwrap_err();
        assert_eq!(error.code, 102);
        assert_eq!(
            error.message,
            "Please enter a valid email at checkout to use coupon code \"staff\"."
        );
        fixture.customer.billing_email = "Customer@WC.local".into();
        assert_eq!(fixture.code_of(&restricted), None);
        restricted.email_restrictions = vec!["boss@shop.com".into()];
        assert_eq!(fixture.code_of(&restricted), Some(102));
    }

    #[test]
    fn product_rules_for_lines() {
        let mut line = cart_line(21, dec!(22), dec!(1));
        line.variation_id = 24;
        line.on_sale = true;
        line.category_ids = vec![16];
        let mut polo = coupon(5, "polo", DiscountType::Percent, dec!(10));
        polo.product_ids = vec![21];
        assert!(is_valid_for_line(&polo, &line));
        polo.exclude_sale_items = true;
        assert!(!is_valid_for_line(&polo, &line));
        let mut variation = coupon(6, "v", DiscountType::Percent, dec!(10));
        variation.product_ids = vec![24];
        assert!(is_valid_for_line(&variation, &line));
        variation.excluded_product_categories = vec![16];
        assert!(!is_valid_for_line(&variation, &line));
        let cart = coupon(7, "cart", DiscountType::FixedCart, dec!(10));
        let mut excluded_cart = cart.clone();
        excluded_cart.excluded_product_ids = vec![21];
        assert!(applies_to_line(&excluded_cart, &line));
    }

    #[test]
    fn application_order() {
        let fixed_cart = coupon(1, "fc", DiscountType::FixedCart, dec!(5));
        let percent_big = coupon(2, "p20", DiscountType::Percent, dec!(20));
        let percent_small = coupon(3, "p10", DiscountType::Percent, dec!(10));
        let fixed_product = coupon(4, "fp", DiscountType::FixedProduct, dec!(50));
        let mut coupons = [&fixed_cart, &percent_big, &percent_small, &fixed_product];
        coupons.sort_by(|a, b| compare_for_application(a, b, false));
        let codes: Vec<&str> = coupons.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, vec!["fp", "p10", "p20", "fc"]);
        let mut coupons = [&fixed_cart, &percent_big, &percent_small, &fixed_product];
        coupons.sort_by(|a, b| compare_for_application(a, b, true));
        let codes: Vec<&str> = coupons.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(codes, vec!["fp", "p20", "p10", "fc"]);
    }

    #[test]
    fn email_wildcards_match_any_text() {
        assert!(email_matches("*", "anyone@shop.com"));
        assert!(email_matches("ann@*.test", "ann@example.test"));
        assert!(email_matches("a*b*c", "aXbYc"));
        assert!(!email_matches("a*b*c", "aXcYb"));
        assert!(!email_matches("ann@example.test", "ann@example.testing"));
    }
}
