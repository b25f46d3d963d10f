//! WooCommerce's product CSV export (Products → Export): one row per product and per
//! variation, references as SKUs or `id:NN`, list cells separated by `,` (`\,` escapes a
//! comma), categories as `Parent > Child` paths, numbered `Attribute N …` and
//! `Meta: <key>` columns.
//!
//! The CSV names terms, attributes, shipping classes and images but carries no IDs for
//! them; they are created with IDs following the highest ones known, so importing the
//! same file twice gives the same IDs. Rows without an `ID` get IDs after the highest one
//! in the file. Weight and dimension cells are taken in the store's units (the unit in the
//! header is not converted).

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::ImportError;
use super::reader::{parse_bool_text, parse_decimal_text};
use super::terms::{ensure_attribute, ensure_term, find_term};
use super::wc_json::name_variations;
use crate::catalog::model::{
    AttributeOptions, AttributeValue, Backorders, CATEGORY_TAXONOMY, CatalogData,
    CatalogVisibility, Image, ManageStock, MetaEntry, PostStatus, Product, ProductAttribute,
    ProductType, ShippingClass, StockStatus, TAG_TAXONOMY, TaxStatus, UnixTime,
};
use crate::catalog::slug::sanitize_title;

/// Whether a header row is the product CSV's.
pub fn is_product_header(header: &str) -> bool {
    let columns: Vec<&str> = header
        .split(',')
        .map(|column| column.trim().trim_matches('"'))
        .collect();
    columns.contains(&"Type") && (columns.contains(&"SKU") || columns.contains(&"Name"))
}

/// Splits a list cell on unescaped commas, unescaping `\,` and trimming each item.
fn split_list(cell: &str) -> Vec<String> {
    let mut items = Vec::new();
    let mut current = String::new();
    let mut characters = cell.chars().peekable();
    while let Some(character) = characters.next() {
        match character {
            '\\' if characters.peek() == Some(&',') => {
                current.push(',');
                characters.next();
            }
            ',' => items.push(std::mem::take(&mut current)),
            other => current.push(other),
        }
    }
    items.push(current);
    items
        .into_iter()
        .map(|item| item.trim().to_string())
        .filter(|item| !item.is_empty())
        .collect()
}

/// One CSV row with the header, for reading cells by column name.
struct Row<'a> {
    file: &'a str,
    line: u64,
    headers: &'a HashMap<String, usize>,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    fn cell(&self, column: &str) -> &str {
        self.headers
            .get(column)
            .and_then(|&index| self.record.get(index))
            .unwrap_or("")
            .trim()
    }

    /// The cell of the first column whose name starts with `prefix` (unit suffixes such
    /// as `Weight (kg)`).
    fn cell_with_prefix(&self, prefix: &str) -> (String, &str) {
        let column = self
            .headers
            .keys()
            .find(|name| *name == prefix || name.starts_with(&format!("{prefix} (")))
            .cloned()
            .unwrap_or_else(|| prefix.to_string());
        let value = self.cell(&column);
        (column, value)
    }

    fn error(&self, column: &str, problem: String) -> ImportError {
        ImportError::Field {
            file: self.file.to_string(),
            record: format!("line {}", self.line),
            field: column.to_string(),
            problem,
        }
    }

    fn record_error(&self, problem: String) -> ImportError {
        ImportError::Record {
            file: self.file.to_string(),
            record: format!("line {}", self.line),
            problem,
        }
    }

    fn flag(&self, column: &str, default: bool) -> Result<bool, ImportError> {
        match self.cell(column) {
            "" => Ok(default),
            text => parse_bool_text(text)
                .ok_or_else(|| self.error(column, format!("\"{text}\" is not 1 or 0"))),
        }
    }

    /// A cell holding one of an enum's names (`default` when empty); any other text is an
    /// error that lists the `expected` names.
    fn name<T>(
        &self,
        column: &str,
        from_name: fn(&str) -> Option<T>,
        default: T,
        expected: &str,
    ) -> Result<T, ImportError> {
        match self.cell(column) {
            "" => Ok(default),
            text => from_name(text)
                .ok_or_else(|| self.error(column, format!("\"{text}\" is not {expected}"))),
        }
    }

    fn decimal_in(&self, column: &str, text: &str) -> Result<Option<Decimal>, ImportError> {
        parse_decimal_text(text)
            .map_err(|()| self.error(column, format!("\"{text}\" is not a number")))
    }

    fn decimal(&self, column: &str) -> Result<Option<Decimal>, ImportError> {
        self.decimal_in(column, self.cell(column))
    }

    fn prefixed_decimal(&self, prefix: &str) -> Result<Option<Decimal>, ImportError> {
        let (column, text) = self.cell_with_prefix(prefix);
        self.decimal_in(&column, text)
    }

    fn integer(&self, column: &str) -> Result<Option<i64>, ImportError> {
        match self.cell(column) {
            "" => Ok(None),
            text => text
                .parse()
                .map(Some)
                .map_err(|_| self.error(column, format!("\"{text}\" is not an integer"))),
        }
    }

    fn date(&self, column: &str) -> Result<Option<UnixTime>, ImportError> {
        match self.cell(column) {
            "" => Ok(None),
            text => UnixTime::parse(text)
                .map(Some)
                .ok_or_else(|| self.error(column, format!("\"{text}\" is not a date"))),
        }
    }

    fn text(&self, column: &str) -> String {
        self.cell(column).replace("\\n", "\n")
    }
}

/// What the first pass learns about the rows: their IDs and SKUs.
struct Identities {
    ids: Vec<u64>,
    by_sku: HashMap<String, u64>,
    known: Vec<u64>,
}

impl Identities {
    /// Resolves a `id:NN` or SKU reference.
    fn resolve(&self, row: &Row, column: &str, reference: &str) -> Result<u64, ImportError> {
        if let Some(id) = reference.strip_prefix("id:") {
            let id = id.trim().parse().map_err(|_| {
                row.error(
                    column,
                    format!("\"{reference}\" is not a product reference"),
                )
            })?;
            return if self.known.contains(&id) {
                Ok(id)
            } else {
                Err(row.error(column, format!("unknown product {reference}")))
            };
        }
        self.by_sku
            .get(reference)
            .copied()
            .ok_or_else(|| row.error(column, format!("no product has the SKU \"{reference}\"")))
    }

    fn resolve_list(&self, row: &Row, column: &str) -> Result<Vec<u64>, ImportError> {
        split_list(row.cell(column))
            .iter()
            .map(|reference| self.resolve(row, column, reference))
            .collect()
    }
}

/// Parses the contents of a product CSV file named `file`.
pub fn parse(file: &str, contents: &str) -> Result<CatalogData, ImportError> {
    let file_error = |problem: String| ImportError::File {
        file: file.to_string(),
        problem,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(contents.trim_start_matches('\u{feff}').as_bytes());
    let headers: HashMap<String, usize> = reader
        .headers()
        .map_err(|error| file_error(format!("unreadable header: {error}")))?
        .iter()
        .enumerate()
        .map(|(index, name)| (name.trim().to_string(), index))
        .collect();
    let mut records = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|error| file_error(error.to_string()))?;
        let line = record.position().map_or(0, |position| position.line());
        records.push((line, record));
    }
    let rows: Vec<Row> = records
        .iter()
        .map(|(line, record)| Row {
            file,
            line: *line,
            headers: &headers,
            record,
        })
        .collect();

    let mut meta_columns: Vec<(&str, usize)> = headers
        .iter()
        .filter_map(|(column, &index)| Some((column.strip_prefix("Meta: ")?, index)))
        .collect();
    meta_columns.sort_by_key(|&(_, index)| index);
    let identities = identify(&rows)?;
    let mut data = CatalogData::default();
    let mut next_image_id = identities.known.iter().max().copied().unwrap_or(0) + 1;
    let mut image_by_url: HashMap<String, u64> = HashMap::new();
    let mut next_meta_id = 1;
    let is_variation =
        |row: &Row| row_type(row).is_ok_and(|(kind, _, _)| kind == ProductType::Variation);
    let ordered = rows
        .iter()
        .zip(&identities.ids)
        .filter(|(row, _)| !is_variation(row))
        .chain(
            rows.iter()
                .zip(&identities.ids)
                .filter(|(row, _)| is_variation(row)),
        );
    for (row, &id) in ordered {
        let mut product = parse_row(&mut data, &identities, row, id)?;
        for url in split_list(row.cell("Images")) {
            let image_id = *image_by_url.entry(url.clone()).or_insert_with(|| {
                let image_id = next_image_id;
                next_image_id += 1;
                image_id
            });
            if !data.images.iter().any(|image| image.id == image_id) {
                data.images.push(image_from_url(image_id, &url));
            }
            if product.image_id == 0 {
                product.image_id = image_id;
            } else {
                product.gallery_image_ids.push(image_id);
            }
        }
        for (key, index) in &meta_columns {
            let value = row.record.get(*index).unwrap_or("");
            if !value.is_empty() {
                product.meta.push(MetaEntry {
                    id: next_meta_id,
                    key: key.to_string(),
                    value: serde_json::Value::String(value.to_string()),
                });
                next_meta_id += 1;
            }
        }
        if product.product_type == ProductType::Variation {
            attach_variation(&mut data, row, &mut product)?;
        }
        data.products.push(product);
    }
    name_variations(&mut data);
    Ok(data)
}

/// An image attachment for an imported URL, titled after its file name.
fn image_from_url(id: u64, url: &str) -> Image {
    let file_name = url.rsplit('/').next().unwrap_or(url);
    let title = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
        .to_string();
    Image {
        id,
        name: title,
        alt: String::new(),
        src: [("full".to_string(), url.to_string())]
            .into_iter()
            .collect(),
        date_created: None,
        date_modified: None,
    }
}

/// First pass: every row's ID (from `ID`, or allocated after the highest one) and the SKU
/// index used to resolve references.
fn identify(rows: &[Row]) -> Result<Identities, ImportError> {
    let mut stated = Vec::new();
    for row in rows {
        stated.push(match row.cell("ID") {
            "" => None,
            text => Some(
                text.parse::<u64>()
                    .ok()
                    .filter(|&id| id > 0)
                    .ok_or_else(|| row.error("ID", format!("\"{text}\" is not a product ID")))?,
            ),
        });
    }
    let mut next = stated.iter().flatten().max().copied().unwrap_or(0) + 1;
    let ids: Vec<u64> = stated
        .into_iter()
        .map(|id| {
            id.unwrap_or_else(|| {
                next += 1;
                next - 1
            })
        })
        .collect();
    let mut by_sku = HashMap::new();
    for (row, &id) in rows.iter().zip(&ids) {
        let sku = row.cell("SKU");
        if !sku.is_empty() && by_sku.insert(sku.to_string(), id).is_some() {
            return Err(row.error("SKU", format!("\"{sku}\" is used by an earlier row")));
        }
    }
    Ok(Identities {
        known: ids.clone(),
        ids,
        by_sku,
    })
}

/// The row's type and its `virtual` and `downloadable` flags (`simple, downloadable,
/// virtual`).
fn row_type(row: &Row) -> Result<(ProductType, bool, bool), ImportError> {
    let parts = split_list(row.cell("Type"));
    let mut kind = ProductType::Simple;
    let mut is_virtual = false;
    let mut downloadable = false;
    for part in &parts {
        match part.as_str() {
            "virtual" => is_virtual = true,
            "downloadable" => downloadable = true,
            name => kind = ProductType::from_name(name),
        }
    }
    if parts.is_empty() {
        return Err(row.error("Type", "is empty".to_string()));
    }
    Ok((kind, is_virtual, downloadable))
}

fn parse_row(
    data: &mut CatalogData,
    identities: &Identities,
    row: &Row,
    id: u64,
) -> Result<Product, ImportError> {
    let (kind, is_virtual, downloadable) = row_type(row)?;
    let mut product = Product::new(id, &row.text("Name"));
    product.is_virtual = is_virtual;
    product.downloadable = downloadable;
    product.status = match (row.cell("Published"), &kind) {
        ("" | "1", _) => PostStatus::Publish,
        ("0" | "-1", ProductType::Variation) => PostStatus::Private,
        ("0", _) => PostStatus::Private,
        ("-1", _) => PostStatus::Draft,
        (other, _) => return Err(row.error("Published", format!("\"{other}\" is not 1, 0 or -1"))),
    };
    product.slug = sanitize_title(&product.name);
    product.sku = row.cell("SKU").to_string();
    product.global_unique_id = row.cell("GTIN, UPC, EAN, or ISBN").to_string();
    product.featured = row.flag("Is featured?", false)?;
    product.catalog_visibility = row.name(
        "Visibility in catalog",
        CatalogVisibility::from_name,
        CatalogVisibility::Visible,
        "visible, catalog, search or hidden",
    )?;
    product.short_description = row.text("Short description");
    product.description = row.text("Description");
    product.date_on_sale_from = row.date("Date sale price starts")?;
    product.date_on_sale_to = row.date("Date sale price ends")?;
    product.tax_status = row.name(
        "Tax status",
        TaxStatus::from_name,
        TaxStatus::Taxable,
        "taxable, shipping or none",
    )?;
    product.tax_class = match row.cell("Tax class") {
        "standard" => String::new(),
        class => class.to_string(),
    };
    product.stock_status = match row.cell("In stock?") {
        "" | "1" => StockStatus::InStock,
        "0" => StockStatus::OutOfStock,
        "backorder" => StockStatus::OnBackorder,
        other => {
            return Err(row.error("In stock?", format!("\"{other}\" is not 1, 0 or backorder")));
        }
    };
    match row.cell("Stock") {
        "" => {}
        "parent" => product.manage_stock = ManageStock::Parent,
        _ => {
            product.manage_stock = ManageStock::Yes;
            product.stock_quantity = row.decimal("Stock")?;
        }
    }
    product.low_stock_amount = row.integer("Low stock amount")?;
    product.backorders = match row.cell("Backorders allowed?") {
        "" | "0" => Backorders::No,
        "1" => Backorders::Yes,
        "notify" => Backorders::Notify,
        other => {
            return Err(row.error(
                "Backorders allowed?",
                format!("\"{other}\" is not 1, 0 or notify"),
            ));
        }
    };
    product.sold_individually = row.flag("Sold individually?", false)?;
    product.weight = row.prefixed_decimal("Weight")?;
    product.length = row.prefixed_decimal("Length")?;
    product.width = row.prefixed_decimal("Width")?;
    product.height = row.prefixed_decimal("Height")?;
    product.reviews_allowed = row.flag("Allow customer reviews?", true)?;
    product.sale_price = row.decimal("Sale price")?;
    product.regular_price = row.decimal("Regular price")?;
    for path in split_list(row.cell("Categories")) {
        let mut parent = 0;
        for name in path
            .split('>')
            .map(str::trim)
            .filter(|name| !name.is_empty())
        {
            parent = ensure_term(data, CATEGORY_TAXONOMY, name, parent);
        }
        if parent != 0 && !product.category_ids.contains(&parent) {
            product.category_ids.push(parent);
        }
    }
    for name in split_list(row.cell("Tags")) {
        let tag = ensure_term(data, TAG_TAXONOMY, &name, 0);
        if !product.tag_ids.contains(&tag) {
            product.tag_ids.push(tag);
        }
    }
    let shipping_class = row.cell("Shipping class");
    if !shipping_class.is_empty() {
        let class = ensure_shipping_class(data, shipping_class);
        product.shipping_class = class.slug;
        product.shipping_class_id = class.id;
    }
    if kind == ProductType::Variation {
        let parent = row.cell("Parent");
        if parent.is_empty() {
            return Err(row.error("Parent", "a variation needs a parent".to_string()));
        }
        product.parent_id = identities.resolve(row, "Parent", parent)?;
    }
    product.grouped_products = identities.resolve_list(row, "Grouped products")?;
    product.upsell_ids = identities.resolve_list(row, "Upsells")?;
    product.cross_sell_ids = identities.resolve_list(row, "Cross-sells")?;
    product.product_url = row.cell("External URL").to_string();
    product.button_text = row.cell("Button text").to_string();
    product.menu_order = row.integer("Position")?.unwrap_or(0);
    product.product_type = kind;
    if product.product_type != ProductType::Variation {
        let (attributes, defaults) = parse_attributes(data, row)?;
        product.attributes = attributes;
        product.default_attributes = defaults;
    }
    Ok(product)
}

/// The shipping class named (or slugged) `name`, created when missing.
fn ensure_shipping_class(data: &mut CatalogData, name: &str) -> ShippingClass {
    let slug = sanitize_title(name);
    if let Some(class) = data
        .shipping_classes
        .iter()
        .find(|class| class.name == name || class.slug == slug)
    {
        return class.clone();
    }
    let id = data
        .terms
        .iter()
        .map(|term| term.id)
        .chain(data.shipping_classes.iter().map(|class| class.id))
        .max()
        .unwrap_or(0)
        + 1;
    let class = ShippingClass {
        id,
        name: name.to_string(),
        slug,
        description: String::new(),
        count: 0,
    };
    data.shipping_classes.push(class.clone());
    class
}

/// The numbers `N` of the `Attribute N name` columns, ascending.
fn attribute_numbers(row: &Row) -> Vec<usize> {
    let mut numbers: Vec<usize> = row
        .headers
        .keys()
        .filter_map(|column| {
            column
                .strip_prefix("Attribute ")?
                .strip_suffix(" name")?
                .parse()
                .ok()
        })
        .collect();
    numbers.sort_unstable();
    numbers
}

/// A non-variation row's attributes and default attributes.
fn parse_attributes(
    data: &mut CatalogData,
    row: &Row,
) -> Result<(Vec<ProductAttribute>, Vec<AttributeValue>), ImportError> {
    let mut attributes = Vec::new();
    let mut defaults = Vec::new();
    for (position, number) in attribute_numbers(row).into_iter().enumerate() {
        let name = row.cell(&format!("Attribute {number} name")).to_string();
        if name.is_empty() {
            continue;
        }
        let values = split_list(row.cell(&format!("Attribute {number} value(s)")));
        let visible = row.flag(&format!("Attribute {number} visible"), true)?;
        let global = row.flag(&format!("Attribute {number} global"), false)?;
        let default = row.cell(&format!("Attribute {number} default")).to_string();
        let attribute = if global {
            let (id, taxonomy) = ensure_attribute(data, 0, &name, "");
            let term_ids = values
                .iter()
                .map(|value| ensure_term(data, &taxonomy, value, 0))
                .collect();
            if !default.is_empty() {
                let term = ensure_term(data, &taxonomy, &default, 0);
                let slug = data
                    .terms
                    .iter()
                    .find(|known| known.id == term)
                    .map_or_else(|| sanitize_title(&default), |known| known.slug.clone());
                defaults.push(AttributeValue {
                    key: taxonomy.clone(),
                    value: slug,
                });
            }
            ProductAttribute {
                name: taxonomy,
                id,
                options: AttributeOptions::Terms(term_ids),
                position: position as i64,
                visible,
                variation: false,
            }
        } else {
            if !default.is_empty() {
                defaults.push(AttributeValue {
                    key: sanitize_title(&name),
                    value: default,
                });
            }
            ProductAttribute {
                name,
                id: 0,
                options: AttributeOptions::Values(values),
                position: position as i64,
                visible,
                variation: false,
            }
        };
        attributes.push(attribute);
    }
    Ok((attributes, defaults))
}

/// Stores a variation row's attribute values and marks the parent's attributes they use
/// as variation attributes (as WooCommerce's importer does).
fn attach_variation(
    data: &mut CatalogData,
    row: &Row,
    variation: &mut Product,
) -> Result<(), ImportError> {
    let parent_position = data
        .products
        .iter()
        .position(|product| product.id == variation.parent_id)
        .ok_or_else(|| {
            row.record_error(format!("unknown parent product {}", variation.parent_id))
        })?;
    if data.products[parent_position].product_type != ProductType::Variable {
        return Err(row.error(
            "Parent",
            format!("product {} is not a variable product", variation.parent_id),
        ));
    }
    for number in attribute_numbers(row) {
        let column = format!("Attribute {number} name");
        let name = row.cell(&column).to_string();
        if name.is_empty() {
            continue;
        }
        let value = row
            .cell(&format!("Attribute {number} value(s)"))
            .to_string();
        let labels: Vec<String> = data
            .attributes
            .iter()
            .map(|attribute| attribute.taxonomy())
            .collect();
        let parent = &data.products[parent_position];
        let index = parent
            .attributes
            .iter()
            .position(|attribute| match &attribute.options {
                AttributeOptions::Terms(_) => {
                    data.attributes
                        .iter()
                        .zip(&labels)
                        .any(|(definition, taxonomy)| {
                            *taxonomy == attribute.name
                                && (definition.label == name
                                    || definition.name == sanitize_title(&name))
                        })
                }
                AttributeOptions::Values(_) => {
                    sanitize_title(&attribute.name) == sanitize_title(&name)
                }
            })
            .ok_or_else(|| row.error(&column, format!("the parent has no attribute \"{name}\"")))?;
        let attribute = parent.attributes[index].clone();
        let key = sanitize_title(&attribute.name);
        let stored = match &attribute.options {
            AttributeOptions::Terms(term_ids) if !value.is_empty() => {
                let term = find_term(data, &attribute.name, &value, None)
                    .filter(|term| term_ids.contains(term))
                    .ok_or_else(|| {
                        row.error(
                            &format!("Attribute {number} value(s)"),
                            format!(
                                "\"{value}\" is not a value of the parent's attribute \"{name}\""
                            ),
                        )
                    })?;
                data.terms
                    .iter()
                    .find(|known| known.id == term)
                    .map_or_else(|| sanitize_title(&value), |known| known.slug.clone())
            }
            _ => value,
        };
        data.products[parent_position].attributes[index].variation = true;
        if !stored.is_empty() {
            variation
                .variation_attributes
                .push(AttributeValue { key, value: stored });
        }
    }
    Ok(())
}
