//! Test fixtures: the peer store (a real WooCommerce store's REST export, the catalog the
//! CoCart recordings were made on) and WooCommerce's sample CSV files, embedded so that
//! tests anywhere in the crate can build a catalog without touching the file system.

use super::Catalog;
use super::import::{product_csv, wc_json};
use super::model::CatalogData;

/// The peer store's folder as `(file name, contents)` pairs.
pub const PEER_STORE_FILES: [(&str, &str); 10] = [
    (
        "settings.json",
        include_str!("testdata/peer-store/settings.json"),
    ),
    (
        "tax-classes.json",
        include_str!("testdata/peer-store/tax-classes.json"),
    ),
    ("taxes.json", include_str!("testdata/peer-store/taxes.json")),
    (
        "shipping-zones.json",
        include_str!("testdata/peer-store/shipping-zones.json"),
    ),
    (
        "categories.json",
        include_str!("testdata/peer-store/categories.json"),
    ),
    ("tags.json", include_str!("testdata/peer-store/tags.json")),
    (
        "attributes.json",
        include_str!("testdata/peer-store/attributes.json"),
    ),
    (
        "products.json",
        include_str!("testdata/peer-store/products.json"),
    ),
    (
        "variations.json",
        include_str!("testdata/peer-store/variations.json"),
    ),
    (
        "coupons.json",
        include_str!("testdata/peer-store/coupons.json"),
    ),
];

/// WooCommerce's sample product CSV.
pub const SAMPLE_PRODUCTS_CSV: &str = include_str!("testdata/woocommerce/sample_products.csv");

/// WooCommerce's sample tax-rate CSV.
pub const SAMPLE_TAX_RATES_CSV: &str = include_str!("testdata/woocommerce/sample_tax_rates.csv");

/// The peer store imported.
pub fn peer_store_data() -> CatalogData {
    wc_json::parse(&PEER_STORE_FILES).expect("the peer store imports")
}

/// The peer store as a snapshot.
pub fn peer_store() -> Catalog {
    Catalog::new(peer_store_data())
}

/// WooCommerce's sample product CSV imported.
pub fn sample_products_data() -> CatalogData {
    product_csv::parse("sample_products.csv", SAMPLE_PRODUCTS_CSV).expect("the sample CSV imports")
}
