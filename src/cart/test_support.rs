//! Test fixtures for the cart domain: the peer store's catalog,
//! a recording [`Hooks`] fake, and readers that turn recorded CoCart bodies into the
//! totals the (separate) totals engine would have produced.
//!
//! The catalog is the peer store (/work/shared/reference/peer-store) imported by the
//! catalog's own importer, plus a few extra records (ids 90+) for paths the peer store has
//! no product for.

use std::collections::BTreeMap;
use std::sync::{LazyLock, Mutex};

use rust_decimal::Decimal;
use rust_decimal::prelude::FromStr;
use serde_json::Value;

use crate::cart::hooks::{HookError, Hooks};
use crate::cart::model::{Cart, CartTotals, LineTotals};
use crate::cart::render::{
    ShippingBlock, ShippingPackage, ShippingRate, StoreDisplay, TaxesBlock, TotalsPresentation,
};
use crate::catalog::Catalog;
use crate::catalog::model::{
    Backorders, CatalogData, Image, ManageStock, Product, ProductType, StoreSettings, UnixTime,
};

/// The instant the fixtures are read at.
pub const NOW: UnixTime = UnixTime(1_795_315_454);

/// A decimal from text.
pub fn dec(text: &str) -> Decimal {
    Decimal::from_str(text).unwrap()
}

fn product(id: u64, name: &str, price: &str, change: impl FnOnce(&mut Product)) -> Product {
    let mut product = Product::new(id, name);
    product.slug = crate::catalog::slug::sanitize_title(name);
    product.sku = format!("TEST-{id}");
    product.regular_price = (!price.is_empty()).then(|| dec(price));
    change(&mut product);
    product
}

/// The peer store's catalog data (products 10–21, variations 22–25) plus test-only records
/// 90–95 for paths the peer store has no product for.
pub fn peer_data() -> CatalogData {
    let mut data = crate::catalog::fixtures::peer_store_data();
    data.products.extend([
        product(90, "Affiliate Lamp", "10.00", |lamp| {
            lamp.product_type = ProductType::External
        }),
        product(91, "Starter Set", "", |set| {
            set.product_type = ProductType::Grouped;
            set.grouped_products = vec![10, 12];
        }),
        product(92, "Priceless Vase", "", |_| {}),
        product(93, "Secret Tea", "8.00", |tea| {
            tea.password_protected = true
        }),
        product(94, "Backorder Lamp", "12.00", |lamp| {
            lamp.manage_stock = ManageStock::Yes;
            lamp.stock_quantity = Some(dec("2"));
            lamp.backorders = Backorders::Notify;
        }),
        product(95, "Travel Kit", "30.00", |kit| {
            kit.cross_sell_ids = vec![12, 13, 10, 14, 20];
            kit.image_id = 500;
        }),
    ]);
    data.images.push(Image {
        id: 500,
        name: "Travel kit".into(),
        alt: String::new(),
        src: [
            (
                "woocommerce_thumbnail",
                "wp-content/uploads/kit-300x300.jpg",
            ),
            ("thumbnail", "https://cdn.example/kit-150x150.jpg"),
        ]
        .into_iter()
        .map(|(size, url)| (size.to_owned(), url.to_owned()))
        .collect(),
        date_created: None,
        date_modified: None,
    });
    data
}

/// The peer store catalog with the test-only records.
pub fn peer_catalog() -> Catalog {
    Catalog::new(peer_data())
}

/// The peer store catalog after changing one product record.
pub fn peer_catalog_with(id: u64, change: impl FnOnce(&mut Product)) -> Catalog {
    let mut data = peer_data();
    if let Some(product) = data.products.iter_mut().find(|product| product.id == id) {
        change(product);
    }
    Catalog::new(data)
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
        money_decimals: PEER_SETTINGS.price_decimals,
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
    serde_json::from_str(&recording_text(name)).unwrap()
}

/// A recorded response body as the exact text CoCart sent, with slashes unescaped
/// (`\/` → `/`) the way serde_json writes them.
pub fn recording_text(name: &str) -> String {
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
        "24" => include_str!("testdata/24-session-by-key-admin.json"),
        "25" => include_str!("testdata/25-session-items-admin.json"),
        "43" => include_str!("testdata/43-cart-calculate.json"),
        "47" => include_str!("testdata/47-v1-get-cart.json"),
        "49" => include_str!("testdata/49-v1-totals.json"),
        other => panic!("no recording {other}"),
    };
    text.trim().replace("\\/", "/")
}

/// Minor units (2 decimals) back to an amount.
pub fn from_minor(value: &Value) -> Decimal {
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
