//! Every error the Products API can answer, in one place (products.md §12).
//!
//! The lead's HTTP layer renders an [`ApiError`] as
//! `{"code": …, "message": …, "data": {"status": …, …}}`; this module only decides the
//! code, the message, the status and the extra `data` members, so that the texts the
//! storefronts match on live next to each other and cannot drift apart.

use serde_json::{Map, Value, json};

/// A WordPress-style REST error: `code`, `message` and the `data` object.
#[derive(Debug, Clone, PartialEq)]
pub struct ApiError {
    /// Machine-readable code, e.g. `cocart_product_invalid_id`.
    pub code: &'static str,
    /// Human-readable message, exactly as CoCart words it.
    pub message: String,
    /// HTTP status, repeated as `data.status`.
    pub status: u16,
    /// Extra members of `data` after `status` (`params` and `details` for validation errors).
    pub data: Map<String, Value>,
}

impl ApiError {
    fn new(code: &'static str, message: impl Into<String>, status: u16) -> Self {
        Self {
            code,
            message: message.into(),
            status,
            data: Map::new(),
        }
    }

    /// The JSON body: `{"code", "message", "data": {"status", …}}`.
    pub fn to_json(&self) -> Value {
        let mut data = Map::new();
        data.insert("status".into(), json!(self.status));
        data.extend(self.data.clone());
        json!({ "code": self.code, "message": self.message, "data": data })
    }

    /// 400 `rest_invalid_param`: one or more arguments failed the framework validation.
    /// `failures` lists `(parameter, inner code, inner message)` in declaration order.
    pub fn invalid_params(failures: &[ParamFailure]) -> Self {
        let names: Vec<&str> = failures.iter().map(|f| f.param.as_str()).collect();
        let mut params = Map::new();
        let mut details = Map::new();
        for failure in failures {
            params.insert(failure.param.clone(), json!(failure.message));
            details.insert(
                failure.param.clone(),
                json!({ "code": failure.code, "message": failure.message, "data": null }),
            );
        }
        let mut error = Self::new(
            "rest_invalid_param",
            format!("Invalid parameter(s): {}", names.join(", ")),
            400,
        );
        error.data.insert("params".into(), Value::Object(params));
        error.data.insert("details".into(), Value::Object(details));
        error
    }

    /// 400 `cocart_products_invalid_page_number`: the page lies past the last one.
    pub fn invalid_page_number() -> Self {
        Self::new(
            "cocart_products_invalid_page_number",
            "The page number requested is larger than the number of products available.",
            400,
        )
    }

    /// 404 `cocart_product_id_required`: the v2 single route got an empty identifier.
    pub fn product_id_required() -> Self {
        Self::new(
            "cocart_product_id_required",
            "Product ID number is required!",
            404,
        )
    }

    /// 404 `cocart_unknown_product_id`: a non-numeric identifier matched no SKU.
    pub fn unknown_product_id() -> Self {
        Self::new(
            "cocart_unknown_product_id",
            "Product does not exist! Check that you have submitted a product ID or SKU ID correctly for a product that exists.",
            404,
        )
    }

    /// 404 `cocart_product_invalid_id`: missing or unpublished product.
    pub fn product_invalid_id() -> Self {
        Self::new("cocart_product_invalid_id", "Invalid ID.", 404)
    }

    /// 404 `cocart_product_variation_invalid_id`: the variation is unknown, not a child of
    /// the parent in the path, or not published.
    pub fn variation_invalid_id() -> Self {
        Self::new("cocart_product_variation_invalid_id", "Invalid ID.", 404)
    }

    /// 404 `cocart_taxonomy_invalid`: unknown taxonomy (e.g. an unknown attribute ID on the
    /// attribute-terms routes).
    pub fn taxonomy_invalid() -> Self {
        Self::new("cocart_taxonomy_invalid", "Taxonomy does not exist.", 404)
    }

    /// 404 `cocart_term_invalid`: unknown term or a term of another taxonomy.
    pub fn term_invalid() -> Self {
        Self::new("cocart_term_invalid", "Term does not exist.", 404)
    }

    /// 404 `cocart_attribute_invalid`: unknown global attribute.
    pub fn attribute_invalid() -> Self {
        Self::new("cocart_attribute_invalid", "Attribute does not exist.", 404)
    }

    /// 404 `cocart_cannot_view_review`: the review is unknown or not a product review.
    pub fn cannot_view_review() -> Self {
        Self::new(
            "cocart_cannot_view_review",
            "Sorry, this product review does not exist.",
            404,
        )
    }
}

/// One failed argument of a `rest_invalid_param` error.
#[derive(Debug, Clone, PartialEq)]
pub struct ParamFailure {
    /// The argument name as sent (`per_page`).
    pub param: String,
    /// The inner WordPress code (`rest_invalid_type`, `rest_not_in_enum`, …).
    pub code: &'static str,
    /// The inner message (`per_page is not of type integer.`).
    pub message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_params_lists_every_failed_argument_in_order() {
        let failures = vec![
            ParamFailure {
                param: "page".into(),
                code: "rest_invalid_type",
                message: "page is not of type integer.".into(),
            },
            ParamFailure {
                param: "featured".into(),
                code: "rest_invalid_type",
                message: "featured is not of type boolean.".into(),
            },
        ];
        let body = ApiError::invalid_params(&failures).to_json();
        assert_eq!(body["code"], "rest_invalid_param");
        assert_eq!(body["message"], "Invalid parameter(s): page, featured");
        assert_eq!(body["data"]["status"], 400);
        assert_eq!(
            body["data"]["params"]["featured"],
            "featured is not of type boolean."
        );
        assert_eq!(
            body["data"]["details"]["page"],
            json!({"code": "rest_invalid_type", "message": "page is not of type integer.", "data": null})
        );
        let keys: Vec<&String> = body["data"].as_object().unwrap().keys().collect();
        assert_eq!(keys, ["status", "params", "details"]);
    }
}
