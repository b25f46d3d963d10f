//! The payment gateways CoCart Pro's `cocart/v1/payment-methods` routes offer.
//!
//! cartd takes no payments; the shop lists its gateways in the configuration so a
//! storefront can show them and record the shopper's choice in the cart, which the
//! checkout system reads later.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::cart::error::CartError;

/// The `[payments]` section: the gateways the shop offers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentsConfig {
    /// Gateways in display order.
    #[serde(default)]
    pub gateways: Vec<PaymentGateway>,
}

/// One gateway (`[[payments.gateways]]`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentGateway {
    /// Gateway id, e.g. `stripe` or `bacs`.
    pub id: String,
    /// Name shown to shoppers.
    pub title: String,
    /// Text shown under the name.
    #[serde(default)]
    pub description: String,
    /// Whether shoppers may choose it.
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
}

fn enabled_by_default() -> bool {
    true
}

impl PaymentsConfig {
    fn available(&self) -> impl Iterator<Item = &PaymentGateway> {
        self.gateways.iter().filter(|gateway| gateway.enabled)
    }

    /// `GET payment-methods`: the enabled gateways keyed by id, the cart's choice marked.
    /// No enabled gateway is Pro's `cocart_no_payment_gateways` refusal.
    pub fn methods_value(&self, chosen: &str) -> Result<Value, CartError> {
        let methods: Map<String, Value> = self
            .available()
            .map(|gateway| {
                let value = json!({
                    "id": gateway.id,
                    "method_title": gateway.title,
                    "title": gateway.title,
                    "description": gateway.description,
                    "chosen_gateway": gateway.id == chosen,
                });
                (gateway.id.clone(), value)
            })
            .collect();
        if methods.is_empty() {
            return Err(CartError::new(
                "cocart_no_payment_gateways",
                404,
                "Please fill in your details above to see available payment methods.",
            ));
        }
        Ok(Value::Object(methods))
    }

    /// `POST payment-methods`: the gateway id to store as the cart's choice.
    pub fn choose(&self, gateway_id: &str) -> Result<String, CartError> {
        let gateway_id = gateway_id.trim();
        if gateway_id.is_empty() {
            return Err(CartError::new(
                "cocart_set_payment_method_failed",
                400,
                "The gateway ID is required to set a payment method.",
            ));
        }
        self.available()
            .find(|gateway| gateway.id == gateway_id)
            .map(|gateway| gateway.id.clone())
            .ok_or_else(|| {
                CartError::new(
                    "cocart_payment_method_incorrect",
                    404,
                    "The gateway ID is either incorrect or does not exist.",
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> PaymentsConfig {
        PaymentsConfig {
            gateways: vec![
                PaymentGateway {
                    id: "bacs".into(),
                    title: "Direct bank transfer".into(),
                    description: "Pay into our account.".into(),
                    enabled: true,
                },
                PaymentGateway {
                    id: "cheque".into(),
                    title: "Cheque".into(),
                    description: String::new(),
                    enabled: false,
                },
            ],
        }
    }

    #[test]
    fn lists_enabled_gateways_and_marks_the_choice() {
        let methods = config().methods_value("bacs").unwrap();
        assert_eq!(methods.as_object().unwrap().len(), 1);
        assert_eq!(methods["bacs"]["chosen_gateway"], true);
        let none = PaymentsConfig::default().methods_value("").unwrap_err();
        assert_eq!(none.code, "cocart_no_payment_gateways");
    }

    #[test]
    fn choosing_refuses_disabled_unknown_and_empty_ids() {
        assert_eq!(config().choose(" bacs ").unwrap(), "bacs");
        for (id, code) in [
            ("cheque", "cocart_payment_method_incorrect"),
            ("paypal", "cocart_payment_method_incorrect"),
            ("", "cocart_set_payment_method_failed"),
        ] {
            assert_eq!(config().choose(id).unwrap_err().code, code);
        }
    }

    #[test]
    fn the_section_reads_from_toml_shaped_data() {
        let parsed: PaymentsConfig = serde_json::from_value(json!({
            "gateways": [{"id": "bacs", "title": "Bank"}]
        }))
        .unwrap();
        assert!(parsed.gateways[0].enabled);
        let empty: PaymentsConfig = serde_json::from_value(json!({})).unwrap();
        assert!(empty.gateways.is_empty());
    }
}
