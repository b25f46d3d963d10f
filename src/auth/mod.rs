//! Who is calling, and what they may do: CoCart's authentication and authorisation as
//! pure code.
//!
//! CoCart authenticates every request on its own (no tokens, no server-side login): a
//! WooCommerce API key, Basic credentials (login, email or billing phone plus password),
//! or `username`/`password` parameters (`auth.md` §2–§3). [`authenticate`] turns one
//! request's credentials into a [`Principal`] or a refusal; [`authorize`] applies a
//! route's requirement (§5); [`check_cart_key`] is the registered-user guard; [`render`]
//! builds the login and store objects. Nothing here knows HTTP, storage or async: the
//! handlers pass plain strings in and read users through the [`UserDirectory`] trait.

pub mod api_key;
mod authenticator;
mod error;
pub mod model;
pub mod password;
mod permission;
pub mod render;
pub mod throttle;

pub use authenticator::{
    AuthInput, AuthMethod, DirectoryError, Principal, UserDirectory, authenticate,
};
pub use error::{AuthError, ErrorShape};
pub use model::{ApiKey, KeyPermissions, Role, User};
pub use permission::{CartKeyOwner, Requirement, authorize, check_cart_key, check_route_lockdown};
pub use throttle::Throttle;

#[cfg(test)]
mod testing;
