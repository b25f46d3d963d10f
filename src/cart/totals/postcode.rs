//! Postcode matching shared by tax rates and shipping zones: exact codes, wildcard prefixes
//! (`CB*`, `*`) and ranges (`90000...90210`, letters compared as two-digit numbers), as
//! WooCommerce's `wc_postcode_location_matcher` does.

/// WooCommerce's `wc_normalize_postcode`: uppercase, spaces and hyphens removed.
pub fn normalize_postcode(postcode: &str) -> String {
    postcode
        .trim()
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether a stored postcode pattern (exact, wildcard or range) matches a customer postcode.
pub fn postcode_matches(pattern: &str, postcode: &str) -> bool {
    let postcode = normalize_postcode(postcode);
    if let Some((low, high)) = pattern.split_once("...") {
        return range_matches(low.trim(), high.trim(), &postcode);
    }
    let pattern = normalize_postcode(pattern);
    match pattern.strip_suffix('*') {
        Some(prefix) => postcode.starts_with(prefix),
        None => pattern == postcode,
    }
}

fn is_numeric(value: &str) -> bool {
    !value.is_empty() && value.chars().all(|c| c.is_ascii_digit())
}

fn range_matches(low: &str, high: &str, postcode: &str) -> bool {
    if high.contains("...") {
        return false;
    }
    if is_numeric(low) && is_numeric(high) {
        if !is_numeric(postcode) {
            return low <= postcode && postcode <= high;
        }
        return compare_digits(postcode, low).is_ge() && compare_digits(postcode, high).is_le();
    }
    let compare = numeric_postcode(postcode);
    let width = compare.len();
    let low = format!("{:0<width$}", numeric_postcode(&normalize_postcode(low)));
    let high = format!("{:0<width$}", numeric_postcode(&normalize_postcode(high)));
    compare_digits(&compare, &low).is_ge() && compare_digits(&compare, &high).is_le()
}

/// Compares two digit strings as whole numbers of any length.
fn compare_digits(left: &str, right: &str) -> std::cmp::Ordering {
    let left = left.trim_start_matches('0');
    let right = right.trim_start_matches('0');
    left.len().cmp(&right.len()).then_with(|| left.cmp(right))
}

/// WooCommerce's `wc_make_numeric_postcode`: every character becomes two digits (digits
/// themselves `00`–`09`, letters `01`–`26`, anything else `00`).
fn numeric_postcode(postcode: &str) -> String {
    postcode
        .chars()
        .filter(|c| *c != ' ' && *c != '-')
        .map(|c| match c {
            '0'..='9' => format!("0{c}"),
            'A'..='Z' => format!("{:02}", c as u32 - 'A' as u32 + 1),
            _ => "00".to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalisation_drops_spaces_and_hyphens() {
        assert_eq!(normalize_postcode(" cb1 2-ab "), "CB12AB");
    }

    #[test]
    fn exact_and_wildcard_patterns() {
        assert!(postcode_matches("CB1 2AB", "cb12ab"));
        assert!(!postcode_matches("CB1 2AB", "CB12AC"));
        assert!(postcode_matches("CB*", "CB1 2AB"));
        assert!(postcode_matches("cb1*", "CB1 2AB"));
        assert!(!postcode_matches("CB2*", "CB1 2AB"));
        assert!(postcode_matches("*", "90210"));
    }

    #[test]
    fn numeric_ranges() {
        assert!(postcode_matches("90000...90210", "90210"));
        assert!(postcode_matches("90000...90210", "90000"));
        assert!(!postcode_matches("90000...90210", "90211"));
        assert!(!postcode_matches("90000...90210", "8999"));
    }

    #[test]
    fn letter_ranges_compare_letters_as_numbers() {
        assert!(postcode_matches("AA1...AA9", "AA5"));
        assert!(!postcode_matches("AA1...AA9", "AB5"));
        assert!(postcode_matches("A...C", "B12"));
        assert!(!postcode_matches("A...C", "D12"));
    }

    #[test]
    fn malformed_ranges_never_match() {
        assert!(!postcode_matches("1...2...3", "2"));
    }
}
