//! The totals-derived blocks of the v2 cart body (responses-and-errors.md §4.5–4.7), built
//! from one calculation the way CoCart 4.4 reads them off WooCommerce: item display prices,
//! coupon savings, fees, the `taxes` block and the shipping packages with their rates.

use rust_decimal::Decimal;

use crate::cart::model::{Address, Cart};
use crate::cart::money::{decimal_text, price_text};
use crate::cart::render::{
    CouponLine, FeeLine, ShippingBlock, ShippingPackage, ShippingRate, TaxesBlock,
    TotalsPresentation,
};
use crate::cart::totals::shipping::is_pickup_rate;
use crate::cart::totals::{self, PackageTotals, Totals, TotalsInput};
use crate::catalog::Catalog;
use crate::catalog::model::{StoreSettings, TaxBasedOn, TaxDisplay, TaxTotalDisplay};

/// Everything the blocks are read from.
struct Source<'a> {
    cart: &'a Cart,
    catalog: &'a Catalog,
    input: &'a TotalsInput,
    settings: &'a StoreSettings,
    totals: &'a Totals,
}

/// The presentation of one calculation of `cart` (whose totals are already stored).
pub(super) fn present(
    cart: &Cart,
    catalog: &Catalog,
    input: &TotalsInput,
    totals: &Totals,
) -> TotalsPresentation {
    let source = Source {
        cart,
        catalog,
        input,
        settings: catalog.settings(),
        totals,
    };
    TotalsPresentation {
        item_prices: source.item_prices(),
        coupons: source.coupons(),
        fees: source.fees(),
        taxes: source.taxes(),
        shipping: source.shipping(),
    }
}

impl Source<'_> {
    /// The unit price each line shows: as entered when the display matches how prices are
    /// entered, else derived from the line's subtotal (with or without its tax).
    fn item_prices(&self) -> std::collections::BTreeMap<String, Decimal> {
        let with_tax = self.totals.displays_prices_with_tax;
        let entered_with_tax = self.settings.prices_include_tax;
        let decimals = self.settings.price_decimals;
        self.cart
            .lines
            .iter()
            .filter_map(|line| {
                let computed = self.totals.lines.iter().find(|c| c.key == line.key)?;
                let price = if with_tax == entered_with_tax {
                    self.input
                        .lines
                        .iter()
                        .find(|input| input.key == line.key)?
                        .unit_price
                } else {
                    let line_price = if with_tax {
                        computed.subtotal + computed.subtotal_tax
                    } else {
                        computed.subtotal
                    };
                    line_price.checked_div(line.quantity)?.round_dp(decimals)
                };
                Some((line.key.clone(), price))
            })
            .collect()
    }

    /// Applied coupons with the saving WooCommerce's coupon row shows: excluding tax when
    /// the cart setting displays prices excluding tax.
    fn coupons(&self) -> Vec<CouponLine> {
        let excluding_tax = self.settings.tax_display_cart == TaxDisplay::Excl;
        self.cart
            .applied_coupons
            .iter()
            .map(|code| {
                let computed = self.totals.coupons.iter().find(|c| &c.code == code);
                let saving = computed.map_or(Decimal::ZERO, |c| {
                    if excluding_tax {
                        c.discount_amount
                    } else {
                        c.discount_amount_with_tax
                    }
                });
                let coupon = self.catalog.coupon_by_code(code);
                CouponLine {
                    code: code.clone(),
                    discount_type: coupon
                        .map(|coupon| coupon.discount_type.as_str().to_owned())
                        .unwrap_or_default(),
                    saving,
                    free_shipping: coupon.is_some_and(|coupon| coupon.free_shipping),
                }
            })
            .collect()
    }

    /// Fees in the order they were added, with tax when the cart displays prices with tax.
    fn fees(&self) -> Vec<FeeLine> {
        self.cart
            .fees
            .iter()
            .map(|fee| FeeLine {
                id: fee.id.clone(),
                name: fee.name.clone(),
                amount: if self.totals.displays_prices_with_tax {
                    fee.total + fee.tax
                } else {
                    fee.total
                },
            })
            .collect()
    }

    /// §4.7: only with taxes on, a non-empty cart and prices displayed excluding tax.
    fn taxes(&self) -> Option<TaxesBlock> {
        if !self.settings.calc_taxes || self.cart.is_empty() || self.totals.displays_prices_with_tax
        {
            return None;
        }
        Some(match self.settings.tax_total_display {
            TaxTotalDisplay::Itemized => TaxesBlock::Itemized(
                self.totals
                    .tax_totals
                    .iter()
                    .map(|row| (row.code.clone(), row.label.clone(), row.amount))
                    .collect(),
            ),
            TaxTotalDisplay::Single => TaxesBlock::Single {
                label: self.single_tax_label(),
                total: self
                    .totals
                    .merged_taxes()
                    .sum()
                    .round_dp(self.settings.price_decimals),
            },
        })
    }

    /// `Tax`, plus ` (estimated for XX)` when the taxable address is outside the store base
    /// and the customer has not calculated shipping (country codes: cartd has no country
    /// names).
    fn single_tax_label(&self) -> String {
        let (country, state) = self.taxable_location();
        let outside_base = !country.is_empty()
            && (country != self.settings.base_country
                || (!self.settings.base_state.is_empty() && state != self.settings.base_state));
        if outside_base && !self.cart.customer.calculated_shipping {
            format!("Tax (estimated for {country})")
        } else {
            "Tax".to_owned()
        }
    }

    /// `WC_Customer::get_taxable_address` as far as country and state.
    fn taxable_location(&self) -> (&str, &str) {
        let customer = &self.cart.customer;
        let pickup = self.totals.needs_shipping
            && self
                .cart
                .chosen_shipping_methods
                .iter()
                .any(|rate| is_pickup_rate(rate));
        let base = (
            self.settings.base_country.as_str(),
            self.settings.base_state.as_str(),
        );
        match self.settings.tax_based_on {
            _ if pickup => base,
            TaxBasedOn::Base => base,
            TaxBasedOn::Billing => (&customer.billing.country, &customer.billing.state),
            TaxBasedOn::Shipping => (&customer.shipping.country, &customer.shipping.state),
        }
    }

    /// §4.6: `None` (rendered `[]`) when the cart needs no shipping or none was calculated.
    fn shipping(&self) -> Option<ShippingBlock> {
        if !self.totals.needs_shipping || self.totals.packages.is_empty() {
            return None;
        }
        let total_packages = self.totals.packages[0].line_keys.len();
        Some(ShippingBlock {
            total_packages,
            has_calculated_shipping: self.totals.show_shipping,
            packages: self
                .totals
                .packages
                .iter()
                .map(|package| self.package(package))
                .collect(),
        })
    }

    fn package(&self, package: &PackageTotals) -> ShippingPackage {
        let chosen = self
            .cart
            .chosen_shipping_methods
            .get(package.index)
            .cloned()
            .unwrap_or_default();
        let contents: Vec<(String, Decimal)> = package
            .line_keys
            .iter()
            .filter_map(|key| {
                let line = self.cart.line(key)?;
                let name = self.catalog.product(line.product_record_id())?.name();
                Some((name.to_owned(), line.quantity))
            })
            .collect();
        let items = contents
            .iter()
            .map(|(name, quantity)| format!("{name} × {}", decimal_text(*quantity)))
            .collect::<Vec<_>>()
            .join(", ");
        // CoCart lists the contents only once two packages were already listed.
        let package_details = if package.index > 1 {
            contents
                .iter()
                .map(|(name, quantity)| format!("{name} x{}", decimal_text(*quantity)))
                .collect::<Vec<_>>()
                .join(", ")
        } else {
            String::new()
        };
        ShippingPackage {
            name: if package.index == 0 {
                "Shipping".to_owned()
            } else {
                format!("Shipping #{}", package.index + 1)
            },
            rates: package
                .rates
                .iter()
                .map(|rate| self.rate(rate, &chosen, &items))
                .collect(),
            package_details,
            formatted_destination: formatted_destination(
                &self.cart.customer.shipping,
                &self.settings.base_country,
            ),
            chosen_method: chosen,
        }
    }

    fn rate(&self, rate: &totals::ShippingRate, chosen: &str, items: &str) -> ShippingRate {
        let tax = rate.taxes.sum();
        ShippingRate {
            id: rate.id.clone(),
            method_id: rate.method_id.clone(),
            instance_id: rate.instance_id,
            label: rate.label.clone(),
            cost: rate.cost,
            html: self.rate_label(rate, tax),
            tax: rate.taxes.iter().last().map(|(_, amount)| amount),
            chosen: rate.id == chosen,
            meta_data: vec![("items".to_owned(), items.to_owned())],
        }
    }

    /// `wc_cart_totals_shipping_method_label` without tags: `Flat rate: $10.00`, with
    /// `(incl. tax)` / `(ex. tax)` when the shown cost and the entered prices differ.
    fn rate_label(&self, rate: &totals::ShippingRate, tax: Decimal) -> String {
        if rate.cost <= Decimal::ZERO {
            return rate.label.clone();
        }
        let settings = self.settings;
        let (cost, note) = if self.totals.displays_prices_with_tax {
            let note = tax > Decimal::ZERO && !settings.prices_include_tax;
            (rate.cost + tax, note.then_some("(incl. tax)"))
        } else {
            let note = tax > Decimal::ZERO && settings.prices_include_tax;
            (rate.cost, note.then_some("(ex. tax)"))
        };
        let text = format!("{}: {}", rate.label, price_text(cost, settings));
        match note {
            Some(note) => format!("{text} {note}"),
            None => text,
        }
    }
}

/// WooCommerce's one-line formatted address of a shipping destination (`, ` separated):
/// the country is left out when it is the store's base country, US-style countries show
/// `City, ST 12345`, others one part per line. Countries and states are shown by code.
pub fn formatted_destination(address: &Address, base_country: &str) -> String {
    let country = if address.country == base_country {
        ""
    } else {
        address.country.as_str()
    };
    let locality = if address.country == "US" {
        vec![format!(
            "{}, {} {}",
            address.city, address.state, address.postcode
        )]
    } else {
        vec![
            address.city.clone(),
            address.state.clone(),
            address.postcode.clone(),
        ]
    };
    [address.address_1.clone(), address.address_2.clone()]
        .into_iter()
        .chain(locality)
        .chain([country.to_owned()])
        .map(|line| {
            line.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .trim_matches(|c| c == ',' || c == ' ')
                .to_owned()
        })
        .filter(|line| !line.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}
