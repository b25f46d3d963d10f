//! Product reviews: the `reviews` embedded in product objects (`show_reviews`) and the
//! review routes' collection and object (products.md §5.9 and §10).
//!
//! CoCart 4.4 shows held reviews in embeds and hides every review from non-moderators on
//! the collection route. We follow the spec's recommendations instead: approved reviews
//! are public everywhere, held ones are shown to moderators only, and the paging headers
//! count what the body contains.

use serde_json::{Map, Value, json};

use super::common::RenderContext;
use super::error;
use super::paging::{Page, skip_count};
use super::params;
use super::query::{directed, include_order, within_dates};
use super::view::CatalogView;
use crate::catalog::model::{Product, ProductType, Review, UnixTime};
use crate::error::ApiError;

/// Whether a caller may see a review of this status.
fn review_visible(review: &Review, can_moderate: bool) -> bool {
    match review.status.as_str() {
        "approved" => true,
        "hold" => can_moderate,
        _ => false,
    }
}

fn upper_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The embedded `reviews` of a product: approved reviews, values as stored strings.
pub fn embedded_reviews(ctx: &RenderContext, product: &Product) -> Value {
    let offset = ctx.settings().utc_offset_seconds;
    ctx.catalog
        .reviews()
        .iter()
        .filter(|review| review.product_id == product.id && review_visible(review, false))
        .map(|review| {
            let at = review.date_created.unwrap_or(UnixTime(0));
            json!({
                "review_id": review.id.to_string(),
                "author_name": upper_first(&review.reviewer),
                "author_url": "",
                "review_comment": review.review,
                "review_date": at.format_iso(offset).replace('T', " "),
                "review_date_gmt": at.format_iso(0).replace('T', " "),
                "rating": review.rating.to_string(),
                "verified": if review.verified { "1" } else { "0" },
            })
        })
        .collect()
}

/// Sort keys of the review collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewOrderBy {
    /// Review date (local and GMT sort alike).
    Date,
    /// Review ID.
    Id,
    /// The order of the `include` list.
    Include,
    /// Product ID.
    Product,
}

/// A parsed `GET /products/reviews` request.
#[derive(Debug, Clone, PartialEq)]
pub struct ReviewQuery {
    /// Page number.
    pub page: u64,
    /// Page size (1–100).
    pub per_page: u64,
    /// Explicit offset.
    pub offset: Option<u64>,
    /// Text search over reviewer and content.
    pub search: Option<String>,
    /// Reviews after this local wall-clock time.
    pub after: Option<UnixTime>,
    /// Reviews before this local wall-clock time.
    pub before: Option<UnixTime>,
    /// Only these review IDs.
    pub include: Vec<u64>,
    /// Never these review IDs.
    pub exclude: Vec<u64>,
    /// Only reviews by these user IDs.
    pub reviewer: Vec<u64>,
    /// Never reviews by these user IDs.
    pub reviewer_exclude: Vec<u64>,
    /// Only reviews of these products.
    pub product: Vec<u64>,
    /// Sort descending (the default).
    pub descending: bool,
    /// Sort key.
    pub orderby: ReviewOrderBy,
}

impl ReviewQuery {
    /// Reads the review collection parameters (validated and coerced by the HTTP layer
    /// against the declared schemas); a malformed `after`/`before` is 400.
    pub fn parse(params: &Map<String, Value>) -> Result<ReviewQuery, ApiError> {
        let page = params::integer(params, "page");
        let per_page = params::integer(params, "per_page");
        let search = params::string(params, "search");
        let after = params::date_time(params, "after")?;
        let before = params::date_time(params, "before")?;
        let exclude = params::id_list(params, "exclude");
        let include = params::id_list(params, "include");
        let offset = params::integer(params, "offset");
        let order = params::string(params, "order");
        let orderby = params::string(params, "orderby");
        let reviewer = params::id_list(params, "reviewer");
        let reviewer_exclude = params::id_list(params, "reviewer_exclude");
        let product = params::id_list(params, "product");
        Ok(ReviewQuery {
            page: page.map_or(1, i64::unsigned_abs),
            per_page: per_page.map_or(10, i64::unsigned_abs),
            offset: offset.map(i64::unsigned_abs),
            search: search.filter(|s| !s.is_empty()).map(|s| s.to_lowercase()),
            after: after.as_deref().and_then(UnixTime::parse),
            before: before.as_deref().and_then(UnixTime::parse),
            include,
            exclude,
            reviewer,
            reviewer_exclude,
            product,
            descending: order.as_deref() != Some("asc"),
            orderby: match orderby.as_deref() {
                Some("id") => ReviewOrderBy::Id,
                Some("include") => ReviewOrderBy::Include,
                Some("product") => ReviewOrderBy::Product,
                _ => ReviewOrderBy::Date,
            },
        })
    }
}

/// One page of reviews; `total` counts the matching reviews the caller may see.
pub type ReviewPage<'a> = Page<&'a Review>;

/// Runs a review collection query; `can_moderate` reveals held reviews.
pub fn query_reviews<'a>(
    catalog: &CatalogView<'a>,
    query: &ReviewQuery,
    can_moderate: bool,
) -> ReviewPage<'a> {
    let offset = catalog.settings().utc_offset_seconds;
    let mut reviews: Vec<&Review> = catalog
        .reviews()
        .iter()
        .filter(|review| review_visible(review, can_moderate))
        .filter(|review| {
            catalog
                .product(review.product_id)
                .is_some_and(|p| p.product_type != ProductType::Variation)
        })
        .filter(|r| query.include.is_empty() || query.include.contains(&r.id))
        .filter(|r| !query.exclude.contains(&r.id))
        .filter(|r| query.product.is_empty() || query.product.contains(&r.product_id))
        .filter(|r| query.reviewer.is_empty() || query.reviewer.contains(&r.reviewer_user_id))
        .filter(|r| !query.reviewer_exclude.contains(&r.reviewer_user_id))
        .filter(|r| {
            query.search.as_ref().is_none_or(|s| {
                r.review.to_lowercase().contains(s) || r.reviewer.to_lowercase().contains(s)
            })
        })
        .filter(|r| {
            let local = r.date_created.map_or(i64::MIN, |t| t.0 + offset);
            within_dates(local, query.after, query.before)
        })
        .collect();
    reviews.sort_by(|a, b| {
        let ordering = match query.orderby {
            ReviewOrderBy::Date => a.date_created.cmp(&b.date_created).then(a.id.cmp(&b.id)),
            ReviewOrderBy::Id => a.id.cmp(&b.id),
            ReviewOrderBy::Product => a.product_id.cmp(&b.product_id).then(a.id.cmp(&b.id)),
            ReviewOrderBy::Include => return include_order(&query.include, a.id, b.id),
        };
        directed(ordering, query.descending)
    });
    let skip = skip_count(query.page, query.per_page, query.offset);
    Page::slice(reviews, skip, query.per_page)
}

/// `GET /products/reviews/{id}`: a review of a product that the caller may see; 404
/// `cocart_cannot_view_review` otherwise.
pub fn find_review<'a>(
    catalog: &CatalogView<'a>,
    id: u64,
    can_moderate: bool,
) -> Result<&'a Review, ApiError> {
    catalog
        .reviews()
        .iter()
        .find(|review| review.id == id)
        .filter(|review| catalog.product(review.product_id).is_some())
        .filter(|review| review_visible(review, can_moderate))
        .ok_or_else(error::cannot_view_review)
}

/// Gravatar URLs per size for an email, as WordPress builds them for this site's scheme.
fn avatar_urls(base_url: &str, email: &str) -> Value {
    let hash = format!("{:x}", md5::compute(email.trim().to_lowercase().as_bytes()));
    let host = if base_url.starts_with("https://") {
        "https://secure.gravatar.com".to_string()
    } else {
        let server = hash
            .chars()
            .next()
            .and_then(|c| c.to_digit(16))
            .unwrap_or(0)
            % 3;
        format!("http://{server}.gravatar.com")
    };
    let mut urls = Map::new();
    for size in [24, 48, 96] {
        urls.insert(
            size.to_string(),
            json!(format!("{host}/avatar/{hash}?s={size}&d=mm&r=g")),
        );
    }
    Value::Object(urls)
}

/// The review object (§10.2) in `version` (`v1` or `v2`).
pub fn render_review(ctx: &RenderContext, version: &str, review: &Review) -> Value {
    let (created, created_gmt) = ctx.date_pair(review.date_created);
    let product = ctx.catalog.product(review.product_id);
    let mut links = ctx.item_links(version, "/products/reviews", review.id);
    links.insert(
        "product".into(),
        json!([{
            "href": ctx.rest_url(version, &format!("/products/{}", review.product_id)),
            "permalink": product.map(|p| ctx.permalink(p)).unwrap_or_default(),
        }]),
    );
    if review.reviewer_user_id != 0 {
        links.insert(
            "reviewer".into(),
            json!([{ "embeddable": true, "href": format!("{}/wp-json/wp/v2/users/{}", ctx.base_url, review.reviewer_user_id) }]),
        );
    }
    let text = review.review.trim();
    let formatted = if text.is_empty() {
        String::new()
    } else {
        text.split("\n\n")
            .map(|p| format!("<p>{}</p>\n", p.trim().replace('\n', "<br />\n")))
            .collect()
    };
    json!({
        "id": review.id,
        "date_created": created,
        "date_created_gmt": created_gmt,
        "product_id": review.product_id,
        "status": review.status,
        "reviewer": review.reviewer,
        "review": formatted,
        "rating": review.rating,
        "verified": review.verified,
        "reviewer_avatar_urls": avatar_urls(ctx.base_url, &review.reviewer_email),
        "_links": links,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::products::test_fixtures::{PEER_BASE_URL, peer_store, validated};
    use crate::catalog::model::CatalogData;

    fn review(id: u64, product_id: u64, status: &str, day: &str) -> Review {
        Review {
            id,
            product_id,
            date_created: UnixTime::parse(day),
            status: status.into(),
            reviewer: "jane".into(),
            reviewer_email: "Jane@Example.com ".into(),
            reviewer_user_id: 0,
            review: "Lovely.".into(),
            rating: 5,
            verified: true,
        }
    }

    fn data_with_reviews() -> CatalogData {
        let mut data = peer_store();
        data.reviews = vec![
            review(1, 10, "approved", "2026-11-01T10:00:00"),
            review(2, 10, "hold", "2026-11-02T10:00:00"),
            review(3, 11, "approved", "2026-11-03T10:00:00"),
            review(4, 11, "spam", "2026-11-04T10:00:00"),
        ];
        data
    }

    #[test]
    fn collection_shows_approved_reviews_and_held_ones_to_moderators() {
        let data = data_with_reviews();
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let query = ReviewQuery::parse(&Map::new()).unwrap();
        let ids = |page: ReviewPage| page.items.iter().map(|r| r.id).collect::<Vec<_>>();
        assert_eq!(ids(query_reviews(&catalog, &query, false)), [3, 1]);
        assert_eq!(ids(query_reviews(&catalog, &query, true)), [3, 2, 1]);
        let params = validated(
            "/cocart/v2/products/reviews",
            json!({"product": "10", "order": "asc"}),
        )
        .unwrap();
        let by_product = ReviewQuery::parse(&params).unwrap();
        assert_eq!(ids(query_reviews(&catalog, &by_product, true)), [1, 2]);
        assert_eq!(
            find_review(&catalog, 2, false).unwrap_err().code,
            "cocart_cannot_view_review"
        );
        assert_eq!(find_review(&catalog, 4, true).unwrap_err().status, 404);
    }

    #[test]
    fn review_object_and_embeds() {
        let data = data_with_reviews();
        let snapshot = crate::catalog::Catalog::new(data.clone());
        let catalog = CatalogView::new(&snapshot);
        let ctx = RenderContext {
            catalog: &catalog,
            base_url: PEER_BASE_URL,
            now: UnixTime(0),
        };
        let body = render_review(&ctx, "v2", find_review(&catalog, 1, false).unwrap());
        assert_eq!(body["review"], "<p>Lovely.</p>\n");
        assert_eq!(body["date_created"], "2026-11-01T10:00:00");
        let hash = format!("{:x}", md5::compute("jane@example.com"));
        assert!(
            body["reviewer_avatar_urls"]["48"]
                .as_str()
                .unwrap()
                .contains(&hash)
        );
        assert_eq!(
            body["_links"]["product"][0]["permalink"],
            "http://127.0.0.1:8081/product/basic-t-shirt/"
        );
        let embedded = embedded_reviews(&ctx, catalog.product(10).unwrap());
        assert_eq!(
            embedded,
            json!([{
                "review_id": "1", "author_name": "Jane", "author_url": "",
                "review_comment": "Lovely.", "review_date": "2026-11-01 10:00:00",
                "review_date_gmt": "2026-11-01 10:00:00", "rating": "5", "verified": "1"
            }])
        );
    }
}
