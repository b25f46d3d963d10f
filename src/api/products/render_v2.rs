//! The v2 product and variation objects (products.md §5 and §6), in CoCart's exact field
//! order, plus the v2 single-product lookup by ID or SKU (§4).
//!
//! Storefronts built for CoCart read these objects key by key, so every field, its type
//! and its empty form (`""`, `[]`, `null`, `0`) follows the 4.4 source and the peer-store
//! recordings.

use rust_decimal::Decimal;
use serde_json::{Map, Value, json};

use super::common::{
    RenderContext, average_rating_text, external_fields, grouped_products, meta_data,
    object_or_empty_list, rated_out_of, rating_count,
};
use super::error;
use super::money::money;
use super::view::CatalogView;
use crate::catalog::model::{PostStatus, Product, ProductType};
use crate::error::ApiError;

/// How many related products a product shows (`cocart_products_get_related_products_limit`).
pub const RELATED_PRODUCTS_LIMIT: usize = 5;

/// Which `_links` a v2 variation object carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariationLinks {
    /// Through `/products/{id}` or the collection: `self`, `collection`, `parent_product`.
    ProductRoute,
    /// Through `/products/{parent}/variations[/{id}]`: `self`, `collection`, `up`.
    VariationsRoute,
}

/// Resolves the `{id}` of `GET /v2/products/{id}`: an ID, or a SKU when not purely
/// numeric. The record must be published. Errors: `cocart_product_id_required`,
/// `cocart_unknown_product_id`, `cocart_product_invalid_id`.
pub fn find_product_v2<'a>(catalog: &CatalogView<'a>, id: &str) -> Result<&'a Product, ApiError> {
    let id = id.trim();
    if id.is_empty() {
        return Err(error::product_id_required());
    }
    let record = if id.bytes().all(|b| b.is_ascii_digit()) {
        id.parse::<u64>().ok().and_then(|id| catalog.product(id))
    } else {
        Some(
            catalog
                .product_by_sku(id)
                .ok_or_else(error::unknown_product_id)?,
        )
    };
    record
        .filter(|product| product.status == PostStatus::Publish)
        .ok_or_else(error::product_invalid_id)
}

/// Renders a record found through a product route: the v2 product object, or the v2
/// variation object (product-route links) when the record is a variation.
pub fn render_product_or_variation_v2<'a>(
    ctx: &RenderContext<'_, 'a>,
    product: &'a Product,
    show_reviews: bool,
) -> Value {
    if product.product_type == ProductType::Variation {
        render_variation_v2(ctx, product, VariationLinks::ProductRoute)
    } else {
        render_product_v2(ctx, product, show_reviews)
    }
}

/// The v2 collection body: `{products, page, total_pages, total_products, _links}`.
/// `products` are the already rendered items; `links` comes from
/// [`paging_links`](super::paging::paging_links). `_links` is left out when there is
/// neither a previous nor a next page (WordPress only emits links that were added).
pub fn collection_envelope_v2(
    products: Vec<Value>,
    page: u64,
    total_pages: u64,
    total: u64,
    links: &super::paging::PagingLinks,
) -> Value {
    let mut link_map = Map::new();
    if let Some(prev) = &links.prev {
        link_map.insert("prev".into(), json!([{ "href": prev }]));
    }
    if let Some(next) = &links.next {
        link_map.insert("next".into(), json!([{ "href": next }]));
    }
    let mut body = Map::new();
    body.insert("products".into(), Value::Array(products));
    body.insert("page".into(), json!(page));
    body.insert("total_pages".into(), json!(total_pages));
    body.insert("total_products".into(), json!(total));
    if !link_map.is_empty() {
        body.insert("_links".into(), Value::Object(link_map));
    }
    Value::Object(body)
}

/// The price as the shop displays it, as `Money`.
fn display_money(ctx: &RenderContext<'_, '_>, product: &Product, amount: Option<Decimal>) -> Value {
    let shown = amount.map(|value| ctx.catalog.display_price(product, value));
    money(shown, ctx.settings().price_decimals)
}

/// The sale price, when the record itself has a (non-zero) one, as displayed.
fn sale_money(ctx: &RenderContext<'_, '_>, product: &Product, amount: Option<Decimal>) -> Value {
    match product.sale_price {
        Some(own) if !own.is_zero() => display_money(ctx, product, amount),
        _ => json!(""),
    }
}

fn date_on_sale(ctx: &RenderContext<'_, '_>, product: &Product) -> Value {
    let (from, from_gmt) = ctx.date_pair(product.date_on_sale_from);
    let (to, to_gmt) = ctx.date_pair(product.date_on_sale_to);
    json!({ "from": from, "from_gmt": from_gmt, "to": to, "to_gmt": to_gmt })
}

fn dates(ctx: &RenderContext<'_, '_>, product: &Product) -> Value {
    let (created, created_gmt) = ctx.date_pair(product.date_created);
    let (modified, modified_gmt) = ctx.date_pair(product.date_modified);
    json!({
        "created": created,
        "created_gmt": created_gmt,
        "modified": modified,
        "modified_gmt": modified_gmt,
    })
}

/// `price_range` (products.md §5.2).
fn price_range<'a>(ctx: &RenderContext<'_, 'a>, product: &'a Product) -> Value {
    let catalog = ctx.catalog;
    let dp = ctx.settings().price_decimals;
    match product.product_type {
        ProductType::Variable if !catalog.children(product).is_empty() => {
            let prices: Vec<Decimal> = catalog
                .visible_children(product, ctx.now)
                .into_iter()
                .filter(|child| catalog.is_purchasable(child, ctx.now))
                .filter_map(|child| {
                    catalog
                        .active_price(child, ctx.now)
                        .map(|price| catalog.display_price(child, price))
                })
                .collect();
            let (Some(low), Some(high)) = (prices.iter().min(), prices.iter().max()) else {
                return json!([]);
            };
            let to = if low == high {
                json!("")
            } else {
                money(Some(*high), dp)
            };
            json!({ "from": money(Some(*low), dp), "to": to })
        }
        ProductType::Grouped => match catalog.group_price_bounds(product, ctx.now) {
            Some((low, high)) => {
                let shown = |child: &'a Product| {
                    catalog
                        .active_price(child, ctx.now)
                        .map(|price| catalog.display_price(child, price))
                };
                json!({ "from": money(shown(low), dp), "to": money(shown(high), dp) })
            }
            None => json!([]),
        },
        _ => json!([]),
    }
}

fn prices<'a>(ctx: &RenderContext<'_, 'a>, product: &'a Product) -> Value {
    let catalog = ctx.catalog;
    let (regular, sale) = if product.product_type == ProductType::Variable {
        let children = catalog.visible_children(product, ctx.now);
        let regular = children.iter().filter_map(|c| c.regular_price).min();
        let sale = children
            .iter()
            .filter(|c| catalog.is_on_sale(c, ctx.now))
            .filter_map(|c| c.sale_price)
            .min();
        (regular, sale)
    } else {
        (product.regular_price, product.sale_price)
    };
    json!({
        "price": display_money(ctx, product, catalog.active_price(product, ctx.now)),
        "regular_price": display_money(ctx, product, regular),
        "sale_price": sale_money(ctx, product, sale),
        "price_range": price_range(ctx, product),
        "on_sale": catalog.is_on_sale(product, ctx.now),
        "date_on_sale": date_on_sale(ctx, product),
        "currency": ctx.currency(),
    })
}

fn hidden_conditions<'a>(ctx: &RenderContext<'_, 'a>, product: &'a Product) -> Map<String, Value> {
    let mut map = Map::new();
    map.insert("virtual".into(), json!(product.is_virtual));
    map.insert("downloadable".into(), json!(product.downloadable));
    map.insert(
        "manage_stock".into(),
        json!(ctx.catalog.managing_stock(product)),
    );
    map.insert(
        "sold_individually".into(),
        json!(ctx.catalog.sold_individually(product)),
    );
    map.insert("reviews_allowed".into(), json!(product.reviews_allowed));
    map.insert("shipping_required".into(), json!(!product.is_virtual));
    map
}

fn taxonomy_terms(ctx: &RenderContext<'_, '_>, ids: &[u64], route: &str) -> Value {
    ids.iter()
        .filter_map(|id| ctx.catalog.term(*id))
        .map(|term| {
            json!({
                "id": term.id,
                "name": term.name,
                "slug": term.slug,
                "rest_url": ctx.rest_url("v2", &format!("/products/{route}/{}", term.id)),
            })
        })
        .collect()
}

/// v2 names an attribute key no attribute defines by the key itself.
fn unnamed_v2(key: &str) -> String {
    key.to_string()
}

/// `attributes` of a non-variation product (§5.7): options as `{slug: name}`.
fn product_attributes(ctx: &RenderContext<'_, '_>, product: &Product) -> Value {
    ctx.product_attributes(product, |options| {
        object_or_empty_list(
            options
                .into_iter()
                .map(|(key, name)| (key, json!(name)))
                .collect(),
        )
    })
}

/// `attributes` of a variation: the fixed values only, `{id, name, option: {slug: name}}`.
fn variation_attributes(ctx: &RenderContext<'_, '_>, variation: &Product) -> Value {
    ctx.keyed_attributes(
        ctx.catalog.parent(variation),
        &variation.variation_attributes,
        unnamed_v2,
        |pair| {
            let mut option = Map::new();
            option.insert(
                pair.value.clone(),
                json!(ctx.attribute_value_name(&pair.key, &pair.value)),
            );
            Value::Object(option)
        },
    )
}

/// The size → URL map of a variation's image (the parent's when it has none), `[]` when
/// there is no image at all.
fn featured_image(ctx: &RenderContext<'_, '_>, variation: &Product) -> Value {
    ctx.catalog
        .image(ctx.catalog.image_id(variation))
        .map_or(json!([]), |image| Value::Object(ctx.image_sizes(image)))
}

/// The embedded `variations` of a variable product (§5.6).
fn embedded_variations<'a>(ctx: &RenderContext<'_, 'a>, product: &'a Product) -> Value {
    let catalog = ctx.catalog;
    catalog
        .visible_children(product, ctx.now)
        .into_iter()
        .map(|variation| {
            let attributes: Map<String, Value> = variation
                .variation_attributes
                .iter()
                .map(|pair| (format!("attribute_{}", pair.key), json!(pair.value)))
                .collect();
            json!({
                "id": variation.id,
                "sku": catalog.sku(variation),
                "description": variation.description,
                "attributes": object_or_empty_list(attributes),
                "featured_image": featured_image(ctx, variation),
                "prices": {
                    "price": display_money(ctx, variation, catalog.active_price(variation, ctx.now)),
                    "regular_price": display_money(ctx, variation, variation.regular_price),
                    "sale_price": sale_money(ctx, variation, variation.sale_price),
                    "on_sale": catalog.is_on_sale(variation, ctx.now),
                    "date_on_sale": date_on_sale(ctx, variation),
                    "currency": ctx.currency(),
                },
                "stock": ctx.stock(variation),
                "add_to_cart": {
                    "is_purchasable": catalog.is_purchasable(variation, ctx.now),
                    "purchase_quantity": ctx.purchase_quantity(variation),
                    "rest_url": ctx.add_to_cart_rest_url(variation),
                },
            })
        })
        .collect()
}

/// A connected-product entry (`related`, `upsells`, `cross_sells`, §5.8).
fn connected_product<'a>(ctx: &RenderContext<'_, 'a>, product: &'a Product) -> Value {
    let (text, description) = ctx.add_to_cart_texts(product);
    json!({
        "id": product.id,
        "name": product.name,
        "permalink": ctx.permalink(product),
        "price": money(ctx.catalog.active_price(product, ctx.now), ctx.settings().price_decimals),
        "add_to_cart": {
            "text": text,
            "description": description,
            "rest_url": ctx.add_to_cart_rest_url(product),
        },
        "rest_url": ctx.rest_url("v2", &format!("/products/{}", product.id)),
    })
}

/// Up to [`RELATED_PRODUCTS_LIMIT`] published, catalog-visible products sharing a
/// category or tag, excluding the product and its upsells, in ID order.
pub fn related_products<'a>(catalog: &CatalogView<'a>, product: &'a Product) -> Vec<&'a Product> {
    catalog
        .all_products()
        .iter()
        .filter(|other| other.id != product.id && !product.upsell_ids.contains(&other.id))
        .filter(|other| other.product_type != ProductType::Variation)
        .filter(|other| catalog.is_visible(other))
        .filter(|other| {
            other
                .category_ids
                .iter()
                .any(|id| product.category_ids.contains(id))
                || other.tag_ids.iter().any(|id| product.tag_ids.contains(id))
        })
        .take(RELATED_PRODUCTS_LIMIT)
        .collect()
}

/// Upsell or cross-sell entries: the stored IDs in order, published products only.
fn linked_products<'a>(ctx: &RenderContext<'_, 'a>, ids: &[u64]) -> Value {
    ids.iter()
        .filter_map(|id| ctx.catalog.product(*id))
        .filter(|product| product.status == PostStatus::Publish)
        .map(|product| connected_product(ctx, product))
        .collect()
}

fn add_to_cart<'a>(ctx: &RenderContext<'_, 'a>, product: &'a Product, with_options: bool) -> Value {
    let (text, description) = ctx.add_to_cart_texts(product);
    let purchase_quantity = match product.product_type {
        ProductType::Variable | ProductType::External => json!([]),
        _ => ctx.purchase_quantity(product),
    };
    let mut map = Map::new();
    map.insert("text".into(), json!(text));
    map.insert("description".into(), json!(description));
    if with_options {
        map.insert(
            "has_options".into(),
            json!(product.product_type == ProductType::Variable),
        );
    }
    map.insert(
        "is_purchasable".into(),
        json!(ctx.catalog.is_purchasable(product, ctx.now)),
    );
    map.insert("purchase_quantity".into(), purchase_quantity);
    map.insert("rest_url".into(), json!(ctx.add_to_cart_rest_url(product)));
    Value::Object(map)
}

/// The v2 product object of a non-variation product (§5.1).
pub fn render_product_v2<'a>(
    ctx: &RenderContext<'_, 'a>,
    product: &'a Product,
    show_reviews: bool,
) -> Value {
    let catalog = ctx.catalog;
    let rating_count = rating_count(product);
    let (weight, dimensions) = ctx.weight_and_dimensions(product);
    let (external_url, button_text) = external_fields(product);
    let variations = if product.product_type == ProductType::Variable {
        embedded_variations(ctx, product)
    } else {
        json!([])
    };
    let related: Vec<Value> = related_products(catalog, product)
        .into_iter()
        .map(|other| connected_product(ctx, other))
        .collect();
    json!({
        "id": product.id,
        "parent_id": product.parent_id,
        "name": product.name,
        "type": product.product_type.as_str(),
        "slug": product.slug,
        "permalink": ctx.permalink(product),
        "sku": catalog.sku(product),
        "global_unique_id": catalog.global_unique_id(product),
        "description": product.description,
        "short_description": product.short_description,
        "dates": dates(ctx, product),
        "featured": product.featured,
        "prices": prices(ctx, product),
        "hidden_conditions": hidden_conditions(ctx, product),
        "average_rating": average_rating_text(product.average_rating),
        "review_count": product.review_count,
        "rating_count": rating_count,
        "rated_out_of": rated_out_of(product.average_rating, rating_count),
        "images": ctx.images_v2(product),
        "categories": taxonomy_terms(ctx, &product.category_ids, "categories"),
        "tags": taxonomy_terms(ctx, &product.tag_ids, "tags"),
        "attributes": product_attributes(ctx, product),
        "default_attributes": ctx.default_attributes(product, unnamed_v2),
        "variations": variations,
        "grouped_products": grouped_products(product),
        "stock": ctx.stock(product),
        "weight": weight,
        "dimensions": dimensions,
        "reviews": if show_reviews { super::reviews::embedded_reviews(ctx, product) } else { json!([]) },
        "related": related,
        "upsells": linked_products(ctx, &product.upsell_ids),
        "cross_sells": linked_products(ctx, &product.cross_sell_ids),
        "total_sales": product.total_sales,
        "external_url": external_url,
        "button_text": button_text,
        "add_to_cart": add_to_cart(ctx, product, true),
        "meta_data": meta_data(product),
        "_links": ctx.product_links("v2", product),
    })
}

/// The v2 variation object (§6).
pub fn render_variation_v2<'a>(
    ctx: &RenderContext<'_, 'a>,
    variation: &'a Product,
    links: VariationLinks,
) -> Value {
    let catalog = ctx.catalog;
    let (weight, dimensions) = ctx.weight_and_dimensions(variation);
    let mut hidden = hidden_conditions(ctx, variation);
    hidden.remove("reviews_allowed");
    let links = match links {
        VariationLinks::ProductRoute => ctx.product_links("v2", variation),
        VariationLinks::VariationsRoute => {
            let parent_id = variation.parent_id;
            let parent_permalink = catalog
                .parent(variation)
                .map(|parent| ctx.permalink(parent))
                .unwrap_or_default();
            let mut links = ctx.item_links(
                "v2",
                &format!("/products/{parent_id}/variations"),
                variation.id,
            );
            links.insert(
                "up".into(),
                json!([{
                    "permalink": parent_permalink,
                    "href": ctx.rest_url("v2", &format!("/products/{parent_id}")),
                }]),
            );
            Value::Object(links)
        }
    };
    json!({
        "id": variation.id,
        "parent_id": variation.parent_id,
        "name": variation.name,
        "slug": variation.slug,
        "permalink": ctx.permalink(variation),
        "sku": catalog.sku(variation),
        "global_unique_id": catalog.global_unique_id(variation),
        "description": variation.description,
        "dates": dates(ctx, variation),
        "featured": false,
        "prices": prices(ctx, variation),
        "hidden_conditions": hidden,
        "images": ctx.images_v2(variation),
        "categories": [],
        "tags": [],
        "attributes": variation_attributes(ctx, variation),
        "stock": ctx.stock(variation),
        "weight": weight,
        "dimensions": dimensions,
        "total_sales": variation.total_sales.to_string(),
        "add_to_cart": add_to_cart(ctx, variation, false),
        "meta_data": meta_data(variation),
        "_links": links,
    })
}

/// Resolves `GET /v2/products/{product_id}/variations/{id}`: the variation must be a child
/// of the parent and published (the recommended fix over 4.4's missing status check).
pub fn find_variation<'a>(
    catalog: &CatalogView<'a>,
    product_id: u64,
    variation_id: u64,
) -> Result<&'a Product, ApiError> {
    catalog
        .product(variation_id)
        .filter(|v| v.product_type == ProductType::Variation && v.parent_id == product_id)
        .filter(|v| v.status == PostStatus::Publish)
        .filter(|v| {
            catalog
                .parent(v)
                .is_some_and(|p| p.status != PostStatus::Trash)
        })
        .ok_or_else(error::variation_invalid_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::products::test_fixtures::{PEER_BASE_URL, peer_store};
    use crate::catalog::Catalog;
    use crate::catalog::model::{AttributeValue, CatalogData, Image, UnixTime};
    use std::collections::BTreeMap;

    fn now() -> UnixTime {
        UnixTime::parse("2026-11-22T03:00:00").unwrap()
    }

    fn render(data: &CatalogData, id: &str) -> Value {
        let snapshot = Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let ctx = RenderContext {
            catalog: &catalog,
            base_url: PEER_BASE_URL,
            now: now(),
        };
        render_product_or_variation_v2(&ctx, find_product_v2(&catalog, id).unwrap(), false)
    }

    fn product_mut(data: &mut CatalogData, id: u64) -> &mut Product {
        data.products.iter_mut().find(|p| p.id == id).unwrap()
    }

    #[test]
    fn envelope_omits_links_on_a_single_page() {
        let links = crate::api::products::paging::PagingLinks::default();
        let body = collection_envelope_v2(Vec::new(), 1, 0, 0, &links);
        assert_eq!(
            body,
            json!({"products": [], "page": 1, "total_pages": 0, "total_products": 0})
        );
    }

    #[test]
    fn external_and_grouped_products() {
        let mut data = peer_store();
        let mut external = Product::new(30, "Partner Bike");
        external.product_type = ProductType::External;
        external.slug = "partner-bike".into();
        external.regular_price = Some(Decimal::new(19900, 2));
        external.product_url = "https://partner.example/bike".into();
        external.button_text = "Buy at partner".into();
        let mut group = Product::new(31, "Starter Kit");
        group.product_type = ProductType::Grouped;
        group.slug = "starter-kit".into();
        group.grouped_products = vec![12, 13, 99];
        data.products.extend([external, group]);

        let bike = render(&data, "30");
        assert_eq!(bike["external_url"], "https://partner.example/bike");
        assert_eq!(bike["button_text"], "Buy at partner");
        assert_eq!(
            bike["add_to_cart"],
            json!({"text": "Buy at partner", "description": "Buy at partner", "has_options": false,
                   "is_purchasable": false, "purchase_quantity": [], "rest_url": ""})
        );
        assert_eq!(
            bike["permalink"],
            "http://127.0.0.1:8081/product/partner-bike/"
        );

        let kit = render(&data, "31");
        assert_eq!(kit["grouped_products"], json!([12, 13, 99]));
        assert_eq!(
            kit["prices"]["price_range"],
            json!({"from": "999", "to": "1500"})
        );
        assert_eq!(kit["add_to_cart"]["text"], "View products");
        assert_eq!(
            kit["add_to_cart"]["description"],
            "View products in the &ldquo;Starter Kit&rdquo; group"
        );
        assert_eq!(kit["add_to_cart"]["is_purchasable"], false);
        assert_eq!(kit["add_to_cart"]["rest_url"], "");
    }

    #[test]
    fn images_keep_their_positions_and_fall_back_to_the_placeholder() {
        let mut data = peer_store();
        let image = |id: u64, name: &str| Image {
            id,
            name: name.into(),
            alt: format!("{name} alt"),
            src: BTreeMap::from([
                (
                    "full".to_string(),
                    format!("https://cdn.example/{name}.jpg"),
                ),
                (
                    "thumbnail".to_string(),
                    format!("https://cdn.example/{name}-150x150.jpg"),
                ),
            ]),
            date_created: None,
            date_modified: None,
        };
        data.images = vec![image(901, "front"), image(903, "back")];
        let cap = product_mut(&mut data, 12);
        cap.image_id = 901;
        cap.gallery_image_ids = vec![902, 903];
        let body = render(&data, "12");
        let images = body["images"].as_array().unwrap();
        assert_eq!(images.len(), 2);
        assert_eq!(images[0]["position"], 0);
        assert_eq!(images[0]["featured"], true);
        assert_eq!(
            images[0]["src"]["thumbnail"],
            "https://cdn.example/front-150x150.jpg"
        );
        assert_eq!(images[0]["src"]["medium"], "https://cdn.example/front.jpg");
        assert_eq!(images[0]["src"]["custom"], "https://cdn.example/front.jpg");
        assert_eq!(
            (images[1]["id"].clone(), images[1]["position"].clone()),
            (json!(903), json!(2))
        );
        assert_eq!(images[1]["featured"], false);

        let mug = render(&data, "13");
        assert_eq!(mug["images"][0]["name"], "Placeholder");
        assert_eq!(
            mug["images"][0]["src"]["thumbnail"],
            "http://127.0.0.1:8081/wp-content/uploads/woocommerce-placeholder-150x150.png"
        );
    }

    #[test]
    fn connected_products_defaults_and_stock_labels() {
        let mut data = peer_store();
        product_mut(&mut data, 10).status = PostStatus::Draft;
        let hoodie = product_mut(&mut data, 11);
        hoodie.upsell_ids = vec![10, 20];
        hoodie.cross_sell_ids = vec![12];
        let polo = product_mut(&mut data, 21);
        polo.default_attributes = vec![
            AttributeValue {
                key: "pa_color".into(),
                value: "blue".into(),
            },
            AttributeValue {
                key: "size".into(),
                value: String::new(),
            },
        ];

        let body = render(&data, "11");
        let ids = |list: &Value| -> Vec<u64> {
            list.as_array()
                .unwrap()
                .iter()
                .map(|item| item["id"].as_u64().unwrap())
                .collect()
        };
        assert_eq!(ids(&body["upsells"]), [20]);
        assert_eq!(ids(&body["cross_sells"]), [12]);
        assert_eq!(ids(&body["related"]), [18, 21]);
        assert_eq!(body["prices"]["sale_price"], "4000");
        assert_eq!(body["prices"]["on_sale"], true);
        assert_eq!(body["default_attributes"], json!([]));

        let sneakers = render(&data, "18");
        assert_eq!(sneakers["add_to_cart"]["text"], "Read more");
        assert_eq!(sneakers["stock"]["is_in_stock"], false);

        let polo = render(&data, "21");
        assert_eq!(
            polo["default_attributes"],
            json!({"attribute_pa_color": {"id": 1, "name": "Color", "option": "blue"}})
        );
    }

    #[test]
    fn a_variation_fetched_through_the_product_route() {
        let data = peer_store();
        let body = render(&data, "PEER-POLO-BLUE-L");
        assert_eq!(body["id"], 25);
        assert_eq!(body["total_sales"], "0");
        assert!(body.get("type").is_none());
        assert_eq!(
            body["_links"]["parent_product"][0]["href"],
            "http://127.0.0.1:8081/wp-json/cocart/v2/products/21"
        );
        assert_eq!(body["add_to_cart"]["purchase_quantity"]["max_purchase"], 3);
        let snapshot = Catalog::new(data);
        let catalog = CatalogView::new(&snapshot);
        assert_eq!(find_variation(&catalog, 21, 25).unwrap().id, 25);
        assert_eq!(
            find_variation(&catalog, 20, 25).unwrap_err().code,
            "cocart_product_variation_invalid_id"
        );
    }
}
