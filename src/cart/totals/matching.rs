//! Which tax rates apply where: WooCommerce's `WC_Tax::find_rates` (country, state,
//! postcode, city, class, one rate per priority) and the tax-class rules around it.

use crate::catalog::model::{TaxClass, TaxRate};

use super::postcode::postcode_matches;
use super::rates::MatchedRate;

/// The address taxes are computed for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaxLocation {
    /// Country code.
    pub country: String,
    /// State code.
    pub state: String,
    /// Postcode.
    pub postcode: String,
    /// City.
    pub city: String,
}

/// Maps a product's or rate's class slug to the class WooCommerce would store: `standard`
/// and unknown slugs become the standard class `""`. An empty class list means the store's
/// classes are unknown, and every slug is kept.
pub fn sanitize_tax_class(class: &str, classes: &[TaxClass]) -> String {
    let class = class.trim();
    if class.eq_ignore_ascii_case("standard") {
        return String::new();
    }
    if classes.is_empty() || classes.iter().any(|known| known.slug == class) {
        class.to_string()
    } else {
        String::new()
    }
}

/// The rates for a tax class at a location, in WooCommerce's order (priority, then the
/// most specific), keeping only the first rate of each priority.
pub fn find_rates(
    all_rates: &[TaxRate],
    classes: &[TaxClass],
    location: &TaxLocation,
    class: &str,
) -> Vec<MatchedRate> {
    let country = location.country.trim().to_uppercase();
    if country.is_empty() {
        return Vec::new();
    }
    let state = location.state.trim().to_uppercase();
    let city = location.city.trim().to_uppercase();
    let class = sanitize_tax_class(class, classes);
    let mut matching: Vec<&TaxRate> = all_rates
        .iter()
        .filter(|rate| rate.country.is_empty() || rate.country.eq_ignore_ascii_case(&country))
        .filter(|rate| rate.state.is_empty() || rate.state.eq_ignore_ascii_case(&state))
        .filter(|rate| sanitize_tax_class(&rate.class, classes) == class)
        .filter(|rate| location_matches(rate, &location.postcode, &city))
        .collect();
    matching.sort_by(|a, b| {
        a.priority
            .cmp(&b.priority)
            .then_with(|| a.country.is_empty().cmp(&b.country.is_empty()))
            .then_with(|| a.country.cmp(&b.country))
            .then_with(|| a.state.is_empty().cmp(&b.state.is_empty()))
            .then_with(|| a.state.cmp(&b.state))
            .then_with(|| b.postcodes.len().cmp(&a.postcodes.len()))
            .then_with(|| b.cities.len().cmp(&a.cities.len()))
            .then_with(|| a.id.cmp(&b.id))
    });
    let mut seen_priorities = Vec::new();
    matching
        .into_iter()
        .filter(|rate| {
            let first = !seen_priorities.contains(&rate.priority);
            seen_priorities.push(rate.priority);
            first
        })
        .map(describe_rate)
        .collect()
}

fn location_matches(rate: &TaxRate, postcode: &str, city: &str) -> bool {
    let city_matches = || {
        rate.cities
            .iter()
            .any(|c| c.trim().eq_ignore_ascii_case(city))
    };
    match (rate.postcodes.is_empty(), rate.cities.is_empty()) {
        (true, true) => true,
        (false, _) => {
            rate.postcodes.iter().any(|p| postcode_matches(p, postcode))
                && (rate.cities.is_empty() || city_matches())
        }
        (true, false) => city_matches(),
    }
}

/// A rate as the calculation uses it, with WooCommerce's label (`Tax` when blank) and
/// summary code (`US-CA-TAX-1`).
pub fn describe_rate(rate: &TaxRate) -> MatchedRate {
    let label = if rate.name.trim().is_empty() {
        "Tax".to_string()
    } else {
        rate.name.clone()
    };
    let name_part = if rate.name.is_empty() {
        "TAX".to_string()
    } else {
        rate.name.clone()
    };
    let priority = rate.priority.to_string();
    let code = [
        rate.country.as_str(),
        rate.state.as_str(),
        name_part.as_str(),
        if rate.priority == 0 {
            ""
        } else {
            priority.as_str()
        },
    ]
    .iter()
    .filter(|part| !part.is_empty())
    .copied()
    .collect::<Vec<_>>()
    .join("-")
    .to_uppercase();
    MatchedRate {
        id: rate.id,
        percent: rate.rate,
        label,
        compound: rate.compound,
        shipping: rate.shipping,
        code,
    }
}

/// Only the rates that also apply to shipping (`WC_Tax::find_shipping_rates`).
pub fn shipping_only(rates: Vec<MatchedRate>) -> Vec<MatchedRate> {
    rates.into_iter().filter(|rate| rate.shipping).collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    pub(crate) fn tax_rate(id: u64, country: &str, rate: Decimal, class: &str) -> TaxRate {
        TaxRate {
            id,
            country: country.to_string(),
            state: String::new(),
            postcodes: Vec::new(),
            cities: Vec::new(),
            rate,
            name: format!("Rate {id}"),
            priority: 1,
            compound: false,
            shipping: true,
            order: 0,
            class: class.to_string(),
        }
    }

    pub(crate) fn default_classes() -> Vec<TaxClass> {
        [
            ("", "Standard rate"),
            ("reduced-rate", "Reduced rate"),
            ("zero-rate", "Zero rate"),
        ]
        .iter()
        .map(|(slug, name)| TaxClass {
            slug: slug.to_string(),
            name: name.to_string(),
        })
        .collect()
    }

    fn at(country: &str, state: &str, postcode: &str, city: &str) -> TaxLocation {
        TaxLocation {
            country: country.to_string(),
            state: state.to_string(),
            postcode: postcode.to_string(),
            city: city.to_string(),
        }
    }

    fn ids(rates: &[MatchedRate]) -> Vec<u64> {
        rates.iter().map(|rate| rate.id).collect()
    }

    #[test]
    fn country_state_and_class_select_rates() {
        let mut ca = tax_rate(2, "US", dec!(7.25), "");
        ca.state = "CA".into();
        ca.priority = 2;
        let rates = vec![
            tax_rate(1, "US", dec!(10), ""),
            ca,
            tax_rate(3, "US", dec!(5), "reduced-rate"),
            tax_rate(4, "GB", dec!(20), ""),
        ];
        let classes = default_classes();
        assert_eq!(
            ids(&find_rates(&rates, &classes, &at("us", "ca", "", ""), "")),
            vec![1, 2]
        );
        assert_eq!(
            ids(&find_rates(&rates, &classes, &at("US", "NY", "", ""), "")),
            vec![1]
        );
        assert_eq!(
            ids(&find_rates(
                &rates,
                &classes,
                &at("US", "", "", ""),
                "reduced-rate"
            )),
            vec![3]
        );
        assert!(find_rates(&rates, &classes, &at("", "", "", ""), "").is_empty());
    }

    #[test]
    fn only_the_most_specific_rate_of_each_priority_applies() {
        let mut specific = tax_rate(1, "US", dec!(8), "");
        specific.postcodes = vec!["902*".into()];
        let wildcard = tax_rate(2, "", dec!(3), "");
        let general = tax_rate(3, "US", dec!(5), "");
        let rates = vec![wildcard, general, specific];
        let classes = default_classes();
        assert_eq!(
            ids(&find_rates(
                &rates,
                &classes,
                &at("US", "", "90210", ""),
                ""
            )),
            vec![1]
        );
        assert_eq!(
            ids(&find_rates(
                &rates,
                &classes,
                &at("US", "", "10001", ""),
                ""
            )),
            vec![3]
        );
        assert_eq!(
            ids(&find_rates(&rates, &classes, &at("FR", "", "", ""), "")),
            vec![2]
        );
    }

    #[test]
    fn postcode_and_city_rows_must_both_match() {
        let mut rate = tax_rate(1, "GB", dec!(20), "");
        rate.postcodes = vec!["CB1...CB9".into()];
        rate.cities = vec!["CAMBRIDGE".into()];
        let mut city_only = tax_rate(2, "GB", dec!(10), "");
        city_only.cities = vec!["LONDON".into()];
        city_only.priority = 2;
        let rates = vec![rate, city_only];
        let classes = default_classes();
        assert_eq!(
            ids(&find_rates(
                &rates,
                &classes,
                &at("GB", "", "CB5", "Cambridge"),
                ""
            )),
            vec![1]
        );
        assert!(find_rates(&rates, &classes, &at("GB", "", "CB5", "Ely"), "").is_empty());
        assert_eq!(
            ids(&find_rates(
                &rates,
                &classes,
                &at("GB", "", "", "london"),
                ""
            )),
            vec![2]
        );
    }

    #[test]
    fn unknown_classes_are_standard() {
        let rates = vec![tax_rate(1, "US", dec!(20), "20percent")];
        let classes = default_classes();
        assert_eq!(
            ids(&find_rates(
                &rates,
                &classes,
                &at("US", "", "", ""),
                "standard"
            )),
            vec![1]
        );
        assert_eq!(
            ids(&find_rates(
                &rates,
                &classes,
                &at("US", "", "", ""),
                "product"
            )),
            vec![1]
        );
        assert!(find_rates(&rates, &classes, &at("US", "", "", ""), "reduced-rate").is_empty());
    }

    #[test]
    fn labels_and_codes_follow_woocommerce() {
        let mut rate = tax_rate(1, "US", dec!(10), "");
        rate.name = "US Tax".into();
        let found = find_rates(&[rate.clone()], &[], &at("US", "", "", ""), "");
        assert_eq!(found[0].code, "US-US TAX-1");
        assert_eq!(found[0].label, "US Tax");
        rate.name = String::new();
        rate.state = "CA".into();
        let found = find_rates(&[rate], &[], &at("US", "CA", "", ""), "");
        assert_eq!(found[0].code, "US-CA-TAX-1");
        assert_eq!(found[0].label, "Tax");
    }
}
