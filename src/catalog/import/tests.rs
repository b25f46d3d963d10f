//! Importer tests: the peer-store folder and WooCommerce's sample CSV files, read from
//! disk through [`load`], and broken copies of them written to a temporary folder.

use std::path::{Path, PathBuf};

use rust_decimal_macros::dec;

use super::{ImportError, load, load_path, parse_csv, wc_json};
use crate::catalog::Catalog;
use crate::catalog::fixtures::{PEER_STORE_FILES, SAMPLE_PRODUCTS_CSV, peer_store_data};
use crate::catalog::model::{
    AttributeOptions, AttributeValue, DiscountType, FreeShippingRequires, ManageStock, PostStatus,
    ProductType, ShippingMethodSettings, StockStatus, TaxBasedOn, TaxStatus,
};

fn testdata(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/catalog/testdata")
        .join(path)
}

/// The peer-store folder copied to a temporary folder, with `file` replaced by
/// `contents` (or removed when `None`).
fn peer_store_copy_with(file: &str, contents: Option<&str>) -> tempfile::TempDir {
    let folder = tempfile::tempdir().unwrap();
    for (name, original) in PEER_STORE_FILES {
        if name != file {
            std::fs::write(folder.path().join(name), original).unwrap();
        }
    }
    if let Some(contents) = contents {
        std::fs::write(folder.path().join(file), contents).unwrap();
    }
    folder
}

fn error_of(folder: &tempfile::TempDir) -> String {
    load(&[folder.path().to_path_buf()])
        .unwrap_err()
        .to_string()
}

#[test]
fn peer_store_folder_imports_the_live_catalog() {
    let data = load(&[testdata("peer-store")]).unwrap();
    assert_eq!(data, peer_store_data());
    assert_eq!(data.products.len(), 16);
    assert_eq!(
        data.products
            .iter()
            .filter(|p| p.product_type == ProductType::Variation)
            .count(),
        4
    );
    assert_eq!(data.coupons.len(), 2);
    assert_eq!(data.tax_rates.len(), 2);
    assert_eq!(data.tax_classes.len(), 3);
    assert_eq!(data.shipping_zones.len(), 2);
    assert_eq!(data.attributes.len(), 1);
    assert_eq!(data.terms.len(), 6);

    let catalog = Catalog::new(data);
    let tshirt = catalog.product(10).unwrap().record();
    assert_eq!(tshirt.sku, "PEER-TSHIRT");
    assert_eq!(tshirt.regular_price.unwrap().to_string(), "20.00");
    assert_eq!(tshirt.sale_price, None);
    assert_eq!(tshirt.weight, Some(dec!(0.2)));
    assert_eq!(tshirt.category_ids, vec![16]);
    assert_eq!(
        tshirt.date_created.unwrap().format_iso(0),
        "2026-11-22T02:44:03"
    );
    // The export shows descriptions after `wpautop`; CoCart prints the stored text.
    assert_eq!(tshirt.description, "Basic T-Shirt description.");
    assert_eq!(
        tshirt.short_description,
        "Short description of Basic T-Shirt."
    );
    assert_eq!(
        tshirt.permalink,
        "http://127.0.0.1:8081/product/basic-t-shirt/"
    );
    assert_eq!(
        catalog.product(11).unwrap().record().sale_price,
        Some(dec!(40.00))
    );
    assert_eq!(
        catalog.product(14).unwrap().record().tax_status,
        TaxStatus::None
    );
    assert!(catalog.product(15).unwrap().record().is_virtual);
    assert!(catalog.product(16).unwrap().record().sold_individually);
    let poster = catalog.product(17).unwrap().record();
    assert_eq!(
        (poster.manage_stock, poster.stock_quantity),
        (ManageStock::Yes, Some(dec!(5)))
    );
    assert_eq!(
        catalog.product(18).unwrap().record().stock_status,
        StockStatus::OutOfStock
    );
    assert_eq!(
        catalog.product(19).unwrap().record().tax_class,
        "reduced-rate"
    );

    let polo = catalog.product(21).unwrap().record();
    assert_eq!(polo.attributes.len(), 2);
    assert_eq!(polo.attributes[0].name, "pa_color");
    assert_eq!(
        polo.attributes[0].options,
        AttributeOptions::Terms(vec![20, 19])
    );
    assert!(polo.attributes[0].variation);
    assert_eq!(polo.attributes[1].name, "Size");
    assert_eq!(
        polo.attributes[1].options,
        AttributeOptions::Values(vec!["S".into(), "M".into(), "L".into()])
    );
    let blue_medium = catalog.product(24).unwrap().record();
    assert_eq!(blue_medium.parent_id, 21);
    assert_eq!(
        blue_medium.variation_attributes,
        vec![
            AttributeValue {
                key: "pa_color".into(),
                value: "blue".into()
            },
            AttributeValue {
                key: "size".into(),
                value: "M".into()
            },
        ]
    );
    assert_eq!(blue_medium.name, "Classic Polo - Blue, M");
    assert_eq!(blue_medium.slug, "classic-polo-blue-m");
    assert_eq!(
        (blue_medium.regular_price, blue_medium.sale_price),
        (Some(dec!(27.00)), Some(dec!(22.00)))
    );
    assert_eq!(
        catalog.product(25).unwrap().record().stock_quantity,
        Some(dec!(3))
    );
}

#[test]
fn peer_store_settings_taxes_zones_and_coupons() {
    let catalog = Catalog::new(peer_store_data());
    let settings = catalog.settings();
    assert_eq!(
        (
            settings.currency.as_str(),
            settings.currency_symbol.as_str()
        ),
        ("USD", "$")
    );
    assert_eq!(
        (settings.base_country.as_str(), settings.base_state.as_str()),
        ("US", "CA")
    );
    assert_eq!(settings.base_postcode, "94105");
    assert!(settings.calc_taxes && !settings.prices_include_tax);
    assert_eq!(settings.tax_based_on, TaxBasedOn::Shipping);
    assert_eq!(settings.shipping_tax_class, "inherit");
    assert!(!settings.tax_round_at_subtotal);
    assert_eq!(settings.price_decimals, 2);
    assert_eq!(
        (
            settings.weight_unit.as_str(),
            settings.dimension_unit.as_str()
        ),
        ("kg", "cm")
    );
    assert_eq!(settings.placeholder_image_id, 4);
    assert!(settings.manage_stock);
    // The export has no catalog order option; CoCart then sorts by date (recording 31).
    assert_eq!(settings.default_catalog_orderby, "date");

    let standard = &catalog.tax_rates()[0];
    assert_eq!((standard.id, standard.country.as_str()), (1, "US"));
    assert_eq!(standard.rate.to_string(), "10.0000");
    assert!(standard.shipping && !standard.compound);
    assert_eq!(standard.class, "");
    let reduced = &catalog.tax_rates()[1];
    assert_eq!(
        (reduced.class.as_str(), reduced.rate),
        ("reduced-rate", dec!(5))
    );
    assert!(!reduced.shipping);

    let zone = &catalog.shipping_zones()[1];
    assert_eq!((zone.id, zone.locations[0].code.as_str()), (1, "US"));
    let ShippingMethodSettings::FlatRate(flat_rate) = &zone.methods[0].settings else {
        panic!("the first method is a flat rate");
    };
    assert_eq!(flat_rate.cost, "10");
    assert_eq!(zone.methods[0].settings.method_id(), "flat_rate");
    let ShippingMethodSettings::FreeShipping(free) = &zone.methods[1].settings else {
        panic!("the second method is free shipping");
    };
    assert_eq!(free.requires, FreeShippingRequires::MinAmount);
    assert_eq!(free.min_amount, dec!(100));
    assert_eq!(zone.methods[1].title, "Free shipping");
    assert!(catalog.shipping_zones()[0].methods.is_empty());

    let percent = catalog.coupon_by_code("peer20").unwrap();
    assert_eq!(
        (percent.discount_type.clone(), percent.amount),
        (DiscountType::Percent, dec!(20.00))
    );
    assert_eq!(percent.usage_limit, None);
    let fixed = catalog.coupon_by_code("PEER5OFF").unwrap();
    assert_eq!(fixed.discount_type, DiscountType::FixedCart);
    assert_eq!(fixed.minimum_amount, dec!(0));
}

#[test]
fn importing_twice_equals_importing_once() {
    let folder = testdata("peer-store");
    let once = load(std::slice::from_ref(&folder)).unwrap();
    let twice = load(&[folder.clone(), folder]).unwrap();
    assert_eq!(twice, once);
    let csv = testdata("woocommerce/sample_products.csv");
    assert_eq!(
        load(&[csv.clone(), csv.clone()]).unwrap(),
        load(&[csv]).unwrap()
    );
}

#[test]
fn optional_files_may_be_missing() {
    let only_products = peer_store_copy_with("products.json", None);
    std::fs::write(
        only_products.path().join("products.json"),
        PEER_STORE_FILES[7].1,
    )
    .unwrap();
    for (name, _) in PEER_STORE_FILES {
        if name != "products.json" {
            std::fs::remove_file(only_products.path().join(name)).unwrap();
        }
    }
    let data = load(&[only_products.path().to_path_buf()]).unwrap();
    assert_eq!(data.products.len(), 12);
    assert_eq!(data.settings, None);
    assert_eq!(data.tax_classes, wc_json::default_tax_classes());
    let catalog = Catalog::new(data);
    assert_eq!(
        catalog.term(16).unwrap().name,
        "Clothing",
        "from the embedded categories"
    );
    let color = catalog.attribute(1).unwrap();
    assert_eq!(
        (color.name.as_str(), color.label.as_str()),
        ("color", "Color")
    );
    assert_eq!(
        catalog.term_by_slug("pa_color", "blue").unwrap().name,
        "Blue"
    );
}

#[test]
fn products_json_is_required() {
    let folder = peer_store_copy_with("products.json", None);
    assert_eq!(
        error_of(&folder),
        "products.json: the folder has no products.json"
    );
}

#[test]
fn a_bad_price_names_the_product_and_field() {
    let broken = PEER_STORE_FILES[7].1.replacen(
        "\"regular_price\": \"20.00\"",
        "\"regular_price\": \"abc\"",
        1,
    );
    let folder = peer_store_copy_with("products.json", Some(&broken));
    assert_eq!(
        error_of(&folder),
        "products.json: product 10: field \"regular_price\": \"abc\" is not a number"
    );
}

#[test]
fn a_variation_of_an_unknown_parent_is_an_error() {
    let broken = PEER_STORE_FILES[8].1.replacen("\"21\":", "\"99\":", 1);
    let folder = peer_store_copy_with("variations.json", Some(&broken));
    assert_eq!(
        error_of(&folder),
        "variations.json: variation 25 of product 99: unknown parent product 99"
    );
}

#[test]
fn invalid_json_and_bad_enums_are_reported() {
    let folder = peer_store_copy_with("coupons.json", Some("[{"));
    assert!(error_of(&folder).starts_with("coupons.json: invalid JSON: "));
    let broken = PEER_STORE_FILES[7].1.replacen(
        "\"stock_status\": \"instock\"",
        "\"stock_status\": \"plenty\"",
        1,
    );
    let folder = peer_store_copy_with("products.json", Some(&broken));
    assert_eq!(
        error_of(&folder),
        "products.json: product 21: field \"stock_status\": \"plenty\" is not one of instock, outofstock, onbackorder"
    );
    let broken = PEER_STORE_FILES[2]
        .1
        .replacen("\"rate\": \"10.0000\"", "\"rate\": \"ten\"", 1);
    let folder = peer_store_copy_with("taxes.json", Some(&broken));
    assert_eq!(
        error_of(&folder),
        "taxes.json: tax rate 1: field \"rate\": \"ten\" is not a number"
    );
}

#[test]
fn a_duplicate_sku_fails_validation_after_import() {
    let broken = PEER_STORE_FILES[8]
        .1
        .replacen("\"PEER-POLO-BLUE-L\"", "\"PEER-TSHIRT\"", 1);
    let folder = peer_store_copy_with("variations.json", Some(&broken));
    let message = error_of(&folder);
    assert!(
        message.ends_with("product 25: SKU \"PEER-TSHIRT\" is already used by product 10"),
        "{message}"
    );
}

#[test]
fn maximum_discount_is_read_from_field_or_meta() {
    let with_meta = PEER_STORE_FILES[9].1.replacen(
        "\"meta_data\": []",
        "\"meta_data\": [{\"id\": 5, \"key\": \"maximum_discount\", \"value\": \"15\"}, {\"id\": 6, \"key\": \"note\", \"value\": \"x\"}]",
        1,
    );
    let with_field = PEER_STORE_FILES[9].1.replacen(
        "\"maximum_amount\": \"0.00\",",
        "\"maximum_amount\": \"0.00\", \"maximum_discount\": \"7.5\",",
        1,
    );
    for (contents, expected) in [(with_meta, dec!(15)), (with_field, dec!(7.5))] {
        let folder = peer_store_copy_with("coupons.json", Some(&contents));
        let data = load(&[folder.path().to_path_buf()]).unwrap();
        let coupon = data.coupons.iter().find(|c| c.id == 27).unwrap();
        assert_eq!(coupon.maximum_discount, Some(expected));
        assert!(
            coupon
                .meta
                .iter()
                .all(|entry| entry.key != "maximum_discount")
        );
    }
}

#[test]
fn sample_product_csv_imports() {
    let data = load(&[testdata("woocommerce/sample_products.csv")]).unwrap();
    assert_eq!(data.products.len(), 25);
    assert_eq!(data.settings, None);
    let catalog = Catalog::new(data);
    let vneck = catalog.product(44).unwrap();
    assert_eq!(*vneck.product_type(), ProductType::Variable);
    assert_eq!(catalog.variation_ids(44), &[76, 77, 78]);
    let record = vneck.record();
    assert_eq!(record.attributes[0].name, "pa_color");
    assert!(
        record
            .attributes
            .iter()
            .all(|attribute| attribute.variation)
    );
    let tshirts = catalog.term(record.category_ids[0]).unwrap();
    assert_eq!(tshirts.name, "Tshirts");
    assert_eq!(catalog.term(tshirts.parent).unwrap().name, "Clothing");
    assert_eq!(
        catalog.image(record.image_id).unwrap().src["full"],
        "https://woocommercecore.mystagingwebsite.com/wp-content/uploads/2017/12/vneck-tee-2.jpg"
    );
    assert_eq!(record.gallery_image_ids.len(), 2);
    assert_eq!(record.meta[0].key, "_wpcom_is_markdown");
    assert_eq!(
        (record.weight, record.length, record.width, record.height),
        (
            Some(dec!(0.5)),
            Some(dec!(24)),
            Some(dec!(1)),
            Some(dec!(2))
        )
    );

    let red = catalog.product(76).unwrap();
    assert_eq!(
        red.record().variation_attributes,
        vec![AttributeValue {
            key: "pa_color".into(),
            value: "red".into(),
        }]
    );
    assert_eq!(red.name(), "V-Neck T-Shirt - Red");
    assert_eq!(red.record().regular_price, Some(dec!(20)));
    let red_medium = vec![
        ("attribute_pa_color".to_string(), "red".to_string()),
        ("attribute_pa_size".to_string(), "medium".to_string()),
    ];
    assert_eq!(catalog.find_matching_variation(44, &red_medium), Ok(76));

    let hoodie_red = catalog.product(79).unwrap();
    assert_eq!(hoodie_red.name(), "Hoodie - Red, No");
    assert_eq!(hoodie_red.record().menu_order, 1);
    assert_eq!(
        hoodie_red.price(crate::catalog::model::UnixTime(0)),
        Some(dec!(42))
    );
    let group = catalog.product(87).unwrap().record();
    assert_eq!(group.grouped_products, vec![46, 47, 48]);
    let album = catalog.product(73).unwrap().record();
    assert!(album.is_virtual && album.downloadable);
    let pennant = catalog.product(89).unwrap().record();
    assert_eq!(pennant.product_type, ProductType::External);
    assert_eq!(
        pennant.product_url,
        "https://mercantile.wordpress.org/product/wordpress-pennant/"
    );
    assert_eq!(pennant.status, PostStatus::Publish);
    assert_eq!(
        catalog
            .product_by_sku("woo-belt")
            .unwrap()
            .record()
            .sale_price,
        Some(dec!(55))
    );
}

#[test]
fn csv_errors_name_the_line_and_column() {
    let broken = SAMPLE_PRODUCTS_CSV.replacen(
        ",18,\"Clothing > Tshirts\"",
        ",eighteen,\"Clothing > Tshirts\"",
        1,
    );
    assert!(broken != SAMPLE_PRODUCTS_CSV, "the fixture changed");
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("products.csv");
    std::fs::write(&path, broken).unwrap();
    assert_eq!(
        load_path(&path).unwrap_err().to_string(),
        "products.csv: line 5: field \"Regular price\": \"eighteen\" is not a number"
    );
    let orphan = SAMPLE_PRODUCTS_CSV.replacen(".jpg,,,woo-vneck-tee,", ".jpg,,,woo-missing,", 1);
    assert_eq!(
        parse_csv("products.csv", &orphan).unwrap_err().to_string(),
        "products.csv: line 16: field \"Parent\": no product has the SKU \"woo-missing\""
    );
    assert!(matches!(
        parse_csv("x.csv", "a,b\n1,2\n"),
        Err(ImportError::File { .. })
    ));
}

#[test]
fn tax_rate_csv_is_recognised_by_its_header() {
    let data = load(&[testdata("woocommerce/sample_tax_rates.csv")]).unwrap();
    assert_eq!(data.tax_rates.len(), 5);
    assert!(data.products.is_empty());
}

#[test]
fn other_files_are_rejected() {
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("catalog.xml");
    std::fs::write(&path, "<xml/>").unwrap();
    assert!(
        load_path(&path)
            .unwrap_err()
            .to_string()
            .starts_with("catalog.xml: ")
    );
    let missing = folder.path().join("nothing");
    assert!(matches!(load_path(&missing), Err(ImportError::Io { .. })));
}

#[test]
fn reviews_json_is_read_when_present() {
    let reviews = r#"[
      {"id": 40, "date_created": "2026-11-01T10:00:00", "date_created_gmt": "2026-11-01T10:00:00",
       "product_id": 13, "status": "approved", "reviewer": "Ana", "reviewer_email": "ana@example.test",
       "review": "<p>Keeps coffee hot.</p>", "rating": 5, "verified": true},
      {"id": 41, "product_id": 13, "status": "hold", "reviewer": "Bo", "review": "Meh", "rating": 2}
    ]"#;
    let folder = peer_store_copy_with("reviews.json", Some(reviews));
    let data = load(&[folder.path().to_path_buf()]).unwrap();
    assert_eq!(data.reviews.len(), 2);
    let first = &data.reviews[0];
    assert_eq!(
        (first.product_id, first.rating, first.verified),
        (13, 5, true)
    );
    assert_eq!(
        first.date_created.unwrap().format_iso(0),
        "2026-11-01T10:00:00"
    );
    assert_eq!(data.reviews[1].status, "hold");
    let orphan = reviews.replace(
        "\"product_id\": 13, \"status\": \"hold\"",
        "\"product_id\": 99, \"status\": \"hold\"",
    );
    let folder = peer_store_copy_with("reviews.json", Some(&orphan));
    assert!(error_of(&folder).ends_with("review 41: unknown product 99"));
    let bad_rating = reviews.replace("\"rating\": 2", "\"rating\": 9");
    let folder = peer_store_copy_with("reviews.json", Some(&bad_rating));
    assert_eq!(
        error_of(&folder),
        "reviews.json: review 41: field \"rating\": 9 is not between 0 and 5"
    );
}

#[test]
fn rest_paragraphs_are_stored_as_plain_text() {
    let products = r#"[{"id": 7, "name": "P", "type": "simple", "regular_price": "1.00",
        "description": "<p>One<br />\ntwo</p>\n<p>Three</p>\n",
        "short_description": "<div>kept</div>\n<p>as is</p>\n"}]"#;
    let data = super::wc_json::parse(&[("products.json", products)]).unwrap();
    let product = data.products.iter().find(|p| p.id == 7).unwrap();
    assert_eq!(product.description, "One\ntwo\n\nThree");
    assert_eq!(product.short_description, "<div>kept</div>\n<p>as is</p>\n");
}
