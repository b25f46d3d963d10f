//! Reading `settings.json` (the `general`, `products`, `tax` and `shipping` groups of
//! `GET /wc/v3/settings/{group}`) into [`StoreSettings`]. Options not listed here do not
//! change carts or products and are ignored.

use serde_json::Value;

use super::ImportError;
use super::reader::{RecordReader, parse_bool, parse_decimal_value};
use crate::catalog::model::{
    CurrencyPosition, DefaultCustomerAddress, StoreSettings, TaxBasedOn, TaxDisplay,
    TaxTotalDisplay,
};

/// The settings groups `settings.json` may hold.
const GROUPS: [&str; 4] = ["general", "products", "tax", "shipping"];

/// The symbol WooCommerce shows for a currency code (HTML entities decoded); the code
/// itself for currencies not listed.
pub(super) fn currency_symbol(code: &str) -> String {
    let symbol = match code {
        "USD" | "AUD" | "CAD" | "NZD" | "SGD" | "HKD" | "MXN" | "ARS" | "CLP" | "COP" | "BSD"
        | "BBD" | "BMD" | "BND" | "BZD" | "FJD" | "GYD" | "JMD" | "KYD" | "LRD" | "NAD" | "SBD"
        | "SRD" | "TTD" | "TVD" | "XCD" => "$",
        "EUR" => "€",
        "GBP" | "EGP" | "FKP" | "GIP" | "SHP" | "SSP" | "SYP" => "£",
        "JPY" | "CNY" => "¥",
        "INR" => "₹",
        "BRL" => "R$",
        "CHF" => "CHF",
        "SEK" | "NOK" => "kr",
        "DKK" | "ISK" => "kr.",
        "PLN" => "zł",
        "CZK" => "Kč",
        "HUF" => "Ft",
        "RON" => "lei",
        "BGN" => "лв.",
        "RUB" => "₽",
        "UAH" => "₴",
        "TRY" => "₺",
        "ILS" => "₪",
        "KRW" => "₩",
        "THB" => "฿",
        "VND" => "₫",
        "PHP" => "₱",
        "NGN" => "₦",
        "IDR" => "Rp",
        "MYR" => "RM",
        "ZAR" => "R",
        "KES" => "KSh",
        "PEN" => "S/",
        "AED" => "د.إ",
        "SAR" => "ر.س",
        "PKR" => "₨",
        "BDT" => "৳",
        other => other,
    };
    symbol.to_string()
}

/// Splits WooCommerce's `COUNTRY:STATE` option.
fn split_country(value: &str) -> (String, String) {
    match value.split_once(':') {
        Some((country, state)) => (country.to_string(), state.to_string()),
        None => (value.to_string(), String::new()),
    }
}

/// The catalog order CoCart's product collections use when the store has no
/// `woocommerce_default_catalog_orderby` option (WooCommerce's REST settings groups never
/// export it; recording 31 shows the newest product first).
const UNSET_CATALOG_ORDERBY: &str = "date";

/// Reads `settings.json` contents.
pub(super) fn parse(file: &str, contents: &Value) -> Result<StoreSettings, ImportError> {
    let root = RecordReader::new(file, "settings".to_string(), contents)?;
    let mut settings = StoreSettings {
        default_catalog_orderby: UNSET_CATALOG_ORDERBY.to_string(),
        ..StoreSettings::default()
    };
    for group in GROUPS {
        for (index, value) in root.array(group)?.iter().enumerate() {
            let id =
                RecordReader::new(file, format!("{group} option {index}"), value)?.string("id")?;
            let option = RecordReader::new(file, format!("{group} option {id}"), value)?;
            apply(&mut settings, &id, &option)?;
        }
    }
    settings.currency_symbol = currency_symbol(&settings.currency);
    Ok(settings)
}

/// Applies one option to `settings`.
fn apply(settings: &mut StoreSettings, id: &str, option: &RecordReader) -> Result<(), ImportError> {
    let text = || option.string("value");
    let flag = || {
        let value = option.value("value").unwrap_or(&Value::Null);
        match value {
            Value::Null => Ok(false),
            other => parse_bool(other)
                .ok_or_else(|| option.field_error("value", format!("{other} is not yes or no"))),
        }
    };
    let list = || option.strings("value");
    let one_of = |allowed: &[&str]| -> Result<String, ImportError> {
        let value = text()?;
        if allowed.contains(&value.as_str()) {
            Ok(value)
        } else {
            Err(option.field_error(
                "value",
                format!("\"{value}\" is not one of {}", allowed.join(", ")),
            ))
        }
    };
    let display = || -> Result<TaxDisplay, ImportError> {
        Ok(match one_of(&["incl", "excl"])?.as_str() {
            "incl" => TaxDisplay::Incl,
            _ => TaxDisplay::Excl,
        })
    };
    match id {
        "woocommerce_store_address" => settings.base_address = text()?,
        "woocommerce_store_address_2" => settings.base_address_2 = text()?,
        "woocommerce_store_city" => settings.base_city = text()?,
        "woocommerce_store_postcode" => settings.base_postcode = text()?,
        "woocommerce_default_country" => {
            (settings.base_country, settings.base_state) = split_country(&text()?);
        }
        "woocommerce_allowed_countries" => settings.allowed_countries = text()?,
        "woocommerce_all_except_countries" => settings.all_except_countries = list()?,
        "woocommerce_specific_allowed_countries" => settings.specific_allowed_countries = list()?,
        "woocommerce_ship_to_countries" => settings.ship_to_countries = text()?,
        "woocommerce_specific_ship_to_countries" => settings.specific_ship_to_countries = list()?,
        "woocommerce_default_customer_address" => {
            settings.default_customer_address =
                match one_of(&["", "base", "geolocation", "geolocation_ajax"])?.as_str() {
                    "base" => DefaultCustomerAddress::Base,
                    "geolocation" => DefaultCustomerAddress::Geolocation,
                    "geolocation_ajax" => DefaultCustomerAddress::GeolocationAjax,
                    _ => DefaultCustomerAddress::None,
                }
        }
        "woocommerce_calc_taxes" => settings.calc_taxes = flag()?,
        "woocommerce_enable_coupons" => settings.enable_coupons = flag()?,
        "woocommerce_calc_discounts_sequentially" => settings.calc_discounts_sequentially = flag()?,
        "woocommerce_currency" => settings.currency = text()?,
        "woocommerce_currency_pos" => {
            settings.currency_position =
                match one_of(&["left", "right", "left_space", "right_space"])?.as_str() {
                    "right" => CurrencyPosition::Right,
                    "left_space" => CurrencyPosition::LeftSpace,
                    "right_space" => CurrencyPosition::RightSpace,
                    _ => CurrencyPosition::Left,
                }
        }
        "woocommerce_price_thousand_sep" => settings.thousand_separator = text()?,
        "woocommerce_price_decimal_sep" => settings.decimal_separator = text()?,
        "woocommerce_price_num_decimals" => {
            settings.price_decimals = option
                .u64("value")?
                .try_into()
                .map_err(|_| option.field_error("value", "too many decimals"))?
        }
        "woocommerce_shop_page_id" => settings.shop_page_id = option.u64("value")?,
        "woocommerce_placeholder_image" => settings.placeholder_image_id = option.u64("value")?,
        "woocommerce_weight_unit" => settings.weight_unit = text()?,
        "woocommerce_dimension_unit" => settings.dimension_unit = text()?,
        "woocommerce_enable_reviews" => settings.enable_reviews = flag()?,
        "woocommerce_review_rating_required" => settings.review_rating_required = flag()?,
        "woocommerce_review_rating_verification_required" => {
            settings.review_rating_verification_required = flag()?
        }
        "woocommerce_manage_stock" => settings.manage_stock = flag()?,
        "woocommerce_notify_no_stock_amount" => {
            let value = option.value("value").unwrap_or(&Value::Null);
            settings.notify_no_stock_amount = parse_decimal_value(value)
                .map_err(|()| option.field_error("value", format!("{value} is not a number")))?
                .unwrap_or_default();
        }
        "woocommerce_hide_out_of_stock_items" => settings.hide_out_of_stock_items = flag()?,
        "woocommerce_default_catalog_orderby" => settings.default_catalog_orderby = text()?,
        "woocommerce_prices_include_tax" => settings.prices_include_tax = flag()?,
        "woocommerce_tax_based_on" => {
            settings.tax_based_on = match one_of(&["shipping", "billing", "base"])?.as_str() {
                "billing" => TaxBasedOn::Billing,
                "base" => TaxBasedOn::Base,
                _ => TaxBasedOn::Shipping,
            }
        }
        "woocommerce_shipping_tax_class" => {
            let class = text()?;
            settings.shipping_tax_class = if class == "standard" {
                String::new()
            } else {
                class
            };
        }
        "woocommerce_tax_round_at_subtotal" => settings.tax_round_at_subtotal = flag()?,
        "woocommerce_tax_display_shop" => settings.tax_display_shop = display()?,
        "woocommerce_tax_display_cart" => settings.tax_display_cart = display()?,
        "woocommerce_price_display_suffix" => settings.price_display_suffix = text()?,
        "woocommerce_tax_total_display" => {
            settings.tax_total_display = match one_of(&["single", "itemized"])?.as_str() {
                "single" => TaxTotalDisplay::Single,
                _ => TaxTotalDisplay::Itemized,
            }
        }
        "woocommerce_shipping_cost_requires_address" => {
            settings.shipping_cost_requires_address = flag()?
        }
        "woocommerce_hide_invisible_variations" => settings.hide_invisible_variations = flag()?,
        _ => {}
    }
    Ok(())
}
