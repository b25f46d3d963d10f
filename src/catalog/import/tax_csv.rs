//! WooCommerce's tax-rate CSV (WooCommerce → Settings → Tax → Export CSV): one rate per
//! row with `Country Code, State Code, ZIP/Postcode, City, Rate %, Tax Name, Priority,
//! Compound, Shipping, Tax Class`. `*` means any; postcodes and cities are
//! `;`-separated. The file carries no IDs, so rate IDs are the row numbers (1, 2, …):
//! importing the same file again replaces the same rates.

use super::ImportError;
use super::reader::{parse_bool_text, parse_decimal_text};
use crate::catalog::model::{CatalogData, TaxRate};

/// The columns of a tax-rate CSV, in WooCommerce's order.
const COLUMNS: [&str; 10] = [
    "Country Code",
    "State Code",
    "ZIP/Postcode",
    "City",
    "Rate %",
    "Tax Name",
    "Priority",
    "Compound",
    "Shipping",
    "Tax Class",
];

/// Whether a header row is the tax-rate CSV's.
pub fn is_tax_rate_header(header: &str) -> bool {
    header
        .split(',')
        .next()
        .is_some_and(|first| first.trim().trim_matches('"') == COLUMNS[0])
}

/// A `*`-means-any list cell split on `;`, upper-cased.
fn any_list(cell: &str) -> Vec<String> {
    cell.split(';')
        .map(|part| part.trim().to_uppercase())
        .filter(|part| !part.is_empty() && part != "*")
        .collect()
}

/// A `*`-means-any single cell, upper-cased.
fn any_code(cell: &str) -> String {
    let cell = cell.trim();
    if cell == "*" {
        String::new()
    } else {
        cell.to_uppercase()
    }
}

/// Parses the contents of a tax-rate CSV file named `file`.
pub fn parse(file: &str, contents: &str) -> Result<CatalogData, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(contents.trim_start_matches('\u{feff}').as_bytes());
    let file_error = |problem: String| ImportError::File {
        file: file.to_string(),
        problem,
    };
    let headers = reader
        .headers()
        .map_err(|error| file_error(format!("unreadable header: {error}")))?
        .clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|header| header.trim() == name)
            .ok_or_else(|| file_error(format!("missing column \"{name}\"")))
    };
    let positions = COLUMNS
        .iter()
        .map(|name| column(name))
        .collect::<Result<Vec<usize>, ImportError>>()?;
    let mut data = CatalogData::default();
    for (index, row) in reader.records().enumerate() {
        let line = index + 2;
        let row = row.map_err(|error| file_error(format!("line {line}: {error}")))?;
        let cell = |column: usize| row.get(positions[column]).unwrap_or("").trim();
        let field_error = |column: usize, problem: String| ImportError::Field {
            file: file.to_string(),
            record: format!("line {line}"),
            field: COLUMNS[column].to_string(),
            problem,
        };
        let flag = |column: usize| {
            parse_bool_text(cell(column))
                .ok_or_else(|| field_error(column, format!("\"{}\" is not 1 or 0", cell(column))))
        };
        let rate = parse_decimal_text(cell(4))
            .ok()
            .flatten()
            .ok_or_else(|| field_error(4, format!("\"{}\" is not a number", cell(4))))?;
        let priority = match cell(6) {
            "" => 1,
            text => text
                .parse()
                .map_err(|_| field_error(6, format!("\"{text}\" is not a priority")))?,
        };
        let class = cell(9);
        data.tax_rates.push(TaxRate {
            id: index as u64 + 1,
            country: any_code(cell(0)),
            state: any_code(cell(1)),
            postcodes: any_list(cell(2)),
            cities: any_list(cell(3)),
            rate,
            name: cell(5).to_string(),
            priority,
            compound: flag(7)?,
            shipping: flag(8)?,
            order: index as u32,
            class: if class == "standard" {
                String::new()
            } else {
                class.to_string()
            },
        });
    }
    Ok(data)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    const SAMPLE: &str = crate::catalog::fixtures::SAMPLE_TAX_RATES_CSV;

    #[test]
    fn reads_woocommerce_sample_rates() {
        let data = parse("sample_tax_rates.csv", SAMPLE).unwrap();
        assert_eq!(data.tax_rates.len(), 5);
        let gb = &data.tax_rates[0];
        assert_eq!((gb.country.as_str(), gb.state.as_str()), ("GB", ""));
        assert!(gb.postcodes.is_empty() && gb.cities.is_empty());
        assert_eq!(gb.rate, dec!(20.0000));
        assert!(gb.compound && gb.shipping);
        assert_eq!(gb.class, "");
        assert_eq!(data.tax_rates[1].class, "reduced-rate");
        let alabama = &data.tax_rates[4];
        assert_eq!(alabama.state, "AL");
        assert_eq!(alabama.postcodes, vec!["12345", "123456"]);
        assert_eq!(alabama.priority, 2);
        assert_eq!(alabama.name, "US AL");
        assert_eq!(alabama.id, 5);
    }

    #[test]
    fn bad_rate_names_the_line_and_column() {
        let broken = "Country Code,State Code,ZIP/Postcode,City,Rate %,Tax Name,Priority,Compound,Shipping,Tax Class\nUS,*,*,*,ten,US,1,0,1,\n";
        let error = parse("rates.csv", broken).unwrap_err().to_string();
        assert_eq!(
            error,
            "rates.csv: line 2: field \"Rate %\": \"ten\" is not a number"
        );
    }
}
