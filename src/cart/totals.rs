//! The totals engine (WooCommerce cart totals to the cent).
