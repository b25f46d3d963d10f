//! Snapshot tests on the imported peer store (the catalog the CoCart recordings were made
//! on), plus small variations of it for the rules the peer store does not exercise.

use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::fixtures::{peer_store, peer_store_data};
use super::model::{
    AttributeOptions, AttributeValue, Backorders, CatalogData, CatalogVisibility, ManageStock,
    PostStatus, ProductAttribute, ProductType, StockStatus, TaxStatus, UnixTime,
};
use super::{Catalog, DataError, IdentifierError, LineRef, VariationError};

const NOW: UnixTime = UnixTime(1_795_315_444);

fn selection(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(key, value)| (key.to_string(), value.to_string()))
        .collect()
}

/// The peer store with one change applied to its data.
fn peer_store_with(change: impl FnOnce(&mut CatalogData)) -> Catalog {
    let mut data = peer_store_data();
    change(&mut data);
    Catalog::new(data)
}

fn product_mut(data: &mut CatalogData, id: u64) -> &mut super::model::Product {
    data.products
        .iter_mut()
        .find(|product| product.id == id)
        .unwrap()
}

#[test]
fn lookups_by_id_slug_sku_and_term() {
    let catalog = peer_store();
    assert_eq!(catalog.product(10).unwrap().name(), "Basic T-Shirt");
    assert!(catalog.product(999).is_none());
    assert_eq!(catalog.product_by_slug("classic-polo").unwrap().id(), 21);
    assert!(catalog.product_by_slug("classic-polo-blue-m").is_none());
    assert_eq!(catalog.product_by_sku("PEER-POLO-BLUE-M").unwrap().id(), 24);
    assert!(catalog.product_by_sku("peer-polo-blue-m").is_none());
    assert_eq!(catalog.variation_ids(21), &[22, 23, 24, 25]);
    assert!(catalog.variation_ids(10).is_empty());
    assert_eq!(catalog.term_by_slug("pa_color", "blue").unwrap().id, 20);
    assert_eq!(catalog.term(16).unwrap().name, "Clothing");
    assert_eq!(catalog.terms_in("product_cat").count(), 4);
    assert_eq!(
        catalog.attribute_by_taxonomy("pa_color").unwrap().label,
        "Color"
    );
    assert_eq!(catalog.coupon_by_code(" PEER20 ").unwrap().id, 26);
    assert!(catalog.coupon_by_code("nope").is_none());
}

#[test]
fn tax_classes_are_listed_standard_first_then_by_name() {
    let catalog = peer_store();
    let slugs: Vec<&str> = catalog
        .tax_classes()
        .iter()
        .map(|class| class.slug.as_str())
        .collect();
    assert_eq!(slugs, vec!["", "reduced-rate", "zero-rate"]);
    assert_eq!(catalog.normalize_tax_class("reduced-rate"), "reduced-rate");
    assert_eq!(catalog.normalize_tax_class("no-such-class"), "");
}

#[test]
fn identifiers_resolve_ids_and_skus() {
    let catalog = peer_store();
    assert_eq!(catalog.resolve_identifier("21"), Ok(21));
    assert_eq!(catalog.resolve_identifier("24.9"), Ok(24));
    assert_eq!(catalog.resolve_identifier("999"), Ok(999));
    assert_eq!(catalog.resolve_identifier("-3"), Ok(0));
    assert_eq!(catalog.resolve_identifier("PEER-POLO-BLUE-M"), Ok(24));
    assert_eq!(catalog.resolve_identifier("PEER-POLO"), Ok(21));
    assert_eq!(
        catalog.resolve_identifier(""),
        Err(IdentifierError::Required)
    );
    assert_eq!(
        catalog.resolve_identifier("0"),
        Err(IdentifierError::Required)
    );
    let unknown = catalog.resolve_identifier("NOPE").unwrap_err();
    assert_eq!(unknown.code(), "cocart_unknown_product_id");
}

#[test]
fn trashed_records_do_not_exist_and_lose_their_sku() {
    let catalog = peer_store_with(|data| product_mut(data, 10).status = PostStatus::Trash);
    let product = catalog.product(10).unwrap();
    assert!(!product.exists());
    assert!(!product.is_purchasable(NOW));
    assert_eq!(
        catalog.resolve_identifier("PEER-TSHIRT"),
        Err(IdentifierError::UnknownSku("PEER-TSHIRT".to_string()))
    );
}

#[test]
fn purchasable_follows_type_status_and_price() {
    let catalog = peer_store();
    assert!(catalog.product(10).unwrap().is_purchasable(NOW));
    assert!(catalog.product(21).unwrap().is_purchasable(NOW));
    assert!(catalog.product(24).unwrap().is_purchasable(NOW));
    let catalog = peer_store_with(|data| {
        product_mut(data, 10).regular_price = None;
        product_mut(data, 11).status = PostStatus::Draft;
        product_mut(data, 21).status = PostStatus::Private;
        product_mut(data, 12).product_type = ProductType::External;
    });
    assert!(!catalog.product(10).unwrap().is_purchasable(NOW));
    assert!(!catalog.product(11).unwrap().is_purchasable(NOW));
    assert!(!catalog.product(12).unwrap().is_purchasable(NOW));
    let variation = catalog.product(24).unwrap();
    assert!(variation.variation_visible(NOW));
    assert!(!variation.publicly_viewable());
    assert!(
        !variation.is_purchasable(NOW),
        "the parent is not published"
    );
}

#[test]
fn stock_of_simple_products_and_variations() {
    let catalog = peer_store();
    let poster = catalog.product(17).unwrap();
    assert!(poster.managing_stock());
    assert_eq!(poster.stock_quantity(), Some(dec!(5)));
    assert_eq!(poster.max_purchase_quantity(), Some(dec!(5)));
    assert!(poster.has_enough_stock(dec!(5)));
    assert!(!poster.has_enough_stock(dec!(6)));
    assert!(!poster.is_on_backorder(dec!(6)));

    let sneakers = catalog.product(18).unwrap();
    assert_eq!(sneakers.stock_status(), StockStatus::OutOfStock);
    assert!(!sneakers.is_in_stock());
    assert!(!sneakers.managing_stock());
    assert_eq!(sneakers.max_purchase_quantity(), None);

    let blue_large = catalog.product(25).unwrap();
    assert_eq!(blue_large.stock_quantity(), Some(dec!(3)));
    assert_eq!(blue_large.stock_managed_by_id(), 25);
    assert_eq!(blue_large.max_purchase_quantity(), Some(dec!(3)));

    let polo = catalog.product(21).unwrap();
    assert_eq!(polo.stock_status(), StockStatus::InStock);
    assert_eq!(polo.min_purchase_quantity(), Decimal::ONE);
}

#[test]
fn store_switch_turns_stock_management_off() {
    let catalog = peer_store_with(|data| {
        data.settings.as_mut().unwrap().manage_stock = false;
    });
    let poster = catalog.product(17).unwrap();
    assert!(!poster.managing_stock());
    assert!(poster.has_enough_stock(dec!(100)));
    assert_eq!(poster.max_purchase_quantity(), None);
}

#[test]
fn variations_inherit_stock_from_a_managing_parent() {
    let catalog = peer_store_with(|data| {
        let parent = product_mut(data, 21);
        parent.manage_stock = ManageStock::Yes;
        parent.stock_quantity = Some(dec!(2));
        parent.backorders = Backorders::Notify;
    });
    let red_small = catalog.product(22).unwrap();
    assert_eq!(red_small.manage_stock(), ManageStock::Parent);
    assert_eq!(red_small.stock_managed_by_id(), 21);
    assert_eq!(red_small.stock_quantity(), Some(dec!(2)));
    assert!(red_small.backorders_allowed());
    assert!(red_small.backorders_require_notification());
    assert!(!red_small.is_on_backorder(dec!(2)));
    assert!(red_small.is_on_backorder(dec!(3)));
    assert!(red_small.has_enough_stock(dec!(10)));
    assert_eq!(red_small.max_purchase_quantity(), None);
    let blue_large = catalog.product(25).unwrap();
    assert_eq!(
        blue_large.stock_managed_by_id(),
        25,
        "manages its own stock"
    );
}

#[test]
fn managed_stock_sets_the_status_from_the_quantity() {
    let catalog = peer_store_with(|data| {
        product_mut(data, 17).stock_quantity = Some(dec!(0));
        let backordered = product_mut(data, 25);
        backordered.stock_quantity = Some(dec!(-1));
        backordered.backorders = Backorders::Yes;
    });
    assert_eq!(
        catalog.product(17).unwrap().stock_status(),
        StockStatus::OutOfStock
    );
    let backordered = catalog.product(25).unwrap();
    assert_eq!(backordered.stock_status(), StockStatus::OnBackorder);
    assert!(backordered.is_in_stock());
    assert!(backordered.is_on_backorder(Decimal::ZERO));
}

#[test]
fn variable_stock_status_comes_from_the_children() {
    let catalog = peer_store_with(|data| {
        for id in [22, 23, 24] {
            product_mut(data, id).stock_status = StockStatus::OutOfStock;
        }
        product_mut(data, 25).manage_stock = ManageStock::No;
        product_mut(data, 25).stock_status = StockStatus::OnBackorder;
    });
    assert_eq!(
        catalog.product(21).unwrap().stock_status(),
        StockStatus::OnBackorder
    );
}

#[test]
fn sold_individually_limits_to_one_and_variations_use_the_parent_flag() {
    let catalog = peer_store();
    let gift_box = catalog.product(16).unwrap();
    assert!(gift_box.sold_individually());
    assert_eq!(gift_box.max_purchase_quantity(), Some(Decimal::ONE));
    let catalog = peer_store_with(|data| product_mut(data, 21).sold_individually = true);
    assert!(catalog.product(23).unwrap().sold_individually());
}

#[test]
fn prices_follow_the_sale_and_its_schedule() {
    let catalog = peer_store();
    let blue_medium = catalog.product(24).unwrap();
    assert!(blue_medium.is_on_sale(NOW));
    assert_eq!(blue_medium.price(NOW), Some(dec!(22.00)));
    assert_eq!(blue_medium.price(NOW).unwrap().to_string(), "22.00");
    let hoodie = catalog.product(11).unwrap();
    assert_eq!(hoodie.price(NOW), Some(dec!(40.00)));
    assert_eq!(catalog.product(10).unwrap().price(NOW), Some(dec!(20.00)));
    assert!(!catalog.product(10).unwrap().is_on_sale(NOW));

    let catalog = peer_store_with(|data| {
        let hoodie = product_mut(data, 11);
        hoodie.date_on_sale_from = Some(UnixTime(NOW.0 + 60));
        hoodie.date_on_sale_to = Some(UnixTime(NOW.0 + 3600));
    });
    let hoodie = catalog.product(11).unwrap();
    assert!(!hoodie.is_on_sale(NOW));
    assert_eq!(hoodie.price(NOW), Some(dec!(45.00)));
    assert_eq!(hoodie.price(UnixTime(NOW.0 + 60)), Some(dec!(40.00)));
    assert_eq!(hoodie.price(UnixTime(NOW.0 + 3600)), Some(dec!(40.00)));
    assert_eq!(hoodie.price(UnixTime(NOW.0 + 3601)), Some(dec!(45.00)));
}

#[test]
fn a_sale_price_not_below_the_regular_price_is_no_sale() {
    let catalog = peer_store_with(|data| product_mut(data, 10).sale_price = Some(dec!(20.00)));
    let product = catalog.product(10).unwrap();
    assert!(!product.is_on_sale(NOW));
    assert_eq!(product.price(NOW), Some(dec!(20.00)));
}

#[test]
fn variable_prices_come_from_visible_variations() {
    let catalog = peer_store();
    let polo = catalog.product(21).unwrap();
    assert!(polo.is_on_sale(NOW));
    assert_eq!(polo.price(NOW), Some(dec!(22.00)));
    let prices = polo.variation_prices(NOW);
    assert_eq!(
        prices.active.map(|r| (r.min, r.max)),
        Some((dec!(22), dec!(27)))
    );
    assert_eq!(
        prices.regular.map(|r| (r.min, r.max)),
        Some((dec!(25), dec!(27)))
    );
    assert_eq!(
        prices.sale.map(|r| (r.min, r.max)),
        Some((dec!(22), dec!(22)))
    );

    let catalog = peer_store_with(|data| product_mut(data, 24).status = PostStatus::Private);
    let polo = catalog.product(21).unwrap();
    assert!(!polo.is_on_sale(NOW));
    assert_eq!(polo.price(NOW), Some(dec!(25.00)));
}

#[test]
fn variations_inherit_parent_fields() {
    let catalog = peer_store_with(|data| {
        let parent = product_mut(data, 21);
        parent.tax_class = "reduced-rate".to_string();
        parent.tax_status = TaxStatus::Shipping;
        parent.length = Some(dec!(30));
        parent.image_id = 77;
        parent.cross_sell_ids = vec![13];
        parent.catalog_visibility = CatalogVisibility::Hidden;
        let variation = product_mut(data, 22);
        variation.tax_class = "parent".to_string();
        variation.sku = String::new();
        variation.weight = None;
    });
    let red_small = catalog.product(22).unwrap();
    assert_eq!(red_small.tax_class(), "reduced-rate");
    assert_eq!(red_small.tax_status(), TaxStatus::Shipping);
    assert_eq!(red_small.sku(), "PEER-POLO");
    assert_eq!(red_small.weight(), Some(dec!(0.3)));
    assert_eq!(red_small.length(), Some(dec!(30)));
    assert_eq!(red_small.image_id(), 77);
    assert_eq!(red_small.cross_sell_ids(), &[13]);
    assert_eq!(red_small.catalog_visibility(), CatalogVisibility::Hidden);
    assert_eq!(red_small.title(), "Classic Polo");
    assert_eq!(red_small.cart_slug(), "classic-polo");
    assert_eq!(red_small.name(), "Classic Polo - Red, S");
    let red_medium = catalog.product(23).unwrap();
    assert_eq!(
        red_medium.tax_class(),
        "",
        "an explicit standard class stays"
    );
    assert_eq!(red_medium.sku(), "PEER-POLO-RED-M");
}

#[test]
fn shipping_inputs() {
    let catalog = peer_store();
    let ebook = catalog.product(15).unwrap();
    assert!(ebook.is_virtual() && !ebook.needs_shipping());
    assert_eq!(ebook.tax_status(), TaxStatus::None);
    let mug = catalog.product(13).unwrap();
    assert!(mug.has_weight());
    assert_eq!(
        (mug.weight(), mug.length(), mug.width(), mug.height()),
        (
            Some(dec!(0.35)),
            Some(dec!(10)),
            Some(dec!(8)),
            Some(dec!(9))
        )
    );
    assert!(!catalog.product(18).unwrap().has_weight());
    assert_eq!(catalog.product(19).unwrap().tax_class(), "reduced-rate");
}

#[test]
fn finds_the_variation_for_a_selection() {
    let catalog = peer_store();
    let blue_medium = selection(&[("attribute_pa_color", "blue"), ("attribute_size", "M")]);
    assert_eq!(catalog.find_matching_variation(21, &blue_medium), Ok(24));
    let extra = selection(&[
        ("attribute_size", "L"),
        ("attribute_pa_color", "blue"),
        ("attribute_other", "x"),
    ]);
    assert_eq!(catalog.find_matching_variation(21, &extra), Ok(25));
    let capital = selection(&[("attribute_pa_color", "Blue"), ("attribute_size", "M")]);
    assert_eq!(
        catalog.find_matching_variation(21, &capital),
        Err(VariationError::NoMatch)
    );
    let partial = selection(&[("attribute_pa_color", "blue")]);
    assert_eq!(
        catalog.find_matching_variation(21, &partial),
        Err(VariationError::NoMatch)
    );
    assert_eq!(VariationError::NoMatch.code(), "cocart_no_variation_found");
    assert_eq!(VariationError::NoMatch.status(), 404);
}

/// The peer store where variation 22 is "Red, any size" and ordered first.
fn with_any_size() -> Catalog {
    peer_store_with(|data| {
        product_mut(data, 22)
            .variation_attributes
            .retain(|value| value.key != "size");
        product_mut(data, 23).menu_order = 1;
        product_mut(data, 24).menu_order = 1;
        product_mut(data, 25).menu_order = 1;
    })
}

#[test]
fn any_values_match_every_value_and_the_first_in_menu_order_wins() {
    let catalog = with_any_size();
    let red_medium = selection(&[("attribute_pa_color", "red"), ("attribute_size", "M")]);
    assert_eq!(catalog.find_matching_variation(21, &red_medium), Ok(22));
    let red_only = selection(&[("attribute_pa_color", "red")]);
    assert_eq!(catalog.find_matching_variation(21, &red_only), Ok(22));
    let disabled = peer_store_with(|data| product_mut(data, 24).status = PostStatus::Private);
    let blue_medium = selection(&[("attribute_pa_color", "blue"), ("attribute_size", "M")]);
    assert_eq!(
        disabled.find_matching_variation(21, &blue_medium),
        Err(VariationError::NoMatch)
    );
}

#[test]
fn validating_a_selection_fills_fixed_values() {
    let catalog = peer_store();
    let filled = catalog.validate_variation_selection(24, &[]).unwrap();
    assert_eq!(
        filled,
        selection(&[("attribute_pa_color", "blue"), ("attribute_size", "M")])
    );
    let posted = selection(&[("attribute_size", "M"), ("attribute_pa_color", "blue")]);
    assert_eq!(
        catalog.validate_variation_selection(24, &posted).unwrap(),
        posted
    );
}

#[test]
fn validating_a_selection_rejects_wrong_values() {
    let catalog = peer_store();
    let wrong = selection(&[("attribute_pa_color", "red")]);
    let error = catalog
        .validate_variation_selection(24, &wrong)
        .unwrap_err();
    assert_eq!(
        error,
        VariationError::InvalidValue {
            label: "Color".to_string(),
            allowed: vec!["blue".to_string(), "red".to_string()],
        }
    );
    assert_eq!(
        error.to_string(),
        "Invalid value posted for Color. Allowed values: blue, red"
    );
    assert_eq!(
        (error.code(), error.status()),
        ("cocart_invalid_variation_data", 400)
    );
    let name_not_slug = selection(&[("attribute_pa_color", "Blue")]);
    assert!(
        catalog
            .validate_variation_selection(24, &name_not_slug)
            .is_err()
    );
}

#[test]
fn validating_a_selection_reports_missing_any_values() {
    let catalog = with_any_size();
    let error = catalog
        .validate_variation_selection(22, &selection(&[("attribute_pa_color", "red")]))
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Missing variation data for variable product. Size is a required field."
    );
    assert_eq!(error.code(), "cocart_missing_variation_data");
    let chosen = selection(&[("attribute_size", "L")]);
    assert_eq!(
        catalog.validate_variation_selection(22, &chosen).unwrap(),
        selection(&[("attribute_size", "L"), ("attribute_pa_color", "red")])
    );
    let not_offered = selection(&[("attribute_size", "XL")]);
    let error = catalog
        .validate_variation_selection(22, &not_offered)
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "Invalid value posted for Size. Allowed values: S, M, L"
    );

    let both_any = peer_store_with(|data| product_mut(data, 22).variation_attributes.clear());
    let error = both_any.validate_variation_selection(22, &[]).unwrap_err();
    assert_eq!(
        error.to_string(),
        "Missing variation data for variable product. Color and Size are required fields."
    );
}

#[test]
fn a_variation_without_parent_cannot_be_validated() {
    let catalog = peer_store_with(|data| product_mut(data, 21).status = PostStatus::Trash);
    assert_eq!(
        catalog.validate_variation_selection(24, &[]),
        Err(VariationError::InvalidParent)
    );
}

#[test]
fn variation_names_follow_the_attribute_rules() {
    let catalog = with_any_size();
    assert_eq!(
        catalog.variation_display_name(catalog.product(22).unwrap().record()),
        "Classic Polo - Red"
    );
    let hyphenated = peer_store_with(|data| {
        let parent = product_mut(data, 21);
        parent.attributes[1].name = "Shirt size".to_string();
        for id in 22..=25 {
            for value in &mut product_mut(data, id).variation_attributes {
                if value.key == "size" {
                    value.key = "shirt-size".to_string();
                }
            }
        }
    });
    assert_eq!(
        hyphenated.variation_display_name(hyphenated.product(24).unwrap().record()),
        "Classic Polo"
    );
    let three = peer_store_with(|data| {
        product_mut(data, 21).attributes.push(ProductAttribute {
            name: "Fit".to_string(),
            id: 0,
            options: AttributeOptions::Values(vec!["Slim".to_string()]),
            position: 2,
            visible: true,
            variation: true,
        });
        product_mut(data, 24)
            .variation_attributes
            .push(AttributeValue {
                key: "fit".to_string(),
                value: "Slim".to_string(),
            });
    });
    assert_eq!(
        three.variation_display_name(three.product(24).unwrap().record()),
        "Classic Polo"
    );
}

#[test]
fn describes_a_selection_with_labels_and_names() {
    let catalog = peer_store();
    let stored = selection(&[("attribute_pa_color", "blue"), ("attribute_size", "M")]);
    assert_eq!(
        catalog.describe_selection(21, &stored),
        vec![
            ("Color".to_string(), "Blue".to_string()),
            ("Size".to_string(), "M".to_string())
        ]
    );
}

#[test]
fn cross_sells_of_a_cart() {
    let catalog = peer_store_with(|data| {
        product_mut(data, 10).cross_sell_ids = vec![12, 13];
        product_mut(data, 21).cross_sell_ids = vec![13, 14, 10, 18];
        product_mut(data, 14).catalog_visibility = CatalogVisibility::Search;
    });
    let lines = [
        LineRef {
            product_id: 10,
            variation_id: 0,
            quantity: dec!(1),
        },
        LineRef {
            product_id: 21,
            variation_id: 24,
            quantity: dec!(2),
        },
        LineRef {
            product_id: 16,
            variation_id: 0,
            quantity: dec!(0),
        },
    ];
    assert_eq!(catalog.cross_sells(&lines), vec![13, 18, 12]);
    let hidden_out_of_stock = peer_store_with(|data| {
        data.settings.as_mut().unwrap().hide_out_of_stock_items = true;
        product_mut(data, 10).cross_sell_ids = vec![18, 12];
    });
    let line = [LineRef {
        product_id: 10,
        variation_id: 0,
        quantity: dec!(1),
    }];
    assert_eq!(hidden_out_of_stock.cross_sells(&line), vec![12]);
}

#[test]
fn merging_the_same_data_twice_changes_nothing() {
    let once = peer_store_data();
    let mut twice = once.clone();
    twice.merge(peer_store_data());
    assert_eq!(twice, once);
    let mut updated = once.clone();
    let mut change = CatalogData::default();
    let mut product = once.products[0].clone();
    product.name = "Renamed".to_string();
    change.products.push(product);
    updated.merge(change);
    assert_eq!(updated.products.len(), once.products.len());
    assert_eq!(updated.products[0].name, "Renamed");
    assert_eq!(
        updated.settings, once.settings,
        "data without settings keeps them"
    );
}

#[test]
fn validation_names_the_broken_record() {
    assert_eq!(peer_store_data().validate(), Ok(()));
    let mut orphan = peer_store_data();
    product_mut(&mut orphan, 24).parent_id = 99;
    assert_eq!(
        orphan.validate(),
        Err(DataError::UnknownParent {
            variation: 24,
            parent: 99
        })
    );
    assert_eq!(
        orphan.validate().unwrap_err().to_string(),
        "product 24: variation of unknown parent 99"
    );
    let mut shared_sku = peer_store_data();
    product_mut(&mut shared_sku, 11).sku = "PEER-TSHIRT".to_string();
    assert_eq!(
        shared_sku.validate().unwrap_err().to_string(),
        "product 11: SKU \"PEER-TSHIRT\" is already used by product 10"
    );
    let mut not_variable = peer_store_data();
    product_mut(&mut not_variable, 24).parent_id = 10;
    assert!(matches!(
        not_variable.validate(),
        Err(DataError::ParentNotVariable {
            variation: 24,
            parent: 10
        })
    ));
    let mut unknown_category = peer_store_data();
    product_mut(&mut unknown_category, 10)
        .category_ids
        .push(404);
    assert_eq!(
        unknown_category.validate().unwrap_err().to_string(),
        "product 10: unknown product_cat term 404"
    );
}

#[test]
fn catalog_data_round_trips_through_json() {
    let data = peer_store_data();
    let json = serde_json::to_string(&data).unwrap();
    let back: CatalogData = serde_json::from_str(&json).unwrap();
    assert_eq!(back, data);
}

#[test]
fn grouped_and_external_products_are_not_purchasable() {
    let catalog = Catalog::new(super::fixtures::sample_products_data());
    let group = catalog.product(87).unwrap();
    assert!(!group.is_purchasable(NOW));
    assert_eq!(group.price(NOW), None);
    let children: Vec<u64> = group.grouped_children().map(|child| child.id()).collect();
    assert_eq!(children, vec![46, 47, 48]);
    assert!(group.is_on_sale(NOW), "the beanie (48) is on sale");
    let pennant = catalog.product(89).unwrap();
    assert_eq!(pennant.price(NOW), Some(dec!(11.05)));
    assert!(!pennant.is_purchasable(NOW));
}

#[test]
fn numeric_identifiers_follow_php_is_numeric() {
    let catalog = peer_store();
    assert_eq!(catalog.resolve_identifier(" 12"), Ok(12));
    assert_eq!(catalog.resolve_identifier("1e1"), Ok(10));
    assert_eq!(catalog.resolve_identifier("+17"), Ok(17));
    assert_eq!(
        catalog.resolve_identifier("12abc"),
        Err(IdentifierError::UnknownSku("12abc".to_string()))
    );
    assert_eq!(
        catalog.resolve_identifier("."),
        Err(IdentifierError::UnknownSku(".".to_string()))
    );
}
