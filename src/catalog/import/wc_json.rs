//! The WooCommerce REST v3 JSON folder (peer-store README, "The import folder format"):
//! `products.json` is required, every other file is optional and a missing one means
//! "none" (tax classes: WooCommerce's three default classes; settings: keep the current
//! ones).

use std::collections::BTreeMap;

use serde_json::Value;

use super::ImportError;
use super::reader::{RecordReader, parse_bool};
use super::settings;
use super::terms::{ensure_attribute, ensure_term, ensure_term_with_id, find_term};
use crate::catalog::Catalog;
use crate::catalog::model::{
    AttributeOptions, AttributeValue, Backorders, CATEGORY_TAXONOMY, CatalogData,
    CatalogVisibility, ClassCalculationType, ClassCost, Coupon, DiscountType, FlatRateSettings,
    FreeShippingRequires, FreeShippingSettings, Image, LocalPickupSettings, LocationType,
    ManageStock, MetaEntry, PostStatus, Product, ProductAttribute, ProductType, Review,
    ShippingClass, ShippingMethod, ShippingMethodSettings, ShippingTaxStatus, ShippingZone,
    StockStatus, TAG_TAXONOMY, TaxClass, TaxRate, TaxStatus, ZoneLocation,
};
use crate::catalog::slug::sanitize_title;

/// The file names of the folder format, in the order they are read.
/// `reviews.json` (`GET /wc/v3/products/reviews`) is an optional addition to the folder
/// format of the peer-store README, for the Products API's review routes.
pub const FILE_NAMES: [&str; 12] = [
    "settings.json",
    "tax-classes.json",
    "taxes.json",
    "shipping-classes.json",
    "shipping-zones.json",
    "categories.json",
    "tags.json",
    "attributes.json",
    "products.json",
    "variations.json",
    "coupons.json",
    "reviews.json",
];

/// WooCommerce's tax classes on a fresh install.
pub fn default_tax_classes() -> Vec<TaxClass> {
    [
        ("", "Standard rate"),
        ("reduced-rate", "Reduced rate"),
        ("zero-rate", "Zero rate"),
    ]
    .into_iter()
    .map(|(slug, name)| TaxClass {
        slug: slug.to_string(),
        name: name.to_string(),
    })
    .collect()
}

/// A label for the `index`-th record of a list: `<kind> <id>`, or `<kind> #<index>` when
/// it has no usable ID.
fn label(kind: &str, value: &Value, index: usize) -> String {
    match value.get("id").and_then(Value::as_u64) {
        Some(id) => format!("{kind} {id}"),
        None => format!("{kind} #{index}"),
    }
}

/// A file's top-level value, which must be a list.
fn list<'a>(file: &str, value: &'a Value) -> Result<&'a [Value], ImportError> {
    value
        .as_array()
        .map(Vec::as_slice)
        .ok_or_else(|| ImportError::File {
            file: file.to_string(),
            problem: "expected a JSON list".to_string(),
        })
}

/// A file's top-level value, which must be an object.
fn object<'a>(
    file: &str,
    value: &'a Value,
) -> Result<&'a serde_json::Map<String, Value>, ImportError> {
    value.as_object().ok_or_else(|| ImportError::File {
        file: file.to_string(),
        problem: "expected a JSON object".to_string(),
    })
}

/// Parses a folder given as `(file name, contents)` pairs.
pub fn parse(files: &[(&str, &str)]) -> Result<CatalogData, ImportError> {
    let mut parsed: BTreeMap<&str, Value> = BTreeMap::new();
    for &(name, contents) in files {
        if !FILE_NAMES.contains(&name) {
            return Err(ImportError::File {
                file: name.to_string(),
                problem: "not a file of the WooCommerce JSON folder format".to_string(),
            });
        }
        let value = serde_json::from_str(contents).map_err(|error| ImportError::File {
            file: name.to_string(),
            problem: format!("invalid JSON: {error}"),
        })?;
        parsed.insert(name, value);
    }
    if !parsed.contains_key("products.json") {
        return Err(ImportError::File {
            file: "products.json".to_string(),
            problem: "the folder has no products.json".to_string(),
        });
    }

    let mut data = CatalogData::default();
    if let Some(value) = parsed.get("settings.json") {
        data.settings = Some(settings::parse("settings.json", value)?);
    }
    data.tax_classes = match parsed.get("tax-classes.json") {
        Some(value) => parse_tax_classes("tax-classes.json", value)?,
        None => default_tax_classes(),
    };
    if let Some(value) = parsed.get("taxes.json") {
        data.tax_rates = parse_tax_rates("taxes.json", value)?;
    }
    if let Some(value) = parsed.get("shipping-classes.json") {
        data.shipping_classes = parse_shipping_classes("shipping-classes.json", value)?;
    }
    if let Some(value) = parsed.get("shipping-zones.json") {
        data.shipping_zones =
            parse_shipping_zones("shipping-zones.json", value, &data.shipping_classes)?;
    }
    if let Some(value) = parsed.get("categories.json") {
        parse_terms(
            &mut data,
            "categories.json",
            value,
            CATEGORY_TAXONOMY,
            "category",
        )?;
    }
    if let Some(value) = parsed.get("tags.json") {
        parse_terms(&mut data, "tags.json", value, TAG_TAXONOMY, "tag")?;
    }
    if let Some(value) = parsed.get("attributes.json") {
        parse_attributes(&mut data, "attributes.json", value)?;
    }
    if let Some(value) = parsed.get("products.json") {
        let records = list("products.json", value)?;
        // Terms embedded in products keep their IDs; they are recorded before any term is
        // created with a new ID, so that the new IDs cannot take theirs.
        for (index, record) in records.iter().enumerate() {
            let reader =
                RecordReader::new("products.json", label("product", record, index), record)?;
            embedded_terms(&mut data, &reader, "categories", CATEGORY_TAXONOMY)?;
            embedded_terms(&mut data, &reader, "tags", TAG_TAXONOMY)?;
        }
        for (index, record) in records.iter().enumerate() {
            let reader =
                RecordReader::new("products.json", label("product", record, index), record)?;
            let product = parse_product(&mut data, &reader)?;
            if let (Some(settings), Some(offset)) = (data.settings.as_mut(), local_offset(&reader)?)
            {
                settings.utc_offset_seconds = offset;
            }
            data.products.push(product);
        }
    }
    if let Some(value) = parsed.get("variations.json") {
        parse_variations(&mut data, "variations.json", value)?;
    }
    if let Some(value) = parsed.get("coupons.json") {
        for (index, record) in list("coupons.json", value)?.iter().enumerate() {
            let reader = RecordReader::new("coupons.json", label("coupon", record, index), record)?;
            data.coupons.push(parse_coupon(&reader)?);
        }
    }
    if let Some(value) = parsed.get("reviews.json") {
        for (index, record) in list("reviews.json", value)?.iter().enumerate() {
            let reader = RecordReader::new("reviews.json", label("review", record, index), record)?;
            data.reviews.push(parse_review(&reader)?);
        }
    }
    name_variations(&mut data);
    Ok(data)
}

/// A review of `GET /wc/v3/products/reviews`.
fn parse_review(reader: &RecordReader) -> Result<Review, ImportError> {
    let rating = reader.u64("rating")?;
    Ok(Review {
        id: reader.u64("id")?,
        product_id: reader.u64("product_id")?,
        date_created: reader.instant("date_created")?,
        status: match reader.string("status")?.as_str() {
            "" => "approved".to_string(),
            status => status.to_string(),
        },
        reviewer: reader.string("reviewer")?,
        reviewer_email: reader.string("reviewer_email")?,
        reviewer_user_id: reader.u64("reviewer_id")?,
        review: reader.string("review")?,
        rating: u8::try_from(rating)
            .ok()
            .filter(|rating| *rating <= 5)
            .ok_or_else(|| {
                reader.field_error("rating", format!("{rating} is not between 0 and 5"))
            })?,
        verified: reader.bool("verified", false)?,
    })
}

/// The store's UTC offset as shown by a record's `date_created` and `date_created_gmt`.
fn local_offset(reader: &RecordReader) -> Result<Option<i64>, ImportError> {
    let local = reader.string("date_created")?;
    let gmt = reader.string("date_created_gmt")?;
    Ok(
        match (
            crate::catalog::model::UnixTime::parse(&local),
            crate::catalog::model::UnixTime::parse(&gmt),
        ) {
            (Some(local), Some(gmt)) => Some(local.0 - gmt.0),
            _ => None,
        },
    )
}

/// Generates the display name and slug of every variation whose parent is known
/// (product-model §5.6).
pub(super) fn name_variations(data: &mut CatalogData) {
    let catalog = Catalog::new(data.clone());
    for product in &mut data.products {
        if product.product_type != ProductType::Variation
            || catalog.product(product.parent_id).is_none()
        {
            continue;
        }
        product.name = catalog.variation_display_name(product);
        let parent_slug = catalog
            .product(product.parent_id)
            .map(|parent| parent.record().slug.clone())
            .unwrap_or_default();
        if product.slug.is_empty() || product.slug == parent_slug {
            product.slug = sanitize_title(&product.name);
        }
    }
}

fn parse_tax_classes(file: &str, value: &Value) -> Result<Vec<TaxClass>, ImportError> {
    list(file, value)?
        .iter()
        .enumerate()
        .map(|(index, record)| {
            let reader = RecordReader::new(file, format!("tax class #{index}"), record)?;
            let slug = reader.string("slug")?;
            Ok(TaxClass {
                slug: if slug == "standard" {
                    String::new()
                } else {
                    slug
                },
                name: reader.string("name")?,
            })
        })
        .collect()
}

/// Splits a `;`-separated list, trimming and upper-casing each entry.
pub(super) fn split_upper(text: &str) -> Vec<String> {
    text.split(';')
        .map(|part| part.trim().to_uppercase())
        .filter(|part| !part.is_empty())
        .collect()
}

/// Parses every record of a list file with `parse`; errors name the record as
/// `<kind> <id>` (or `<kind> #<index>` without an ID).
fn parse_records<T>(
    file: &str,
    value: &Value,
    kind: &str,
    parse: impl Fn(&RecordReader) -> Result<T, ImportError>,
) -> Result<Vec<T>, ImportError> {
    list(file, value)?
        .iter()
        .enumerate()
        .map(|(index, record)| {
            parse(&RecordReader::new(
                file,
                label(kind, record, index),
                record,
            )?)
        })
        .collect()
}

fn parse_tax_rates(file: &str, value: &Value) -> Result<Vec<TaxRate>, ImportError> {
    parse_records(file, value, "tax rate", |reader| {
        // The `postcodes`/`cities` list, else the `;`-separated `postcode`/`city`.
        let places = |list: &str, text: &str| -> Result<Vec<String>, ImportError> {
            let mut places = reader.strings(list)?;
            if places.is_empty() {
                places = split_upper(&reader.string(text)?);
            }
            Ok(places.iter().map(|p| p.trim().to_uppercase()).collect())
        };
        let class = reader.string("class")?;
        let small = |field: &str| -> Result<u32, ImportError> {
            reader
                .u64(field)?
                .try_into()
                .map_err(|_| reader.field_error(field, "is too large"))
        };
        Ok(TaxRate {
            id: reader.u64("id")?,
            country: reader.string("country")?.trim().to_uppercase(),
            state: reader.string("state")?.trim().to_uppercase(),
            postcodes: places("postcodes", "postcode")?,
            cities: places("cities", "city")?,
            rate: reader
                .decimal("rate")?
                .ok_or_else(|| reader.field_error("rate", "is missing"))?,
            name: reader.string("name")?,
            priority: small("priority")?,
            compound: reader.bool("compound", false)?,
            shipping: reader.bool("shipping", true)?,
            order: small("order")?,
            class: if class == "standard" {
                String::new()
            } else {
                class
            },
        })
    })
}

fn parse_shipping_classes(file: &str, value: &Value) -> Result<Vec<ShippingClass>, ImportError> {
    parse_records(file, value, "shipping class", |reader| {
        Ok(ShippingClass {
            id: reader.u64("id")?,
            name: reader.string("name")?,
            slug: reader.string("slug")?,
            description: reader.string("description")?,
            count: reader.u64("count")?,
        })
    })
}

/// The entries of a `{"<id>": [...]}` map for one ID.
fn keyed_list<'a>(
    file: &str,
    root: &'a serde_json::Map<String, Value>,
    section: &str,
    id: u64,
) -> Result<&'a [Value], ImportError> {
    let Some(section_value) = root.get(section) else {
        return Ok(&[]);
    };
    let section_map = section_value.as_object().ok_or_else(|| ImportError::File {
        file: file.to_string(),
        problem: format!("\"{section}\" is not an object keyed by ID"),
    })?;
    match section_map.get(&id.to_string()) {
        None | Some(Value::Null) => Ok(&[]),
        Some(Value::Array(items)) => Ok(items),
        Some(_) => Err(ImportError::File {
            file: file.to_string(),
            problem: format!("\"{section}\".\"{id}\" is not a list"),
        }),
    }
}

fn parse_shipping_zones(
    file: &str,
    value: &Value,
    classes: &[ShippingClass],
) -> Result<Vec<ShippingZone>, ImportError> {
    let root = object(file, value)?;
    let zones = root
        .get("zones")
        .map_or(Ok(&[][..]), |zones| list(file, zones))?;
    let mut result = Vec::new();
    for (index, zone) in zones.iter().enumerate() {
        let reader = RecordReader::new(file, label("zone", zone, index), zone)?;
        let id = reader.u64("id")?;
        let mut locations = Vec::new();
        for (location_index, location) in
            keyed_list(file, root, "locations", id)?.iter().enumerate()
        {
            let location = RecordReader::new(
                file,
                format!("zone {id} location #{location_index}"),
                location,
            )?;
            let location_type = location.name(
                "type",
                |name| match name {
                    "country" => Some(LocationType::Country),
                    "state" => Some(LocationType::State),
                    "continent" => Some(LocationType::Continent),
                    "postcode" => Some(LocationType::Postcode),
                    _ => None,
                },
                LocationType::Country,
                "country, state, continent, postcode",
            )?;
            locations.push(ZoneLocation {
                code: location.string("code")?,
                location_type,
            });
        }
        let mut methods = Vec::new();
        for (method_index, method) in keyed_list(file, root, "methods", id)?.iter().enumerate() {
            let method_label = match method.get("instance_id").and_then(Value::as_u64) {
                Some(instance) => format!("zone {id} method {instance}"),
                None => format!("zone {id} method #{method_index}"),
            };
            let method = RecordReader::new(file, method_label, method)?;
            methods.push(parse_shipping_method(&method, classes)?);
        }
        result.push(ShippingZone {
            id,
            name: reader.string("name")?,
            order: reader.i64("order")?,
            locations,
            methods,
        });
    }
    Ok(result)
}

/// The `value` of every entry of a method's `settings` object.
fn method_settings(method: &RecordReader) -> Result<BTreeMap<String, String>, ImportError> {
    let Some(settings) = method.value("settings") else {
        return Ok(BTreeMap::new());
    };
    let settings = settings
        .as_object()
        .ok_or_else(|| method.field_error("settings", "is not an object"))?;
    settings
        .iter()
        .map(|(key, entry)| {
            let value = match entry {
                Value::Object(fields) => fields.get("value").unwrap_or(&Value::Null),
                other => other,
            };
            let text = match value {
                Value::Null => String::new(),
                Value::String(text) => text.clone(),
                Value::Number(number) => number.to_string(),
                Value::Bool(flag) => if *flag { "yes" } else { "no" }.to_string(),
                other => {
                    return Err(method.field_error(
                        &format!("settings.{key}"),
                        format!("{other} is not a setting value"),
                    ));
                }
            };
            Ok((key.clone(), text))
        })
        .collect()
}

fn parse_shipping_method(
    method: &RecordReader,
    classes: &[ShippingClass],
) -> Result<ShippingMethod, ImportError> {
    let settings = method_settings(method)?;
    let setting = |key: &str| settings.get(key).cloned().unwrap_or_default();
    let field = |key: &str| format!("settings.{key}");
    let flag = |key: &str| -> Result<bool, ImportError> {
        parse_bool(&Value::String(setting(key))).ok_or_else(|| {
            method.field_error(
                &field(key),
                format!("\"{}\" is not yes or no", setting(key)),
            )
        })
    };
    let optional_flag = |key: &str| -> Result<Option<bool>, ImportError> {
        match settings.get(key) {
            Some(text) if !text.is_empty() => flag(key).map(Some),
            _ => Ok(None),
        }
    };
    let tax_status = || -> Result<ShippingTaxStatus, ImportError> {
        match setting("tax_status").as_str() {
            "" | "taxable" => Ok(ShippingTaxStatus::Taxable),
            "none" => Ok(ShippingTaxStatus::None),
            other => Err(method.field_error(
                &field("tax_status"),
                format!("\"{other}\" is not one of taxable, none"),
            )),
        }
    };
    let decimal = |key: &str| -> Result<Option<rust_decimal::Decimal>, ImportError> {
        super::reader::parse_decimal_text(&setting(key)).map_err(|()| {
            method.field_error(&field(key), format!("\"{}\" is not a number", setting(key)))
        })
    };
    let method_id = method.string("method_id")?;
    let typed = match method_id.as_str() {
        "flat_rate" => {
            let mut class_costs = Vec::new();
            for (key, cost) in &settings {
                let Some(class) = key.strip_prefix("class_cost_") else {
                    continue;
                };
                let class_id = match class.parse::<u64>() {
                    Ok(id) => id,
                    Err(_) => classes
                        .iter()
                        .find(|known| known.slug == class)
                        .map(|known| known.id)
                        .ok_or_else(|| {
                            method.field_error(
                                &field(key),
                                format!("unknown shipping class \"{class}\""),
                            )
                        })?,
                };
                class_costs.push(ClassCost {
                    class_id,
                    cost: cost.clone(),
                });
            }
            ShippingMethodSettings::FlatRate(FlatRateSettings {
                tax_status: tax_status()?,
                cost: setting("cost"),
                class_costs,
                no_class_cost: setting("no_class_cost"),
                calculation_type: match setting("type").as_str() {
                    "" | "class" => ClassCalculationType::Class,
                    "order" => ClassCalculationType::Order,
                    other => {
                        return Err(method.field_error(
                            &field("type"),
                            format!("\"{other}\" is not one of class, order"),
                        ));
                    }
                },
                costs_include_tax: optional_flag("prices_include_tax")?,
            })
        }
        "free_shipping" => ShippingMethodSettings::FreeShipping(FreeShippingSettings {
            requires: match setting("requires").as_str() {
                "" => FreeShippingRequires::Nothing,
                "coupon" => FreeShippingRequires::Coupon,
                "min_amount" => FreeShippingRequires::MinAmount,
                "either" => FreeShippingRequires::Either,
                "both" => FreeShippingRequires::Both,
                other => {
                    return Err(method.field_error(
                        &field("requires"),
                        format!("\"{other}\" is not one of \"\", coupon, min_amount, either, both"),
                    ));
                }
            },
            min_amount: decimal("min_amount")?.unwrap_or_default(),
            ignore_discounts: flag("ignore_discounts")?,
        }),
        "local_pickup" => ShippingMethodSettings::LocalPickup(LocalPickupSettings {
            tax_status: tax_status()?,
            cost: decimal("cost")?,
            costs_include_tax: optional_flag("prices_include_tax")?,
        }),
        _ => ShippingMethodSettings::Other {
            method_id: method_id.clone(),
            settings: settings.clone(),
        },
    };
    let mut title = method.string("title")?;
    if title.is_empty() {
        title = setting("title");
    }
    Ok(ShippingMethod {
        instance_id: method.u64("instance_id")?,
        title,
        enabled: method.bool("enabled", true)?,
        order: method.i64("order")?,
        settings: typed,
    })
}

/// Parses an attachment object (`{id, src, name, alt, date_created…}`) and records it.
fn parse_image(
    data: &mut CatalogData,
    owner: &RecordReader,
    field: &str,
    value: &Value,
) -> Result<u64, ImportError> {
    let reader = RecordReader::new("", format!("{} {field}", owner.record()), value)
        .map_err(|_| owner.field_error(field, format!("{value} is not an image object")))?;
    let id = reader
        .u64("id")
        .map_err(|_| owner.field_error(field, "the image has no valid \"id\""))?;
    let src = reader
        .string("src")
        .map_err(|_| owner.field_error(field, "the image \"src\" is not a string"))?;
    let text = |name: &str| {
        reader
            .string(name)
            .map_err(|_| owner.field_error(field, format!("the image \"{name}\" is not a string")))
    };
    let instant = |name: &str| {
        reader
            .instant(name)
            .map_err(|_| owner.field_error(field, format!("the image \"{name}\" is not a date")))
    };
    let image = Image {
        id,
        name: text("name")?,
        alt: text("alt")?,
        src: BTreeMap::from([("full".to_string(), src)]),
        date_created: instant("date_created")?,
        date_modified: instant("date_modified")?,
    };
    if id != 0 && !data.images.iter().any(|known| known.id == id) {
        data.images.push(image);
    }
    Ok(id)
}

fn parse_terms(
    data: &mut CatalogData,
    file: &str,
    value: &Value,
    taxonomy: &str,
    kind: &str,
) -> Result<(), ImportError> {
    for (index, record) in list(file, value)?.iter().enumerate() {
        let reader = RecordReader::new(file, label(kind, record, index), record)?;
        let thumbnail_id = match reader.value("image") {
            Some(image) => parse_image(data, &reader, "image", image)?,
            None => 0,
        };
        data.terms.push(crate::catalog::model::Term {
            id: reader.u64("id")?,
            taxonomy: taxonomy.to_string(),
            name: reader.string("name")?,
            slug: reader.string("slug")?,
            parent: reader.u64("parent")?,
            description: reader.string("description")?,
            count: reader.u64("count")?,
            menu_order: reader.i64("menu_order")?,
            display: reader.string("display")?,
            thumbnail_id,
            meta: Vec::new(),
        });
    }
    Ok(())
}

fn parse_attributes(data: &mut CatalogData, file: &str, value: &Value) -> Result<(), ImportError> {
    let root = object(file, value)?;
    let definitions = root
        .get("attributes")
        .map_or(Ok(&[][..]), |attributes| list(file, attributes))?;
    for (index, record) in definitions.iter().enumerate() {
        let reader = RecordReader::new(file, label("attribute", record, index), record)?;
        let id = reader.u64("id")?;
        let slug = reader.string("slug")?;
        data.attributes
            .push(crate::catalog::model::AttributeTaxonomy {
                id,
                name: slug.trim_start_matches("pa_").to_string(),
                label: reader.string("name")?,
                attribute_type: reader.string("type")?,
                order_by: reader.string("order_by")?,
                has_archives: reader.bool("has_archives", false)?,
            });
        let taxonomy = format!("pa_{}", slug.trim_start_matches("pa_"));
        for (term_index, term) in keyed_list(file, root, "terms", id)?.iter().enumerate() {
            let term_reader = RecordReader::new(
                file,
                format!("attribute {id} {}", label("term", term, term_index)),
                term,
            )?;
            data.terms.push(crate::catalog::model::Term {
                id: term_reader.u64("id")?,
                taxonomy: taxonomy.clone(),
                name: term_reader.string("name")?,
                slug: term_reader.string("slug")?,
                parent: 0,
                description: term_reader.string("description")?,
                count: term_reader.u64("count")?,
                menu_order: term_reader.i64("menu_order")?,
                display: String::new(),
                thumbnail_id: 0,
                meta: Vec::new(),
            });
        }
    }
    Ok(())
}

/// The IDs of a product's embedded `categories` or `tags` (`[{id, name, slug}]`); terms
/// not defined by `categories.json`/`tags.json` are created from the embedded data.
fn embedded_terms(
    data: &mut CatalogData,
    reader: &RecordReader,
    field: &str,
    taxonomy: &str,
) -> Result<Vec<u64>, ImportError> {
    let mut ids = Vec::new();
    for entry in reader.array(field)? {
        let entry_reader = RecordReader::new("", String::new(), entry)
            .map_err(|_| reader.field_error(field, format!("{entry} is not a term object")))?;
        let id = entry_reader
            .u64("id")
            .map_err(|_| reader.field_error(field, format!("{entry} has no valid \"id\"")))?;
        let name = entry_reader.string("name").unwrap_or_default();
        let slug = entry_reader.string("slug").unwrap_or_default();
        ensure_term_with_id(data, id, taxonomy, &name, &slug);
        ids.push(id);
    }
    Ok(ids)
}

/// The meta entries of a record's `meta_data`.
fn parse_meta(reader: &RecordReader) -> Result<Vec<MetaEntry>, ImportError> {
    reader
        .array("meta_data")?
        .iter()
        .map(|entry| {
            let entry_reader = RecordReader::new("", String::new(), entry).map_err(|_| {
                reader.field_error("meta_data", format!("{entry} is not a meta object"))
            })?;
            Ok(MetaEntry {
                id: entry_reader.u64("id").map_err(|_| {
                    reader.field_error("meta_data", format!("{entry} has no valid \"id\""))
                })?,
                key: entry_reader.string("key").map_err(|_| {
                    reader.field_error("meta_data", format!("{entry} has no valid \"key\""))
                })?,
                value: entry.get("value").cloned().unwrap_or(Value::Null),
            })
        })
        .collect()
}

/// The attribute key and stored value of one `{id, name, option}` entry (a variation's
/// attribute or a default attribute), given the parent's attributes.
fn attribute_value(
    data: &CatalogData,
    parent_attributes: &[ProductAttribute],
    reader: &RecordReader,
    field: &str,
    entry: &Value,
) -> Result<Option<AttributeValue>, ImportError> {
    let entry_reader = RecordReader::new("", String::new(), entry)
        .map_err(|_| reader.field_error(field, format!("{entry} is not an attribute object")))?;
    let bad = |_| reader.field_error(field, format!("{entry} is not a valid attribute"));
    let id = entry_reader.u64("id").map_err(bad)?;
    let name = entry_reader.string("name").map_err(bad)?;
    let option = entry_reader.string("option").map_err(bad)?;
    if option.is_empty() {
        return Ok(None);
    }
    if id != 0 {
        let taxonomy = data
            .attributes
            .iter()
            .find(|attribute| attribute.id == id)
            .map(|attribute| attribute.taxonomy())
            .ok_or_else(|| reader.field_error(field, format!("unknown global attribute {id}")))?;
        let value = find_term(data, &taxonomy, &option, None)
            .and_then(|term_id| data.terms.iter().find(|term| term.id == term_id))
            .map_or_else(|| sanitize_title(&option), |term| term.slug.clone());
        return Ok(Some(AttributeValue {
            key: taxonomy,
            value,
        }));
    }
    let wanted = sanitize_title(&name);
    let key = parent_attributes
        .iter()
        .find(|attribute| attribute.id == 0 && sanitize_title(&attribute.name) == wanted)
        .map_or(wanted.clone(), |attribute| sanitize_title(&attribute.name));
    Ok(Some(AttributeValue { key, value: option }))
}

fn parse_product_attributes(
    data: &mut CatalogData,
    reader: &RecordReader,
) -> Result<Vec<ProductAttribute>, ImportError> {
    let mut attributes = Vec::new();
    for (index, entry) in reader.array("attributes")?.iter().enumerate() {
        let entry_reader = RecordReader::new("", String::new(), entry).map_err(|_| {
            reader.field_error("attributes", format!("{entry} is not an attribute object"))
        })?;
        let bad = |_| reader.field_error("attributes", format!("attribute #{index} is not valid"));
        let id = entry_reader.u64("id").map_err(bad)?;
        let name = entry_reader.string("name").map_err(bad)?;
        let options = entry_reader.strings("options").map_err(bad)?;
        let (name, id, options) = if id != 0 {
            let slug = entry_reader.string("slug").unwrap_or_default();
            let (id, taxonomy) = ensure_attribute(data, id, &name, &slug);
            let term_ids = options
                .iter()
                .map(|option| {
                    find_term(data, &taxonomy, option, None)
                        .unwrap_or_else(|| ensure_term(data, &taxonomy, option, 0))
                })
                .collect();
            (taxonomy, id, AttributeOptions::Terms(term_ids))
        } else {
            (name, 0, AttributeOptions::Values(options))
        };
        attributes.push(ProductAttribute {
            name,
            id,
            options,
            position: entry_reader.i64("position").map_err(bad)?,
            visible: entry_reader.bool("visible", true).map_err(bad)?,
            variation: entry_reader.bool("variation", false).map_err(bad)?,
        });
    }
    Ok(attributes)
}

/// The stored text behind a description as WooCommerce's REST API shows it. The API runs
/// the stored text through `wpautop` (each paragraph wrapped in `<p>…</p>\n`, single line
/// breaks turned into `<br />\n`), while CoCart prints the stored text itself; text that is
/// not entirely such paragraphs (hand-written block HTML, say) is kept as it is.
fn stored_text(shown: &str) -> String {
    let mut paragraphs = Vec::new();
    let mut rest = shown.trim_end_matches('\n');
    while !rest.is_empty() {
        let Some((inner, after)) = rest
            .strip_prefix("<p>")
            .and_then(|open| open.split_once("</p>"))
            .filter(|(inner, _)| !inner.contains("<p"))
        else {
            return shown.to_string();
        };
        paragraphs.push(inner.replace("<br />\n", "\n"));
        rest = after.trim_start_matches('\n');
    }
    paragraphs.join("\n\n")
}

/// The fields products and variations share.
fn parse_common(reader: &RecordReader, product: &mut Product) -> Result<(), ImportError> {
    product.status = reader.name(
        "status",
        PostStatus::from_name,
        PostStatus::Publish,
        "publish, draft, pending, private, future, trash",
    )?;
    product.name = reader.string("name")?;
    product.slug = reader.string("slug")?;
    product.permalink = reader.string("permalink")?;
    product.date_created = reader.instant("date_created")?;
    product.date_modified = reader.instant("date_modified")?;
    product.description = stored_text(&reader.string("description")?);
    product.sku = reader.string("sku")?;
    product.global_unique_id = reader.string("global_unique_id")?;
    product.regular_price = reader.decimal("regular_price")?;
    product.sale_price = reader.decimal("sale_price")?;
    product.date_on_sale_from = reader.instant("date_on_sale_from")?;
    product.date_on_sale_to = reader.instant("date_on_sale_to")?;
    product.tax_status = reader.name(
        "tax_status",
        TaxStatus::from_name,
        TaxStatus::Taxable,
        "taxable, shipping, none",
    )?;
    product.tax_class = reader.string("tax_class")?;
    product.manage_stock = match reader.value("manage_stock") {
        Some(Value::String(text)) if text == "parent" => ManageStock::Parent,
        Some(value) => match parse_bool(value) {
            Some(true) => ManageStock::Yes,
            Some(false) => ManageStock::No,
            None => {
                return Err(reader.field_error(
                    "manage_stock",
                    format!("{value} is not true, false or \"parent\""),
                ));
            }
        },
        None => ManageStock::No,
    };
    product.stock_quantity = reader.decimal("stock_quantity")?;
    product.stock_status = reader.name(
        "stock_status",
        StockStatus::from_name,
        StockStatus::InStock,
        "instock, outofstock, onbackorder",
    )?;
    product.backorders = reader.name(
        "backorders",
        Backorders::from_name,
        Backorders::No,
        "no, notify, yes",
    )?;
    product.low_stock_amount = reader.opt_i64("low_stock_amount")?;
    product.weight = reader.decimal("weight")?;
    if let Some(dimensions) = reader.value("dimensions") {
        let dimensions = RecordReader::new("", String::new(), dimensions)
            .map_err(|_| reader.field_error("dimensions", "is not an object"))?;
        let dimension = |name: &str| {
            dimensions
                .decimal(name)
                .map_err(|_| reader.field_error(&format!("dimensions.{name}"), "is not a number"))
        };
        product.length = dimension("length")?;
        product.width = dimension("width")?;
        product.height = dimension("height")?;
    }
    product.shipping_class = reader.string("shipping_class")?;
    product.shipping_class_id = reader.u64("shipping_class_id")?;
    product.is_virtual = reader.bool("virtual", false)?;
    product.downloadable = reader.bool("downloadable", false)?;
    product.menu_order = reader.i64("menu_order")?;
    product.meta = parse_meta(reader)?;
    Ok(())
}

fn parse_product(data: &mut CatalogData, reader: &RecordReader) -> Result<Product, ImportError> {
    let id = reader.u64("id")?;
    if id == 0 {
        return Err(reader.field_error("id", "is missing"));
    }
    let mut product = Product::new(id, "");
    product.product_type = ProductType::from_name(&reader.string("type")?);
    if product.product_type == ProductType::Variation {
        return Err(reader.field_error("type", "variations belong in variations.json"));
    }
    parse_common(reader, &mut product)?;
    product.short_description = stored_text(&reader.string("short_description")?);
    product.sold_individually = reader.bool("sold_individually", false)?;
    product.featured = reader.bool("featured", false)?;
    product.catalog_visibility = reader.name(
        "catalog_visibility",
        CatalogVisibility::from_name,
        CatalogVisibility::Visible,
        "visible, catalog, search, hidden",
    )?;
    product.password_protected = !reader.string("post_password")?.is_empty();
    product.reviews_allowed = reader.bool("reviews_allowed", true)?;
    product.average_rating = reader.decimal("average_rating")?.unwrap_or_default();
    product.review_count = reader.u64("rating_count")?;
    product.total_sales = reader.u64("total_sales")?;
    let images = reader.array("images")?;
    let mut image_ids = Vec::new();
    for image in images {
        image_ids.push(parse_image(data, reader, "images", image)?);
    }
    if let Some((&first, rest)) = image_ids.split_first() {
        product.image_id = first;
        product.gallery_image_ids = rest.to_vec();
    }
    product.category_ids = embedded_terms(data, reader, "categories", CATEGORY_TAXONOMY)?;
    product.tag_ids = embedded_terms(data, reader, "tags", TAG_TAXONOMY)?;
    product.attributes = parse_product_attributes(data, reader)?;
    let mut defaults = Vec::new();
    for entry in reader.array("default_attributes")? {
        if let Some(value) = attribute_value(
            data,
            &product.attributes,
            reader,
            "default_attributes",
            entry,
        )? {
            defaults.push(value);
        }
    }
    product.default_attributes = defaults;
    product.grouped_products = reader.ids("grouped_products")?;
    product.upsell_ids = reader.ids("upsell_ids")?;
    product.cross_sell_ids = reader.ids("cross_sell_ids")?;
    product.product_url = reader.string("external_url")?;
    product.button_text = reader.string("button_text")?;
    Ok(product)
}

fn parse_variations(data: &mut CatalogData, file: &str, value: &Value) -> Result<(), ImportError> {
    for (parent_key, variations) in object(file, value)? {
        let parent_id: u64 = parent_key.parse().map_err(|_| ImportError::File {
            file: file.to_string(),
            problem: format!("\"{parent_key}\" is not a parent product ID"),
        })?;
        let variations = variations.as_array().ok_or_else(|| ImportError::File {
            file: file.to_string(),
            problem: format!("\"{parent_key}\" is not a list of variations"),
        })?;
        for (index, record) in variations.iter().enumerate() {
            let reader = RecordReader::new(
                file,
                format!(
                    "{} of product {parent_id}",
                    label("variation", record, index)
                ),
                record,
            )?;
            let parent_attributes = data
                .products
                .iter()
                .find(|product| product.id == parent_id)
                .map(|parent| parent.attributes.clone())
                .ok_or_else(|| {
                    reader.record_error(format!("unknown parent product {parent_id}"))
                })?;
            let id = reader.u64("id")?;
            if id == 0 {
                return Err(reader.field_error("id", "is missing"));
            }
            let stated_parent = reader.u64("parent_id")?;
            if stated_parent != 0 && stated_parent != parent_id {
                return Err(reader.field_error(
                    "parent_id",
                    format!("{stated_parent} differs from the key {parent_id} it is listed under"),
                ));
            }
            let mut variation = Product::new(id, "");
            variation.product_type = ProductType::Variation;
            variation.parent_id = parent_id;
            parse_common(&reader, &mut variation)?;
            if let Some(image) = reader.value("image") {
                variation.image_id = parse_image(data, &reader, "image", image)?;
            }
            for entry in reader.array("attributes")? {
                if let Some(value) =
                    attribute_value(data, &parent_attributes, &reader, "attributes", entry)?
                {
                    variation.variation_attributes.push(value);
                }
            }
            data.products.push(variation);
        }
    }
    Ok(())
}

fn parse_coupon(reader: &RecordReader) -> Result<Coupon, ImportError> {
    let mut meta = parse_meta(reader)?;
    let mut maximum_discount = reader.decimal("maximum_discount")?;
    if let Some(position) = meta
        .iter()
        .position(|entry| entry.key == "maximum_discount")
    {
        let entry = meta.remove(position);
        if maximum_discount.is_none() {
            maximum_discount = super::reader::parse_decimal_value(&entry.value).map_err(|()| {
                reader.field_error(
                    "meta_data",
                    format!("maximum_discount {} is not a number", entry.value),
                )
            })?;
        }
    }
    let optional_limit = |field: &str| -> Result<Option<u64>, ImportError> {
        Ok(reader.opt_u64(field)?.filter(|&limit| limit > 0))
    };
    Ok(Coupon {
        id: reader.u64("id")?,
        code: reader.string("code")?.trim().to_lowercase(),
        status: reader.name(
            "status",
            PostStatus::from_name,
            PostStatus::Publish,
            "publish, draft, pending, private, future, trash",
        )?,
        amount: reader.decimal("amount")?.unwrap_or_default(),
        discount_type: DiscountType::from_name(&reader.string("discount_type")?),
        description: reader.string("description")?,
        date_created: reader.instant("date_created")?,
        date_expires: reader.instant("date_expires")?,
        individual_use: reader.bool("individual_use", false)?,
        product_ids: reader.ids("product_ids")?,
        excluded_product_ids: reader.ids("excluded_product_ids")?,
        usage_limit: optional_limit("usage_limit")?,
        usage_limit_per_user: optional_limit("usage_limit_per_user")?,
        limit_usage_to_x_items: optional_limit("limit_usage_to_x_items")?,
        free_shipping: reader.bool("free_shipping", false)?,
        product_categories: reader.ids("product_categories")?,
        excluded_product_categories: reader.ids("excluded_product_categories")?,
        exclude_sale_items: reader.bool("exclude_sale_items", false)?,
        minimum_amount: reader.decimal("minimum_amount")?.unwrap_or_default(),
        maximum_amount: reader.decimal("maximum_amount")?.unwrap_or_default(),
        email_restrictions: reader
            .strings("email_restrictions")?
            .iter()
            .map(|email| email.trim().to_lowercase())
            .collect(),
        usage_count: reader.u64("usage_count")?,
        used_by: reader.strings("used_by")?,
        maximum_discount,
        meta,
    })
}
