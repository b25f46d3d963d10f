//! The stored cart: what a session holds between requests.
//!
//! This is the logical content of CoCart's session map (cart-key-and-sessions.md §7):
//! lines in insertion order, the removed (restorable) lines, coupons, fees, chosen
//! shipping, the customer, queued notices and the last calculated totals. It is plain
//! serialisable data; storage picks the encoding.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::catalog::model::{DefaultCustomerAddress, StoreSettings};

/// One shopper's cart.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Cart {
    /// Live lines in the order they were added (a restored line goes to the end).
    pub lines: Vec<CartLine>,
    /// Removed lines that can be restored, in removal order.
    pub removed_lines: Vec<CartLine>,
    /// Applied coupon codes, lower-cased, in application order.
    pub applied_coupons: Vec<String>,
    /// Fees added to the cart.
    pub fees: Vec<Fee>,
    /// Chosen shipping rate id per package index (`flat_rate:1`).
    pub chosen_shipping_methods: Vec<String>,
    /// Billing and shipping details.
    pub customer: Customer,
    /// Notices waiting to be shown by the next response that renders the cart.
    pub notices: Notices,
    /// WooCommerce's 15 cart totals from the last calculation.
    pub totals: CartTotals,
    /// The payment gateway chosen through `POST cocart/v1/payment-methods` (`""` = none).
    #[serde(default)]
    pub chosen_payment_method: String,
}

impl Cart {
    /// An empty cart whose customer starts in the store's base country and state.
    pub fn new(base_country: &str, base_state: &str) -> Self {
        Self {
            customer: Customer::new(base_country, base_state),
            ..Self::default()
        }
    }

    /// Fills the location gaps WooCommerce fills whenever it loads a customer from the
    /// session: no billing country or state → the store's default location; no shipping
    /// country or state and no shipping address at all → the billing ones.
    pub fn apply_location_defaults(&mut self, settings: &StoreSettings) {
        let (country, state) = match settings.default_customer_address {
            DefaultCustomerAddress::Base => {
                (settings.base_country.as_str(), settings.base_state.as_str())
            }
            _ => ("", ""),
        };
        let customer = &mut self.customer;
        let has_shipping_address = customer.shipping.has_any_field();
        if customer.billing.country.is_empty() {
            customer.billing.country = country.to_owned();
        }
        if customer.shipping.country.is_empty() && !has_shipping_address {
            customer.shipping.country = customer.billing.country.clone();
        }
        if customer.billing.state.is_empty() {
            customer.billing.state = state.to_owned();
        }
        if customer.shipping.state.is_empty() && !has_shipping_address {
            customer.shipping.state = customer.billing.state.clone();
        }
    }

    /// An empty cart for a new shopper of `settings`' store: located at the store base
    /// when the store assumes that (`woocommerce_default_customer_address = base`), else
    /// with no location (cartd cannot geolocate).
    pub fn for_store(settings: &StoreSettings) -> Self {
        match settings.default_customer_address {
            DefaultCustomerAddress::Base => Self::new(&settings.base_country, &settings.base_state),
            _ => Self::new("", ""),
        }
    }

    /// The live line with `key`.
    pub fn line(&self, key: &str) -> Option<&CartLine> {
        self.lines.iter().find(|line| line.key == key)
    }

    /// The live line with `key`, mutably.
    pub fn line_mut(&mut self, key: &str) -> Option<&mut CartLine> {
        self.lines.iter_mut().find(|line| line.key == key)
    }

    /// The removed line with `key`.
    pub fn removed_line(&self, key: &str) -> Option<&CartLine> {
        self.removed_lines.iter().find(|line| line.key == key)
    }

    /// True when the cart has no live lines.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Sum of the live lines' quantities.
    pub fn item_count(&self) -> Decimal {
        total(self.lines.iter().map(|line| line.quantity))
    }

    /// Sum of the removed lines' quantities (`items/count?removed_items=true`).
    pub fn removed_item_count(&self) -> Decimal {
        total(self.removed_lines.iter().map(|line| line.quantity))
    }

    /// Units already in the cart for a stock owner (a product, or the parent of variations
    /// that share its stock), as the in-cart stock checks count them.
    pub fn quantity_for_stock_owner(
        &self,
        stock_owner: u64,
        owner_of: impl Fn(&CartLine) -> u64,
    ) -> Decimal {
        total(
            self.lines
                .iter()
                .filter(|line| owner_of(line) == stock_owner)
                .map(|line| line.quantity),
        )
    }

    /// The cart fingerprint (cart-key-and-sessions.md §7a), byte for byte as WooCommerce
    /// computes it: md5 of the stored lines JSON-encoded the way WordPress encodes them,
    /// followed by the grand total with the store's price decimals; `""` without lines.
    pub fn hash(&self, price_decimals: u32) -> String {
        if self.lines.is_empty() {
            return String::new();
        }
        let stored: Map<String, Value> = self
            .lines
            .iter()
            .map(|line| (line.key.clone(), line.session_value()))
            .collect();
        let encoded = wordpress_json(&Value::Object(stored));
        let total = format!("{:.*}", price_decimals as usize, self.totals.total);
        format!("{:x}", md5::compute(format!("{encoded}{total}")))
    }
}

/// Sums quantities or amounts, saturating instead of overflowing on absurd inputs.
pub fn total(values: impl Iterator<Item = Decimal>) -> Decimal {
    values.fold(Decimal::ZERO, Decimal::saturating_add)
}

/// One cart line.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CartLine {
    /// The 32-hex item key (see [`crate::cart::item_key`]).
    pub key: String,
    /// The product, or the parent product of a variation.
    pub product_id: u64,
    /// The variation, or 0.
    pub variation_id: u64,
    /// The complete attribute selection (`attribute_pa_color` → `blue`), in the parent's
    /// attribute order; empty for non-variations.
    pub variation: Map<String, Value>,
    /// Quantity; fractional quantities are legal in CoCart.
    pub quantity: Decimal,
    /// WooCommerce's product data hash, used to notice products that changed shape.
    pub data_hash: String,
    /// Custom item data the line was added with (after `cocart_add_cart_item_data`).
    pub item_data: Map<String, Value>,
    /// A per-line unit price set with add-item's `price` (CoCart's `cart_cached`).
    pub price_override: Option<Decimal>,
    /// Line totals from the last calculation.
    pub totals: LineTotals,
}

impl CartLine {
    /// The product whose record describes this line: the variation when there is one.
    pub fn product_record_id(&self) -> u64 {
        if self.variation_id != 0 {
            self.variation_id
        } else {
            self.product_id
        }
    }

    /// The line as WooCommerce stores it in the session and hands it to hooks
    /// (`CartItem` in hooks-and-filters.md §1.3): the custom item data first (WooCommerce
    /// merges the standard fields over it), then the standard fields, tax data and line
    /// totals.
    pub fn session_value(&self) -> Value {
        let number = crate::cart::money::decimal_number;
        let mut object = self.item_data.clone();
        let standard = [
            ("key", Value::from(self.key.clone())),
            ("product_id", Value::from(self.product_id)),
            ("variation_id", Value::from(self.variation_id)),
            ("variation", empty_map_as_list(&self.variation)),
            ("quantity", number(self.quantity)),
            ("data_hash", Value::from(self.data_hash.clone())),
            ("line_tax_data", self.totals.tax_data_value()),
            ("line_subtotal", number(self.totals.subtotal)),
            ("line_subtotal_tax", number(self.totals.subtotal_tax)),
            ("line_total", number(self.totals.total)),
            ("line_tax", number(self.totals.tax)),
        ];
        for (name, value) in standard {
            // A custom key named like a standard field is overwritten where it stands, as
            // PHP's array_merge does.
            object.insert(name.to_owned(), value);
        }
        Value::Object(object)
    }
}

/// JSON as WordPress's `wp_json_encode` writes it with default flags: compact, `/`
/// escaped as `\/`, and every non-ASCII character as a `\uXXXX` escape (UTF-16).
pub fn wordpress_json(value: &Value) -> String {
    let mut encoded = String::new();
    for character in value.to_string().chars() {
        match character {
            '/' => encoded.push_str("\\/"),
            c if c.is_ascii() => encoded.push(c),
            c => {
                let mut units = [0_u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    encoded.push_str(&format!("\\u{unit:04x}"));
                }
            }
        }
    }
    encoded
}

/// PHP prints an empty associative array as `[]`.
pub fn empty_map_as_list(map: &Map<String, Value>) -> Value {
    if map.is_empty() {
        Value::Array(Vec::new())
    } else {
        Value::Object(map.clone())
    }
}

/// A line's totals as WooCommerce calculates them (`line_subtotal` … `line_tax`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct LineTotals {
    /// Before discounts, excluding tax.
    pub subtotal: Decimal,
    /// Tax on the subtotal.
    pub subtotal_tax: Decimal,
    /// After discounts, excluding tax.
    pub total: Decimal,
    /// Tax on the total.
    pub tax: Decimal,
    /// Subtotal tax per tax rate id.
    pub subtotal_taxes: BTreeMap<String, Decimal>,
    /// Total tax per tax rate id.
    pub total_taxes: BTreeMap<String, Decimal>,
}

impl LineTotals {
    /// `line_tax_data`: `{subtotal: {rate: n} | [], total: {rate: n} | []}`.
    pub fn tax_data_value(&self) -> Value {
        let rates = |taxes: &BTreeMap<String, Decimal>| {
            let map: Map<String, Value> = taxes
                .iter()
                .map(|(rate, amount)| (rate.clone(), crate::cart::money::decimal_number(*amount)))
                .collect();
            empty_map_as_list(&map)
        };
        serde_json::json!({"subtotal": rates(&self.subtotal_taxes), "total": rates(&self.total_taxes)})
    }
}

/// WooCommerce's stored cart totals (`cart_totals`, 15 values).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CartTotals {
    /// Sum of line subtotals.
    pub subtotal: Decimal,
    /// Sum of line subtotal taxes.
    pub subtotal_tax: Decimal,
    /// Shipping cost excluding tax.
    pub shipping_total: Decimal,
    /// Shipping tax.
    pub shipping_tax: Decimal,
    /// Shipping tax per rate id.
    pub shipping_taxes: BTreeMap<String, Decimal>,
    /// Discounts excluding tax.
    pub discount_total: Decimal,
    /// Tax removed by discounts.
    pub discount_tax: Decimal,
    /// Sum of line totals.
    pub cart_contents_total: Decimal,
    /// Sum of line taxes.
    pub cart_contents_tax: Decimal,
    /// Line tax per rate id.
    pub cart_contents_taxes: BTreeMap<String, Decimal>,
    /// Fees excluding tax.
    pub fee_total: Decimal,
    /// Fee tax.
    pub fee_tax: Decimal,
    /// Fee tax per rate id.
    pub fee_taxes: BTreeMap<String, Decimal>,
    /// Grand total.
    pub total: Decimal,
    /// All tax.
    pub total_tax: Decimal,
}

/// A fee on the cart.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fee {
    /// Fee id (sanitised name).
    pub id: String,
    /// Display name.
    pub name: String,
    /// Amount as entered.
    pub amount: Decimal,
    /// Whether the fee is taxed.
    pub taxable: bool,
    /// Tax class slug (`""` = standard).
    pub tax_class: String,
    /// Calculated total excluding tax.
    pub total: Decimal,
    /// Calculated tax.
    pub tax: Decimal,
}

/// One address block, with WooCommerce's field names: a cart's billing and shipping
/// details, and a registered user's stored addresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Address {
    /// First name.
    pub first_name: String,
    /// Last name.
    pub last_name: String,
    /// Company.
    pub company: String,
    /// ISO country code.
    pub country: String,
    /// Address line 1.
    pub address_1: String,
    /// Address line 2.
    pub address_2: String,
    /// City.
    pub city: String,
    /// State code.
    pub state: String,
    /// Postcode.
    pub postcode: String,
    /// Phone (billing only in the default checkout fields).
    pub phone: String,
    /// Email (billing only in the default checkout fields).
    pub email: String,
}

impl Address {
    /// Every field with its name, in WooCommerce's checkout order (`first_name` …
    /// `email`).
    pub fn fields(&self) -> [(&'static str, &str); 11] {
        [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("company", &self.company),
            ("country", &self.country),
            ("address_1", &self.address_1),
            ("address_2", &self.address_2),
            ("city", &self.city),
            ("state", &self.state),
            ("postcode", &self.postcode),
            ("phone", &self.phone),
            ("email", &self.email),
        ]
    }

    /// Copies every non-empty field of `other` over this address.
    pub fn fill_from(&mut self, other: &Address) {
        for (name, value) in other.fields() {
            if let Some(slot) = self.field_mut(name).filter(|_| !value.is_empty()) {
                value.clone_into(slot);
            }
        }
    }

    /// The field named `name` (`first_name` … `email`), if it is an address field.
    pub fn field_mut(&mut self, name: &str) -> Option<&mut String> {
        Some(match name {
            "first_name" => &mut self.first_name,
            "last_name" => &mut self.last_name,
            "company" => &mut self.company,
            "country" => &mut self.country,
            "address_1" => &mut self.address_1,
            "address_2" => &mut self.address_2,
            "city" => &mut self.city,
            "state" => &mut self.state,
            "postcode" => &mut self.postcode,
            "phone" => &mut self.phone,
            "email" => &mut self.email,
            _ => return None,
        })
    }
}

/// The shopper's details as the session's customer object holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    /// Billing address, phone and email.
    pub billing: Address,
    /// Shipping address.
    pub shipping: Address,
    /// Whether the shopper has calculated shipping.
    pub calculated_shipping: bool,
    /// Other `billing_*`/`shipping_*` fields without a setter, stored as customer meta.
    pub meta: BTreeMap<String, String>,
}

impl Address {
    /// Whether any field holds more than white space (WooCommerce's
    /// `has_shipping_address`).
    pub fn has_any_field(&self) -> bool {
        [
            &self.first_name,
            &self.last_name,
            &self.company,
            &self.country,
            &self.address_1,
            &self.address_2,
            &self.city,
            &self.state,
            &self.postcode,
            &self.phone,
            &self.email,
        ]
        .iter()
        .any(|field| !field.trim().is_empty())
    }
}

impl Customer {
    /// A customer located in the store's base country and state.
    pub fn new(base_country: &str, base_state: &str) -> Self {
        let located = || Address {
            country: base_country.to_owned(),
            state: base_state.to_owned(),
            ..Address::default()
        };
        Self {
            billing: located(),
            shipping: located(),
            ..Self::default()
        }
    }
}

/// Notices queued for the next cart response (`wc_notices`), by type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Notices {
    /// Errors.
    pub error: Vec<String>,
    /// Successes.
    pub success: Vec<String>,
    /// Plain notices.
    pub notice: Vec<String>,
    /// Informational notices.
    pub info: Vec<String>,
}

impl Notices {
    /// True when nothing is queued.
    pub fn is_empty(&self) -> bool {
        self.error.is_empty()
            && self.success.is_empty()
            && self.notice.is_empty()
            && self.info.is_empty()
    }

    /// Takes every queued notice, leaving the queue empty (notices are shown once).
    pub fn drain(&mut self) -> Notices {
        std::mem::take(self)
    }

    /// The v2 `notices` value: `[]`, or the non-empty types in the order error, success,
    /// notice, info.
    pub fn to_value(&self) -> Value {
        let mut object = Map::new();
        for (kind, list) in [
            ("error", &self.error),
            ("success", &self.success),
            ("notice", &self.notice),
            ("info", &self.info),
        ] {
            if !list.is_empty() {
                object.insert(kind.into(), Value::from(list.clone()));
            }
        }
        empty_map_as_list(&object)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_address_fills_from_the_non_empty_fields_of_another() {
        let mut cart_address = Address {
            country: "US".into(),
            city: "Austin".into(),
            ..Address::default()
        };
        let stored = Address {
            first_name: "Ann".into(),
            country: "GB".into(),
            ..Address::default()
        };
        cart_address.fill_from(&stored);
        assert_eq!(
            (
                cart_address.first_name.as_str(),
                cart_address.country.as_str(),
                cart_address.city.as_str()
            ),
            ("Ann", "GB", "Austin")
        );
        assert_eq!(cart_address.fields()[0], ("first_name", "Ann"));
    }

    #[test]
    fn session_lines_put_custom_data_first_as_woocommerce_merges_it() {
        let line = CartLine {
            key: "k".into(),
            product_id: 10,
            variation_id: 0,
            variation: Map::new(),
            quantity: Decimal::TWO,
            data_hash: "h".into(),
            item_data: json!({"engraving": "Ann", "quantity": 99})
                .as_object()
                .cloned()
                .unwrap(),
            price_override: None,
            totals: LineTotals::default(),
        };
        let value = line.session_value();
        let names: Vec<&str> = value
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            names,
            [
                "engraving",
                "quantity",
                "key",
                "product_id",
                "variation_id",
                "variation",
                "data_hash",
                "line_tax_data",
                "line_subtotal",
                "line_subtotal_tax",
                "line_total",
                "line_tax"
            ]
        );
        assert_eq!(value["quantity"], json!(2));
    }

    #[test]
    fn notices_render_non_empty_types_in_order_and_drain() {
        let mut notices = Notices::default();
        assert_eq!(notices.to_value(), json!([]));
        notices.info.push("i".into());
        notices.error.push("e".into());
        assert_eq!(
            notices.to_value().to_string(),
            r#"{"error":["e"],"info":["i"]}"#
        );
        assert_eq!(notices.drain().info, ["i"]);
        assert!(notices.is_empty());
    }
}
