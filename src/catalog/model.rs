//! The catalog's plain data types: products and variations, terms, attributes, images,
//! reviews, tax classes and rates, shipping zones, methods and classes, coupons and the
//! store settings.
//!
//! These records are what importers produce, what storage persists (one record per
//! entity) and what the immutable [`Catalog`](super::Catalog) snapshot indexes. They hold
//! data only; the rules that derive predicates (purchasable, in stock, active price, …)
//! live in the snapshot. Money and rates are [`Decimal`]s, which keep the scale the
//! merchant entered (`"20.00"` stays `"20.00"` when rendered).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// An instant in UTC, as whole seconds since the Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// An instant from Unix seconds as the clock gives them (saturating past `i64::MAX`).
    pub fn from_unix_seconds(seconds: u64) -> UnixTime {
        UnixTime(i64::try_from(seconds).unwrap_or(i64::MAX))
    }

    /// Parses WordPress's `YYYY-MM-DDTHH:MM:SS` (also with a space instead of `T`, an
    /// optional fraction, and an optional `Z` or `±HH:MM` zone; without a zone the text is
    /// taken as UTC) or a bare `YYYY-MM-DD` (midnight). Returns `None` for anything else.
    pub fn parse(text: &str) -> Option<UnixTime> {
        let text = text.trim();
        let split = text.len().min(10);
        let (date, rest) = (text.get(..split)?, text.get(split..)?);
        let mut date_parts = date.splitn(3, '-');
        let year: i64 = parse_digits(date_parts.next()?, 4)?;
        let month: i64 = parse_digits(date_parts.next()?, 2)?;
        let day: i64 = parse_digits(date_parts.next()?, 2)?;
        if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
            return None;
        }
        let mut seconds_of_day = 0;
        let mut offset_seconds = 0;
        if !rest.is_empty() {
            let rest = rest.strip_prefix(['T', ' '])?;
            let (time, mut zone) = (rest.get(..8)?, rest.get(8..)?);
            let mut time_parts = time.splitn(3, ':');
            let hour: i64 = parse_digits(time_parts.next()?, 2)?;
            let minute: i64 = parse_digits(time_parts.next()?, 2)?;
            let second: i64 = parse_digits(time_parts.next()?, 2)?;
            if hour > 23 || minute > 59 || second > 60 {
                return None;
            }
            seconds_of_day = hour * 3600 + minute * 60 + second;
            if let Some(fraction) = zone.strip_prefix('.') {
                let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
                if digits == 0 {
                    return None;
                }
                zone = &fraction[digits..];
            }
            offset_seconds = match zone {
                "" | "Z" | "z" => 0,
                _ => {
                    let sign = match zone.as_bytes()[0] {
                        b'+' => 1,
                        b'-' => -1,
                        _ => return None,
                    };
                    let (hours, minutes) = zone[1..].split_once(':')?;
                    sign * (parse_digits(hours, 2)? * 3600 + parse_digits(minutes, 2)? * 60)
                }
            };
        }
        Some(UnixTime(
            days_from_civil(year, month, day) * 86_400 + seconds_of_day - offset_seconds,
        ))
    }

    /// Renders WordPress's `YYYY-MM-DDTHH:MM:SS` (no zone designator) for this instant
    /// shifted by `offset_seconds` (0 gives the UTC form used by `*_gmt` fields).
    pub fn format_iso(self, offset_seconds: i64) -> String {
        let seconds = self.0.saturating_add(offset_seconds);
        let days = seconds.div_euclid(86_400);
        let second_of_day = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            second_of_day / 3600,
            second_of_day % 3600 / 60,
            second_of_day % 60
        )
    }
}

fn parse_digits(text: &str, width: usize) -> Option<i64> {
    if text.len() != width || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn is_leap_year(year: i64) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

// ---------------------------------------------------------------------------------------
// Products
// ---------------------------------------------------------------------------------------

/// The kind of a product record.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ProductType {
    /// A plain product with its own price.
    #[default]
    Simple,
    /// A product whose purchasable children are variations.
    Variable,
    /// One purchasable variation of a variable product.
    Variation,
    /// A set of other products, added to the cart together; never purchasable itself.
    Grouped,
    /// A product sold elsewhere (a link); never purchasable.
    External,
    /// An extension type (e.g. `subscription`); add-to-cart treats it as simple.
    Other(String),
}

impl ProductType {
    /// The WooCommerce type name (`simple`, `variable`, …, or the extension's name).
    pub fn as_str(&self) -> &str {
        match self {
            ProductType::Simple => "simple",
            ProductType::Variable => "variable",
            ProductType::Variation => "variation",
            ProductType::Grouped => "grouped",
            ProductType::External => "external",
            ProductType::Other(name) => name,
        }
    }

    /// Reads a WooCommerce type name; unknown names become [`ProductType::Other`].
    pub fn from_name(name: &str) -> ProductType {
        match name {
            "simple" => ProductType::Simple,
            "variable" => ProductType::Variable,
            "variation" => ProductType::Variation,
            "grouped" => ProductType::Grouped,
            "external" => ProductType::External,
            other => ProductType::Other(other.to_string()),
        }
    }
}

/// A post status (products, variations and coupons). Variations use `publish` for enabled
/// and `private` for disabled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum PostStatus {
    /// Public.
    #[default]
    Publish,
    /// Not yet published.
    Draft,
    /// Awaiting review.
    Pending,
    /// Visible to store managers only (a disabled variation).
    Private,
    /// Scheduled for publication.
    Future,
    /// Deleted; treated as not existing.
    Trash,
}

impl PostStatus {
    /// The WordPress status name.
    pub fn as_str(self) -> &'static str {
        match self {
            PostStatus::Publish => "publish",
            PostStatus::Draft => "draft",
            PostStatus::Pending => "pending",
            PostStatus::Private => "private",
            PostStatus::Future => "future",
            PostStatus::Trash => "trash",
        }
    }

    /// Reads a WordPress status name.
    pub fn from_name(name: &str) -> Option<PostStatus> {
        Some(match name {
            "publish" => PostStatus::Publish,
            "draft" => PostStatus::Draft,
            "pending" => PostStatus::Pending,
            "private" => PostStatus::Private,
            "future" => PostStatus::Future,
            "trash" => PostStatus::Trash,
            _ => return None,
        })
    }
}

/// Stock status as stored on the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
pub enum StockStatus {
    /// `instock`.
    #[default]
    #[serde(rename = "instock")]
    InStock,
    /// `outofstock`.
    #[serde(rename = "outofstock")]
    OutOfStock,
    /// `onbackorder` (counts as in stock).
    #[serde(rename = "onbackorder")]
    OnBackorder,
}

impl StockStatus {
    /// The WooCommerce name (`instock`, `outofstock`, `onbackorder`).
    pub fn as_str(self) -> &'static str {
        match self {
            StockStatus::InStock => "instock",
            StockStatus::OutOfStock => "outofstock",
            StockStatus::OnBackorder => "onbackorder",
        }
    }

    /// Reads a WooCommerce stock status name.
    pub fn from_name(name: &str) -> Option<StockStatus> {
        Some(match name {
            "instock" => StockStatus::InStock,
            "outofstock" => StockStatus::OutOfStock,
            "onbackorder" => StockStatus::OnBackorder,
            _ => return None,
        })
    }
}

/// Whether orders may exceed the stock.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Backorders {
    /// Not allowed.
    #[default]
    No,
    /// Allowed, and the customer is told.
    Notify,
    /// Allowed silently.
    Yes,
}

impl Backorders {
    /// The WooCommerce name (`no`, `notify`, `yes`).
    pub fn as_str(self) -> &'static str {
        match self {
            Backorders::No => "no",
            Backorders::Notify => "notify",
            Backorders::Yes => "yes",
        }
    }

    /// Reads a WooCommerce backorders name.
    pub fn from_name(name: &str) -> Option<Backorders> {
        Some(match name {
            "no" => Backorders::No,
            "notify" => Backorders::Notify,
            "yes" => Backorders::Yes,
            _ => return None,
        })
    }
}

/// The product's own stock-management switch.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ManageStock {
    /// The product does not track stock.
    #[default]
    No,
    /// The product tracks its own stock.
    Yes,
    /// Variations only: the parent's stock is used.
    Parent,
}

/// What part of a sale is taxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaxStatus {
    /// The product price is taxed.
    #[default]
    Taxable,
    /// Only the shipping cost is taxed.
    Shipping,
    /// Nothing is taxed.
    None,
}

impl TaxStatus {
    /// The WooCommerce name (`taxable`, `shipping`, `none`).
    pub fn as_str(self) -> &'static str {
        match self {
            TaxStatus::Taxable => "taxable",
            TaxStatus::Shipping => "shipping",
            TaxStatus::None => "none",
        }
    }

    /// Reads a WooCommerce tax status name.
    pub fn from_name(name: &str) -> Option<TaxStatus> {
        Some(match name {
            "taxable" => TaxStatus::Taxable,
            "shipping" => TaxStatus::Shipping,
            "none" => TaxStatus::None,
            _ => return None,
        })
    }
}

/// Where a product shows up in the storefront.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CatalogVisibility {
    /// Shop and search.
    #[default]
    Visible,
    /// Shop only.
    Catalog,
    /// Search only.
    Search,
    /// Neither.
    Hidden,
}

impl CatalogVisibility {
    /// The WooCommerce name.
    pub fn as_str(self) -> &'static str {
        match self {
            CatalogVisibility::Visible => "visible",
            CatalogVisibility::Catalog => "catalog",
            CatalogVisibility::Search => "search",
            CatalogVisibility::Hidden => "hidden",
        }
    }

    /// Reads a WooCommerce catalog visibility name.
    pub fn from_name(name: &str) -> Option<CatalogVisibility> {
        Some(match name {
            "visible" => CatalogVisibility::Visible,
            "catalog" => CatalogVisibility::Catalog,
            "search" => CatalogVisibility::Search,
            "hidden" => CatalogVisibility::Hidden,
            _ => return None,
        })
    }
}

/// The values an attribute offers on one product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttributeOptions {
    /// Global attribute: the IDs of the terms assigned to the product, in display order.
    Terms(Vec<u64>),
    /// Custom attribute: the option strings (the merchant's `|`-separated text, trimmed).
    Values(Vec<String>),
}

/// An attribute attached to a non-variation product (product-model §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProductAttribute {
    /// Global: the taxonomy name `pa_<slug>`. Custom: the merchant's name (`Gift wrap`).
    pub name: String,
    /// Global attribute ID, or 0 for a custom attribute.
    pub id: u64,
    /// The values offered on this product.
    pub options: AttributeOptions,
    /// Sort position among the product's attributes.
    pub position: i64,
    /// Shown on the product page (`is_attribute_visible`).
    pub visible: bool,
    /// Used for variations (`used_for_variation`).
    pub variation: bool,
}

/// One `attribute key → value` pair: a variation's stored value (`""` = any) or a default
/// attribute of a variable product. The key is the sanitised attribute name without the
/// `attribute_` prefix (`pa_color`, `gift-wrap`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeValue {
    /// Attribute key (`pa_color`, `size`).
    pub key: String,
    /// Term slug (global) or option text (custom); `""` means any value.
    pub value: String,
}

/// A custom meta entry exposed by the Products API.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MetaEntry {
    /// Meta ID.
    pub id: u64,
    /// Meta key.
    pub key: String,
    /// Meta value as WooCommerce returns it (any JSON value).
    pub value: serde_json::Value,
}

/// One product **or** variation (product-model §3). Fields a variation may inherit are
/// stored as the record's own value; the snapshot resolves inheritance.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Product {
    /// Product ID; products and variations share one ID space.
    pub id: u64,
    /// Product type.
    #[serde(rename = "type")]
    pub product_type: ProductType,
    /// For variations the variable parent's ID; 0 otherwise.
    pub parent_id: u64,
    /// Post status (variations: `publish` = enabled, `private` = disabled).
    pub status: PostStatus,
    /// Name (variations: the generated display name, product-model §5.6).
    pub name: String,
    /// URL slug.
    pub slug: String,
    /// Storefront URL as imported (`""` when unknown; then derived from the slug).
    pub permalink: String,
    /// Creation instant.
    pub date_created: Option<UnixTime>,
    /// Last modification instant.
    pub date_modified: Option<UnixTime>,
    /// Long description, HTML as stored (variations: the variation description).
    pub description: String,
    /// Short description, HTML as stored (variations have none).
    pub short_description: String,
    /// SKU, unique across products and variations when non-empty; `""` = none.
    pub sku: String,
    /// GTIN/UPC/EAN/ISBN; `""` = none.
    pub global_unique_id: String,
    /// Regular price; `None` = not set.
    pub regular_price: Option<Decimal>,
    /// Sale price; `None` = not set.
    pub sale_price: Option<Decimal>,
    /// Start of the sale window (inclusive), if any.
    pub date_on_sale_from: Option<UnixTime>,
    /// End of the sale window (inclusive), if any.
    pub date_on_sale_to: Option<UnixTime>,
    /// Tax status (variations: the parent's applies).
    pub tax_status: TaxStatus,
    /// Tax class slug: `""` = standard; variations may hold `parent`.
    pub tax_class: String,
    /// The product's own stock-management switch.
    pub manage_stock: ManageStock,
    /// Stock quantity when stock is managed (may be negative or fractional).
    pub stock_quantity: Option<Decimal>,
    /// Stored stock status.
    pub stock_status: StockStatus,
    /// Backorder policy.
    pub backorders: Backorders,
    /// Low-stock threshold; `None` = store default.
    pub low_stock_amount: Option<i64>,
    /// At most one unit per cart (variations: the parent's flag applies).
    pub sold_individually: bool,
    /// Weight in the store unit; `None` = not set (variations inherit).
    pub weight: Option<Decimal>,
    /// Length in the store unit; `None` = not set (variations inherit).
    pub length: Option<Decimal>,
    /// Width in the store unit; `None` = not set (variations inherit).
    pub width: Option<Decimal>,
    /// Height in the store unit; `None` = not set (variations inherit).
    pub height: Option<Decimal>,
    /// Shipping class slug; `""` = none (variations inherit).
    pub shipping_class: String,
    /// Shipping class ID; 0 = none (variations inherit).
    pub shipping_class_id: u64,
    /// Needs no shipping.
    #[serde(rename = "virtual")]
    pub is_virtual: bool,
    /// Has downloadable files.
    pub downloadable: bool,
    /// Featured flag.
    pub featured: bool,
    /// Catalog visibility (variations: the parent's applies).
    pub catalog_visibility: CatalogVisibility,
    /// Has a post password; blocks adding to the cart.
    pub password_protected: bool,
    /// Reviews allowed.
    pub reviews_allowed: bool,
    /// Average rating as stored (e.g. `0.00`, `4.50`).
    pub average_rating: Decimal,
    /// Approved review count.
    pub review_count: u64,
    /// Number of ratings per star (1..=5).
    pub rating_counts: BTreeMap<u8, u64>,
    /// Units sold.
    pub total_sales: u64,
    /// Sort order (variations: order within the parent).
    pub menu_order: i64,
    /// Featured image attachment ID; 0 = none (variations inherit).
    pub image_id: u64,
    /// Gallery attachment IDs in order.
    pub gallery_image_ids: Vec<u64>,
    /// Category term IDs.
    pub category_ids: Vec<u64>,
    /// Tag term IDs.
    pub tag_ids: Vec<u64>,
    /// Non-variation products: the attributes, in order (product-model §5.1).
    pub attributes: Vec<ProductAttribute>,
    /// Variations: the stored value of each variation attribute of the parent (§5.2).
    pub variation_attributes: Vec<AttributeValue>,
    /// Variable products: the default selection.
    pub default_attributes: Vec<AttributeValue>,
    /// Grouped products: the child product IDs in the merchant's order.
    pub grouped_products: Vec<u64>,
    /// Upsell product IDs.
    pub upsell_ids: Vec<u64>,
    /// Cross-sell product IDs (variations: the parent's list applies).
    pub cross_sell_ids: Vec<u64>,
    /// External products: the buy URL.
    pub product_url: String,
    /// External products: the button label.
    pub button_text: String,
    /// Custom meta exposed by the Products API.
    pub meta: Vec<MetaEntry>,
}

impl Product {
    /// A published simple product with every other field at WooCommerce's default.
    pub fn new(id: u64, name: &str) -> Product {
        Product {
            id,
            product_type: ProductType::Simple,
            parent_id: 0,
            status: PostStatus::Publish,
            name: name.to_string(),
            slug: String::new(),
            permalink: String::new(),
            date_created: None,
            date_modified: None,
            description: String::new(),
            short_description: String::new(),
            sku: String::new(),
            global_unique_id: String::new(),
            regular_price: None,
            sale_price: None,
            date_on_sale_from: None,
            date_on_sale_to: None,
            tax_status: TaxStatus::Taxable,
            tax_class: String::new(),
            manage_stock: ManageStock::No,
            stock_quantity: None,
            stock_status: StockStatus::InStock,
            backorders: Backorders::No,
            low_stock_amount: None,
            sold_individually: false,
            weight: None,
            length: None,
            width: None,
            height: None,
            shipping_class: String::new(),
            shipping_class_id: 0,
            is_virtual: false,
            downloadable: false,
            featured: false,
            catalog_visibility: CatalogVisibility::Visible,
            password_protected: false,
            reviews_allowed: true,
            average_rating: Decimal::ZERO,
            review_count: 0,
            rating_counts: BTreeMap::new(),
            total_sales: 0,
            menu_order: 0,
            image_id: 0,
            gallery_image_ids: Vec::new(),
            category_ids: Vec::new(),
            tag_ids: Vec::new(),
            attributes: Vec::new(),
            variation_attributes: Vec::new(),
            default_attributes: Vec::new(),
            grouped_products: Vec::new(),
            upsell_ids: Vec::new(),
            cross_sell_ids: Vec::new(),
            product_url: String::new(),
            button_text: String::new(),
            meta: Vec::new(),
        }
    }
}

/// A global attribute definition (`pa_<name>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttributeTaxonomy {
    /// Attribute ID.
    pub id: u64,
    /// Slug without the `pa_` prefix (`color`).
    pub name: String,
    /// Human label (`Color`).
    pub label: String,
    /// Attribute type (`select`, …).
    pub attribute_type: String,
    /// Term order: `menu_order`, `name`, `name_num` or `id`.
    pub order_by: String,
    /// Whether the attribute has archive pages.
    pub has_archives: bool,
}

impl AttributeTaxonomy {
    /// The taxonomy name of the attribute's terms (`pa_color`).
    pub fn taxonomy(&self) -> String {
        format!("pa_{}", self.name)
    }
}

/// The taxonomy of product categories.
pub const CATEGORY_TAXONOMY: &str = "product_cat";
/// The taxonomy of product tags.
pub const TAG_TAXONOMY: &str = "product_tag";

/// A term: a category ([`CATEGORY_TAXONOMY`]), a tag ([`TAG_TAXONOMY`]) or a global
/// attribute term (`pa_*`). All share one ID space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Term {
    /// Term ID.
    pub id: u64,
    /// Taxonomy name (`product_cat`, `product_tag`, `pa_color`).
    pub taxonomy: String,
    /// Display name.
    pub name: String,
    /// Slug.
    pub slug: String,
    /// Parent term ID (categories only); 0 = top level.
    pub parent: u64,
    /// Description.
    pub description: String,
    /// Number of published products using the term.
    pub count: u64,
    /// Stored order.
    pub menu_order: i64,
    /// Categories: archive display (`default`, `products`, `subcategories`, `both`).
    pub display: String,
    /// Categories: thumbnail attachment ID; 0 = none.
    pub thumbnail_id: u64,
    /// Term meta.
    pub meta: Vec<MetaEntry>,
}

impl Term {
    /// A top-level term with only its identity: no description, count, order, display,
    /// thumbnail or meta.
    pub fn new(id: u64, taxonomy: &str, name: &str, slug: &str) -> Term {
        Term {
            id,
            taxonomy: taxonomy.to_string(),
            name: name.to_string(),
            slug: slug.to_string(),
            parent: 0,
            description: String::new(),
            count: 0,
            menu_order: 0,
            display: String::new(),
            thumbnail_id: 0,
            meta: Vec::new(),
        }
    }
}

/// An image attachment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Attachment ID.
    pub id: u64,
    /// Attachment title.
    pub name: String,
    /// Alt text.
    pub alt: String,
    /// URL per image size name; `full` is the original upload.
    pub src: BTreeMap<String, String>,
    /// Upload instant.
    pub date_created: Option<UnixTime>,
    /// Last modification instant.
    pub date_modified: Option<UnixTime>,
}

/// A product review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Review {
    /// Review (comment) ID.
    pub id: u64,
    /// The reviewed product.
    pub product_id: u64,
    /// Instant of the review.
    pub date_created: Option<UnixTime>,
    /// `approved`, `hold`, `spam`, `trash`.
    pub status: String,
    /// Reviewer's display name.
    pub reviewer: String,
    /// Reviewer's email.
    pub reviewer_email: String,
    /// Reviewer's user ID; 0 = guest.
    pub reviewer_user_id: u64,
    /// Review text.
    pub review: String,
    /// Rating 0–5 (0 = no rating).
    pub rating: u8,
    /// The reviewer bought the product.
    pub verified: bool,
}

// ---------------------------------------------------------------------------------------
// Store settings
// ---------------------------------------------------------------------------------------

/// Where the currency symbol goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum CurrencyPosition {
    /// `$9.99`.
    #[default]
    Left,
    /// `9.99$`.
    Right,
    /// `$ 9.99`.
    LeftSpace,
    /// `9.99 $`.
    RightSpace,
}

/// Which address selects tax rates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaxBasedOn {
    /// The customer's shipping address.
    #[default]
    Shipping,
    /// The customer's billing address.
    Billing,
    /// The store's base address.
    Base,
}

/// Whether prices are displayed with or without tax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaxDisplay {
    /// Including tax.
    Incl,
    /// Excluding tax.
    #[default]
    Excl,
}

/// How tax totals are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum TaxTotalDisplay {
    /// One total line.
    Single,
    /// One line per rate.
    #[default]
    Itemized,
}

/// Where a new customer is assumed to be (`woocommerce_default_customer_address`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DefaultCustomerAddress {
    /// No location.
    None,
    /// The store base address.
    #[default]
    Base,
    /// Geolocated (the daemon cannot geolocate; treated as no location).
    Geolocation,
    /// Geolocated with page-cache support (treated as no location).
    GeolocationAjax,
}

/// Store-wide settings the catalog, cart and totals depend on (product-model §8, totals §1).
/// Fields missing from stored data take their defaults, so adding a setting never breaks
/// an older record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct StoreSettings {
    /// ISO currency code (`USD`).
    pub currency: String,
    /// Currency symbol, HTML-entity-decoded (`$`).
    pub currency_symbol: String,
    /// Symbol position.
    pub currency_position: CurrencyPosition,
    /// Thousand separator.
    pub thousand_separator: String,
    /// Decimal separator.
    pub decimal_separator: String,
    /// Number of price decimals (`dp`).
    pub price_decimals: u32,
    /// Master tax switch (`woocommerce_calc_taxes`).
    pub calc_taxes: bool,
    /// Catalog prices are entered including tax.
    pub prices_include_tax: bool,
    /// Which address selects tax rates.
    pub tax_based_on: TaxBasedOn,
    /// Tax class of shipping: `inherit`, `""` (standard) or a class slug.
    pub shipping_tax_class: String,
    /// Round tax at subtotal level instead of per line.
    pub tax_round_at_subtotal: bool,
    /// Price display in the shop (Products API).
    pub tax_display_shop: TaxDisplay,
    /// Price display in the cart.
    pub tax_display_cart: TaxDisplay,
    /// Single or itemized tax totals.
    pub tax_total_display: TaxTotalDisplay,
    /// Price display suffix.
    pub price_display_suffix: String,
    /// Each coupon discounts the price left by earlier coupons.
    pub calc_discounts_sequentially: bool,
    /// Coupons enabled.
    pub enable_coupons: bool,
    /// Store base country (ISO code).
    pub base_country: String,
    /// Store base state code (`""` = none).
    pub base_state: String,
    /// Store base postcode.
    pub base_postcode: String,
    /// Store base city.
    pub base_city: String,
    /// Store address line 1.
    pub base_address: String,
    /// Store address line 2.
    pub base_address_2: String,
    /// Where a new customer is assumed to be.
    pub default_customer_address: DefaultCustomerAddress,
    /// Selling locations: `all`, `all_except`, `specific`.
    pub allowed_countries: String,
    /// Countries excluded when `allowed_countries = all_except`.
    pub all_except_countries: Vec<String>,
    /// Countries allowed when `allowed_countries = specific`.
    pub specific_allowed_countries: Vec<String>,
    /// Shipping locations: `""` (same as selling), `all`, `specific`, `disabled`.
    pub ship_to_countries: String,
    /// Countries shipped to when `ship_to_countries = specific`.
    pub specific_ship_to_countries: Vec<String>,
    /// Hide shipping costs until an address is entered.
    pub shipping_cost_requires_address: bool,
    /// Weight unit (`kg`).
    pub weight_unit: String,
    /// Dimension unit (`cm`).
    pub dimension_unit: String,
    /// Store-wide stock management switch.
    pub manage_stock: bool,
    /// Stock at or below which a managed product is out of stock (unless backorders are
    /// allowed).
    pub notify_no_stock_amount: Decimal,
    /// Hide out-of-stock items from the catalog.
    pub hide_out_of_stock_items: bool,
    /// Hide disabled or price-less variations from product responses.
    pub hide_invisible_variations: bool,
    /// Placeholder image attachment ID; 0 = WooCommerce's bundled placeholder.
    pub placeholder_image_id: u64,
    /// Shop page ID; 0 = none.
    pub shop_page_id: u64,
    /// Default product sort (`menu_order`, `popularity`, `rating`, `date`, `price`, …).
    pub default_catalog_orderby: String,
    /// Reviews enabled.
    pub enable_reviews: bool,
    /// A star rating is required with a review.
    pub review_rating_required: bool,
    /// Only verified owners may review.
    pub review_rating_verification_required: bool,
    /// The store's local time minus UTC, in seconds (for local date strings).
    pub utc_offset_seconds: i64,
}

impl Default for StoreSettings {
    /// WooCommerce's install defaults.
    fn default() -> StoreSettings {
        StoreSettings {
            currency: "USD".to_string(),
            currency_symbol: "$".to_string(),
            currency_position: CurrencyPosition::Left,
            thousand_separator: ",".to_string(),
            decimal_separator: ".".to_string(),
            price_decimals: 2,
            calc_taxes: false,
            prices_include_tax: false,
            tax_based_on: TaxBasedOn::Shipping,
            shipping_tax_class: "inherit".to_string(),
            tax_round_at_subtotal: false,
            tax_display_shop: TaxDisplay::Excl,
            tax_display_cart: TaxDisplay::Excl,
            tax_total_display: TaxTotalDisplay::Itemized,
            price_display_suffix: String::new(),
            calc_discounts_sequentially: false,
            enable_coupons: true,
            base_country: "US".to_string(),
            base_state: "CA".to_string(),
            base_postcode: String::new(),
            base_city: String::new(),
            base_address: String::new(),
            base_address_2: String::new(),
            default_customer_address: DefaultCustomerAddress::Base,
            allowed_countries: "all".to_string(),
            all_except_countries: Vec::new(),
            specific_allowed_countries: Vec::new(),
            ship_to_countries: String::new(),
            specific_ship_to_countries: Vec::new(),
            shipping_cost_requires_address: false,
            weight_unit: "kg".to_string(),
            dimension_unit: "cm".to_string(),
            manage_stock: true,
            notify_no_stock_amount: Decimal::ZERO,
            hide_out_of_stock_items: false,
            hide_invisible_variations: true,
            placeholder_image_id: 0,
            shop_page_id: 0,
            default_catalog_orderby: "menu_order".to_string(),
            enable_reviews: true,
            review_rating_required: true,
            review_rating_verification_required: false,
            utc_offset_seconds: 0,
        }
    }
}

// ---------------------------------------------------------------------------------------
// Taxes
// ---------------------------------------------------------------------------------------

/// A tax class. The standard class has slug `""`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxClass {
    /// Slug (`""` for standard, `reduced-rate`, …).
    pub slug: String,
    /// Display name (`Standard rate`, `Reduced rate`).
    pub name: String,
}

/// A tax rate row (totals §6.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxRate {
    /// Rate ID.
    pub id: u64,
    /// Country code, uppercase; `""` = any country.
    pub country: String,
    /// State code, uppercase; `""` = any state.
    pub state: String,
    /// Postcode patterns: exact, wildcard (`CB*`) or range (`100...200`); empty = any.
    pub postcodes: Vec<String>,
    /// City names, uppercase; empty = any.
    pub cities: Vec<String>,
    /// Rate in percent (`10.0000`).
    pub rate: Decimal,
    /// Label shown in totals.
    pub name: String,
    /// Priority: only the first matching rate of each priority applies.
    pub priority: u32,
    /// Applied on top of the other taxes.
    pub compound: bool,
    /// Also applies to shipping.
    pub shipping: bool,
    /// Stored order.
    pub order: u32,
    /// Tax class slug; `""` = standard.
    pub class: String,
}

// ---------------------------------------------------------------------------------------
// Shipping
// ---------------------------------------------------------------------------------------

/// The kind of a shipping zone location.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationType {
    /// A country code (`US`).
    Country,
    /// `COUNTRY:STATE` (`US:CA`).
    State,
    /// A continent code (`EU`).
    Continent,
    /// A postcode pattern: exact, wildcard (`CB*`) or range (`100...200`).
    Postcode,
}

/// One location of a shipping zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneLocation {
    /// Location code.
    pub code: String,
    /// Location kind.
    #[serde(rename = "type")]
    pub location_type: LocationType,
}

/// Whether a shipping method's cost is taxed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ShippingTaxStatus {
    /// Taxed with the shipping tax class.
    #[default]
    Taxable,
    /// Not taxed.
    None,
}

/// How flat-rate class costs combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum ClassCalculationType {
    /// Add the cost of every shipping class in the package.
    #[default]
    Class,
    /// Add only the most expensive class cost.
    Order,
}

/// What free shipping requires.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum FreeShippingRequires {
    /// Always available.
    #[default]
    Nothing,
    /// A valid coupon granting free shipping.
    Coupon,
    /// A minimum order amount.
    MinAmount,
    /// A minimum amount or a coupon.
    Either,
    /// A minimum amount and a coupon.
    Both,
}

/// A flat-rate cost for one shipping class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCost {
    /// Shipping class ID.
    pub class_id: u64,
    /// Cost formula (`""` = skipped).
    pub cost: String,
}

/// Flat-rate settings (totals §9.5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FlatRateSettings {
    /// Tax status of the cost.
    pub tax_status: ShippingTaxStatus,
    /// Cost formula (`10`, `2 * [qty]`, `[fee percent="10" min_fee="2"]`; `""` = none).
    pub cost: String,
    /// Per shipping class cost formulas.
    pub class_costs: Vec<ClassCost>,
    /// Cost formula for lines without a shipping class.
    pub no_class_cost: String,
    /// How class costs combine.
    pub calculation_type: ClassCalculationType,
    /// Costs entered including tax; `None` = the store's `prices_include_tax`.
    pub costs_include_tax: Option<bool>,
}

/// Free-shipping settings (totals §9.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreeShippingSettings {
    /// What the method requires.
    pub requires: FreeShippingRequires,
    /// Minimum order amount (0 = none).
    pub min_amount: Decimal,
    /// Test the minimum before coupon discounts.
    pub ignore_discounts: bool,
}

/// Local-pickup settings (totals §9.7).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalPickupSettings {
    /// Tax status of the cost.
    pub tax_status: ShippingTaxStatus,
    /// Cost; `None` = free.
    pub cost: Option<Decimal>,
    /// Costs entered including tax; `None` = the store's `prices_include_tax`.
    pub costs_include_tax: Option<bool>,
}

/// The typed settings of a shipping method instance; the variant is the method ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ShippingMethodSettings {
    /// `flat_rate`.
    FlatRate(FlatRateSettings),
    /// `free_shipping`.
    FreeShipping(FreeShippingSettings),
    /// `local_pickup`.
    LocalPickup(LocalPickupSettings),
    /// Any other method ID, with its raw settings (`setting id → value`).
    Other {
        /// The method ID.
        method_id: String,
        /// Raw settings.
        settings: BTreeMap<String, String>,
    },
}

impl ShippingMethodSettings {
    /// The WooCommerce method ID (`flat_rate`, `free_shipping`, `local_pickup`, …).
    pub fn method_id(&self) -> &str {
        match self {
            ShippingMethodSettings::FlatRate(_) => "flat_rate",
            ShippingMethodSettings::FreeShipping(_) => "free_shipping",
            ShippingMethodSettings::LocalPickup(_) => "local_pickup",
            ShippingMethodSettings::Other { method_id, .. } => method_id,
        }
    }
}

/// A shipping method instance within a zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingMethod {
    /// Instance ID (unique across zones); rate IDs are `<method_id>:<instance_id>`.
    pub instance_id: u64,
    /// Title shown to customers.
    pub title: String,
    /// Enabled.
    pub enabled: bool,
    /// Order within the zone.
    pub order: i64,
    /// Typed settings; also tells the method ID.
    pub settings: ShippingMethodSettings,
}

/// A shipping zone with its locations and method instances. Zone 0 is "the rest of the
/// world" and has no locations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingZone {
    /// Zone ID.
    pub id: u64,
    /// Zone name.
    pub name: String,
    /// Zone order (lowest matching wins).
    pub order: i64,
    /// Locations.
    pub locations: Vec<ZoneLocation>,
    /// Method instances.
    pub methods: Vec<ShippingMethod>,
}

/// A shipping class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShippingClass {
    /// Term ID (flat-rate class costs refer to it).
    pub id: u64,
    /// Name.
    pub name: String,
    /// Slug.
    pub slug: String,
    /// Description.
    pub description: String,
    /// Number of products in the class.
    pub count: u64,
}

// ---------------------------------------------------------------------------------------
// Coupons
// ---------------------------------------------------------------------------------------

/// A coupon's discount type.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum DiscountType {
    /// Percentage of the line prices.
    Percent,
    /// Fixed amount off the whole cart.
    #[default]
    FixedCart,
    /// Fixed amount off each eligible unit.
    FixedProduct,
    /// An extension's type.
    Other(String),
}

impl DiscountType {
    /// The WooCommerce name.
    pub fn as_str(&self) -> &str {
        match self {
            DiscountType::Percent => "percent",
            DiscountType::FixedCart => "fixed_cart",
            DiscountType::FixedProduct => "fixed_product",
            DiscountType::Other(name) => name,
        }
    }

    /// Reads a WooCommerce discount type (`percent_product` is read as `percent`).
    pub fn from_name(name: &str) -> DiscountType {
        match name {
            "percent" | "percent_product" => DiscountType::Percent,
            "fixed_cart" | "" => DiscountType::FixedCart,
            "fixed_product" => DiscountType::FixedProduct,
            other => DiscountType::Other(other.to_string()),
        }
    }

    /// Whether the coupon is applied per eligible product rather than to the whole cart.
    pub fn is_product_type(&self) -> bool {
        matches!(self, DiscountType::Percent | DiscountType::FixedProduct)
    }
}

/// A coupon with every WooCommerce coupon field (totals §7.1).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coupon {
    /// Coupon ID.
    pub id: u64,
    /// Code, lowercased (lookups are case-insensitive).
    pub code: String,
    /// Post status (trash = does not exist).
    pub status: PostStatus,
    /// Amount (percent for `percent` coupons).
    pub amount: Decimal,
    /// Discount type.
    pub discount_type: DiscountType,
    /// Description.
    pub description: String,
    /// Creation instant.
    pub date_created: Option<UnixTime>,
    /// Expiry instant; `None` = never.
    pub date_expires: Option<UnixTime>,
    /// Cannot be combined with other coupons.
    pub individual_use: bool,
    /// Only these products (or their variations).
    pub product_ids: Vec<u64>,
    /// Never these products.
    pub excluded_product_ids: Vec<u64>,
    /// Total uses allowed; `None` = unlimited.
    pub usage_limit: Option<u64>,
    /// Uses per customer; `None` = unlimited.
    pub usage_limit_per_user: Option<u64>,
    /// Product coupons: discount at most this many items; `None` = all.
    pub limit_usage_to_x_items: Option<u64>,
    /// Grants free shipping.
    pub free_shipping: bool,
    /// Only products in these categories.
    pub product_categories: Vec<u64>,
    /// Never products in these categories.
    pub excluded_product_categories: Vec<u64>,
    /// Not valid for items on sale.
    pub exclude_sale_items: bool,
    /// Minimum spend (0 = none).
    pub minimum_amount: Decimal,
    /// Maximum spend (0 = none).
    pub maximum_amount: Decimal,
    /// Allowed customer emails, lowercased, `*` wildcards allowed; empty = anyone.
    pub email_restrictions: Vec<String>,
    /// Times used.
    pub usage_count: u64,
    /// Users or emails that used it, one entry per use.
    pub used_by: Vec<String>,
    /// Cap on a percent coupon's total discount; `None` = no cap.
    pub maximum_discount: Option<Decimal>,
    /// Other coupon meta.
    pub meta: Vec<MetaEntry>,
}

// ---------------------------------------------------------------------------------------
// The whole catalog as plain data
// ---------------------------------------------------------------------------------------

/// Every catalog entity as plain vectors plus the store settings: what importers produce
/// and what storage persists (one record per entity).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct CatalogData {
    /// Store settings; `None` when this data carries none (a product CSV), so that merging
    /// it keeps the settings already present. The snapshot uses the defaults when `None`.
    pub settings: Option<StoreSettings>,
    /// Products and variations.
    pub products: Vec<Product>,
    /// Global attribute definitions.
    pub attributes: Vec<AttributeTaxonomy>,
    /// Categories, tags and attribute terms.
    pub terms: Vec<Term>,
    /// Image attachments.
    pub images: Vec<Image>,
    /// Product reviews.
    pub reviews: Vec<Review>,
    /// Tax classes (including the standard class `""`).
    pub tax_classes: Vec<TaxClass>,
    /// Tax rates.
    pub tax_rates: Vec<TaxRate>,
    /// Shipping zones with their locations and methods.
    pub shipping_zones: Vec<ShippingZone>,
    /// Shipping classes.
    pub shipping_classes: Vec<ShippingClass>,
    /// Coupons.
    pub coupons: Vec<Coupon>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unix_time_round_trips_wordpress_dates() {
        let instant = UnixTime::parse("2026-11-22T02:44:04").unwrap();
        assert_eq!(instant, UnixTime(1_795_315_444));
        assert_eq!(instant.format_iso(0), "2026-11-22T02:44:04");
        assert_eq!(instant.format_iso(3600), "2026-11-22T03:44:04");
        assert_eq!(UnixTime::parse("1970-01-01"), Some(UnixTime(0)));
        assert_eq!(
            UnixTime::parse("2024-02-29 23:59:59+01:00"),
            UnixTime::parse("2024-02-29T22:59:59")
        );
        assert_eq!(UnixTime::parse("2023-02-29"), None);
        assert_eq!(UnixTime::parse("yesterday"), None);
        assert_eq!(UnixTime::parse("2026-11-2\u{e9}T00:00:00"), None);
        assert_eq!(UnixTime::parse("2026-11-22T02:4\u{e9}"), None);
        assert_eq!(UnixTime::parse("2026-11-22T02:44:04.123Z"), Some(instant));
        assert_eq!(UnixTime(-1).format_iso(0), "1969-12-31T23:59:59");
    }

    #[test]
    fn product_serializes_with_woocommerce_names() {
        let product = Product::new(10, "Basic T-Shirt");
        let json = serde_json::to_value(&product).unwrap();
        assert_eq!(json["type"], "simple");
        assert_eq!(json["virtual"], false);
        assert_eq!(json["stock_status"], "instock");
        let back: Product = serde_json::from_value(json).unwrap();
        assert_eq!(back, product);
    }
}
