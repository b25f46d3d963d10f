//! A small store of our own, so that cartd can be tried (and tested end to end) without a
//! WooCommerce export: a variable tee with an "any size" variation, a sold-individually
//! product, limited and sold-out stock, standard, reduced-rate and untaxed products, one US
//! shipping zone with a flat rate and free shipping from 75, a percent and a fixed-cart
//! coupon, USD settings. It is kept in the WooCommerce JSON folder format and loaded
//! through the same importer as a merchant's export.

use super::import::wc_json;
use super::model::CatalogData;

/// The demo store's folder as `(file name, contents)` pairs.
pub const FILES: [(&str, &str); 9] = [
    ("settings.json", include_str!("settings.json")),
    ("tax-classes.json", include_str!("tax-classes.json")),
    ("taxes.json", include_str!("taxes.json")),
    ("shipping-zones.json", include_str!("shipping-zones.json")),
    ("categories.json", include_str!("categories.json")),
    ("attributes.json", include_str!("attributes.json")),
    ("products.json", include_str!("products.json")),
    ("variations.json", include_str!("variations.json")),
    ("coupons.json", include_str!("coupons.json")),
];

/// The demo store's catalog.
pub fn demo() -> CatalogData {
    wc_json::parse(&FILES).expect("the embedded demo store is a valid import (tested)")
}

#[cfg(test)]
mod tests {
    use rust_decimal_macros::dec;

    use super::demo;
    use crate::catalog::Catalog;
    use crate::catalog::model::{
        DiscountType, FreeShippingRequires, ShippingMethodSettings, StockStatus, TaxStatus,
        UnixTime,
    };

    const NOW: UnixTime = UnixTime(1_800_000_000);

    #[test]
    fn demo_store_loads_and_validates() {
        let data = demo();
        assert_eq!(data.validate(), Ok(()));
        assert_eq!(data.products.len(), 12);
        assert_eq!(data.settings.as_ref().unwrap().currency, "USD");
    }

    #[test]
    fn demo_store_has_what_a_storefront_needs_to_try() {
        let catalog = Catalog::new(demo());
        let selection = [
            ("attribute_pa_color".to_string(), "white".to_string()),
            ("attribute_size".to_string(), "L".to_string()),
        ];
        assert_eq!(catalog.find_matching_variation(100, &selection), Ok(113));
        assert_eq!(
            catalog.validate_variation_selection(113, &selection[..1]),
            Err(crate::catalog::VariationError::Missing {
                labels: vec!["Size".to_string()]
            })
        );
        assert_eq!(
            catalog.product(113).unwrap().name(),
            "Organic Cotton Tee - White"
        );
        assert_eq!(catalog.product(112).unwrap().price(NOW), Some(dec!(21.00)));
        assert_eq!(catalog.product(100).unwrap().price(NOW), Some(dec!(21.00)));
        assert!(catalog.product(102).unwrap().sold_individually());
        assert_eq!(
            catalog.product(103).unwrap().max_purchase_quantity(),
            Some(dec!(2))
        );
        assert_eq!(
            catalog.product(104).unwrap().stock_status(),
            StockStatus::OutOfStock
        );
        assert_eq!(catalog.product(105).unwrap().tax_class(), "reduced-rate");
        let ebook = catalog.product(106).unwrap();
        assert_eq!(ebook.tax_status(), TaxStatus::None);
        assert!(!ebook.needs_shipping());
        assert_eq!(catalog.tax_rates().len(), 2);
        let methods = &catalog.shipping_zones()[1].methods;
        assert!(matches!(
            methods[0].settings,
            ShippingMethodSettings::FlatRate(_)
        ));
        let ShippingMethodSettings::FreeShipping(free) = &methods[1].settings else {
            panic!("the second method is free shipping");
        };
        assert_eq!(
            (free.requires, free.min_amount),
            (FreeShippingRequires::MinAmount, dec!(75))
        );
        assert_eq!(
            catalog.coupon_by_code("WELCOME10").unwrap().discount_type,
            DiscountType::Percent
        );
        assert_eq!(
            catalog.coupon_by_code("save5").unwrap().minimum_amount,
            dec!(25)
        );
        let cart = [crate::catalog::LineRef {
            product_id: 100,
            variation_id: 110,
            quantity: dec!(1),
        }];
        assert_eq!(catalog.cross_sells(&cart), vec![101, 107]);
    }
}
