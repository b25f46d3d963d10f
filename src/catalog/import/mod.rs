//! Importers that turn WooCommerce exports into [`CatalogData`]: a folder of WooCommerce
//! REST v3 JSON files ([`wc_json`]), the product CSV export ([`product_csv`]) and the
//! tax-rate CSV ([`tax_csv`]).
//!
//! Parsing works on file contents, so the embedded demo store uses the same code; the
//! path-reading wrappers here only read files. Every error names the file, the record (ID,
//! index or CSV line) and the field, so a merchant can fix the export.

pub mod product_csv;
mod reader;
mod settings;
pub mod tax_csv;
mod terms;
pub mod wc_json;

use std::path::{Path, PathBuf};

use thiserror::Error;

use super::data::DataError;
use super::model::CatalogData;

/// Why an import failed.
#[derive(Debug, Error)]
pub enum ImportError {
    /// A file or folder could not be read.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// A whole file is unusable (bad JSON, unknown CSV header, missing `products.json`).
    #[error("{file}: {problem}")]
    File {
        /// The file name.
        file: String,
        /// What is wrong.
        problem: String,
    },
    /// One field of one record is unusable.
    #[error("{file}: {record}: field \"{field}\": {problem}")]
    Field {
        /// The file name.
        file: String,
        /// The record (`product 10`, `line 7`, …).
        record: String,
        /// The field or column.
        field: String,
        /// What is wrong (`"abc" is not a number`).
        problem: String,
    },
    /// A record refers to something that does not exist.
    #[error("{file}: {record}: {problem}")]
    Record {
        /// The file name.
        file: String,
        /// The record.
        record: String,
        /// What is wrong.
        problem: String,
    },
    /// The imported records contradict each other.
    #[error("{source_name}: {error}")]
    Invalid {
        /// The imported file or folder.
        source_name: String,
        /// The contradiction.
        error: DataError,
    },
}

/// Loads every path in order and merges the results (later paths upsert earlier records):
/// a folder is read as a WooCommerce REST JSON export, a `.csv` file as a product CSV or a
/// tax-rate CSV (told apart by the header row). The merged data is validated.
pub fn load(paths: &[PathBuf]) -> Result<CatalogData, ImportError> {
    let mut data = CatalogData::default();
    for path in paths {
        data.merge(load_path(path)?);
    }
    let source_name = paths
        .iter()
        .map(|path| path.display().to_string())
        .collect::<Vec<_>>()
        .join(", ");
    data.validate()
        .map_err(|error| ImportError::Invalid { source_name, error })?;
    Ok(data)
}

/// Loads one folder (WooCommerce REST JSON) or one `.csv` file.
pub fn load_path(path: &Path) -> Result<CatalogData, ImportError> {
    let io_error = |source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    };
    let metadata = std::fs::metadata(path).map_err(io_error)?;
    if metadata.is_dir() {
        let mut files = Vec::new();
        for name in wc_json::FILE_NAMES {
            let file = path.join(name);
            match std::fs::read_to_string(&file) {
                Ok(contents) => files.push((name.to_string(), contents)),
                Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
                Err(source) => return Err(ImportError::Io { path: file, source }),
            }
        }
        let borrowed: Vec<(&str, &str)> = files
            .iter()
            .map(|(name, contents)| (name.as_str(), contents.as_str()))
            .collect();
        return wc_json::parse(&borrowed);
    }
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let is_csv = path
        .extension()
        .is_some_and(|extension| extension.eq_ignore_ascii_case("csv"));
    if !is_csv {
        return Err(ImportError::File {
            file: name,
            problem: "expected a folder of WooCommerce JSON files or a .csv file".to_string(),
        });
    }
    let contents = std::fs::read_to_string(path).map_err(io_error)?;
    parse_csv(&name, &contents)
}

/// Parses a CSV export, choosing the product or tax-rate importer by the header row.
pub fn parse_csv(file: &str, contents: &str) -> Result<CatalogData, ImportError> {
    let header = contents
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or_default();
    if tax_csv::is_tax_rate_header(header) {
        tax_csv::parse(file, contents)
    } else if product_csv::is_product_header(header) {
        product_csv::parse(file, contents)
    } else {
        Err(ImportError::File {
            file: file.to_string(),
            problem: "the header row is neither a WooCommerce product CSV nor a tax rate CSV"
                .to_string(),
        })
    }
}

#[cfg(test)]
mod tests;
