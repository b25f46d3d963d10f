//! Every error the Products API itself answers, in one place (products.md §12).
//!
//! Errors travel as the crate's one client-visible [`ApiError`]; this module only decides
//! the codes, messages and statuses specific to the product routes, so that the texts the
//! storefronts match on live next to each other and cannot drift apart. Argument type,
//! enum and bound failures are answered by the HTTP layer from the declared schemas.

use serde_json::json;

use crate::error::ApiError;

/// 400 `cocart_products_invalid_page_number`: the page lies past the last one.
pub fn invalid_page_number() -> ApiError {
    ApiError::new(
        400,
        "cocart_products_invalid_page_number",
        "The page number requested is larger than the number of products available.",
    )
}

/// 400 `rest_invalid_param` for a `date-time` argument that does not parse, as WordPress's
/// `rest_validate_value_from_schema` answers it (the HTTP layer checks types, enums and
/// bounds but not string formats).
pub fn invalid_date(param: &str) -> ApiError {
    ApiError::new(400, "rest_invalid_param", format!("Invalid parameter(s): {param}"))
        .with_data("params", json!({ param: "Invalid date." }))
        .with_data(
            "details",
            json!({ param: {"code": "rest_invalid_date", "message": "Invalid date.", "data": {"param": param}} }),
        )
}

/// 404 `cocart_product_id_required`: the v2 single route got an empty identifier.
pub fn product_id_required() -> ApiError {
    ApiError::new(
        404,
        "cocart_product_id_required",
        "Product ID number is required!",
    )
}

/// 404 `cocart_unknown_product_id`: a non-numeric identifier matched no SKU.
pub fn unknown_product_id() -> ApiError {
    ApiError::new(
        404,
        "cocart_unknown_product_id",
        "Product does not exist! Check that you have submitted a product ID or SKU ID correctly for a product that exists.",
    )
}

/// 404 `cocart_product_invalid_id`: missing or unpublished product.
pub fn product_invalid_id() -> ApiError {
    ApiError::new(404, "cocart_product_invalid_id", "Invalid ID.")
}

/// 404 `cocart_product_variation_invalid_id`: the variation is unknown, not a child of the
/// parent in the path, or not published.
pub fn variation_invalid_id() -> ApiError {
    ApiError::new(404, "cocart_product_variation_invalid_id", "Invalid ID.")
}

/// 404 `cocart_taxonomy_invalid`: unknown taxonomy (e.g. an unknown attribute ID on the
/// attribute-terms routes).
pub fn taxonomy_invalid() -> ApiError {
    ApiError::new(404, "cocart_taxonomy_invalid", "Taxonomy does not exist.")
}

/// 404 `cocart_term_invalid`: unknown term or a term of another taxonomy.
pub fn term_invalid() -> ApiError {
    ApiError::new(404, "cocart_term_invalid", "Term does not exist.")
}

/// 404 `cocart_attribute_invalid`: unknown global attribute.
pub fn attribute_invalid() -> ApiError {
    ApiError::new(404, "cocart_attribute_invalid", "Attribute does not exist.")
}

/// 404 `cocart_cannot_view_review`: the review is unknown or not a product review.
pub fn cannot_view_review() -> ApiError {
    ApiError::new(
        404,
        "cocart_cannot_view_review",
        "Sorry, this product review does not exist.",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_date_names_the_argument_wordpress_style() {
        let body = invalid_date("after").to_json();
        assert_eq!(body["message"], "Invalid parameter(s): after");
        assert_eq!(body["data"]["status"], 400);
        assert_eq!(body["data"]["params"]["after"], "Invalid date.");
        assert_eq!(
            body["data"]["details"]["after"]["code"],
            "rest_invalid_date"
        );
    }
}
