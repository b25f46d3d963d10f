//! Paging for the collection routes: the page slice with its counts, and the `Link` header
//! values and v2 envelope `_links` (products.md §3.5).
//!
//! CoCart builds both from the request's query-string arguments with `page` replaced, so
//! clients that follow `next` keep their filters. The handlers send the values of
//! [`PagingLinks::link_header_values`] as one comma-separated `Link` header, as WordPress
//! does.

/// One page of a collection: the records of the requested slice and the counts the paging
/// headers report.
#[derive(Debug)]
pub struct Page<T> {
    /// The records of the page, in order.
    pub items: Vec<T>,
    /// Matches across all pages (`X-WP-Total`).
    pub total: u64,
    /// `ceil(total / per_page)` (`X-WP-TotalPages`); 0 when nothing matches.
    pub total_pages: u64,
}

impl<T> Page<T> {
    /// Cuts a page out of every match: skips `skip` records and keeps at most `per_page`.
    pub fn slice(matches: Vec<T>, skip: u64, per_page: u64) -> Page<T> {
        let total = matches.len() as u64;
        let items = matches
            .into_iter()
            .skip(usize::try_from(skip).unwrap_or(usize::MAX))
            .take(usize::try_from(per_page).unwrap_or(usize::MAX))
            .collect();
        Page {
            items,
            total,
            total_pages: total.div_ceil(per_page.max(1)),
        }
    }
}

/// The number of records before a page: an explicit `offset`, else the records of the
/// pages before `page`.
pub fn skip_count(page: u64, per_page: u64, offset: Option<u64>) -> u64 {
    offset.unwrap_or_else(|| page.saturating_sub(1).saturating_mul(per_page))
}

/// The previous and next page URLs of a collection response.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PagingLinks {
    /// The previous page (when `page > 1`; capped at the last page).
    pub prev: Option<String>,
    /// The next page (when more pages follow).
    pub next: Option<String>,
}

impl PagingLinks {
    /// The `Link` header values: `<URL>; rel="prev"` and/or `<URL>; rel="next"`.
    pub fn link_header_values(&self) -> Vec<String> {
        let mut values = Vec::new();
        if let Some(prev) = &self.prev {
            values.push(format!("<{prev}>; rel=\"prev\""));
        }
        if let Some(next) = &self.next {
            values.push(format!("<{next}>; rel=\"next\""));
        }
        values
    }
}

/// Builds the paging links of a collection response.
///
/// * `base_url`: the public site URL (`https://shop.example`);
/// * `route`: the REST route after `/wp-json`, e.g. `/cocart/v2/products` or
///   `/cocart/v2/products/21/variations`;
/// * `query`: the request's query-string arguments, decoded, in request order (WordPress
///   re-emits them unencoded, with `page` replaced in place or appended).
pub fn paging_links(
    base_url: &str,
    route: &str,
    query: &[(String, String)],
    page: u64,
    total_pages: u64,
) -> PagingLinks {
    let url_for = |target: u64| {
        let mut pairs: Vec<String> = Vec::new();
        let mut page_written = false;
        for (key, value) in query {
            if key == "page" {
                if !page_written {
                    pairs.push(format!("page={target}"));
                    page_written = true;
                }
            } else {
                pairs.push(format!("{key}={value}"));
            }
        }
        if !page_written {
            pairs.push(format!("page={target}"));
        }
        format!("{base_url}/wp-json{route}?{}", pairs.join("&"))
    };
    PagingLinks {
        prev: (page > 1).then(|| url_for((page - 1).min(total_pages))),
        next: (total_pages > page).then(|| url_for(page + 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn first_page_links_only_to_the_next_one() {
        let links = paging_links(
            "http://127.0.0.1:8081",
            "/cocart/v2/products",
            &pairs(&[("per_page", "3")]),
            1,
            4,
        );
        assert_eq!(links.prev, None);
        assert_eq!(
            links.link_header_values(),
            ["<http://127.0.0.1:8081/wp-json/cocart/v2/products?per_page=3&page=2>; rel=\"next\""]
        );
    }

    #[test]
    fn page_is_replaced_in_place_and_prev_is_capped_at_the_last_page() {
        let query = pairs(&[("page", "3"), ("per_page", "3"), ("search", "polo")]);
        let links = paging_links("https://s.example", "/cocart/v1/products", &query, 3, 4);
        assert_eq!(
            links.prev.as_deref(),
            Some("https://s.example/wp-json/cocart/v1/products?page=2&per_page=3&search=polo")
        );
        assert_eq!(
            links.next.as_deref(),
            Some("https://s.example/wp-json/cocart/v1/products?page=4&per_page=3&search=polo")
        );
        let beyond = paging_links("https://s.example", "/cocart/v2/products", &query, 9, 4);
        assert_eq!(
            beyond.prev.as_deref(),
            Some("https://s.example/wp-json/cocart/v2/products?page=4&per_page=3&search=polo")
        );
        assert_eq!(beyond.next, None);
    }
}
