//! A hand-built copy of the peer-store catalog (shared/reference/peer-store) for tests.
//!
//! Unit tests change single fields of this catalog to build their cases; restating the
//! export field by field keeps those tests independent of the importer (the recording
//! replays use the importer itself).

use rust_decimal::Decimal;

use crate::catalog::model::{
    AttributeOptions, AttributeTaxonomy, AttributeValue, CatalogData, ManageStock, PostStatus,
    Product, ProductAttribute, ProductType, StockStatus, StoreSettings, TaxStatus, Term, UnixTime,
};

/// The site URL the peer store was recorded on.
pub const PEER_BASE_URL: &str = "http://127.0.0.1:8081";

fn decimal(text: &str) -> Option<Decimal> {
    if text.is_empty() {
        None
    } else {
        text.parse().ok()
    }
}

fn at(text: &str) -> Option<UnixTime> {
    UnixTime::parse(text)
}

/// A published product of the peer store as the export describes it.
fn peer_product(
    id: u64,
    name: &str,
    sku: &str,
    price: &str,
    category: u64,
    created: &str,
) -> Product {
    let slug = &name.to_lowercase().replace(' ', "-");
    let mut product = Product::new(id, name);
    product.slug = slug.to_string();
    product.permalink = format!("{PEER_BASE_URL}/product/{slug}/");
    product.description = format!("{name} description.");
    product.short_description = format!("Short description of {name}.");
    product.sku = format!("PEER-{sku}");
    product.regular_price = decimal(price);
    product.category_ids = vec![category];
    product.date_created = at(created);
    product.date_modified = at(created);
    product
}

fn term(id: u64, taxonomy: &str, name: &str, slug: &str, count: u64) -> Term {
    Term {
        count,
        display: "default".to_string(),
        ..Term::new(id, taxonomy, name, slug)
    }
}

fn variation(id: u64, color: &str, size: &str, regular: &str, sale: &str) -> Product {
    let color_name = if color == "red" { "Red" } else { "Blue" };
    let mut product = Product::new(id, &format!("Classic Polo - {color_name}, {size}"));
    product.product_type = ProductType::Variation;
    product.parent_id = 21;
    product.slug = format!("classic-polo-{color}-{}", size.to_lowercase());
    product.permalink = format!(
        "{PEER_BASE_URL}/product/classic-polo/?attribute_pa_color={color}&attribute_size={size}"
    );
    product.sku = format!("PEER-POLO-{}-{size}", color.to_uppercase());
    product.regular_price = decimal(regular);
    product.sale_price = decimal(sale);
    product.weight = decimal("0.3");
    product.date_created = at("2026-11-22T02:44:04");
    product.date_modified = at("2026-11-22T02:44:04");
    product.variation_attributes = vec![
        AttributeValue {
            key: "pa_color".into(),
            value: color.into(),
        },
        AttributeValue {
            key: "size".into(),
            value: size.into(),
        },
    ];
    product
}

/// The peer-store catalog.
pub fn peer_store() -> CatalogData {
    let (early, late) = ("2026-11-22T02:44:03", "2026-11-22T02:44:04");
    let mut products = vec![
        peer_product(10, "Basic T-Shirt", "TSHIRT", "20.00", 16, early),
        peer_product(11, "Hoodie", "HOODIE", "45.00", 16, early),
        peer_product(12, "Baseball Cap", "CAP", "15.00", 17, early),
        peer_product(13, "Coffee Mug", "MUG", "9.99", 17, early),
        peer_product(14, "Sticker Pack", "STICKER", "4.50", 17, early),
        peer_product(15, "E-Book Guide", "EBOOK", "12.00", 18, early),
        peer_product(16, "Gift Box", "GIFTBOX", "25.00", 17, early),
        peer_product(17, "Limited Poster", "POSTER", "30.00", 18, early),
        peer_product(18, "Sold Out Sneakers", "SNEAKERS", "80.00", 16, late),
        peer_product(19, "Paperback Book", "BOOK", "18.00", 18, late),
        peer_product(20, "Backpack", "BACKPACK", "55.00", 17, late),
        peer_product(21, "Classic Polo", "POLO", "", 16, late),
    ];
    let by_id = |products: &mut Vec<Product>, id: u64| -> usize {
        products.iter().position(|p| p.id == id).unwrap()
    };
    let weights = [
        (10, "0.2"),
        (11, "0.6"),
        (12, "0.1"),
        (13, "0.35"),
        (19, "0.4"),
        (20, "1.1"),
        (21, "0.3"),
    ];
    for (id, weight) in weights {
        let i = by_id(&mut products, id);
        products[i].weight = decimal(weight);
    }
    let i = by_id(&mut products, 11);
    products[i].sale_price = decimal("40.00");
    let i = by_id(&mut products, 13);
    (products[i].length, products[i].width, products[i].height) =
        (decimal("10"), decimal("8"), decimal("9"));
    let i = by_id(&mut products, 20);
    (products[i].length, products[i].width, products[i].height) =
        (decimal("45"), decimal("30"), decimal("15"));
    for id in [14, 15] {
        let i = by_id(&mut products, id);
        products[i].tax_status = TaxStatus::None;
    }
    let i = by_id(&mut products, 15);
    products[i].is_virtual = true;
    let i = by_id(&mut products, 16);
    products[i].sold_individually = true;
    let i = by_id(&mut products, 17);
    products[i].manage_stock = ManageStock::Yes;
    products[i].stock_quantity = decimal("5");
    let i = by_id(&mut products, 18);
    products[i].stock_status = StockStatus::OutOfStock;
    let i = by_id(&mut products, 19);
    products[i].tax_class = "reduced-rate".into();
    let i = by_id(&mut products, 21);
    let polo = &mut products[i];
    polo.product_type = ProductType::Variable;
    polo.sku = "PEER-POLO".into();
    polo.short_description = "A polo with colour and size.".into();
    polo.attributes = vec![
        ProductAttribute {
            name: "pa_color".into(),
            id: 1,
            options: AttributeOptions::Terms(vec![20, 19]),
            position: 0,
            visible: true,
            variation: true,
        },
        ProductAttribute {
            name: "Size".into(),
            id: 0,
            options: AttributeOptions::Values(vec!["S".into(), "M".into(), "L".into()]),
            position: 1,
            visible: true,
            variation: true,
        },
    ];
    let mut blue_large = variation(25, "blue", "L", "27.00", "");
    blue_large.manage_stock = ManageStock::Yes;
    blue_large.stock_quantity = decimal("3");
    products.extend([
        variation(22, "red", "S", "25.00", ""),
        variation(23, "red", "M", "25.00", ""),
        variation(24, "blue", "M", "27.00", "22.00"),
        blue_large,
    ]);
    for product in &mut products {
        product.status = PostStatus::Publish;
    }

    let settings = StoreSettings {
        calc_taxes: true,
        default_catalog_orderby: "date".into(),
        placeholder_image_id: 4,
        shop_page_id: 5,
        ..StoreSettings::default()
    };
    CatalogData {
        settings: Some(settings),
        products,
        attributes: vec![AttributeTaxonomy {
            id: 1,
            name: "color".into(),
            label: "Color".into(),
            attribute_type: "select".into(),
            order_by: "menu_order".into(),
            has_archives: false,
        }],
        terms: vec![
            term(15, "product_cat", "Uncategorized", "uncategorized", 0),
            term(16, "product_cat", "Clothing", "clothing", 4),
            term(17, "product_cat", "Accessories", "accessories", 5),
            term(18, "product_cat", "Media", "media", 3),
            term(19, "pa_color", "Red", "red", 1),
            term(20, "pa_color", "Blue", "blue", 1),
        ],
        ..CatalogData::default()
    }
}

/// The query-string `params` of a request to `route` (a path as declared in `routes.json`,
/// e.g. `/cocart/v2/products`) after the HTTP layer's merging, validation and coercion
/// against that route's declared argument schemas, as a handler receives them.
pub fn validated(
    route: &str,
    params: serde_json::Value,
) -> Result<serde_json::Map<String, serde_json::Value>, crate::error::ApiError> {
    let declared: serde_json::Value = serde_json::from_str(include_str!("routes.json")).unwrap();
    let args = declared
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["route"] == route)
        .unwrap_or_else(|| panic!("{route} is not declared"))["endpoints"][0]["args"]
        .as_object()
        .unwrap()
        .clone();
    let mut request = crate::http::params::Params {
        query: params.as_object().unwrap().clone(),
        ..Default::default()
    };
    request.merge(&args);
    request.validate(&args)?;
    Ok(request.merged)
}
