//! The v1 product shapes (products.md §8): the flat product object, the embedded
//! variation data, and the variations-route object.
//!
//! v1 clients predate the `Money` format: prices are formatted currency strings (or raw
//! stored strings on the variations route), dates are flat fields, and variations are an
//! object keyed by ID. The facts come from the same [`CatalogView`] rules as v2.

use serde_json::{Map, Value, json};

use super::common::{
    RenderContext, average_rating_text, decimal_text, external_fields, grouped_products,
    low_stock_amount, meta_data, object_or_empty_list, rated_out_of, rating_count,
};
use super::error;
use super::money::price_text;
use super::render_v2::related_products;
use super::view::CatalogView;
use crate::catalog::model::{Image, PostStatus, Product, ProductType};
use crate::error::ApiError;

/// Resolves `GET /v1/products/{id}` (digits only; the router answers `rest_no_route`
/// otherwise): the record must exist and be published.
pub fn find_product_v1<'a>(catalog: &CatalogView<'a>, id: u64) -> Result<&'a Product, ApiError> {
    catalog
        .product(id)
        .filter(|product| product.status == PostStatus::Publish)
        .ok_or_else(error::product_invalid_id)
}

/// Resolves `GET /v1/products/{product_id}/variations/{id}`: a published variation of
/// that parent (the recommended fix; 4.4 accepts any variation under any parent).
pub fn find_variation_v1<'a>(
    catalog: &CatalogView<'a>,
    product_id: u64,
    variation_id: u64,
) -> Result<&'a Product, ApiError> {
    super::render_v2::find_variation(catalog, product_id, variation_id)
}

fn flat_dates(
    ctx: &RenderContext,
    map: &mut Map<String, Value>,
    prefix: &str,
    at: Option<crate::catalog::model::UnixTime>,
) {
    let (local, gmt) = ctx.date_pair(at);
    map.insert(prefix.to_string(), local);
    map.insert(format!("{prefix}_gmt"), gmt);
}

fn image_v1(ctx: &RenderContext, image: &Image, position: Option<usize>) -> Value {
    let mut map = Map::new();
    map.insert("id".into(), json!(image.id));
    flat_dates(ctx, &mut map, "date_created", image.date_created);
    flat_dates(ctx, &mut map, "date_modified", image.date_modified);
    map.insert("src".into(), Value::Object(ctx.image_sizes(image)));
    map.insert("name".into(), json!(image.name));
    map.insert("alt".into(), json!(image.alt));
    if let Some(position) = position {
        map.insert("position".into(), json!(position));
    }
    Value::Object(map)
}

/// The v1 `images` list; the placeholder entry carries "now" as its dates.
fn images_v1(ctx: &RenderContext, product: &Product) -> Value {
    let images = ctx.product_images(product);
    if images.is_empty() {
        let mut map = Map::new();
        map.insert("id".into(), json!(0));
        flat_dates(ctx, &mut map, "date_created", Some(ctx.now));
        flat_dates(ctx, &mut map, "date_modified", Some(ctx.now));
        map.insert("src".into(), Value::Object(ctx.placeholder_sizes()));
        map.insert("name".into(), json!("Placeholder"));
        map.insert("alt".into(), json!("Placeholder"));
        map.insert("position".into(), json!(0));
        return json!([map]);
    }
    images
        .into_iter()
        .map(|(position, image, _)| image_v1(ctx, image, Some(position)))
        .collect()
}

fn terms_v1(ctx: &RenderContext, ids: &[u64]) -> Value {
    ids.iter()
        .filter_map(|id| ctx.catalog.term(*id))
        .map(|term| json!({ "id": term.id, "name": term.name, "slug": term.slug }))
        .collect()
}

/// v1 names an attribute key no attribute defines without its `pa_` prefix.
fn unnamed_v1(key: &str) -> String {
    key.trim_start_matches("pa_").to_string()
}

/// v1 `attributes`: non-variations list option names; variations give the fixed value's
/// name as `option`.
fn attributes_v1(ctx: &RenderContext, product: &Product) -> Value {
    if product.product_type == ProductType::Variation {
        ctx.keyed_attributes(
            ctx.catalog.parent(product),
            &product.variation_attributes,
            unnamed_v1,
            |pair| json!(ctx.attribute_value_name(&pair.key, &pair.value)),
        )
    } else {
        ctx.product_attributes(product, |options| {
            options.into_iter().map(|(_, name)| name).collect()
        })
    }
}

/// The formatted sale price, `""` when the record has no (non-zero) sale price.
fn sale_text(ctx: &RenderContext, product: &Product) -> Value {
    match product.sale_price {
        Some(sale) if !sale.is_zero() => json!(price_text(Some(sale), ctx.settings())),
        _ => json!(""),
    }
}

/// The flat price, sale and stock fields shared by the v1 product and embedded
/// variation shapes, from `price` to `backordered`.
fn insert_commerce_fields<'a>(
    ctx: &RenderContext<'_, 'a>,
    map: &mut Map<String, Value>,
    product: &'a Product,
) {
    let catalog = ctx.catalog;
    let settings = ctx.settings();
    map.insert(
        "price".into(),
        json!(price_text(catalog.active_price(product, ctx.now), settings)),
    );
    map.insert(
        "regular_price".into(),
        json!(price_text(product.regular_price, settings)),
    );
    map.insert("sale_price".into(), sale_text(ctx, product));
    insert_sale_window(ctx, map, product);
    map.insert("total_sales".into(), json!(product.total_sales));
    map.insert("virtual".into(), json!(product.is_virtual));
    map.insert("downloadable".into(), json!(product.downloadable));
}

/// `date_on_sale_from` to `purchasable`, shared by every v1 shape that has prices.
fn insert_sale_window(ctx: &RenderContext, map: &mut Map<String, Value>, product: &Product) {
    flat_dates(ctx, map, "date_on_sale_from", product.date_on_sale_from);
    flat_dates(ctx, map, "date_on_sale_to", product.date_on_sale_to);
    map.insert(
        "on_sale".into(),
        json!(ctx.catalog.is_on_sale(product, ctx.now)),
    );
    map.insert(
        "purchasable".into(),
        json!(ctx.catalog.is_purchasable(product, ctx.now)),
    );
}

/// `in_stock` to `low_stock_amount` of the v1 product and embedded variation shapes.
fn insert_stock_fields<'a>(
    ctx: &RenderContext<'_, 'a>,
    map: &mut Map<String, Value>,
    product: &'a Product,
) {
    map.insert("in_stock".into(), json!(ctx.catalog.is_in_stock(product)));
    map.extend(ctx.backorder_fields(product));
    map.insert("low_stock_amount".into(), low_stock_amount(product));
}

/// The embedded v1 variation data (inside products with `return_variations`, and the v1
/// single route when the ID is a variation).
pub fn render_variation_data_v1<'a>(ctx: &RenderContext<'_, 'a>, variation: &'a Product) -> Value {
    let catalog = ctx.catalog;
    let (weight, dimensions) = ctx.weight_and_dimensions(variation);
    let mut map = Map::new();
    map.insert("id".into(), json!(variation.id));
    map.insert("name".into(), json!(variation.name));
    map.insert("slug".into(), json!(variation.slug));
    map.insert("permalink".into(), json!(ctx.permalink(variation)));
    flat_dates(ctx, &mut map, "date_created", variation.date_created);
    flat_dates(ctx, &mut map, "date_modified", variation.date_modified);
    map.insert("description".into(), json!(variation.description));
    map.insert("sku".into(), json!(catalog.sku(variation)));
    insert_commerce_fields(ctx, &mut map, variation);
    map.insert(
        "manage_stock".into(),
        json!(catalog.managing_stock(variation)),
    );
    map.insert("stock_quantity".into(), ctx.stock_quantity(variation));
    insert_stock_fields(ctx, &mut map, variation);
    map.insert("weight".into(), weight);
    map.insert("dimensions".into(), dimensions);
    map.insert("shipping_required".into(), json!(!variation.is_virtual));
    map.insert("images".into(), images_v1(ctx, variation));
    map.insert("attributes".into(), attributes_v1(ctx, variation));
    map.insert("menu_order".into(), json!(variation.menu_order));
    map.insert("meta_data".into(), meta_data(variation));
    Value::Object(map)
}

/// The flat v1 product object (§8.2). `return_variations` embeds full variation data.
pub fn render_product_v1<'a>(
    ctx: &RenderContext<'_, 'a>,
    product: &'a Product,
    show_reviews: bool,
    return_variations: bool,
) -> Value {
    if product.product_type == ProductType::Variation {
        let mut data = render_variation_data_v1(ctx, product);
        if let Value::Object(map) = &mut data {
            map.insert("_links".into(), ctx.product_links("v1", product));
        }
        return data;
    }
    let catalog = ctx.catalog;
    let rating_count = rating_count(product);
    let (external_url, button_text) = external_fields(product);
    let (weight, dimensions) = ctx.weight_and_dimensions(product);
    let (text, description) = ctx.add_to_cart_texts(product);
    let mut map = Map::new();
    map.insert("id".into(), json!(product.id));
    map.insert("name".into(), json!(product.name));
    map.insert("slug".into(), json!(product.slug));
    map.insert("permalink".into(), json!(ctx.permalink(product)));
    flat_dates(ctx, &mut map, "date_created", product.date_created);
    flat_dates(ctx, &mut map, "date_modified", product.date_modified);
    map.insert("type".into(), json!(product.product_type.as_str()));
    map.insert("featured".into(), json!(product.featured));
    map.insert(
        "catalog_visibility".into(),
        json!(product.catalog_visibility.as_str()),
    );
    map.insert("description".into(), json!(product.description));
    map.insert("short_description".into(), json!(product.short_description));
    map.insert("sku".into(), json!(product.sku));
    insert_commerce_fields(ctx, &mut map, product);
    map.insert("external_url".into(), json!(external_url));
    map.insert("button_text".into(), json!(button_text));
    map.insert(
        "manage_stock".into(),
        json!(catalog.managing_stock(product)),
    );
    map.insert("stock_quantity".into(), ctx.stock_quantity(product));
    map.insert(
        "has_options".into(),
        json!(product.product_type == ProductType::Variable),
    );
    insert_stock_fields(ctx, &mut map, product);
    map.insert(
        "sold_individually".into(),
        json!(catalog.sold_individually(product)),
    );
    map.insert("weight".into(), weight);
    map.insert("dimensions".into(), dimensions);
    map.insert("shipping_required".into(), json!(!product.is_virtual));
    map.insert("reviews_allowed".into(), json!(product.reviews_allowed));
    map.insert(
        "average_rating".into(),
        json!(average_rating_text(product.average_rating)),
    );
    map.insert("rating_count".into(), json!(rating_count));
    map.insert("review_count".into(), json!(product.review_count));
    map.insert(
        "rating_html".into(),
        json!(rated_out_of(product.average_rating, rating_count)),
    );
    map.insert(
        "reviews".into(),
        if show_reviews {
            super::reviews::embedded_reviews(ctx, product)
        } else {
            json!([])
        },
    );
    let related: Vec<u64> = related_products(catalog, product)
        .iter()
        .map(|p| p.id)
        .collect();
    map.insert("related_ids".into(), json!(related));
    map.insert("upsell_ids".into(), json!(product.upsell_ids));
    map.insert("cross_sell_ids".into(), json!(product.cross_sell_ids));
    map.insert("parent_id".into(), json!(product.parent_id));
    map.insert("categories".into(), terms_v1(ctx, &product.category_ids));
    map.insert("tags".into(), terms_v1(ctx, &product.tag_ids));
    map.insert("images".into(), images_v1(ctx, product));
    map.insert("attributes".into(), attributes_v1(ctx, product));
    map.insert(
        "default_attributes".into(),
        ctx.default_attributes(product, unnamed_v1),
    );
    let mut variations = Map::new();
    if product.product_type == ProductType::Variable {
        for child in catalog.children(product) {
            let value = if return_variations {
                render_variation_data_v1(ctx, child)
            } else {
                json!({ "id": child.id })
            };
            variations.insert(child.id.to_string(), value);
        }
    }
    map.insert("variations".into(), object_or_empty_list(variations));
    map.insert("grouped_products".into(), grouped_products(product));
    map.insert("menu_order".into(), json!(product.menu_order));
    map.insert("meta_data".into(), meta_data(product));
    map.insert(
        "add_to_cart".into(),
        json!({ "text": text, "description": description }),
    );
    map.insert("_links".into(), ctx.product_links("v1", product));
    Value::Object(map)
}

/// `wc_format_content` for plain descriptions: paragraphs (blank-line separated) wrapped
/// in `<p>…</p>`, single line breaks as `<br />`; text that already starts with a block
/// tag is kept as is.
fn paragraph_format(text: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return String::new();
    }
    if trimmed.starts_with("<p") || trimmed.starts_with("<div") {
        return format!("{trimmed}\n");
    }
    trimmed
        .split("\n\n")
        .map(str::trim)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|paragraph| format!("<p>{}</p>\n", paragraph.replace('\n', "<br />\n")))
        .collect()
}

/// The v1 variations-route object (§8.3, first form).
pub fn render_variation_route_v1<'a>(ctx: &RenderContext<'_, 'a>, variation: &'a Product) -> Value {
    let catalog = ctx.catalog;
    let [weight, length, width, height] = catalog.measures(variation);
    let image = catalog
        .image(variation.image_id)
        .map_or(Value::Null, |image| image_v1(ctx, image, None));
    let parent_id = variation.parent_id;
    let parent_permalink = catalog
        .parent(variation)
        .map(|parent| ctx.permalink(parent))
        .unwrap_or_default();
    let mut map = Map::new();
    map.insert("id".into(), json!(variation.id));
    flat_dates(ctx, &mut map, "date_created", variation.date_created);
    flat_dates(ctx, &mut map, "date_modified", variation.date_modified);
    map.insert(
        "description".into(),
        json!(paragraph_format(&variation.description)),
    );
    map.insert("permalink".into(), json!(ctx.permalink(variation)));
    map.insert("sku".into(), json!(catalog.sku(variation)));
    map.insert(
        "price".into(),
        json!(decimal_text(catalog.active_price(variation, ctx.now))),
    );
    map.insert(
        "regular_price".into(),
        json!(decimal_text(variation.regular_price)),
    );
    map.insert(
        "sale_price".into(),
        json!(decimal_text(variation.sale_price)),
    );
    insert_sale_window(ctx, &mut map, variation);
    map.insert("virtual".into(), json!(variation.is_virtual));
    map.insert("downloadable".into(), json!(variation.downloadable));
    map.insert(
        "manage_stock".into(),
        json!(catalog.managing_stock(variation)),
    );
    map.insert("stock_quantity".into(), ctx.stock_quantity(variation));
    map.extend(ctx.backorder_fields(variation));
    map.insert("weight".into(), json!(decimal_text(weight)));
    map.insert(
        "dimensions".into(),
        json!({
            "length": decimal_text(length),
            "width": decimal_text(width),
            "height": decimal_text(height),
        }),
    );
    map.insert("image".into(), image);
    map.insert("attributes".into(), attributes_v1(ctx, variation));
    map.insert("menu_order".into(), json!(variation.menu_order));
    map.insert("meta_data".into(), meta_data(variation));
    let mut links = ctx.item_links(
        "v1",
        &format!("/products/{parent_id}/variations"),
        variation.id,
    );
    links.insert(
        "parent_product".into(),
        json!([{
            "href": ctx.rest_url("v1", &format!("/products/{parent_id}")),
            "permalink": parent_permalink,
        }]),
    );
    map.insert("_links".into(), Value::Object(links));
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::products::test_fixtures::{PEER_BASE_URL, peer_store};
    use crate::catalog::model::UnixTime;

    #[test]
    fn v1_product_is_flat_with_formatted_prices() {
        let data = peer_store();
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let ctx = RenderContext {
            catalog: &catalog,
            base_url: PEER_BASE_URL,
            now: UnixTime(1_795_315_500),
        };
        let hoodie = render_product_v1(&ctx, find_product_v1(&catalog, 11).unwrap(), false, false);
        assert_eq!(hoodie["price"], "$40.00");
        assert_eq!(hoodie["regular_price"], "$45.00");
        assert_eq!(hoodie["sale_price"], "$40.00");
        assert_eq!(hoodie["date_created"], "2026-11-22T02:44:03");
        assert_eq!(
            hoodie["categories"],
            json!([{"id": 16, "name": "Clothing", "slug": "clothing"}])
        );
        assert_eq!(hoodie["related_ids"], json!([10, 18, 21]));
        assert_eq!(hoodie["images"][0]["name"], "Placeholder");
        let keys: Vec<&str> = hoodie
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let spec_order = "id, name, slug, permalink, date_created, date_created_gmt, date_modified, date_modified_gmt, type, featured, catalog_visibility, description, short_description, sku, price, regular_price, sale_price, date_on_sale_from, date_on_sale_from_gmt, date_on_sale_to, date_on_sale_to_gmt, on_sale, purchasable, total_sales, virtual, downloadable, external_url, button_text, manage_stock, stock_quantity, has_options, in_stock, stock_status, backorders, backorders_allowed, backordered, low_stock_amount, sold_individually, weight, dimensions, shipping_required, reviews_allowed, average_rating, rating_count, review_count, rating_html, reviews, related_ids, upsell_ids, cross_sell_ids, parent_id, categories, tags, images, attributes, default_attributes, variations, grouped_products, menu_order, meta_data, add_to_cart, _links";
        assert_eq!(keys, spec_order.split(", ").collect::<Vec<_>>());

        let polo = render_product_v1(&ctx, find_product_v1(&catalog, 21).unwrap(), false, false);
        assert_eq!(polo["variations"]["22"], json!({"id": 22}));
        assert_eq!(
            polo["attributes"]["attribute_pa_color"]["options"],
            json!(["Blue", "Red"])
        );
        assert_eq!(polo["price"], "$22.00");
        assert_eq!(polo["regular_price"], "$0.00");
        let full = render_product_v1(&ctx, find_product_v1(&catalog, 21).unwrap(), false, true);
        assert_eq!(full["variations"]["24"]["sale_price"], "$22.00");
        assert_eq!(
            full["variations"]["24"]["attributes"]["attribute_pa_color"],
            json!({"id": 1, "name": "Color", "option": "Blue"})
        );
    }

    #[test]
    fn v1_variations_route_uses_raw_prices_and_parent_links() {
        let data = peer_store();
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let ctx = RenderContext {
            catalog: &catalog,
            base_url: PEER_BASE_URL,
            now: UnixTime(1_795_315_500),
        };
        let variation = find_variation_v1(&catalog, 21, 24).unwrap();
        let body = render_variation_route_v1(&ctx, variation);
        assert_eq!(body["price"], "22.00");
        assert_eq!(body["regular_price"], "27.00");
        assert_eq!(body["weight"], "0.3");
        assert_eq!(body["image"], Value::Null);
        assert_eq!(
            body["_links"]["parent_product"][0]["href"],
            "http://127.0.0.1:8081/wp-json/cocart/v1/products/21"
        );
        assert_eq!(
            find_variation_v1(&catalog, 20, 24).unwrap_err().code,
            "cocart_product_variation_invalid_id"
        );
        assert_eq!(
            paragraph_format("One\n\nTwo\nlines"),
            "<p>One</p>\n<p>Two<br />\nlines</p>\n"
        );
    }
}
