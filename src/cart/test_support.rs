//! Test fixtures for the cart domain: the peer store's catalog as [`CartCatalog`] facts,
//! a recording [`Hooks`] fake, and readers that turn recorded CoCart bodies into the
//! totals the (separate) totals engine would have produced.
//!
//! The products mirror /work/shared/reference/peer-store (products 10–21, variations
//! 22–25 of the Classic Polo), plus a few extra records (ids 90+) for paths the peer store
//! has no product for.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};

use rust_decimal::Decimal;
use rust_decimal::prelude::FromStr;
use serde_json::{Map, Value, json};

use crate::cart::catalog_view::{CartCatalog, CartProduct, SelectionError};
use crate::cart::hooks::{HookError, Hooks};
use crate::cart::model::{Cart, CartTotals, LineTotals};
use crate::cart::render::{
    ShippingBlock, ShippingPackage, ShippingRate, StoreDisplay, TaxesBlock, TotalsPresentation,
};
use crate::catalog::model::{ProductType, StoreSettings};

/// The instant the fixtures are read at.
pub const NOW: i64 = 1_795_315_454;

/// A decimal from text.
pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn simple(id: u64, name: &str, slug: &str, sku: &str, price: &str, weight: &str) -> CartProduct {
    CartProduct {
        id,
        parent_id: 0,
        product_type: ProductType::Simple,
        name: name.into(),
        title: name.into(),
        slug: slug.into(),
        sku: sku.into(),
        price: price.into(),
        regular_price: price.into(),
        sale_price: String::new(),
        on_sale: false,
        purchasable: true,
        password_protected: false,
        in_stock: true,
        managing_stock: false,
        stock_quantity: None,
        stock_owner_id: id,
        backorders_allowed: false,
        backorders_require_notification: false,
        on_backorder_status: false,
        sold_individually: false,
        weight: weight.into(),
        dimensions: [String::new(), String::new(), String::new()],
        needs_shipping: true,
        thumbnails: BTreeMap::new(),
        visible: true,
        average_rating: "0".into(),
        cross_sell_ids: Vec::new(),
        variation_attributes: Map::new(),
    }
}

fn polo_variation(id: u64, color: &str, size: &str, sku: &str, price: &str) -> CartProduct {
    let color_name = if color == "blue" { "Blue" } else { "Red" };
    CartProduct {
        parent_id: 21,
        product_type: ProductType::Variation,
        name: format!("Classic Polo - {color_name}, {size}"),
        title: "Classic Polo".into(),
        variation_attributes: json!({"attribute_pa_color": color, "attribute_size": size})
            .as_object()
            .cloned()
            .unwrap(),
        ..simple(id, "", "classic-polo", sku, price, "0.3")
    }
}

/// The peer store's catalog as the cart sees it.
pub struct PeerCatalog {
    products: BTreeMap<u64, CartProduct>,
}

impl PeerCatalog {
    /// Products 10–25 of the peer store, plus test-only records 90–95.
    pub fn new() -> Self {
        let mut products = vec![
            simple(
                10,
                "Basic T-Shirt",
                "basic-t-shirt",
                "PEER-TSHIRT",
                "20.00",
                "0.2",
            ),
            simple(11, "Hoodie", "hoodie", "PEER-HOODIE", "40.00", "0.6"),
            simple(
                12,
                "Baseball Cap",
                "baseball-cap",
                "PEER-CAP",
                "15.00",
                "0.1",
            ),
            simple(13, "Coffee Mug", "coffee-mug", "PEER-MUG", "9.99", "0.35"),
            simple(
                14,
                "Sticker Pack",
                "sticker-pack",
                "PEER-STICKER",
                "4.50",
                "",
            ),
            CartProduct {
                needs_shipping: false,
                ..simple(
                    15,
                    "E-Book Guide",
                    "e-book-guide",
                    "PEER-EBOOK",
                    "12.00",
                    "",
                )
            },
            CartProduct {
                sold_individually: true,
                ..simple(16, "Gift Box", "gift-box", "PEER-GIFTBOX", "25.00", "")
            },
            CartProduct {
                managing_stock: true,
                stock_quantity: Some(dec("5")),
                ..simple(
                    17,
                    "Limited Poster",
                    "limited-poster",
                    "PEER-POSTER",
                    "30.00",
                    "",
                )
            },
            CartProduct {
                in_stock: false,
                ..simple(
                    18,
                    "Sold Out Sneakers",
                    "sold-out-sneakers",
                    "PEER-SNEAKERS",
                    "80.00",
                    "",
                )
            },
            simple(
                19,
                "Paperback Book",
                "paperback-book",
                "PEER-BOOK",
                "18.00",
                "0.4",
            ),
            simple(20, "Backpack", "backpack", "PEER-BACKPACK", "55.00", "1.1"),
            CartProduct {
                product_type: ProductType::Variable,
                ..simple(
                    21,
                    "Classic Polo",
                    "classic-polo",
                    "PEER-POLO",
                    "22.00",
                    "0.3",
                )
            },
            polo_variation(22, "red", "S", "PEER-POLO-RED-S", "25.00"),
            polo_variation(23, "red", "M", "PEER-POLO-RED-M", "25.00"),
            polo_variation(24, "blue", "M", "PEER-POLO-BLUE-M", "22.00"),
            CartProduct {
                managing_stock: true,
                stock_quantity: Some(dec("3")),
                ..polo_variation(25, "blue", "L", "PEER-POLO-BLUE-L", "27.00")
            },
            CartProduct {
                product_type: ProductType::External,
                purchasable: false,
                ..simple(
                    90,
                    "Affiliate Lamp",
                    "affiliate-lamp",
                    "EXT-LAMP",
                    "10.00",
                    "",
                )
            },
            CartProduct {
                product_type: ProductType::Grouped,
                purchasable: false,
                ..simple(91, "Starter Set", "starter-set", "GROUP-SET", "", "")
            },
            CartProduct {
                purchasable: false,
                ..simple(92, "Priceless Vase", "priceless-vase", "NO-PRICE", "", "")
            },
            CartProduct {
                password_protected: true,
                ..simple(93, "Secret Tea", "secret-tea", "SECRET", "8.00", "")
            },
            CartProduct {
                managing_stock: true,
                stock_quantity: Some(dec("2")),
                backorders_allowed: true,
                backorders_require_notification: true,
                ..simple(
                    94,
                    "Backorder Lamp",
                    "backorder-lamp",
                    "BACK-LAMP",
                    "12.00",
                    "",
                )
            },
            CartProduct {
                cross_sell_ids: vec![12, 13, 10, 14, 20],
                thumbnails: [
                    (
                        "woocommerce_thumbnail",
                        "wp-content/uploads/kit-300x300.jpg",
                    ),
                    ("thumbnail", "https://cdn.example/kit-150x150.jpg"),
                ]
                .into_iter()
                .map(|(size, url)| (size.to_owned(), url.to_owned()))
                .collect(),
                ..simple(95, "Travel Kit", "travel-kit", "KIT", "30.00", "")
            },
        ];
        products.iter_mut().for_each(|product| {
            if product.product_type == ProductType::Variation {
                product.stock_owner_id = product.id;
            }
        });
        Self {
            products: products
                .into_iter()
                .map(|product| (product.id, product))
                .collect(),
        }
    }

    /// Deletes a product, as if it had been trashed.
    pub fn delete(&mut self, id: u64) {
        self.products.remove(&id);
    }

    /// Changes one product's facts (e.g. to take it off sale or out of stock).
    pub fn edit(&mut self, id: u64, change: impl FnOnce(&mut CartProduct)) {
        if let Some(product) = self.products.get_mut(&id) {
            change(product);
        }
    }
}

/// Allowed values of an attribute with their display names (`""` pads shorter lists).
type AttributeValues = [(&'static str, &'static str); 3];

/// The Classic Polo's variation attributes: request key, label, allowed values.
const POLO_ATTRIBUTES: [(&str, &str, AttributeValues); 2] = [
    (
        "attribute_pa_color",
        "Color",
        [("blue", "Blue"), ("red", "Red"), ("", "")],
    ),
    (
        "attribute_size",
        "Size",
        [("S", "S"), ("M", "M"), ("L", "L")],
    ),
];

impl CartCatalog for PeerCatalog {
    fn product(&self, id: u64, _now: i64) -> Option<CartProduct> {
        self.products.get(&id).cloned()
    }

    fn id_by_sku(&self, sku: &str) -> Option<u64> {
        self.products
            .values()
            .find(|product| product.sku == sku)
            .map(|product| product.id)
    }

    fn find_variation(&self, parent_id: u64, selection: &Map<String, Value>) -> Option<u64> {
        self.products
            .values()
            .filter(|product| product.parent_id == parent_id)
            .find(|variation| {
                variation.variation_attributes.iter().all(|(key, stored)| {
                    stored.as_str() == Some("") || selection.get(key) == Some(stored)
                })
            })
            .map(|variation| variation.id)
    }

    fn complete_selection(
        &self,
        variation_id: u64,
        selection: &Map<String, Value>,
    ) -> Result<Map<String, Value>, SelectionError> {
        let variation = self
            .products
            .get(&variation_id)
            .ok_or(SelectionError::Missing(Vec::new()))?;
        let mut complete = Map::new();
        let mut missing = Vec::new();
        for (key, label, values) in POLO_ATTRIBUTES {
            let expected = variation
                .variation_attributes
                .get(key)
                .and_then(Value::as_str)
                .unwrap_or("");
            let allowed: Vec<String> = values
                .iter()
                .filter(|(slug, _)| !slug.is_empty())
                .map(|(slug, _)| (*slug).to_owned())
                .collect();
            match selection.get(key).and_then(Value::as_str) {
                Some(value)
                    if value == expected
                        || (expected.is_empty() && allowed.iter().any(|a| a == value)) =>
                {
                    complete.insert(key.into(), Value::from(value));
                }
                Some(_) => {
                    let allowed = if expected.is_empty() {
                        allowed
                    } else {
                        vec![expected.to_owned()]
                    };
                    return Err(SelectionError::InvalidValue {
                        label: label.into(),
                        allowed,
                    });
                }
                None if expected.is_empty() => missing.push(label.to_owned()),
                None => {
                    complete.insert(key.into(), Value::from(expected));
                }
            }
        }
        if missing.is_empty() {
            Ok(complete)
        } else {
            Err(SelectionError::Missing(missing))
        }
    }

    fn selection_labels(
        &self,
        _parent_id: u64,
        selection: &Map<String, Value>,
    ) -> Vec<(String, String)> {
        POLO_ATTRIBUTES
            .iter()
            .filter_map(|(key, label, values)| {
                let value = selection.get(*key)?.as_str()?;
                let name = values
                    .iter()
                    .find(|(slug, _)| *slug == value)
                    .map_or(value, |(_, name)| *name);
                Some(((*label).to_owned(), name.to_owned()))
            })
            .collect()
    }
}

/// The peer store's settings (WooCommerce defaults: USD, `$` on the left, cm, base US/CA,
/// with taxes on).
pub static PEER_SETTINGS: LazyLock<StoreSettings> = LazyLock::new(|| StoreSettings {
    calc_taxes: true,
    ..StoreSettings::default()
});

/// The peer store as the cart body shows it.
pub fn peer_store() -> StoreDisplay<'static> {
    StoreDisplay {
        settings: &PEER_SETTINGS,
        site_url: "http://127.0.0.1:8081",
        placeholder_image: "wp-content/uploads/woocommerce-placeholder.png",
        shipping_enabled: true,
    }
}

/// An empty cart of a customer in the peer store's base location (US, CA).
pub fn peer_cart() -> Cart {
    Cart::for_store(&PEER_SETTINGS)
}

/// One hook call as the fake saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct HookCall {
    /// Hook name.
    pub name: String,
    /// Arguments after the filtered value (actions: all arguments).
    pub args: Vec<Value>,
}

/// A [`Hooks`] fake that listens to the names it is given, records every call, and lets a
/// test replace filter results.
#[derive(Default)]
pub struct RecordingHooks {
    listening: Vec<String>,
    overrides: BTreeMap<String, Value>,
    calls: Mutex<Vec<HookCall>>,
}

impl RecordingHooks {
    /// Listens to `names` (filters return their value unchanged).
    pub fn listening(names: &[&str]) -> Self {
        Self {
            listening: names.iter().map(|name| (*name).to_owned()).collect(),
            ..Self::default()
        }
    }

    /// Makes the filter `name` return `value`.
    pub fn with_filter_result(mut self, name: &str, value: Value) -> Self {
        self.listening.push(name.to_owned());
        self.overrides.insert(name.to_owned(), value);
        self
    }

    /// The names called so far, in order.
    pub fn names(&self) -> Vec<String> {
        self.calls
            .lock()
            .unwrap()
            .iter()
            .map(|call| call.name.clone())
            .collect()
    }

    /// The calls so far.
    pub fn calls(&self) -> Vec<HookCall> {
        self.calls.lock().unwrap().clone()
    }
}

impl Hooks for RecordingHooks {
    fn has(&self, name: &str) -> bool {
        self.listening.iter().any(|listened| listened == name)
    }

    fn apply_filters(&self, name: &str, value: Value, args: &[Value]) -> Result<Value, HookError> {
        self.calls.lock().unwrap().push(HookCall {
            name: name.into(),
            args: args.to_vec(),
        });
        Ok(self.overrides.get(name).cloned().unwrap_or(value))
    }

    fn do_action(&self, name: &str, args: &[Value]) -> Result<(), HookError> {
        self.calls.lock().unwrap().push(HookCall {
            name: name.into(),
            args: args.to_vec(),
        });
        Ok(())
    }
}

/// A recorded response body.
pub fn recording(name: &str) -> Value {
    let text = match name {
        "01" => include_str!("testdata/01-get-cart-no-key.json"),
        "02" => include_str!("testdata/02-add-item-new-cart.json"),
        "06" => include_str!("testdata/06-add-variable-by-attributes.json"),
        "07" => include_str!("testdata/07-add-variation-id.json"),
        "08" => include_str!("testdata/08-add-reduced-rate-item.json"),
        "13" => include_str!("testdata/13-cart-items.json"),
        "14" => include_str!("testdata/14-cart-items-count.json"),
        "17" => include_str!("testdata/17-update-item-qty.json"),
        "18" => include_str!("testdata/18-remove-item.json"),
        "19" => include_str!("testdata/19-restore-item.json"),
        "20" => include_str!("testdata/20-update-customer.json"),
        "21" => include_str!("testdata/21-cart-fields-filter.json"),
        "29" => include_str!("testdata/29-clear-cart.json"),
        "35" => include_str!("testdata/35-add-item-setup-cart.json"),
        "37" => include_str!("testdata/37-cart-items-after-return-item.json"),
        "38" => include_str!("testdata/38-item-get-by-key.json"),
        "43" => include_str!("testdata/43-cart-calculate.json"),
        "49" => include_str!("testdata/49-v1-totals.json"),
        other => panic!("no recording {other}"),
    };
    serde_json::from_str(text.trim()).unwrap()
}

/// Minor units (2 decimals) back to an amount.
fn from_minor(value: &Value) -> Decimal {
    match value {
        Value::String(text) if !text.is_empty() => dec(text) / Decimal::from(100),
        Value::Number(number) => dec(&number.to_string()) / Decimal::from(100),
        _ => Decimal::ZERO,
    }
}

fn from_raw(value: &Value) -> Decimal {
    dec(&value.to_string())
}

/// Fills `cart` with the line and cart totals a recorded body shows, and returns the
/// presentation (taxes, shipping) it shows: what the totals engine would hand over.
pub fn recorded_totals(cart: &mut Cart, body: &Value) -> TotalsPresentation {
    let items: Vec<&Value> = match &body["items"] {
        Value::Array(items) => items.iter().collect(),
        Value::Object(items) => items.values().collect(),
        _ => Vec::new(),
    };
    for item in items
        .iter()
        .copied()
        .chain(body["removed_items"].as_array().into_iter().flatten())
    {
        let key = item["item_key"].as_str().unwrap();
        let totals = LineTotals {
            subtotal: from_minor(&item["totals"]["subtotal"]),
            subtotal_tax: from_raw(&item["totals"]["subtotal_tax"]),
            total: from_raw(&item["totals"]["total"]),
            tax: from_raw(&item["totals"]["tax"]),
            ..LineTotals::default()
        };
        for line in cart.lines.iter_mut().chain(cart.removed_lines.iter_mut()) {
            if line.key == key {
                line.totals = totals.clone();
            }
        }
    }
    let totals = &body["totals"];
    if totals.is_object() {
        cart.totals = CartTotals {
            subtotal: from_minor(&totals["subtotal"]),
            subtotal_tax: from_minor(&totals["subtotal_tax"]),
            fee_total: from_minor(&totals["fee_total"]),
            fee_tax: from_minor(&totals["fee_tax"]),
            discount_total: from_minor(&totals["discount_total"]),
            discount_tax: from_minor(&totals["discount_tax"]),
            shipping_total: from_minor(&totals["shipping_total"]),
            shipping_tax: from_minor(&totals["shipping_tax"]),
            total: from_minor(&totals["total"]),
            total_tax: from_minor(&totals["total_tax"]),
            ..CartTotals::default()
        };
    }
    let taxes = body["taxes"].as_object().map(|rates| {
        TaxesBlock::Itemized(
            rates
                .iter()
                .map(|(code, rate)| {
                    (
                        code.clone(),
                        rate["name"].as_str().unwrap().to_owned(),
                        from_minor(&rate["price"]),
                    )
                })
                .collect(),
        )
    });
    let shipping = body["shipping"].as_object().map(|shipping| ShippingBlock {
        total_packages: shipping["total_packages"].as_u64().unwrap() as usize,
        has_calculated_shipping: shipping["has_calculated_shipping"].as_bool().unwrap(),
        packages: shipping["packages"]
            .as_object()
            .into_iter()
            .flat_map(|packages| packages.values())
            .map(|package| ShippingPackage {
                name: package["package_name"].as_str().unwrap().into(),
                rates: package["rates"]
                    .as_object()
                    .unwrap()
                    .values()
                    .map(|rate| ShippingRate {
                        id: rate["key"].as_str().unwrap().into(),
                        method_id: rate["method_id"].as_str().unwrap().into(),
                        instance_id: rate["instance_id"].as_u64().unwrap(),
                        label: rate["label"].as_str().unwrap().into(),
                        cost: from_minor(&rate["cost"]),
                        html: rate["html"].as_str().unwrap().into(),
                        tax: (rate["taxes"] != "").then(|| from_minor(&rate["taxes"])),
                        chosen: rate["chosen_method"].as_bool().unwrap(),
                        meta_data: rate["meta_data"]
                            .as_object()
                            .unwrap()
                            .iter()
                            .map(|(name, value)| (name.clone(), value.as_str().unwrap().to_owned()))
                            .collect(),
                    })
                    .collect(),
                package_details: package["package_details"].as_str().unwrap().into(),
                chosen_method: package["chosen_method"].as_str().unwrap().into(),
                formatted_destination: package["formatted_destination"].as_str().unwrap().into(),
            })
            .collect(),
    });
    TotalsPresentation {
        taxes,
        shipping,
        ..TotalsPresentation::default()
    }
}

/// A recorded body without the fields that differ per session (`cart_hash`).
pub fn without_hash(mut body: Value) -> Value {
    if let Some(object) = body.as_object_mut() {
        object.remove("cart_hash");
    }
    body
}
